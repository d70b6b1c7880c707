import {
  type ChainTraceAnswer, type ChainTraceResult, type ChainTraceSegment, combineSegments, explainSegment, nextTraceStart, type TraceChainJob, type TraceStart,
  TraceStartError, traceStart,
} from '#vim/chains';
import { InvalidSpecError } from '#vim/naming';
import type { FlowTrace, TracePacket } from '#vim/ovs';
import { UnreachableSwitchError } from '../problem.js';
import type { ChainDrivers, ChainStore, HostSwitch } from '../records.js';
import { currentFacts } from '../steering/chain-facts.js';

/**
 * trace-chain: `ovs-appctl ofproto/trace` of a packet from the chain's ingress, then from the
 * egress port of each hop instance it reaches, until it reaches the egress, is dropped or leaves
 * the chain: the whole path in one answer, as the switches would forward it now. What the API
 * answers as a client's error comes back typed (`{ error, detail }`, see ChainTraceAnswer); a
 * switch that cannot be reached or read fails the job.
 */
export class ChainTraceRunner {
  constructor(
    private readonly store: ChainStore,
    private readonly drivers: ChainDrivers,
  ) {}

  async trace(job: TraceChainJob): Promise<ChainTraceAnswer> {
    const chain = await this.store.chain(job.chainId);
    if (!chain || chain.tenantId !== job.tenantId) return { error: 'not-found', detail: `no service chain ${job.chainId}` };
    // The ports as the switch numbers them now, as the installed rules were rendered from.
    const { facts, hosts } = await currentFacts(this.store, this.drivers, chain);
    const segments: ChainTraceSegment[] = [];
    try {
      let start: TraceStart | undefined = traceStart(chain.spec, facts);
      // Each hop is entered once on the way; the bound stops a loop the switch's rules might make.
      for (let i = 0; start && i <= chain.spec.hops.length + 1; i++) {
        const trace = await this.traceOne(hosts, start, job);
        const segment = explainSegment(chain.spec, facts, chain.cookie, start, trace);
        segments.push(segment);
        start = nextTraceStart(chain.spec, facts, segment);
      }
    } catch (error) {
      if (error instanceof InvalidPacket) return { error: 'invalid-packet', detail: error.message };
      if (error instanceof TraceStartError) return { error: 'cannot-trace', detail: error.message };
      throw error;
    }
    const cookie = (chain.cookie << 16n) | BigInt(chain.generation);
    const result: ChainTraceResult = { chainId: chain.id, generation: chain.generation, cookie: `0x${cookie.toString(16)}`, ...combineSegments(segments) };
    return result;
  }

  private async traceOne(hosts: ReadonlyMap<string, HostSwitch>, start: TraceStart, job: TraceChainJob): Promise<FlowTrace> {
    const tracer = this.tracer(hosts, start.host);
    try {
      return await tracer.trace(start.bridge, packetAt(job, start));
    } catch (error) {
      // libs/ovs's traceFlow refuses a packet it cannot write as a flow (bad address, port without L4 protocol).
      if (error instanceof InvalidSpecError) throw new InvalidPacket(error.message);
      throw error;
    }
  }

  private tracer(hosts: ReadonlyMap<string, HostSwitch>, name: string) {
    const host = hosts.get(name);
    const tracer = host && this.drivers.tracer(host);
    if (!tracer) throw new UnreachableSwitchError(name, host?.ovsdbRemote ?? 'no such registered host');
    return tracer;
  }
}

/** The packet as given cannot be traced (InvalidSpecError of libs/ovs's traceFlow). */
class InvalidPacket extends Error {}

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
