import { chainOfCookie, type FlowInstaller, type FlowTrace, type FlowTracer, type FoundPort, groupIdOf, OfctlError, type OfctlInvocation, type TracePacket } from '#vim/ovs';
import type { ChainDrivers, HostSwitch } from '../records.js';

/**
 * The bridges of one local ovs-vswitchd, as a chain bundle changes them: flows and groups as
 * lines, each bundle all or nothing. Understands exactly the lines libs/ovs's bundles write.
 */
export class FakeBridges implements FlowInstaller {
  readonly flows = new Map<string, string[]>();
  readonly groups = new Map<string, string[]>();
  readonly bundles: { bridge: string; lines: string[] }[] = [];
  private failure?: string;

  /** The next install is refused with this stderr, and changes nothing. */
  failNext(stderr: string): void {
    this.failure = stderr;
  }

  async install(bridge: string, invocation: OfctlInvocation): Promise<{ durationMs: number }> {
    const lines = (invocation.stdin ?? '').split('\n').filter(Boolean);
    this.bundles.push({ bridge, lines });
    if (this.failure) {
      const stderr = this.failure;
      this.failure = undefined;
      throw new OfctlError(invocation.args, 1, stderr);
    }
    let flows = [...(this.flows.get(bridge) ?? [])];
    let groups = [...(this.groups.get(bridge) ?? [])];
    for (const line of lines) {
      const [, kind, command, rest] = /^(flow|group) (\w+) (.*)$/.exec(line)!;
      if (kind === 'group' && command === 'add') {
        if (groups.some((g) => groupIdOf(g) === groupIdOf(rest!))) throw new OfctlError(invocation.args, 1, 'OFPGMFC_GROUP_EXISTS');
        groups.push(rest!);
      } else if (kind === 'group') groups = groups.filter((g) => groupIdOf(g) !== Number(/group_id=(\d+)/.exec(rest!)![1]));
      else if (command === 'add') flows.push(rest!);
      else {
        const [, value, mask] = /cookie=(0x[0-9a-f]+)\/(\S+)/.exec(rest!)!;
        const m = mask === '-1' ? (1n << 64n) - 1n : BigInt(mask!);
        flows = flows.filter((f) => (cookieOf(f) & m) !== (BigInt(value!) & m));
      }
    }
    this.flows.set(bridge, flows);
    this.groups.set(bridge, groups);
    return { durationMs: 1 };
  }

  /** Dumps asked for: one chain's flows (with or without statistics), or the whole bridge's. */
  chainFlowDumps = 0;
  bridgeFlowDumps = 0;

  async dumpChainFlows(bridge: string, chainCookie: bigint): Promise<string[]> {
    this.chainFlowDumps++;
    return (this.flows.get(bridge) ?? []).filter((f) => chainOfCookie(cookieOf(f)) === chainCookie);
  }

  /** Every flow counted `packets` packets of 100 bytes. */
  packets = 0;

  async dumpChainFlowStats(bridge: string, chainCookie: bigint): Promise<string[]> {
    this.chainFlowDumps++;
    return (this.flows.get(bridge) ?? []).filter((f) => chainOfCookie(cookieOf(f)) === chainCookie).map(withStats(this.packets));
  }

  async dumpBridgeFlowStats(bridge: string): Promise<string[]> {
    this.bridgeFlowDumps++;
    return [...(this.flows.get(bridge) ?? []), 'cookie=0x0,priority=0,actions=NORMAL'].map(withStats(this.packets));
  }

  groupDumps = 0;

  async dumpGroups(bridge: string): Promise<string[]> {
    this.groupDumps++;
    return [...(this.groups.get(bridge) ?? [])];
  }

  /** Like ovs-vswitchd restarting without its flows. */
  wipe(bridge: string): void {
    this.flows.delete(bridge);
    this.groups.delete(bridge);
  }
}

const withStats = (packets: number) => (f: string) => f.replace(/^(cookie=0x[0-9a-f]+),/, `$1, n_packets=${packets}, n_bytes=${packets * 100}, `);

const cookieOf = (line: string) => BigInt(/cookie=(0x[0-9a-f]+)/.exec(line)?.[1] ?? '0');

/** Drivers over FakeBridges: `local` hosts (unix: remotes) can be installed on; ports by host name. */
export class FakeChainDrivers implements ChainDrivers {
  readonly bridges = new FakeBridges();
  readonly ports_ = new Map<string, FoundPort[]>();
  traces: ((bridge: string, packet: TracePacket) => FlowTrace) | undefined;
  portsFail?: Error;
  closed = false;

  setPort(host: string, name: string, ofport: number, vlanTag?: number): void {
    const port: FoundPort = { name, bridge: 'br-int', interfaceUuid: name, externalIds: {}, options: {}, otherConfig: {}, status: {}, ofport, ...(vlanTag !== undefined && { vlanTag }) };
    this.ports_.set(host, [...(this.ports_.get(host) ?? []).filter((p) => p.name !== name), port]);
  }

  async ports(host: HostSwitch, names: readonly string[]): Promise<FoundPort[]> {
    if (this.portsFail) throw this.portsFail;
    return (this.ports_.get(host.name) ?? []).filter((p) => names.includes(p.name));
  }

  installer(host: HostSwitch): FlowInstaller | undefined {
    return host.ovsdbRemote.startsWith('unix:') ? this.bridges : undefined;
  }

  tracer(host: HostSwitch): FlowTracer | undefined {
    const traces = this.traces;
    return host.ovsdbRemote.startsWith('unix:') && traces ? { trace: async (bridge, packet) => traces(bridge, packet) } : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
