import type { EntityManager } from 'typeorm';
import { type ChainPoint, chainInstanceIds, type InstanceRecord, isNetworkPoint, type ServiceChain } from '#vim/chains';
import type { FieldProblem } from '#vim/descriptors';

/**
 * What the API reads to check a chain: the tenant's instances the chain names (another tenant's
 * instance is one that does not exist), their VMs' ports and hosts, and the hosts' switches.
 */
export interface ChainRecords {
  instances: Map<string, InstanceRecord>;
  /** Host name -> its OVSDB remote. */
  hosts: Map<string, string>;
}

interface Row {
  id: string;
  instantiationState: string;
  host: string | null;
  powerState: string | null;
  ports: InstanceRecord['vms'][number]['ports'] | null;
  vmId: string | null;
}

export async function readChainRecords(db: EntityManager, tenantId: string, chain: ServiceChain): Promise<ChainRecords> {
  const rows = (await db.query(
    `SELECT i.id, i."instantiationState", v.id AS "vmId", v."powerState", v.ports, h.name AS host
       FROM vnf_instances i LEFT JOIN vdu_instances v ON v."vnfInstanceId" = i.id LEFT JOIN hosts h ON h.id = v."hostId"
      WHERE i.id = ANY($1::uuid[]) AND i."tenantId" = $2`,
    [chainInstanceIds(chain), tenantId],
  )) as Row[];
  const instances = new Map<string, InstanceRecord>();
  for (const row of rows) {
    const record = instances.get(row.id) ?? { instantiationState: row.instantiationState, vms: [] };
    if (row.vmId) (record.vms as InstanceRecord['vms'][number][]).push({ host: row.host, powerState: row.powerState, ports: row.ports ?? [] });
    instances.set(row.id, record);
  }
  const hostRows = (await db.query(`SELECT name, "ovsdbRemote" FROM hosts`)) as { name: string; ovsdbRemote: string }[];
  return { instances, hosts: new Map(hostRows.map((h) => [h.name, h.ovsdbRemote])) };
}

/**
 * The worker installs rules with ovs-ofctl on its own machine, addressing bridges by name: only a
 * switch it reaches that way can carry a chain.
 */
export const isLocalSwitch = (ovsdbRemote: string): boolean => /^(unix:|tcp:(127\.\d+\.\d+\.\d+|\[::1\]|localhost):)/.test(ovsdbRemote);

/** A chain point must be one form or the other, entirely. */
export function pointProblems(point: ChainPoint, path: string): FieldProblem[] {
  const fields = Object.keys(point);
  const network = ['host', 'bridge', 'vlan', 'port'];
  const cp = ['vnfInstanceId', 'cpdId'];
  const usesNetwork = fields.some((f) => network.includes(f));
  const usesCp = fields.some((f) => cp.includes(f));
  if (usesNetwork && usesCp) return [{ path, message: 'is either a network (host, bridge, vlan, port) or a connection point (vnfInstanceId, cpdId), not both' }];
  if (usesCp) return cp.filter((f) => !fields.includes(f)).map((f) => ({ path: `${path}/${f}`, message: 'is required for a connection point' }));
  return ['host', 'bridge'].filter((f) => !fields.includes(f)).map((f) => ({ path: `${path}/${f}`, message: 'is required for a network (or give vnfInstanceId and cpdId for a connection point)' }));
}

/** Every host the chain's ports are on must be registered and reachable from the worker's switch tools. */
export function reachProblems(chain: ServiceChain, records: ChainRecords): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const check = (host: string | null, path: string, what: string) => {
    if (host === null) return;
    const remote = records.hosts.get(host);
    if (remote === undefined) problems.push({ path, message: `${what} is on host '${host}', which is not registered` });
    else if (!isLocalSwitch(remote)) {
      problems.push({ path, message: `${what} is on host '${host}', whose switch (${remote}) the worker cannot reach with ovs-ofctl: chains are installed on switches local to the worker` });
    }
  };
  (['ingress', 'egress'] as const).forEach((end) => {
    const point = chain[end];
    if (isNetworkPoint(point)) check(point.host, `/${end}/host`, `the ${end}`);
  });
  chain.hops.forEach((hop, h) =>
    hop.instances.forEach((inst, i) => {
      const hosts = new Set(records.instances.get(inst.vnfInstanceId)?.vms.map((vm) => vm.host) ?? []);
      for (const host of hosts) check(host, `/hops/${h}/instances/${i}/vnfInstanceId`, `hop ${h}'s instance ${inst.vnfInstanceId}`);
    }),
  );
  return problems;
}
