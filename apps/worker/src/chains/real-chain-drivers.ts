import { isLocalOvsdbRemote } from '#vim/inventory';
import { AppctlFlowTracer, type FlowInstaller, type FlowTracer, type FoundPort, OfctlFlowInstaller, OvsdbSwitchDriver } from '#vim/ovs';
import type { ChainDrivers, HostSwitch } from './records.js';

/**
 * OVSDB per host for the ports; ovs-ofctl and ovs-appctl, which talk to the ovs-vswitchd of this
 * machine by bridge name, for the rules. So only a host whose OVSDB remote is local (unix:…, or
 * tcp/ssl to a loopback address) can have chain rules installed or traced from here.
 */
export class RealChainDrivers implements ChainDrivers {
  private readonly switches = new Map<string, OvsdbSwitchDriver>();
  private readonly flows = new OfctlFlowInstaller();
  private readonly traces = new AppctlFlowTracer();

  ports(host: HostSwitch, names: readonly string[]): Promise<FoundPort[]> {
    let driver = this.switches.get(host.ovsdbRemote);
    if (!driver) this.switches.set(host.ovsdbRemote, (driver = new OvsdbSwitchDriver(host.ovsdbRemote)));
    return driver.findPortsByName(names);
  }

  installer(host: HostSwitch): FlowInstaller | undefined {
    return isLocalOvsdbRemote(host.ovsdbRemote) ? this.flows : undefined;
  }

  tracer(host: HostSwitch): FlowTracer | undefined {
    return isLocalOvsdbRemote(host.ovsdbRemote) ? this.traces : undefined;
  }

  async close(): Promise<void> {
    const drivers = [...this.switches.values()];
    this.switches.clear();
    await Promise.allSettled(drivers.map((d) => d.close()));
  }
}
