import { describe, expect, test } from '@jest/globals';
import { cpdOfPointer, defaultBinding, extCpdFields, flavoursOf, toInstantiateRequest } from './instantiate-form.js';

const model = {
  vdus: [{ id: 'v', interfaces: [{ cpdId: 'left-int', type: 'VIRTIO' }, { cpdId: 'vf-int', type: 'SR-IOV' }] }],
  extCpds: [
    { id: 'left', vduId: 'v', intCpdId: 'left-int' },
    { id: 'fast', vduId: 'v', intCpdId: 'vf-int' },
    { id: 'other' },
  ],
  deploymentFlavours: [{ id: 'default', instantiationLevels: [{ id: 'small' }, { id: 'big' }], defaultInstantiationLevelId: 'small' }],
};

describe('instantiate form', () => {
  test('flavours and levels', () => {
    expect(flavoursOf(model)).toEqual([{ id: 'default', levels: ['small', 'big'], defaultLevel: 'small' }]);
    expect(flavoursOf(undefined)).toEqual([]);
  });
  test('one field per ext-cpd, its kind from the interface', () => {
    expect(extCpdFields(model)).toEqual([
      { cpdId: 'left', kind: 'bridge', interfaceType: 'VIRTIO' },
      { cpdId: 'fast', kind: 'physnet', interfaceType: 'SR-IOV' },
      { cpdId: 'other', kind: 'bridge' },
    ]);
    expect(defaultBinding({ cpdId: 'x', kind: 'bridge' })).toEqual({ kind: 'bridge', name: 'br-int', vlan: '' });
  });
  test('the request', () => {
    expect(toInstantiateRequest('default', '', { left: { kind: 'bridge', name: 'br-int', vlan: '3101' }, fast: { kind: 'physnet', name: 'sriov-a', vlan: '' } })).toEqual({
      flavourId: 'default',
      extCpBindings: { left: { bridge: 'br-int', vlan: 3101 }, fast: { physnet: 'sriov-a' } },
    });
    expect(toInstantiateRequest('d', 'big', {}).instantiationLevelId).toBe('big');
  });
  test('pointers to ext-cpds', () => {
    expect(cpdOfPointer('/extCpBindings/left/vlan')).toBe('left');
    expect(cpdOfPointer('/extCpBindings/a~1b')).toBe('a/b');
    expect(cpdOfPointer('/flavourId')).toBeUndefined();
  });
});
