/** A small valid VNFD for unit tests (two VDUs, an internal VL, one df); a fresh copy per call. */
export function sampleVnfd(): { vnfd: Record<string, any> } {
  return {
    vnfd: {
      id: 'sample-vnfd',
      provider: 'tests',
      'product-name': 'sample',
      version: '1.0',
      'mgmt-cp': 'mgmt-ext',
      'sw-image-desc': [{ id: 'img', image: 'img.qcow2' }],
      'virtual-compute-desc': [
        { id: 'small', 'virtual-cpu': { 'num-virtual-cpu': '2' }, 'virtual-memory': { size: '2.0' } },
        {
          id: 'epa',
          'virtual-cpu': { 'num-virtual-cpu': 4, pinning: { policy: 'STATIC', 'thread-policy': 'ISOLATE' } },
          'virtual-memory': { size: 8, 'mempage-size': 'LARGE', 'numa-node-policy': { 'node-cnt': 1, 'mem-policy': 'STRICT' } },
        },
      ],
      'virtual-storage-desc': [{ id: 'disk', 'size-of-storage': '10', 'sw-image-desc': 'img' }],
      'int-virtual-link-desc': [{ id: 'internal' }],
      vdu: [
        {
          id: 'ctl',
          'virtual-compute-desc': 'small',
          'sw-image-desc': 'img',
          'virtual-storage-desc': ['disk'],
          'int-cpd': [
            { id: 'ctl-mgmt', 'virtual-network-interface-requirement': [{ name: 'eth0', 'virtual-interface': { type: 'PARAVIRT' } }] },
            { id: 'ctl-int', 'int-virtual-link-desc': 'internal' },
          ],
        },
        {
          id: 'dp',
          'virtual-compute-desc': 'epa',
          'sw-image-desc': 'img',
          'int-cpd': [
            { id: 'dp-int', 'int-virtual-link-desc': 'internal' },
            { id: 'dp-data', 'virtual-network-interface-requirement': [{ name: 'xe0', 'virtual-interface': { type: 'SR-IOV' } }] },
          ],
        },
      ],
      'ext-cpd': [
        { id: 'mgmt-ext', 'int-cpd': { 'vdu-id': 'ctl', cpd: 'ctl-mgmt' } },
        { id: 'data-ext', 'int-cpd': { 'vdu-id': 'dp', cpd: 'dp-data' } },
        { id: 'vl-ext', 'int-virtual-link-desc': 'internal' },
      ],
      df: [
        {
          id: 'default',
          'vdu-profile': [
            { id: 'ctl', 'min-number-of-instances': '1' },
            { id: 'dp', 'min-number-of-instances': 1, 'max-number-of-instances': '3' },
          ],
          'instantiation-level': [
            {
              id: 'base',
              'vdu-level': [
                { 'vdu-id': 'ctl', 'number-of-instances': 1 },
                { 'vdu-id': 'dp', 'number-of-instances': '1' },
              ],
            },
            {
              id: 'big',
              'vdu-level': [
                { 'vdu-id': 'ctl', 'number-of-instances': 1 },
                { 'vdu-id': 'dp', 'number-of-instances': 3 },
              ],
              'scale-info': [{ 'scaling-aspect-id': 'dp-out', 'scale-level': 2 }],
            },
          ],
          'default-instantiation-level-id': 'base',
          'scaling-aspect': [
            {
              id: 'dp-out',
              'max-scale-level': '2',
              'aspect-delta-details': { deltas: [{ id: 'd1', 'vdu-delta': [{ id: 'dp', 'number-of-instances': 1 }] }] },
            },
          ],
        },
      ],
    },
  };
}
