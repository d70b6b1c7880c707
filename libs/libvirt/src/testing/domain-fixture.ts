import type { DomainSpec } from '../domain-spec.js';

export const VDU_INSTANCE_ID = '3f2c9a4e-8b1d-4c6e-9f00-1a2b3c4d5e6f';
export const VNF_INSTANCE_ID = '7d1e5b20-4a3c-4f8e-a1b2-c3d4e5f60718';

/** A realistic NFV VM: pinned vCPUs, one guest NUMA cell on 2 MiB hugepages, vhost-user + VF. */
export function sampleDomainSpec(overrides: Partial<DomainSpec> = {}): DomainSpec {
  return {
    name: `vim-${VDU_INSTANCE_ID}`,
    uuid: VDU_INSTANCE_ID,
    type: 'qemu',
    machine: 'q35',
    vcpus: 2,
    vcpupin: [
      { vcpu: 0, cpus: [4] },
      { vcpu: 1, cpus: [5] },
    ],
    emulatorpin: [0, 1],
    memoryKib: 1048576,
    numatune: { nodeset: [0] },
    guestNuma: [{ id: 0, vcpus: [0, 1], memoryKib: 1048576 }],
    memoryBacking: { kind: 'hugepages', pageSizeKib: 2048, nodeset: [0] },
    disks: [{ path: '/var/lib/vim/images/vdu.qcow2', targetDev: 'vda' }],
    cloudInitIso: '/var/lib/vim/seeds/vdu-seed.iso',
    consoleLog: '/var/lib/vim/images/instances/vdu-console.log',
    interfaces: [
      { type: 'vhostuser', socketPath: '/var/run/vim/vhu2b3c4d5e6f00.sock', mode: 'server', mac: '52:54:00:00:00:01', queues: 2 },
      { type: 'hostdev', pciAddress: '0000:03:10.1', vlan: 100, mac: '52:54:00:00:00:02' },
    ],
    metadata: { vnfInstanceId: VNF_INSTANCE_ID, vnfInstanceName: 'edge-fw (Paris)', vduId: 'fw-vdu' },
    ...overrides,
  };
}
