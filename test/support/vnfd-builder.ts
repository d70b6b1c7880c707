/** A small, valid SOL006 VNFD as a plain object; tests change one thing at a time. */
export function minimalVnfd(id = 'fw', version = '1.0'): { vnfd: Record<string, unknown> } {
  return {
    vnfd: {
      id,
      provider: 'Acme',
      'product-name': 'acme-fw',
      version,
      'virtual-compute-desc': [
        {
          id: 'fw-compute',
          'virtual-cpu': { 'num-virtual-cpu': 2, pinning: { policy: 'static' } },
          'virtual-memory': { size: 2, 'mempage-size': 'LARGE' },
        },
      ],
      'sw-image-desc': [{ id: 'fw-image', name: 'fw-image', image: 'fw.qcow2' }],
      vdu: [
        {
          id: 'fw-vdu',
          name: 'fw-vdu',
          'virtual-compute-desc': 'fw-compute',
          'sw-image-desc': 'fw-image',
          'int-cpd': [
            { id: 'in-int', 'virtual-network-interface-requirement': [{ name: 'eth0', 'virtual-interface': { type: 'VIRTIO' } }] },
            { id: 'out-int', 'virtual-network-interface-requirement': [{ name: 'eth1', 'virtual-interface': { type: 'SR-IOV' } }] },
          ],
        },
      ],
      'ext-cpd': [
        { id: 'in', 'int-cpd': { 'vdu-id': 'fw-vdu', cpd: 'in-int' } },
        { id: 'out', 'int-cpd': { 'vdu-id': 'fw-vdu', cpd: 'out-int' } },
      ],
      df: [
        {
          id: 'default',
          'vdu-profile': [{ id: 'fw-vdu', 'min-number-of-instances': 1, 'max-number-of-instances': 3 }],
          'instantiation-level': [{ id: 'small', 'vdu-level': [{ 'vdu-id': 'fw-vdu', 'number-of-instances': 1 }] }],
        },
      ],
    },
  };
}
