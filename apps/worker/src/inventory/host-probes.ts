import { OvsdbSwitchProbe, VirshProbe, type HypervisorProbe, type SwitchProbe } from '#vim/inventory';

/** How the worker reaches a host's hypervisor and switch; a provider so tests can swap drivers. */
export abstract class HostProbes {
  abstract hypervisor(libvirtUri: string): HypervisorProbe;
  abstract switch(ovsdbRemote: string): SwitchProbe;
}

export class RealHostProbes extends HostProbes {
  hypervisor(libvirtUri: string): HypervisorProbe {
    return new VirshProbe(libvirtUri);
  }

  switch(ovsdbRemote: string): SwitchProbe {
    return new OvsdbSwitchProbe(ovsdbRemote);
  }
}
