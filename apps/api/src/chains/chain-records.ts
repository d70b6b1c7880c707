import type { EntityManager } from 'typeorm';
import { type ChainPoint, chainInstanceIds, type InstanceRecord, isNetworkPoint, type NetworkPoint, type ServiceChain } from '#vim/chains';
import type { FieldProblem } from '#vim/descriptors';
import { isLocalOvsdbRemote } from '#vim/inventory';

/**
 * What the API reads to check a chain: the tenant's instances the chain names (another tenant's
 * instance is one that does not exist), their VMs' ports and hosts, the hosts' switches, and which
 * networks and ports belong to whom, so that a chain cannot reach into another tenant's traffic.
 */
export interface ChainRecords {
  instances: Map<string, InstanceRecord>;
  /** Host name -> its OVSDB remote. */
  hosts: Map<string, string>;
  /** `networkKey` of every network the tenant's VMs are bound to. */
  tenantNetworks: Set<string>;
  /** `portKey` of every VM port of another tenant's instances. */
  foreignPorts: Set<string>;
}

interface Row {
  id: string;
  instantiationState: string;
  host: string | null;
  powerState: string | null;
  ports: InstanceRecord['vms'][number]['ports'] | null;
  vmId: string | null;
}

export const networkKey = (host: string, bridge: string, vlan: number | undefined): string => `${host}|${bridge}|${vlan ?? ''}`;
const portKey = (host: string, name: string): string => `${host}|${name}`;

export async function readChainRecords(db: EntityManager, tenantId: string, chain: ServiceChain): Promise<ChainRecords> {
  // One after another: inside a transaction the queries share one connection.
  const instances = await readInstances(db, tenantId, chain);
  const hostRows = (await db.query(`SELECT name, "ovsdbRemote" FROM hosts`)) as { name: string; ovsdbRemote: string }[];
  const networks = (await db.query(
    `SELECT DISTINCT h.name AS host, p->>'bridge' AS bridge, p->>'vlan' AS vlan
       FROM vdu_instances v JOIN vnf_instances i ON i.id = v."vnfInstanceId" JOIN hosts h ON h.id = v."hostId", jsonb_array_elements(v.ports) p
      WHERE i."tenantId" = $1 AND p ? 'bridge'`,
    [tenantId],
  )) as { host: string; bridge: string; vlan: string | null }[];
  const foreign = (await db.query(
    `SELECT DISTINCT h.name AS host, p->>'name' AS name
       FROM vdu_instances v JOIN vnf_instances i ON i.id = v."vnfInstanceId" JOIN hosts h ON h.id = v."hostId", jsonb_array_elements(v.ports) p
      WHERE i."tenantId" <> $1 AND p ? 'name'`,
    [tenantId],
  )) as { host: string; name: string }[];
  return {
    instances,
    hosts: new Map(hostRows.map((h) => [h.name, h.ovsdbRemote])),
    tenantNetworks: new Set(networks.map((n) => networkKey(n.host, n.bridge, n.vlan === null ? undefined : Number(n.vlan)))),
    foreignPorts: new Set(foreign.map((f) => portKey(f.host, f.name))),
  };
}

/** A VM being deleted has no ports a chain could use: the lifecycle is taking them away. */
async function readInstances(db: EntityManager, tenantId: string, chain: ServiceChain): Promise<Map<string, InstanceRecord>> {
  const rows = (await db.query(
    `SELECT i.id, i."instantiationState", v.id AS "vmId", v."powerState", v.ports, h.name AS host
       FROM vnf_instances i
       LEFT JOIN vdu_instances v ON v."vnfInstanceId" = i.id AND v.state <> 'DELETING'
       LEFT JOIN hosts h ON h.id = v."hostId"
      WHERE i.id = ANY($1::uuid[]) AND i."tenantId" = $2
      FOR KEY SHARE OF i`,
    [chainInstanceIds(chain), tenantId],
  )) as Row[];
  const instances = new Map<string, InstanceRecord>();
  for (const row of rows) {
    const record = instances.get(row.id) ?? { instantiationState: row.instantiationState, vms: [] };
    if (row.vmId) (record.vms as InstanceRecord['vms'][number][]).push({ host: row.host, powerState: row.powerState, ports: row.ports ?? [] });
    instances.set(row.id, record);
  }
  return instances;
}

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

/** Every host the chain's ports are on must be registered and its switch local to the worker (ovs-ofctl by bridge name). */
export function reachProblems(chain: ServiceChain, records: ChainRecords): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const check = (host: string | null, path: string, what: string) => {
    if (host === null) return;
    const remote = records.hosts.get(host);
    if (remote === undefined) problems.push({ path, message: `${what} is on host '${host}', which is not registered` });
    else if (!isLocalOvsdbRemote(remote)) {
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

/**
 * A network end steers that network's traffic, so a tenant may name only a network its own VMs are
 * bound to, and never another tenant's VM port; a platform administrator may name any network.
 */
export function ownershipProblems(chain: ServiceChain, records: ChainRecords, platformAdmin: boolean): FieldProblem[] {
  if (platformAdmin) return [];
  return (['ingress', 'egress'] as const).flatMap((end) => {
    const point = chain[end];
    if (!isNetworkPoint(point)) return [];
    return networkEndProblems(point, `/${end}`, records);
  });
}

function networkEndProblems(point: NetworkPoint, path: string, records: ChainRecords): FieldProblem[] {
  if (point.port !== undefined && records.foreignPorts.has(portKey(point.host, point.port))) {
    return [{ path: `${path}/port`, message: `port ${point.port} on host ${point.host} does not exist among your VMs' ports` }];
  }
  if (records.tenantNetworks.has(networkKey(point.host, point.bridge, point.vlan))) return [];
  const vlan = point.vlan === undefined ? 'untagged' : `VLAN ${point.vlan}`;
  return [{ path, message: `none of your VMs is attached to bridge ${point.bridge} (${vlan}) on host ${point.host}: a chain may steer only networks your instances are on (a platform administrator may name any)` }];
}
