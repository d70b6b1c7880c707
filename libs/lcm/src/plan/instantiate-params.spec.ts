import { describe, expect, test } from '@jest/globals';
import type { VnfdModel } from '#vim/descriptors';
import { checkInstantiateParams, type InstantiateParams, InvalidInstantiateParamsError } from './instantiate-params.js';
import { mixedParams, mixedVnfd, VNF_INSTANCE_ID } from './testing/plan-fixture.js';
import { planVms } from './vm-plan.js';

const paths = (vnfd: VnfdModel, params: InstantiateParams) => checkInstantiateParams(vnfd, params).map((p) => p.path);

function withBindings(changes: Record<string, unknown>): InstantiateParams {
  const bindings: Record<string, unknown> = { ...mixedParams().extCpBindings, ...changes };
  for (const [id, binding] of Object.entries(changes)) if (binding === undefined) delete bindings[id];
  return mixedParams({ extCpBindings: bindings as InstantiateParams['extCpBindings'] });
}

describe('checkInstantiateParams', () => {
  test('params that fit the descriptor have no problem', () => {
    expect(checkInstantiateParams(mixedVnfd(), mixedParams())).toEqual([]);
    expect(checkInstantiateParams(mixedVnfd(), mixedParams({ instantiationLevelId: 'big' }))).toEqual([]);
  });

  test('an unknown flavour, and no guessing which bindings it would need', () => {
    expect(checkInstantiateParams(mixedVnfd(), mixedParams({ flavourId: 'gold', extCpBindings: {} }))).toEqual([
      { path: '/flavourId', message: 'flavour "gold" does not exist (flavours: default, lean)' },
    ]);
  });

  test('an instantiation level the flavour does not have', () => {
    expect(checkInstantiateParams(mixedVnfd(), mixedParams({ instantiationLevelId: 'huge' }))).toEqual([
      { path: '/instantiationLevelId', message: `instantiation level "huge" does not exist in flavour 'default' (levels: small, big)` },
    ]);
    expect(paths(mixedVnfd(), mixedParams({ flavourId: 'lean', instantiationLevelId: 'small' }))).toEqual(['/instantiationLevelId']);
  });

  test('every ext-cpd in front of a VDU of the flavour needs a binding', () => {
    expect(checkInstantiateParams(mixedVnfd(), withBindings({ inside: undefined, data: undefined }))).toEqual([
      { path: '/extCpBindings/inside', message: "is required: ext-cpd 'inside' leads to vdu 'fw' cpd 'fw-inside' (VIRTIO)" },
      { path: '/extCpBindings/data', message: "is required: ext-cpd 'data' leads to vdu 'dpi' cpd 'dpi-data' (SR-IOV)" },
    ]);
  });

  test("only the flavour's VDUs need bindings", () => {
    const lean = { flavourId: 'lean', extCpBindings: { mgmt: { bridge: 'br-mgmt' }, inside: { bridge: 'br-a' }, outside: { bridge: 'br-b' } } };
    expect(checkInstantiateParams(mixedVnfd(), lean)).toEqual([]);
  });

  test('a binding for an ext-cpd the descriptor does not have; pointer tokens are escaped', () => {
    expect(checkInstantiateParams(mixedVnfd(), withBindings({ 'a/b~c': { bridge: 'br-x' } }))).toEqual([
      { path: '/extCpBindings/a~1b~0c', message: 'ext-cpd "a/b~c" does not exist (ext-cpds: mgmt, inside, outside, data, up)' },
    ]);
  });

  test('a VIRTIO/PARAVIRT port takes a bridge, not a physnet', () => {
    expect(checkInstantiateParams(mixedVnfd(), withBindings({ inside: { physnet: 'sriov-a' } }))).toEqual([
      { path: '/extCpBindings/inside/bridge', message: "is required: ext-cpd 'inside' leads to vdu 'fw' cpd 'fw-inside' (VIRTIO), a VIRTIO/PARAVIRT port" },
      {
        path: '/extCpBindings/inside/physnet',
        message: "must be left out: ext-cpd 'inside' leads to vdu 'fw' cpd 'fw-inside' (VIRTIO), a VIRTIO/PARAVIRT port, which takes a bridge",
      },
    ]);
  });

  test('an SR-IOV or PCI-PASSTHROUGH port takes a physnet, not a bridge', () => {
    expect(paths(mixedVnfd(), withBindings({ data: { bridge: 'br-x' }, up: { physnet: 'sriov-b', bridge: 'br-y' } }))).toEqual([
      '/extCpBindings/data/physnet',
      '/extCpBindings/data/bridge',
      '/extCpBindings/up/bridge',
    ]);
  });

  test('bridge names, physnets and VLAN ids follow libs/naming', () => {
    const problems = checkInstantiateParams(
      mixedVnfd(),
      withBindings({ mgmt: { bridge: 'unix:/x' }, inside: { bridge: 'br-dpdk', vlan: 4095 }, outside: { bridge: 'br-dpdk', vlan: 1.5 }, data: { physnet: '-a b' } }),
    );
    expect(problems.map((p) => p.path)).toEqual([
      '/extCpBindings/mgmt/bridge',
      '/extCpBindings/inside/vlan',
      '/extCpBindings/outside/vlan',
      '/extCpBindings/data/physnet',
    ]);
    expect(problems[0]!.message).toContain('does not match');
  });

  test('values that are not objects', () => {
    expect(paths(mixedVnfd(), withBindings({ mgmt: 'br-mgmt' }))).toEqual(['/extCpBindings/mgmt']);
    const noBindings = mixedParams({ extCpBindings: null as unknown as InstantiateParams['extCpBindings'] });
    expect(paths(mixedVnfd(), noBindings)).toEqual(['/extCpBindings', ...['mgmt', 'inside', 'outside', 'data', 'up'].map((id) => `/extCpBindings/${id}`)]);
  });

  test('interface types placement refuses, naming VDU and cpd', () => {
    const vnfd = mixedVnfd();
    vnfd.vdus[0]!.interfaces.push({ cpdId: 'fw-legacy', type: 'E1000' });
    expect(checkInstantiateParams(vnfd, mixedParams())).toEqual([
      {
        path: '/flavourId',
        message: "vdu 'fw' cpd 'fw-legacy' (E1000): placement cannot place this interface type (placeable: PARAVIRT, VIRTIO, SR-IOV, PCI-PASSTHROUGH)",
      },
    ]);
  });

  test('an SR-IOV port on an internal link only has no physnet', () => {
    const vnfd = mixedVnfd();
    vnfd.vdus[1]!.interfaces.push({ cpdId: 'dpi-east-west', type: 'SR-IOV', vlIntRef: 'internal' });
    expect(paths(vnfd, mixedParams())).toEqual(['/flavourId']);
  });

  test('an ext-cpd on an internal link needs one binding for all the ports on it', () => {
    const vnfd = mixedVnfd();
    vnfd.extCpds.push({ id: 'east-west', intVirtualLinkDesc: 'internal' });
    expect(checkInstantiateParams(vnfd, mixedParams())).toEqual([
      { path: '/extCpBindings/east-west', message: "is required: ext-cpd 'east-west' leads to vdu 'fw' cpd 'fw-int' (PARAVIRT)" },
    ]);
    expect(checkInstantiateParams(vnfd, withBindings({ 'east-west': { bridge: 'br-ew' } }))).toEqual([]);
  });

  test('images must be qcow2 or raw files inside the image directory', () => {
    const vnfd = mixedVnfd();
    vnfd.vdus[0]!.swImage = { id: 'i', image: '../../etc/shadow', diskFormat: 'vmdk' };
    expect(checkInstantiateParams(vnfd, mixedParams()).map((p) => [p.path, p.message.replace(/:.*/, '')])).toEqual([
      ['/flavourId', `vdu 'fw' image "../../etc/shadow" cannot be a file in the image directory`],
      ['/flavourId', `vdu 'fw' image "../../etc/shadow" has disk-format "vmdk"; only qcow2 and raw can be launched`],
    ]);
  });

  test('every problem at once', () => {
    const params = { flavourId: 'default', instantiationLevelId: 'nope', extCpBindings: { mgmt: { physnet: 'x' }, ghost: { bridge: 'br' } } };
    expect(paths(mixedVnfd(), params)).toEqual([
      '/instantiationLevelId',
      '/extCpBindings/mgmt/bridge',
      '/extCpBindings/mgmt/physnet',
      '/extCpBindings/ghost',
      '/extCpBindings/inside',
      '/extCpBindings/outside',
      '/extCpBindings/data',
      '/extCpBindings/up',
    ]);
  });

  test('planVms refuses params with problems, listing them', () => {
    const params = withBindings({ inside: undefined });
    let error: unknown;
    try {
      planVms(mixedVnfd(), params, VNF_INSTANCE_ID);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInstantiateParamsError);
    expect((error as InvalidInstantiateParamsError).problems).toEqual(checkInstantiateParams(mixedVnfd(), params));
  });
});
