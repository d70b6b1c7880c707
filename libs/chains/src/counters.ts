import { chainOfCookie } from '#vim/ovs';
import { type ChainFacts, isNetworkPoint, type ServiceChain } from './model.js';

/**
 * A chain's packet and byte counts from its flows' statistics (`ovs-ofctl dump-flows` with stats).
 * Counts reset when a new generation is installed (new flows): they say what the rules now
 * installed have carried, not a running total.
 */

export interface PacketCount {
  packets: number;
  bytes: number;
}

export interface HopInstanceCount extends PacketCount {
  vnfInstanceId: string;
  live: boolean;
}

/** The shape `service_chains.counters` keeps (libs/persistence's ChainCounters). */
export interface ChainCounters {
  /** The chain's flows that match at the ingress: what entered the chain. */
  ingress: PacketCount;
  /** Per hop, per instance: the chain's flows whose in_port is that instance's egress port, i.e. what left the instance. */
  hops: { instances: HopInstanceCount[] }[];
  at: string;
}

/** The flow lines dumped (with statistics) for the chain's cookie on one bridge of one host. */
export interface BridgeFlowStats {
  host: string;
  bridge: string;
  lines: readonly string[];
}

interface FlowStat extends PacketCount {
  /** undefined: the flow matches on any port. */
  inPort?: number;
}

const number = (line: string, key: string): number | undefined => {
  const m = new RegExp(`(?:^|[\\s,])${key}=(\\d+)(?=[\\s,]|$)`).exec(line);
  return m ? Number(m[1]) : undefined;
};

/** The statistics of the chain's flows in `lines` (other cookies and header lines are skipped). */
export function flowStats(lines: readonly string[], chainCookie: bigint): FlowStat[] {
  const stats: FlowStat[] = [];
  for (const line of lines) {
    const cookie = /(?:^|[\s,])cookie=(0x[0-9a-f]+)/i.exec(line);
    if (!cookie || chainOfCookie(BigInt(cookie[1]!)) !== chainCookie || !/actions=/.test(line)) continue;
    const inPort = number(line.slice(0, line.indexOf('actions=')), 'in_port');
    stats.push({ packets: number(line, 'n_packets') ?? 0, bytes: number(line, 'n_bytes') ?? 0, ...(inPort !== undefined && { inPort }) });
  }
  return stats;
}

/** Where the ingress's traffic meets the switch: host, bridge and OpenFlow port (undefined: any port of a VLAN). */
function ingressPlace(chain: ServiceChain, facts: ChainFacts): { host: string; bridge: string; ofport?: number } | undefined {
  const point = chain.ingress;
  if (isNetworkPoint(point)) return { host: point.host, bridge: point.bridge, ...(facts.ingress?.ofport !== undefined && { ofport: facts.ingress.ofport }) };
  const port = facts.instances[point.vnfInstanceId]?.ports[point.cpdId];
  return port && { host: port.host, bridge: port.bridge, ofport: port.ofport };
}

function sum(stats: readonly FlowStat[], keep: (s: FlowStat) => boolean): PacketCount {
  return stats.filter(keep).reduce((total, s) => ({ packets: total.packets + s.packets, bytes: total.bytes + s.bytes }), { packets: 0, bytes: 0 });
}

/** The chain's counters from what its bridges hold; `at` is when they were read. */
export function chainCounters(chain: ServiceChain, facts: ChainFacts, chainCookie: bigint, dumps: readonly BridgeFlowStats[], at: Date): ChainCounters {
  const statsOn = (host: string, bridge: string) => dumps.filter((d) => d.host === host && d.bridge === bridge).flatMap((d) => flowStats(d.lines, chainCookie));
  const place = ingressPlace(chain, facts);
  const ingress = place
    ? sum(statsOn(place.host, place.bridge), (s) => s.inPort === place.ofport)
    : { packets: 0, bytes: 0 };
  const hops = chain.hops.map((hop) => ({
    instances: hop.instances.map((inst): HopInstanceCount => {
      const instance = facts.instances[inst.vnfInstanceId];
      const port = instance?.ports[inst.egressCpd];
      const count = port ? sum(statsOn(port.host, port.bridge), (s) => s.inPort === port.ofport) : { packets: 0, bytes: 0 };
      return { vnfInstanceId: inst.vnfInstanceId, live: instance?.live ?? false, ...count };
    }),
  }));
  return { ingress, hops, at: at.toISOString() };
}
