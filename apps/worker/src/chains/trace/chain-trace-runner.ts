import {
  type ChainTrace, type ChainTraceSegment, combineSegments, explainSegment, nextTraceStart, type TraceChainJob, type TraceStart, traceStart,
} from '#vim/chains';
import type { TracePacket } from '#vim/ovs';
import { UnreachableSwitchError } from '../problem.js';
import type { ChainDrivers, ChainStore, HostSwitch } from '../records.js';
import { currentFacts } from '../steering/chain-facts.js';

/** The answer of a trace-chain job: the walk, and which rules of the chain it was made against. */
export interface ChainTraceResult extends ChainTrace {
  chainId: string;
  generation: number;
  /** The cookie of the installed generation's flows, `0x…`. */
  cookie: string;
}

/** The chain does not exist for that tenant (the API answers 404). */
export class ChainNotFoundError extends Error {}

/**
 * trace-chain: `ovs-appctl ofproto/trace` of a packet from the chain's ingress (or from hop
 * `from`'s egress), then from the egress port of each hop instance it reaches, until it reaches
 * the egress, is dropped or leaves the chain: the whole path in one answer, as the switches
 * would forward it now.
 */
export class ChainTraceRunner {
  constructor(
    private readonly store: ChainStore,
    private readonly drivers: ChainDrivers,
  ) {}

  async trace(job: TraceChainJob): Promise<ChainTraceResult> {
    const chain = await this.store.chain(job.chainId);
    if (!chain || chain.tenantId !== job.tenantId) throw new ChainNotFoundError(`no chain ${job.chainId}`);
    // The ports as the switch numbers them now, as the installed rules were rendered from.
    const { facts, hosts } = await currentFacts(this.store, this.drivers, chain);
    const segments: ChainTraceSegment[] = [];
    let start: TraceStart | undefined = traceStart(chain.spec, facts, job.from ?? -1);
    // Each hop is entered once on the way; the bound stops a loop the switch's rules might make.
    for (let i = 0; start && i <= chain.spec.hops.length + 1; i++) {
      const trace = await this.tracer(hosts, start.host).trace(start.bridge, packetAt(job, start));
      const segment = explainSegment(chain.spec, facts, chain.cookie, start, trace);
      segments.push(segment);
      start = nextTraceStart(chain.spec, facts, segment);
    }
    const cookie = (chain.cookie << 16n) | BigInt(chain.generation);
    return { chainId: chain.id, generation: chain.generation, cookie: `0x${cookie.toString(16)}`, ...combineSegments(segments) };
  }

  private tracer(hosts: ReadonlyMap<string, HostSwitch>, name: string) {
    const host = hosts.get(name);
    const tracer = host && this.drivers.tracer(host);
    if (!tracer) throw new UnreachableSwitchError(name, host?.ovsdbRemote ?? 'no such registered host');
    return tracer;
  }
}

function packetAt(job: TraceChainJob, start: TraceStart): TracePacket {
  const { ethertype, source, destination, protocol, sourcePort, destinationPort } = job.packet;
  return {
    inPort: start.inPort,
    ...(start.vlan !== undefined && { vlan: start.vlan }),
    ethertype,
    source,
    destination,
    protocol,
    ...(sourcePort !== undefined && { sourcePort }),
    ...(destinationPort !== undefined && { destinationPort }),
  };
}
