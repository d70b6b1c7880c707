import { chainOfCookie, type FlowInstaller, type OfctlInvocation } from '#vim/ovs';
import type { ChainDrivers, HostSwitch } from '../records.js';

/**
 * The drivers for one refresh pass: each bridge is dumped once per pass, not once per chain: its
 * flows with statistics (one `dump-flows`, split by the chains' cookies, for drift and counters
 * alike) and its groups (there is no cookie to filter groups by, so each group dump is the whole
 * bridge's anyway). Both are dumped again after an installation on that bridge changed them.
 */
export function passDrivers(drivers: ChainDrivers): ChainDrivers {
  const installers = new Map<FlowInstaller, FlowInstaller>();
  return {
    ports: (host, names) => drivers.ports(host, names),
    tracer: (host) => drivers.tracer(host),
    close: async () => undefined,
    installer(host: HostSwitch) {
      const real = drivers.installer(host);
      if (!real) return undefined;
      if (!installers.has(real)) installers.set(real, cachingDumps(real));
      return installers.get(real);
    },
  };
}

/** An installer whose dumps may be older than the caller's lock on a chain. */
export interface CachedDumps {
  /** The next dump of the bridge's flows and groups asks the switch again. */
  forget(bridge: string): void;
}

export const cachesDumps = (installer: FlowInstaller): installer is FlowInstaller & CachedDumps => 'forget' in installer;

const COOKIE = /(?:^|[\s,])cookie=(0x[0-9a-f]+)/i;

/** A bridge's flow lines by chain cookie (flows without a chain's cookie, e.g. cookie 0, left out). */
function byChain(lines: readonly string[]): Map<bigint, string[]> {
  const out = new Map<bigint, string[]>();
  for (const line of lines) {
    const m = COOKIE.exec(line);
    if (!m) continue;
    const chain = chainOfCookie(BigInt(m[1]!));
    if (chain === 0n) continue;
    out.set(chain, [...(out.get(chain) ?? []), line]);
  }
  return out;
}

const STATS = /(?:^|,)\s*(?:duration|n_packets|n_bytes|idle_age|hard_age)=[^,\s]*/g;

function cachingDumps(real: FlowInstaller): FlowInstaller & CachedDumps {
  const groups = new Map<string, Promise<string[]>>();
  const flows = new Map<string, Promise<Map<bigint, string[]>>>();
  const forget = (bridge: string) => {
    groups.delete(bridge);
    flows.delete(bridge);
  };
  const cached = <T>(cache: Map<string, Promise<T>>, bridge: string, load: () => Promise<T>): Promise<T> => {
    if (!cache.has(bridge)) {
      cache.set(bridge, load().catch((error: unknown) => {
        cache.delete(bridge);
        throw error;
      }));
    }
    return cache.get(bridge)!;
  };
  const chainFlowStats = async (bridge: string, cookie: bigint) =>
    [...((await cached(flows, bridge, async () => byChain(await real.dumpBridgeFlowStats(bridge)))).get(cookie) ?? [])];
  return {
    forget,
    async install(bridge: string, invocation: OfctlInvocation) {
      forget(bridge);
      try {
        return await real.install(bridge, invocation);
      } finally {
        forget(bridge);
      }
    },
    // The statistics do not matter to a reader of the flows (flowDrift leaves them out); they go for the cookie's sake.
    dumpChainFlows: async (bridge, cookie) => (await chainFlowStats(bridge, cookie)).map((line) => line.replace(STATS, '').replace(/^,\s*/, '')),
    dumpChainFlowStats: chainFlowStats,
    dumpBridgeFlowStats: (bridge) => real.dumpBridgeFlowStats(bridge),
    async dumpGroups(bridge: string, groupId?: number) {
      if (groupId !== undefined) return real.dumpGroups(bridge, groupId);
      return [...(await cached(groups, bridge, () => real.dumpGroups(bridge)))];
    },
  };
}
