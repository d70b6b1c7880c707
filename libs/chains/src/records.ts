import type { ChainFacts, ChainPoint, InstanceFacts, NetworkFacts, PortFacts, ServiceChain } from './model.js';
import { isNetworkPoint } from './model.js';

/**
 * From what the lifecycle stored (instances, their VMs and the ports plumbed for them) and what
 * the switch says (OpenFlow port numbers) to the ChainFacts that checking and rendering take.
 */

/** A port as a VM row records it (`vdu_instances.ports`). */
export interface PortRecord {
  /** The VDU's internal connection point. */
  cpdId: string;
  /** The external one it is exposed as: what a chain names. Ports without one cannot be named. */
  extCpdId?: string;
  kind: string;
  name?: string;
  bridge?: string;
  vlan?: number;
}

export interface VmRecord {
  /** The name of the host the VM is on; null before placement. */
  host: string | null;
  /** libvirt's last word on the domain (RUNNING, PAUSED, SHUTOFF, ...), null before launch. */
  powerState: string | null;
  ports: readonly PortRecord[];
}

export interface InstanceRecord {
  instantiationState: string;
  vms: readonly VmRecord[];
}

/** What the switch of a host says of a port, by interface name; undefined when it has none. */
export interface SwitchPort {
  ofport?: number;
  /** Access VLAN (`tag=`); undefined for a trunk. */
  tag?: number;
}
export type SwitchPortLookup = (host: string, name: string) => SwitchPort | undefined;

/**
 * What the API can check without the switch: the records say everything but the port numbers, so
 * every recorded port is given port 1 and every named network port exists. The worker checks
 * again with the real numbers before it installs anything.
 */
export const RECORDS_ONLY: SwitchPortLookup = () => ({ ofport: 1 });

function instanceFacts(record: InstanceRecord, lookup: SwitchPortLookup): InstanceFacts {
  const ports: Record<string, PortFacts> = {};
  let portsUp = true;
  for (const vm of record.vms) {
    for (const port of vm.ports) {
      const cpd = port.extCpdId;
      if (cpd === undefined) continue;
      if (port.kind === 'sriov') {
        ports[cpd] = { host: vm.host ?? '', bridge: '', ofport: 0, kind: 'sriov' };
        continue;
      }
      if (vm.host === null || port.name === undefined || port.bridge === undefined) continue;
      const ofport = lookup(vm.host, port.name)?.ofport;
      // vswitchd gives -1 to an interface it could not add, and none to one it has not added yet.
      if (ofport === undefined || ofport < 1) portsUp = false;
      ports[cpd] = { host: vm.host, bridge: port.bridge, ofport: ofport ?? -1, kind: 'vhostuser', ...(port.vlan !== undefined && { vlan: port.vlan }) };
    }
  }
  const running = record.vms.length > 0 && record.vms.every((vm) => vm.powerState === 'RUNNING');
  return { state: record.instantiationState, live: record.instantiationState === 'INSTANTIATED' && running && portsUp, ports };
}

function networkFacts(point: ChainPoint, lookup: SwitchPortLookup): NetworkFacts | undefined {
  if (!isNetworkPoint(point) || point.port === undefined) return undefined;
  const found = lookup(point.host, point.port);
  if (!found || found.ofport === undefined || found.ofport < 1) return {};
  // An access port's frames are untagged in OpenFlow; a trunk's carry the VLAN's header.
  return { ofport: found.ofport, ...(point.vlan !== undefined && { tagged: found.tag === undefined }) };
}

/** The instances a chain names: every hop instance and a connection-point end's instance. */
export function chainInstanceIds(chain: ServiceChain): string[] {
  const ids = new Set<string>();
  for (const hop of Array.isArray(chain.hops) ? chain.hops : []) for (const inst of hop?.instances ?? []) ids.add(inst.vnfInstanceId);
  for (const end of [chain.ingress, chain.egress]) if (end && !isNetworkPoint(end)) ids.add(end.vnfInstanceId);
  return [...ids];
}

/**
 * The facts for `chain`. An instance missing from `records` is left out (checkChain says it does
 * not exist); `previous` (the facts the installed rules came from) stands in for an instance that
 * has lost its ports since, so that the chain can still be rendered around it, not live.
 */
export function factsFromRecords(
  chain: ServiceChain,
  records: ReadonlyMap<string, InstanceRecord>,
  lookup: SwitchPortLookup,
  previous?: ChainFacts,
): ChainFacts {
  const instances: Record<string, InstanceFacts> = {};
  for (const id of chainInstanceIds(chain)) {
    const record = records.get(id);
    const now = record && instanceFacts(record, lookup);
    const before = previous?.instances[id];
    if (before && (!now || Object.keys(now.ports).length === 0)) instances[id] = { ...before, live: false, state: 'INSTANTIATED' };
    else if (now) instances[id] = now;
  }
  const ingress = networkFacts(chain.ingress, lookup);
  const egress = networkFacts(chain.egress, lookup);
  return { instances, ...(ingress && { ingress }), ...(egress && { egress }) };
}
