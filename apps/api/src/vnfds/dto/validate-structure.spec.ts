import { describe, expect, test } from '@jest/globals';
import { normalizeVnfd, parseDocument, validateVnfdSemantics } from '#vim/descriptors';
import { type DescriptorFile, fixtureVnfds, sharedVnfds } from '../../../../../test/support/descriptors.js';
import { validateVnfdStructure } from './validate-structure.js';

function load(file: DescriptorFile): unknown {
  const parsed = parseDocument(file.text, 'yaml');
  if (!parsed.ok) throw new Error(`${file.name}: ${parsed.problem.message}`);
  return parsed.document;
}

const shared = sharedVnfds();
const validShared = shared.filter((f) => !f.invalid);
const sharedFile = (name: string) => shared.find((f) => f.name === name) as DescriptorFile;

function minimal(): { vnfd: Record<string, any> } {
  return {
    vnfd: {
      id: 'v',
      'product-name': 'p',
      version: '1',
      'virtual-compute-desc': [{ id: 'c', 'virtual-cpu': { 'num-virtual-cpu': 1 }, 'virtual-memory': { size: 1 } }],
      vdu: [{ id: 'u', 'virtual-compute-desc': 'c', 'int-cpd': [{ id: 'i', 'virtual-network-interface-requirement': [{ name: 'eth0', 'virtual-interface': { type: 'VIRTIO' } }] }] }],
      df: [{ id: 'df', 'vdu-profile': [{ id: 'u', 'min-number-of-instances': 1 }] }],
    },
  };
}

describe('public SOL006 descriptors', () => {
  test('the shared set has valid and invalid files', () => {
    expect(validShared.length).toBeGreaterThanOrEqual(4);
    expect(shared.filter((f) => f.invalid).map((f) => f.name)).toEqual(['atnog-test-vnfd.yaml']);
  });

  test.each(validShared.map((f) => [f.name, f] as const))('%s passes structure and semantics', (_name, file) => {
    const doc = load(file);
    expect(validateVnfdStructure(doc)).toEqual([]);
    expect(validateVnfdSemantics(doc)).toEqual([]);
    expect(() => normalizeVnfd(doc)).not.toThrow();
  });

  test('atnog-test-vnfd.yaml is structurally fine but names the missing vdu testVdu', () => {
    const doc = load(sharedFile('atnog-test-vnfd.yaml'));
    expect(validateVnfdStructure(doc)).toEqual([]);
    const problems = validateVnfdSemantics(doc);
    expect(problems).toEqual([
      { path: '/vnfd/df/0/vdu-profile/0/id', message: "vdu-profile references vdu 'testVdu', which does not exist (vdus: test)" },
      {
        path: '/vnfd/df/0/instantiation-level/0/vdu-level/0/vdu-id',
        message: "instantiation-level 'default-instantiation-level' vdu-level references vdu 'testVdu', which does not exist (vdus: test)",
      },
    ]);
  });
});

describe('project fixtures', () => {
  test('the EPA, SR-IOV, mixed and forwarding-VNF fixtures are all there', () => {
    expect(fixtureVnfds().map((f) => f.name)).toEqual(['epa-firewall-vnfd.yaml', 'mixed-dpi-vnfd.yaml', 'sriov-router-vnfd.yaml', 'vnf-firewall-vnfd.yaml', 'vnf-forwarder-vnfd.yaml']);
  });

  test.each(fixtureVnfds().map((f) => [f.name, f] as const))('%s passes structure and semantics', (_name, file) => {
    const doc = load(file);
    expect(validateVnfdStructure(doc)).toEqual([]);
    expect(validateVnfdSemantics(doc)).toEqual([]);
    const model = normalizeVnfd(doc);
    expect(model.provider).toBeDefined();
    expect(model.version).toBeDefined();
  });
});

describe('validateVnfdStructure', () => {
  test('accepts a minimal descriptor', () => {
    expect(validateVnfdStructure(minimal())).toEqual([]);
  });

  test('rejects an unknown field at a modelled level, naming it', () => {
    const doc = minimal();
    doc.vnfd.vdu[0]['virtual-compute-dsc'] = 'c';
    expect(validateVnfdStructure(doc)).toEqual([
      { path: '/vnfd/vdu/0/virtual-compute-dsc', message: expect.stringContaining('virtual-compute-dsc') },
    ]);
  });

  test('rejects unknown fields at every modelled depth', () => {
    const doc = minimal();
    doc.vnfd['product-nam'] = 'x';
    doc.vnfd['virtual-compute-desc'][0]['virtual-memory'].sizee = 2;
    doc.vnfd.vdu[0]['int-cpd'][0]['virtual-network-interface-requirement'][0]['virtual-interface'].typ = 'x';
    doc.vnfd.df[0]['vdu-profile'][0].max = 2;
    (doc as Record<string, unknown>).nsd = {};
    expect(validateVnfdStructure(doc).map((p) => p.path).sort()).toEqual([
      '/nsd',
      '/vnfd/df/0/vdu-profile/0/max',
      '/vnfd/product-nam',
      '/vnfd/vdu/0/int-cpd/0/virtual-network-interface-requirement/0/virtual-interface/typ',
      '/vnfd/virtual-compute-desc/0/virtual-memory/sizee',
    ]);
  });

  test('keeps opaque SOL006/OSM blocks, whatever is inside', () => {
    const doc = minimal();
    doc.vnfd.df[0]['lcm-operations-configuration'] = { 'operate-vnf-op-config': { 'day1-2': [{ id: 'x', anything: { goes: [1] } }] } };
    doc.vnfd.vdu[0]['monitoring-parameter'] = [{ id: 'm', 'performance-metric': 'cpu_utilization', whatever: true }];
    doc.vnfd.vdu[0]['int-cpd'][0].protocol = [{ 'associated-layer-protocol': 'ipv4', 'address-data': [{ type: 'ip-address' }] }];
    doc.vnfd['security-group-rule'] = [{ id: 'r', direction: 'ingress' }];
    expect(validateVnfdStructure(doc)).toEqual([]);
  });

  test.each<[string, (v: Record<string, any>) => void, string]>([
    ['interface type', (v) => (v.vdu[0]['int-cpd'][0]['virtual-network-interface-requirement'][0]['virtual-interface'].type = 'VHOST'), '/vnfd/vdu/0/int-cpd/0/virtual-network-interface-requirement/0/virtual-interface/type'],
    ['pinning policy', (v) => (v['virtual-compute-desc'][0]['virtual-cpu'].pinning = { policy: 'dedicated' }), '/vnfd/virtual-compute-desc/0/virtual-cpu/pinning/policy'],
    ['thread-policy', (v) => (v['virtual-compute-desc'][0]['virtual-cpu'].pinning = { 'thread-policy': 'SHARE' }), '/vnfd/virtual-compute-desc/0/virtual-cpu/pinning/thread-policy'],
    ['mempage-size', (v) => (v['virtual-compute-desc'][0]['virtual-memory']['mempage-size'] = 'HUGE'), '/vnfd/virtual-compute-desc/0/virtual-memory/mempage-size'],
    ['mem-policy', (v) => (v['virtual-compute-desc'][0]['virtual-memory']['numa-node-policy'] = { 'mem-policy': 'LOOSE' }), '/vnfd/virtual-compute-desc/0/virtual-memory/numa-node-policy/mem-policy'],
  ])('rejects a wrong enum value: %s', (_name, change, path) => {
    const doc = minimal();
    change(doc.vnfd);
    const problems = validateVnfdStructure(doc);
    expect(problems).toEqual([{ path, message: expect.stringMatching(/must be one of/) }]);
  });

  test('accepts enums in either case', () => {
    const doc = minimal();
    doc.vnfd['virtual-compute-desc'][0]['virtual-cpu'].pinning = { policy: 'DYNAMIC', 'thread-policy': 'prefer' };
    doc.vnfd['virtual-compute-desc'][0]['virtual-memory']['mempage-size'] = 'size_2mb';
    expect(validateVnfdStructure(doc)).toEqual([]);
  });

  test('accepts numbers written as strings', () => {
    const doc = minimal();
    doc.vnfd['virtual-compute-desc'][0]['virtual-cpu']['num-virtual-cpu'] = '2';
    doc.vnfd['virtual-compute-desc'][0]['virtual-memory'].size = '2.0';
    doc.vnfd.df[0]['vdu-profile'][0]['min-number-of-instances'] = ' 1 ';
    doc.vnfd.df[0]['vdu-profile'][0]['max-number-of-instances'] = '10';
    expect(validateVnfdStructure(doc)).toEqual([]);
  });

  test.each<[string, (v: Record<string, any>) => void, string, RegExp]>([
    ['not numeric', (v) => (v['virtual-compute-desc'][0]['virtual-cpu']['num-virtual-cpu'] = 'two'), '/vnfd/virtual-compute-desc/0/virtual-cpu/num-virtual-cpu', /whole number at least 1 and at most 1024.*got "two"/],
    ['fractional vCPUs', (v) => (v['virtual-compute-desc'][0]['virtual-cpu']['num-virtual-cpu'] = '1.5'), '/vnfd/virtual-compute-desc/0/virtual-cpu/num-virtual-cpu', /whole number/],
    ['zero memory', (v) => (v['virtual-compute-desc'][0]['virtual-memory'].size = '0'), '/vnfd/virtual-compute-desc/0/virtual-memory/size', /greater than 0/],
    ['too much memory', (v) => (v['virtual-compute-desc'][0]['virtual-memory'].size = 5000), '/vnfd/virtual-compute-desc/0/virtual-memory/size', /at most 4096/],
    ['infinite', (v) => (v.df[0]['vdu-profile'][0]['min-number-of-instances'] = '1e999'), '/vnfd/df/0/vdu-profile/0/min-number-of-instances', /whole number/],
  ])('rejects a bad number: %s', (_name, change, path, message) => {
    const doc = minimal();
    change(doc.vnfd);
    expect(validateVnfdStructure(doc)).toEqual([{ path, message: expect.stringMatching(message) }]);
  });

  test('reports missing required fields', () => {
    expect(validateVnfdStructure({ vnfd: {} }).map((p) => p.path)).toEqual(['/vnfd/id', '/vnfd/product-name', '/vnfd/version']);
    const doc = minimal();
    delete doc.vnfd.id;
    delete doc.vnfd['virtual-compute-desc'][0]['virtual-memory'];
    expect(validateVnfdStructure(doc)).toEqual([
      { path: '/vnfd/id', message: 'id is required' },
      { path: '/vnfd/virtual-compute-desc/0/virtual-memory', message: 'virtual-memory is required' },
    ]);
  });

  test('escapes unknown keys in pointers', () => {
    const doc = minimal();
    doc.vnfd['a/b~c'] = 1;
    expect(validateVnfdStructure(doc)).toEqual([{ path: '/vnfd/a~1b~0c', message: expect.any(String) }]);
  });

  test.each<[string, unknown, string]>([
    ['null', null, ''],
    ['an array', [minimal()], ''],
    ['a number', 42, ''],
    ['a string', 'vnfd', ''],
    ['undefined', undefined, ''],
    ['vnfd as a string', { vnfd: 'x' }, '/vnfd'],
    ['vnfd as an array', { vnfd: [minimal().vnfd] }, '/vnfd'],
    ['vnfd null', { vnfd: null }, '/vnfd'],
  ])('reports a top level that is %s', (_name, input, path) => {
    const problems = validateVnfdStructure(input);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].path).toBe(path);
  });

  const hostile: [string, unknown][] = [
    ['strings where objects are expected', { vnfd: { id: 'v', 'product-name': 'p', vdu: ['a', 'b'], df: [1, null, true] } }],
    ['objects where lists are expected', { vnfd: { id: 'v', 'product-name': 'p', vdu: { id: 'u' }, 'ext-cpd': { 0: {} } } }],
    ['nested arrays', { vnfd: { id: 'v', 'product-name': 'p', vdu: [[{ id: 'u' }]], 'virtual-compute-desc': [[[]]] } }],
    ['numbers everywhere', { vnfd: { id: 1, 'product-name': 2, vdu: [{ id: 3, 'virtual-compute-desc': 4, 'int-cpd': 5 }] } }],
    ['__proto__ keys', JSON.parse('{"__proto__": {"x": 1}, "vnfd": {"id": "v", "product-name": "p", "__proto__": {"polluted": true}, "vdu": [{"__proto__": []}]}}')],
    ['constructor keys', { vnfd: { id: 'v', 'product-name': 'p', constructor: 'x', toString: 1, df: [{ id: 'd', hasOwnProperty: {} }] } }],
    ['deeply nested junk', JSON.parse('{"vnfd": {"id": "v", "product-name": "p", "kdu": ' + '['.repeat(5000) + ']'.repeat(5000) + '}}')],
    ['deeply nested objects', JSON.parse('{"vnfd":' + '{"a":'.repeat(3000) + '1' + '}'.repeat(3000) + '}')],
    ['a Map and a Date', { vnfd: { id: 'v', 'product-name': 'p', description: new Date(0), vdu: new Map() } }],
  ];

  test.each(hostile)('never throws on %s', (_name, input) => {
    let problems: ReturnType<typeof validateVnfdStructure> = [];
    expect(() => (problems = validateVnfdStructure(input))).not.toThrow();
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(typeof p.path).toBe('string');
      expect(typeof p.message).toBe('string');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('reports list entries that are not objects at their index', () => {
    const doc = minimal();
    doc.vnfd.vdu.push([{ id: 'w', 'virtual-compute-desc': 'c' }], 'u2', null);
    expect(validateVnfdStructure(doc)).toEqual([
      { path: '/vnfd/vdu/1', message: 'entries of vdu must be objects, not an array' },
      { path: '/vnfd/vdu/2', message: 'entries of vdu must be objects, not a string' },
      { path: '/vnfd/vdu/3', message: 'entries of vdu must be objects, not null' },
    ]);
  });

  test('reports a wrong shape once, without the noise below it', () => {
    const doc = minimal();
    doc.vnfd.vdu = { id: 'u' };
    doc.vnfd['virtual-compute-desc'][0]['virtual-cpu'] = [{ 'num-virtual-cpu': 1 }];
    expect(validateVnfdStructure(doc)).toEqual([
      { path: '/vnfd/vdu', message: 'vdu must be an array' },
      { path: '/vnfd/virtual-compute-desc/0/virtual-cpu', message: 'virtual-cpu must be an object' },
    ]);
  });

  test('reports reserved keys where they are', () => {
    const input = JSON.parse('{"vnfd": {"id": "v", "product-name": "p", "version": "1", "__proto__": {"a": 1}, "constructor": "x"}}');
    expect(validateVnfdStructure(input)).toEqual([
      { path: '/vnfd/__proto__', message: 'property __proto__ is not allowed (reserved name)' },
      { path: '/vnfd/constructor', message: 'property constructor is not allowed (reserved name)' },
    ]);
  });

  test('never throws on random junk', () => {
    const atoms = [null, 0, -1, 1.5, '', 'x', '2', true, [], {}];
    const keys = ['vnfd', 'id', 'vdu', 'df', 'int-cpd', 'virtual-compute-desc', 'virtual-cpu', 'pinning', 'vdu-profile', 'x'];
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const junk = (depth: number): unknown => {
      const r = rand(4);
      if (depth > 6 || r === 0) return atoms[rand(atoms.length)];
      if (r === 1) return Array.from({ length: rand(3) }, () => junk(depth + 1));
      return Object.fromEntries(Array.from({ length: rand(4) }, () => [keys[rand(keys.length)], junk(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const input = { vnfd: junk(0) };
      expect(() => validateVnfdStructure(input)).not.toThrow();
      expect(() => validateVnfdSemantics(input)).not.toThrow();
    }
  });
});
