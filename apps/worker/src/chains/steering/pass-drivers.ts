import type { FlowInstaller, OfctlInvocation } from '#vim/ovs';
import type { ChainDrivers, HostSwitch } from '../records.js';

/**
 * The drivers for one refresh pass: a bridge's groups are dumped once per pass, not once per chain
 * (there is no cookie to filter groups by, so each dump is the whole bridge's), and dumped again
 * after an installation on that bridge changed them.
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
      if (!installers.has(real)) installers.set(real, cachingGroups(real));
      return installers.get(real);
    },
  };
}

/** An installer whose group dumps may be older than the caller's lock on a chain. */
export interface CachedGroups {
  /** The next dump of the bridge's groups asks the switch again. */
  forgetGroups(bridge: string): void;
}

export const cachesGroups = (installer: FlowInstaller): installer is FlowInstaller & CachedGroups => 'forgetGroups' in installer;

function cachingGroups(real: FlowInstaller): FlowInstaller & CachedGroups {
  const groups = new Map<string, Promise<string[]>>();
  return {
    forgetGroups: (bridge) => void groups.delete(bridge),
    async install(bridge: string, invocation: OfctlInvocation) {
      groups.delete(bridge);
      try {
        return await real.install(bridge, invocation);
      } finally {
        groups.delete(bridge);
      }
    },
    dumpChainFlows: (bridge, cookie) => real.dumpChainFlows(bridge, cookie),
    dumpChainFlowStats: (bridge, cookie) => real.dumpChainFlowStats(bridge, cookie),
    async dumpGroups(bridge: string, groupId?: number) {
      if (groupId !== undefined) return real.dumpGroups(bridge, groupId);
      if (!groups.has(bridge)) groups.set(bridge, real.dumpGroups(bridge).catch((error: unknown) => {
        groups.delete(bridge);
        throw error;
      }));
      return [...(await groups.get(bridge)!)];
    },
  };
}
