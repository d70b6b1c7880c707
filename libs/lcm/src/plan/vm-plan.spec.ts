import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { type AffinityGroupModel, MEMPAGE_SIZES, normalizeVnfd, parseDocument, type VnfdModel } from '#vim/descriptors';
import { mixedParams, mixedVnfd, VNF_INSTANCE_ID } from './testing/plan-fixture.js';
import { INTERNAL_BRIDGE, planVms } from './vm-plan.js';

const plan = (vnfd: VnfdModel = mixedVnfd(), params = mixedParams()) => planVms(vnfd, params, VNF_INSTANCE_ID);
/** mixedVnfd with groups in its default flavour and each VDU's references to them. */
function grouped(groups: AffinityGroupModel[], refs: Record<string, string[]>): VnfdModel {
  const vnfd = mixedVnfd();
  const flavour = vnfd.deploymentFlavours[0]!;
  flavour.affinityGroups = groups;
  for (const profile of flavour.vduProfiles) profile.affinityGroupIds = refs[profile.vduId] ?? [];
  return vnfd;
}

const names = (vnfd?: VnfdModel, params = mixedParams()) => plan(vnfd, params).map((vm) => `${vm.vduId}#${vm.ordinal}`);

describe('planVms: how many VMs', () => {
  test("the flavour's default level, in VDU then ordinal order", () => {
    expect(names()).toEqual(['fw#0', 'dpi#0']);
  });

  test('the given level; a VDU it leaves out gets its minimum', () => {
    expect(names(mixedVnfd(), mixedParams({ instantiationLevelId: 'big' }))).toEqual(['fw#0', 'fw#1', 'fw#2', 'dpi#0']);
  });

  test('no level at all: each VDU of the flavour at its minimum', () => {
    expect(names(mixedVnfd(), mixedParams({ flavourId: 'lean' }))).toEqual(['fw#0', 'fw#1']);
    const vnfd = mixedVnfd();
    delete vnfd.deploymentFlavours[0]!.defaultInstantiationLevelId;
    vnfd.deploymentFlavours[0]!.vduProfiles[0]!.minInstances = 2;
    expect(names(vnfd)).toEqual(['fw#0', 'fw#1', 'dpi#0']);
  });

  test('a VDU at zero instances is not launched', () => {
    const vnfd = mixedVnfd();
    vnfd.deploymentFlavours[0]!.instantiationLevels[0]!.vduLevels[1]!.instances = 0;
    expect(names(vnfd)).toEqual(['fw#0']);
  });
});

describe('planVms: ports', () => {
  test('by position, then descriptor order; bound ext-cpds to their network, internal links to br-int', () => {
    const [fw, dpi] = plan();
    expect(fw!.ports).toEqual([
      { index: 0, cpdId: 'fw-mgmt', extCpdId: 'mgmt', kind: 'vhostuser', bridge: 'br-mgmt' },
      { index: 1, cpdId: 'fw-inside', extCpdId: 'inside', kind: 'vhostuser', bridge: 'br-dpdk', vlan: 100 },
      { index: 2, cpdId: 'fw-outside', extCpdId: 'outside', kind: 'vhostuser', bridge: 'br-dpdk', vlan: 200 },
      { index: 3, cpdId: 'fw-int', kind: 'vhostuser', bridge: INTERNAL_BRIDGE },
    ]);
    expect(dpi!.ports).toEqual([
      { index: 0, cpdId: 'dpi-data', extCpdId: 'data', kind: 'sriov', physnet: 'sriov-a', vlan: 300 },
      { index: 1, cpdId: 'dpi-int', kind: 'vhostuser', bridge: 'br-int' },
      { index: 2, cpdId: 'dpi-up', extCpdId: 'up', kind: 'sriov', physnet: 'sriov-b' },
    ]);
    expect(Object.keys(fw!.ports[3]!)).not.toContain('vlan');
  });

  test('an ext-cpd on an internal link takes every port on it to its network', () => {
    const vnfd = mixedVnfd();
    vnfd.extCpds.push({ id: 'east-west', intVirtualLinkDesc: 'internal' });
    const params = mixedParams();
    params.extCpBindings['east-west'] = { bridge: 'br-ew', vlan: 7 };
    const ports = plan(vnfd, params).flatMap((vm) => vm.ports.filter((p) => p.extCpdId === 'east-west').map((p) => p.cpdId));
    expect(ports).toEqual(['fw-int', 'dpi-int']);
    expect(plan(vnfd, params)[0]!.ports[3]).toEqual({ index: 3, cpdId: 'fw-int', extCpdId: 'east-west', kind: 'vhostuser', bridge: 'br-ew', vlan: 7 });
  });
});

describe('planVms: placement request', () => {
  test('from the VDU: CPUs, memory, pages, ports, VF affinity, spread group', () => {
    const [fw, dpi] = plan();
    expect(fw!.request).toEqual({
      vcpus: 4,
      cpuPolicy: 'dedicated',
      memoryMb: 8192,
      pageSize: 'large',
      virtioPorts: 4,
      sriovPorts: [],
      vfNumaAffinity: 'required',
      spreadGroup: `${VNF_INSTANCE_ID}/fw`,
    });
    expect(dpi!.request).toEqual({
      vcpus: 2,
      cpuPolicy: 'shared',
      memoryMb: 2048,
      pageSize: 'small',
      virtioPorts: 1,
      sriovPorts: [{ physnet: 'sriov-a' }, { physnet: 'sriov-b' }],
      vfNumaAffinity: 'required',
    });
  });

  test('page sizes', () => {
    const expected = { SMALL: 'small', LARGE: 'large', SIZE_2MB: 2048, SIZE_1GB: 1048576, PREFER_LARGE: 'any' };
    for (const size of MEMPAGE_SIZES) {
      const vnfd = mixedVnfd();
      vnfd.vdus[0]!.mempageSize = size;
      expect(plan(vnfd)[0]!.request.pageSize).toBe(expected[size]);
    }
  });

  test('dynamic pinning is shared', () => {
    const vnfd = mixedVnfd();
    vnfd.vdus[0]!.pinningPolicy = 'dynamic';
    expect(plan(vnfd)[0]!.request.cpuPolicy).toBe('shared');
  });

  test('without descriptor groups, the VMs of a VDU that may scale out share a spread group (a preference), never anti-affinity', () => {
    const vms = plan(mixedVnfd(), mixedParams({ instantiationLevelId: 'big' }));
    expect(vms.map((vm) => vm.request.spreadGroup)).toEqual([...Array(3).fill(`${VNF_INSTANCE_ID}/fw`), undefined]);
    expect(vms.map((vm) => [vm.request.antiAffinityGroups, vm.request.affinityGroups])).toEqual(Array(4).fill([undefined, undefined]));
  });

  test("an affinity group spans VDUs: every member names it, with what the whole group takes, and no spread group", () => {
    const vnfd = grouped([{ id: 'together', type: 'affinity', scope: 'nfvi-node' }], { fw: ['together'], dpi: ['together'] });
    const vms = plan(vnfd, mixedParams({ instantiationLevelId: 'big' }));
    // fw: 3 x (4 pinned vCPUs, 8 GiB); dpi: 1 x (2 shared vCPUs, 2 GiB).
    const need = { dedicatedCpus: 12, memoryMb: 3 * 8192 + 2048 };
    for (const vm of vms) expect(vm.request).toMatchObject({ affinityGroups: [`${VNF_INSTANCE_ID}:together`], affinityNeed: need });
    expect(vms.map((vm) => vm.request.spreadGroup)).toEqual(Array(4).fill(undefined));
  });

  test('an anti-affinity group is a hard group of its own; a VDU in none keeps its spread group', () => {
    const vnfd = grouped([{ id: 'apart', type: 'anti-affinity', scope: 'nfvi-node' }], { fw: ['apart'] });
    vnfd.deploymentFlavours[0]!.vduProfiles[1]!.maxInstances = 2;
    const [fw, dpi] = plan(vnfd);
    expect(fw!.request).toMatchObject({ antiAffinityGroups: [`${VNF_INSTANCE_ID}:apart`] });
    expect(fw!.request.spreadGroup).toBeUndefined();
    expect(dpi!.request).toMatchObject({ spreadGroup: `${VNF_INSTANCE_ID}/dpi` });
  });

  test("a local rule is a group of the VDU's own VMs, in place of its spread group", () => {
    const vnfd = mixedVnfd();
    vnfd.deploymentFlavours[0]!.vduProfiles[0]!.localAffinityRules = [{ type: 'anti-affinity', scope: 'nfvi-node' }];
    const vms = plan(vnfd, mixedParams({ instantiationLevelId: 'big' }));
    expect(vms[0]!.request).toMatchObject({ antiAffinityGroups: [`${VNF_INSTANCE_ID}/fw`] });
    expect(vms[0]!.request.spreadGroup).toBeUndefined();
    vnfd.deploymentFlavours[0]!.vduProfiles[0]!.localAffinityRules = [{ type: 'affinity', scope: 'nfvi-node' }];
    const together = plan(vnfd, mixedParams({ instantiationLevelId: 'big' }));
    expect(together[0]!.request).toMatchObject({ affinityGroups: [`${VNF_INSTANCE_ID}/fw`], affinityNeed: { dedicatedCpus: 12, memoryMb: 3 * 8192 } });
  });

  test('a model stored before groups were read, or one naming what cannot be placed, plans as if it named none', () => {
    const before = mixedVnfd();
    const odd = grouped([{ id: 'zone', type: 'anti-affinity', scope: 'zone' }], { fw: ['zone', 'missing'] });
    for (const vnfd of [before, odd]) {
      const vms = plan(vnfd, mixedParams({ instantiationLevelId: 'big' }));
      expect(vms[0]!.request.antiAffinityGroups).toBeUndefined();
      expect(vms[0]!.request.spreadGroup).toBe(`${VNF_INSTANCE_ID}/fw`);
    }
  });

  test('each VM gets its own objects', () => {
    const [a, b] = plan(mixedVnfd(), mixedParams({ flavourId: 'lean' }));
    expect(a!.request).toEqual(b!.request);
    expect(a!.request).not.toBe(b!.request);
    expect(a!.ports).not.toBe(b!.ports);
  });
});

describe('planVms: image and cloud-init', () => {
  test('the image file and format, inline cloud-init', () => {
    const [fw, dpi] = plan();
    expect(fw!.image).toEqual({ name: 'firewall-4.2.qcow2', format: 'qcow2' });
    expect(fw!.cloudInit).toBe('#cloud-config\nhostname: fw\n');
    expect(dpi).not.toHaveProperty('image');
    expect(dpi).not.toHaveProperty('cloudInit');
  });

  test('raw images; the descriptor name when there is no image field', () => {
    const vnfd = mixedVnfd();
    vnfd.vdus[0]!.swImage = { id: 'img', name: 'base.img', diskFormat: 'RAW' };
    expect(plan(vnfd)[0]!.image).toEqual({ name: 'base.img', format: 'raw' });
  });
});

describe('planVms on a project fixture', () => {
  test('epa-firewall: one pinned hugepage VM with three vhost-user ports', () => {
    const parsed = parseDocument(readFileSync(resolve(process.cwd(), 'test/fixtures/vnfds/epa-firewall-vnfd.yaml'), 'utf8'), 'yaml');
    if (!parsed.ok) throw new Error(parsed.problem.message);
    const vnfd = normalizeVnfd(parsed.document);
    const extCpBindings = { 'fw-mgmt-ext': { bridge: 'br-mgmt' }, 'fw-inside-ext': { bridge: 'br-dpdk', vlan: 10 }, 'fw-outside-ext': { bridge: 'br-dpdk', vlan: 20 } };
    const vms = planVms(vnfd, { flavourId: 'default-df', extCpBindings }, VNF_INSTANCE_ID);
    expect(vms).toHaveLength(1);
    expect(vms[0]!.request).toMatchObject({ vcpus: 4, cpuPolicy: 'dedicated', memoryMb: 8192, pageSize: 'large', virtioPorts: 3 });
    expect(vms[0]!.ports.map((p) => [p.cpdId, p.bridge, p.vlan])).toEqual([
      ['fw-mgmt', 'br-mgmt', undefined],
      ['fw-inside', 'br-dpdk', 10],
      ['fw-outside', 'br-dpdk', 20],
    ]);
    expect(vms[0]!.image).toEqual({ name: 'firewall-4.2.qcow2', format: 'qcow2' });
    expect(planVms(vnfd, { flavourId: 'default-df', instantiationLevelId: 'pair', extCpBindings }, VNF_INSTANCE_ID)).toHaveLength(2);
  });
});
