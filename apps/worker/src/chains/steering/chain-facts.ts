import { type ChainFacts, factsFromRecords, chainInstanceIds, isNetworkPoint, type ServiceChain, type SwitchPort } from '#vim/chains';
import type { ChainDrivers, ChainRecord, ChainStore, HostSwitch } from '../records.js';

/** A chain's facts as the lifecycle and the switches have them now, and the hosts they name. */
export interface CurrentFacts {
  facts: ChainFacts;
  hosts: Map<string, HostSwitch>;
}

function networkPortsByHost(spec: ServiceChain): Map<string, string[]> {
  const byHost = new Map<string, string[]>();
  for (const end of [spec.ingress, spec.egress]) {
    if (end && isNetworkPoint(end) && end.port !== undefined) byHost.set(end.host, [...(byHost.get(end.host) ?? []), end.port]);
  }
  return byHost;
}

/**
 * Reads what the chain's instances' VMs recorded, then asks each host's switch for those ports'
 * OpenFlow numbers and access tags (one OVSDB read per host). A switch that cannot be read fails
 * the whole reading: facts without it would show live instances as dead.
 */
export async function currentFacts(store: ChainStore, drivers: ChainDrivers, chain: ChainRecord): Promise<CurrentFacts> {
  const spec = chain.spec;
  const networkPorts = networkPortsByHost(spec);
  const { records, hosts } = await store.inputs(chainInstanceIds(spec), [...networkPorts.keys()]);
  const names = new Map<string, Set<string>>();
  const want = (host: string, name: string) => names.set(host, (names.get(host) ?? new Set()).add(name));
  for (const record of records.values()) {
    for (const vm of record.vms) for (const port of vm.ports) if (vm.host !== null && port.kind === 'vhostuser' && port.name) want(vm.host, port.name);
  }
  for (const [host, ports] of networkPorts) for (const port of ports) want(host, port);
  const found = new Map<string, Map<string, SwitchPort>>();
  for (const [hostName, wanted] of names) {
    const host = hosts.get(hostName);
    if (!host) continue;
    const ports = await drivers.ports(host, [...wanted]);
    found.set(hostName, new Map(ports.map((p) => [p.name, { ...(p.ofport !== undefined && { ofport: p.ofport }), ...(p.vlanTag !== undefined && { tag: p.vlanTag }) }])));
  }
  const facts = factsFromRecords(spec, records, (host, name) => found.get(host)?.get(name), chain.facts ?? undefined);
  return { facts, hosts };
}
