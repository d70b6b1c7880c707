import type { InterfaceModel, VduModel, VnfdModel } from '#vim/descriptors';
import type { InstantiateParams } from '../instantiate-params.js';

export const VNF_INSTANCE_ID = '7d1e5b20-4a3c-4f8e-a1b2-c3d4e5f60718';
export const VDU_INSTANCE_ID = '3f2c9a4e-8b1d-4c6e-9f00-1a2b3c4d5e6f';

export function vdu(id: string, interfaces: InterfaceModel[], overrides: Partial<VduModel> = {}): VduModel {
  return { id, computeDescId: `${id}-compute`, vcpus: 2, pinningPolicy: undefined, memoryMb: 2048, storages: [], interfaces, ...overrides };
}

/**
 * Two VDUs: `fw` (pinned, hugepages, a PARAVIRT management port and two VIRTIO data ports
 * given out of descriptor order by position, plus an internal link) and `dpi` (shared CPUs,
 * an SR-IOV and a PCI-PASSTHROUGH port, the same internal link). Flavour `default` has levels
 * `small` (default) and `big`; flavour `lean` has neither levels nor dpi.
 */
export function mixedVnfd(): VnfdModel {
  return {
    vnfdId: 'mixed',
    productName: 'mixed',
    version: '1.0',
    vdus: [
      vdu(
        'fw',
        [
          { cpdId: 'fw-outside', type: 'VIRTIO', position: 2 },
          { cpdId: 'fw-mgmt', type: 'PARAVIRT', position: 0 },
          { cpdId: 'fw-inside', type: 'VIRTIO', position: 1 },
          { cpdId: 'fw-int', type: 'PARAVIRT', vlIntRef: 'internal' },
        ],
        {
          vcpus: 4,
          pinningPolicy: 'static',
          memoryMb: 8192,
          mempageSize: 'LARGE',
          swImage: { id: 'fw-image', name: 'fw-image', image: 'firewall-4.2.qcow2', diskFormat: 'qcow2' },
          cloudInit: '#cloud-config\nhostname: fw\n',
        },
      ),
      vdu('dpi', [
        { cpdId: 'dpi-data', type: 'SR-IOV' },
        { cpdId: 'dpi-int', type: 'VIRTIO', vlIntRef: 'internal' },
        { cpdId: 'dpi-up', type: 'PCI-PASSTHROUGH' },
      ]),
    ],
    intVirtualLinkDescs: [{ id: 'internal' }],
    extCpds: [
      { id: 'mgmt', vduId: 'fw', intCpdId: 'fw-mgmt' },
      { id: 'inside', vduId: 'fw', intCpdId: 'fw-inside' },
      { id: 'outside', vduId: 'fw', intCpdId: 'fw-outside' },
      { id: 'data', vduId: 'dpi', intCpdId: 'dpi-data' },
      { id: 'up', vduId: 'dpi', intCpdId: 'dpi-up' },
    ],
    deploymentFlavours: [
      {
        id: 'default',
        vduProfiles: [
          { vduId: 'fw', minInstances: 1, maxInstances: 4 },
          { vduId: 'dpi', minInstances: 1, maxInstances: 1 },
        ],
        instantiationLevels: [
          { id: 'small', vduLevels: [{ vduId: 'fw', instances: 1 }, { vduId: 'dpi', instances: 1 }], scaleInfo: [] },
          { id: 'big', vduLevels: [{ vduId: 'fw', instances: 3 }], scaleInfo: [] },
        ],
        defaultInstantiationLevelId: 'small',
        scalingAspects: [],
      },
      { id: 'lean', vduProfiles: [{ vduId: 'fw', minInstances: 2, maxInstances: 2 }], instantiationLevels: [], scalingAspects: [] },
    ],
  };
}

export function mixedParams(overrides: Partial<InstantiateParams> = {}): InstantiateParams {
  return {
    flavourId: 'default',
    extCpBindings: {
      mgmt: { bridge: 'br-mgmt' },
      inside: { bridge: 'br-dpdk', vlan: 100 },
      outside: { bridge: 'br-dpdk', vlan: 200 },
      data: { physnet: 'sriov-a', vlan: 300 },
      up: { physnet: 'sriov-b' },
    },
    ...overrides,
  };
}
