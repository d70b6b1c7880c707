import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { normalizeVnfd } from './normalize.js';
import { parseDocument } from './parse.js';
import { sampleVnfd } from './sample-vnfd.fixture.js';
import { validateVnfdSemantics } from './semantic.js';

function fixture(name: string): unknown {
  const parsed = parseDocument(readFileSync(resolve(process.cwd(), 'test/fixtures/vnfds', name), 'utf8'), 'yaml');
  if (!parsed.ok) throw new Error(parsed.problem.message);
  return parsed.document;
}

describe('normalizeVnfd', () => {
  test('normalises an EPA descriptor', () => {
    const doc = fixture('epa-firewall-vnfd.yaml');
    expect(validateVnfdSemantics(doc)).toEqual([]);
    const model = normalizeVnfd(doc);
    expect(model).toMatchObject({
      vnfdId: 'epa-firewall-vnfd',
      provider: 'vim-lite test fixtures',
      productName: 'epa-firewall',
      version: '1.0',
      softwareVersion: '4.2',
      mgmtCp: 'fw-mgmt-ext',
    });
    expect(model.vdus).toHaveLength(1);
    expect(model.vdus[0]).toEqual({
      id: 'fw',
      name: 'firewall',
      description: 'Firewall data plane',
      computeDescId: 'fw-compute',
      vcpus: 4,
      cpuArchitecture: 'x86_64',
      pinningPolicy: 'static',
      threadPolicy: 'ISOLATE',
      memoryMb: 8192,
      mempageSize: 'LARGE',
      numaEnabled: true,
      numaNodePolicy: { 'node-cnt': 1, 'mem-policy': 'STRICT', node: [{ id: 0, 'num-cores': 4, 'memory-mb': 8192 }] },
      swImage: {
        id: 'fw-image',
        name: 'fw-image',
        image: 'firewall-4.2.qcow2',
        version: '4.2',
        diskFormat: 'qcow2',
        containerFormat: 'bare',
        minDiskGb: 8,
        minRamGb: 4,
        sizeGb: undefined,
        checksum: { algorithm: 'sha-256', hash: expect.any(String) },
      },
      storageGb: 16,
      storages: [{ id: 'fw-root', type: 'root-storage', sizeGb: 16, swImageDescId: 'fw-image' }],
      interfaces: [
        { cpdId: 'fw-mgmt', name: 'eth0', type: 'PARAVIRT', vlIntRef: undefined, position: 0, vpci: undefined, bandwidth: undefined },
        { cpdId: 'fw-inside', name: 'eth1', type: 'VIRTIO', vlIntRef: undefined, position: 1, vpci: undefined, bandwidth: undefined },
        { cpdId: 'fw-outside', name: 'eth2', type: 'VIRTIO', vlIntRef: undefined, position: 2, vpci: undefined, bandwidth: undefined },
      ],
      cloudInit: undefined,
      cloudInitFile: 'fw-cloud-init.cfg',
    });
    expect(model.extCpds).toEqual([
      { id: 'fw-mgmt-ext', vduId: 'fw', intCpdId: 'fw-mgmt', intVirtualLinkDesc: undefined },
      { id: 'fw-inside-ext', vduId: 'fw', intCpdId: 'fw-inside', intVirtualLinkDesc: undefined },
      { id: 'fw-outside-ext', vduId: 'fw', intCpdId: 'fw-outside', intVirtualLinkDesc: undefined },
    ]);
    expect(model.deploymentFlavours).toEqual([
      {
        id: 'default-df',
        vduProfiles: [{ vduId: 'fw', minInstances: 1, maxInstances: 4, affinityGroupIds: [], localAffinityRules: [] }],
        instantiationLevels: [
          { id: 'single', vduLevels: [{ vduId: 'fw', instances: 1 }], scaleInfo: [] },
          { id: 'pair', vduLevels: [{ vduId: 'fw', instances: 2 }], scaleInfo: [{ aspectId: 'fw-scale-out', scaleLevel: 1 }] },
        ],
        defaultInstantiationLevelId: 'single',
        scalingAspects: [
          {
            id: 'fw-scale-out',
            name: 'add a firewall instance',
            maxScaleLevel: 3,
            deltas: [{ id: 'one-fw', vduDeltas: [{ vduId: 'fw', instances: 1 }] }],
            stepDeltas: undefined,
          },
        ],
        affinityGroups: [],
      },
    ]);
  });

  test('reads numbers written as strings and OSM upper-case enums', () => {
    const model = normalizeVnfd(fixture('sriov-router-vnfd.yaml'));
    const router = model.vdus[0];
    expect(router).toMatchObject({ vcpus: 6, memoryMb: 16384, pinningPolicy: 'static', threadPolicy: 'PREFER', mempageSize: 'SIZE_1GB', numaEnabled: true });
    expect(router.interfaces.map((i) => [i.cpdId, i.type, i.vpci])).toEqual([
      ['rtr-mgmt', 'PARAVIRT', undefined],
      ['rtr-uplink-a', 'SR-IOV', '0000:00:0a.0'],
      ['rtr-uplink-b', 'SR-IOV', '0000:00:0b.0'],
    ]);
    expect(model.deploymentFlavours[0].vduProfiles).toEqual([{ vduId: 'router', minInstances: 1, maxInstances: 2, affinityGroupIds: [], localAffinityRules: [] }]);
  });

  test('applies defaults: max = min, level instances 1, max-scale-level 1, PARAVIRT', () => {
    const doc = sampleVnfd();
    doc.vnfd.df[0]['vdu-profile'][0]['min-number-of-instances'] = '2';
    delete doc.vnfd.df[0]['instantiation-level'][0]['vdu-level'][1]['number-of-instances'];
    delete doc.vnfd.df[0]['scaling-aspect'][0]['max-scale-level'];
    const model = normalizeVnfd(doc);
    const df = model.deploymentFlavours[0];
    expect(df.vduProfiles[0]).toEqual({ vduId: 'ctl', minInstances: 2, maxInstances: 2, affinityGroupIds: [], localAffinityRules: [] });
    expect(df.instantiationLevels[0].vduLevels[1]).toEqual({ vduId: 'dp', instances: 1 });
    expect(df.scalingAspects[0].maxScaleLevel).toBe(1);
    const ctl = model.vdus[0];
    expect(ctl).toMatchObject({ vcpus: 2, memoryMb: 2048, pinningPolicy: undefined, storageGb: 10 });
    expect(ctl.interfaces).toEqual([
      { cpdId: 'ctl-mgmt', name: 'eth0', type: 'PARAVIRT', vlIntRef: undefined, position: undefined, vpci: undefined, bandwidth: undefined },
      { cpdId: 'ctl-int', type: 'PARAVIRT', vlIntRef: 'internal' },
    ]);
    expect(model.intVirtualLinkDescs).toEqual([{ id: 'internal' }]);
    expect(model.extCpds[2]).toEqual({ id: 'vl-ext', vduId: undefined, intCpdId: undefined, intVirtualLinkDesc: 'internal' });
  });

  test('keeps inline cloud-init', () => {
    const model = normalizeVnfd(fixture('mixed-dpi-vnfd.yaml'));
    expect(model.vdus.map((v) => v.id)).toEqual(['dpi-engine', 'dpi-controller']);
    expect(model.vdus[1].cloudInit).toMatch(/^#cloud-config\nhostname: dpi-controller\n/);
    expect(model.vdus[0].interfaces.map((i) => i.type)).toEqual(['SR-IOV', 'VIRTIO', 'VIRTIO']);
    expect(model.vdus[0].interfaces[2].vlIntRef).toBe('dpi-ctl-vl');
  });

  test('reads affinity-or-anti-affinity-groups, the vdu-profiles that reference them and their local rules', () => {
    const doc = sampleVnfd();
    doc.vnfd.df[0]['affinity-or-anti-affinity-group'] = [
      { id: 'together', type: 'affinity', scope: 'nfvi-node' },
      { id: 'apart', type: 'ANTI-AFFINITY', scope: 'NFVI-NODE' },
      { id: 'unscoped', type: 'affinity' },
    ];
    doc.vnfd.df[0]['vdu-profile'][0]['affinity-or-anti-affinity-group'] = [{ id: 'together' }, { id: 'apart' }];
    doc.vnfd.df[0]['vdu-profile'][1]['local-affinity-or-anti-affinity-rule'] = [{ 'affinity-type': 'anti-affinity', 'affinity-scope': 'nfvi-node' }];
    const df = normalizeVnfd(doc).deploymentFlavours[0];
    expect(df.affinityGroups).toEqual([
      { id: 'together', type: 'affinity', scope: 'nfvi-node' },
      { id: 'apart', type: 'anti-affinity', scope: 'nfvi-node' },
      { id: 'unscoped', type: 'affinity', scope: 'nfvi-node' },
    ]);
    expect(df.vduProfiles.map((p) => p.affinityGroupIds)).toEqual([['together', 'apart'], []]);
    expect(df.vduProfiles.map((p) => p.localAffinityRules)).toEqual([[], [{ type: 'anti-affinity', scope: 'nfvi-node' }]]);
  });

  test('throws on a document without a vnfd', () => {
    expect(() => normalizeVnfd({})).toThrow(/no vnfd/);
  });
});
