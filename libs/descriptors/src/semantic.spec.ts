import { describe, expect, test } from '@jest/globals';
import { sampleVnfd } from './sample-vnfd.fixture.js';
import { validateVnfdSemantics } from './semantic.js';

function problemsAfter(change: (vnfd: Record<string, any>) => void) {
  const doc = sampleVnfd();
  change(doc.vnfd);
  return validateVnfdSemantics(doc);
}

describe('validateVnfdSemantics', () => {
  test('accepts a consistent descriptor (numbers as strings included)', () => {
    expect(validateVnfdSemantics(sampleVnfd())).toEqual([]);
  });

  test('reports a document without a vnfd', () => {
    expect(validateVnfdSemantics({})).toEqual([{ path: '/vnfd', message: 'document has no vnfd object' }]);
    expect(validateVnfdSemantics(null)).toHaveLength(1);
  });

  test.each<[string, (v: Record<string, any>) => void, string, RegExp]>([
    ['vdu → virtual-compute-desc', (v) => (v.vdu[0]['virtual-compute-desc'] = 'huge'), '/vnfd/vdu/0/virtual-compute-desc', /virtual-compute-desc 'huge'.*\(virtual-compute-descs: small, epa\)/],
    ['vdu → sw-image-desc', (v) => (v.vdu[1]['sw-image-desc'] = 'nope'), '/vnfd/vdu/1/sw-image-desc', /vdu 'dp' references sw-image-desc 'nope'/],
    ['vdu → virtual-storage-desc', (v) => (v.vdu[0]['virtual-storage-desc'] = ['disk', 'other']), '/vnfd/vdu/0/virtual-storage-desc/1', /virtual-storage-desc 'other'/],
    ['int-cpd → int-virtual-link-desc', (v) => (v.vdu[1]['int-cpd'][0]['int-virtual-link-desc'] = 'vl9'), '/vnfd/vdu/1/int-cpd/0/int-virtual-link-desc', /int-cpd 'dp-int' of vdu 'dp' references int-virtual-link-desc 'vl9'/],
    ['ext-cpd → vdu', (v) => (v['ext-cpd'][1]['int-cpd']['vdu-id'] = 'ghost'), '/vnfd/ext-cpd/1/int-cpd/vdu-id', /ext-cpd 'data-ext' references vdu 'ghost'/],
    ['ext-cpd → int-cpd of that vdu', (v) => (v['ext-cpd'][1]['int-cpd'].cpd = 'ctl-mgmt'), '/vnfd/ext-cpd/1/int-cpd/cpd', /int-cpd 'ctl-mgmt', which does not exist \(int-cpds of vdu 'dp': dp-int, dp-data\)/],
    ['ext-cpd → int-virtual-link-desc', (v) => (v['ext-cpd'][2]['int-virtual-link-desc'] = 'vl9'), '/vnfd/ext-cpd/2/int-virtual-link-desc', /int-virtual-link-desc 'vl9'/],
    ['mgmt-cp → ext-cpd', (v) => (v['mgmt-cp'] = 'mgmt'), '/vnfd/mgmt-cp', /^mgmt-cp references ext-cpd 'mgmt', which does not exist \(ext-cpds: mgmt-ext, data-ext, vl-ext\)$/],
    ['vdu-level → vdu', (v) => (v.df[0]['instantiation-level'][0]['vdu-level'][1]['vdu-id'] = 'dpx'), '/vnfd/df/0/instantiation-level/0/vdu-level/1/vdu-id', /instantiation-level 'base' vdu-level references vdu 'dpx'/],
    ['vdu-delta → vdu', (v) => (v.df[0]['scaling-aspect'][0]['aspect-delta-details'].deltas[0]['vdu-delta'][0].id = 'dpx'), '/vnfd/df/0/scaling-aspect/0/aspect-delta-details/deltas/0/vdu-delta/0/id', /scaling-aspect 'dp-out' vdu-delta references vdu 'dpx'/],
    ['default-instantiation-level-id', (v) => (v.df[0]['default-instantiation-level-id'] = 'medium'), '/vnfd/df/0/default-instantiation-level-id', /instantiation-level 'medium', which does not exist \(instantiation-levels: base, big\)/],
    ['scale-info → scaling-aspect', (v) => (v.df[0]['instantiation-level'][1]['scale-info'][0]['scaling-aspect-id'] = 'x'), '/vnfd/df/0/instantiation-level/1/scale-info/0/scaling-aspect-id', /scaling-aspect 'x'/],
    ['virtual-storage-desc → sw-image-desc', (v) => (v['virtual-storage-desc'][0]['sw-image-desc'] = 'x'), '/vnfd/virtual-storage-desc/0/sw-image-desc', /sw-image-desc 'x'/],
  ])('reports a broken reference: %s', (_name, change, path, message) => {
    const problems = problemsAfter(change);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe(path);
    expect(problems[0].message).toMatch(message);
  });

  describe('affinity-or-anti-affinity-groups', () => {
    const withGroups = (v: Record<string, any>) => {
      v.df[0]['affinity-or-anti-affinity-group'] = [
        { id: 'together', type: 'affinity', scope: 'nfvi-node' },
        { id: 'apart', type: 'anti-affinity', scope: 'NFVI-NODE' },
      ];
      v.df[0]['vdu-profile'][0]['affinity-or-anti-affinity-group'] = [{ id: 'together' }];
      v.df[0]['vdu-profile'][1]['affinity-or-anti-affinity-group'] = [{ id: 'together' }, { id: 'apart' }];
    };

    test('accepts groups of scope nfvi-node that vdu-profiles reference', () => {
      expect(problemsAfter(withGroups)).toEqual([]);
    });

    test('reports a reference to a group the df does not have, with its path', () => {
      const problems = problemsAfter((v) => {
        withGroups(v);
        v.df[0]['vdu-profile'][1]['affinity-or-anti-affinity-group'][1].id = 'far-apart';
      });
      expect(problems).toEqual([
        {
          path: '/vnfd/df/0/vdu-profile/1/affinity-or-anti-affinity-group/1/id',
          message: "vdu-profile 'dp' references affinity-or-anti-affinity-group 'far-apart', which does not exist (affinity-or-anti-affinity-groups: together, apart)",
        },
      ]);
    });

    test("reports a local rule's scope other than nfvi-node; a group without a scope is nfvi-node", () => {
      const problems = problemsAfter((v) => {
        withGroups(v);
        delete v.df[0]['affinity-or-anti-affinity-group'][0].scope;
        v.df[0]['vdu-profile'][1]['local-affinity-or-anti-affinity-rule'] = [
          { 'affinity-type': 'anti-affinity', 'affinity-scope': 'nfvi-node' },
          { 'affinity-type': 'affinity', 'affinity-scope': 'nfvi-pop' },
        ];
      });
      expect(problems).toEqual([
        {
          path: '/vnfd/df/0/vdu-profile/1/local-affinity-or-anti-affinity-rule/1/affinity-scope',
          message: "vdu-profile 'dp' local-affinity-or-anti-affinity-rule has scope 'nfvi-pop'; only nfvi-node is supported: this VIM is one site, whose hosts share one zone and NFVI-PoP",
        },
      ]);
    });

    test('reports a scope other than nfvi-node, and repeated ids', () => {
      const problems = problemsAfter((v) => {
        withGroups(v);
        v.df[0]['affinity-or-anti-affinity-group'][1].scope = 'zone';
        v.df[0]['affinity-or-anti-affinity-group'].push({ id: 'together', type: 'affinity', scope: 'nfvi-node' });
        v.df[0]['vdu-profile'][0]['affinity-or-anti-affinity-group'].push({ id: 'together' });
      });
      expect(problems.map((p) => p.path)).toEqual([
        '/vnfd/df/0/affinity-or-anti-affinity-group/2/id',
        '/vnfd/df/0/affinity-or-anti-affinity-group/1/scope',
        '/vnfd/df/0/vdu-profile/0/affinity-or-anti-affinity-group/1/id',
      ]);
      expect(problems[1]!.message).toBe(
        "affinity-or-anti-affinity-group 'apart' has scope 'zone'; only nfvi-node is supported: this VIM is one site, whose hosts share one zone and NFVI-PoP",
      );
    });
  });

  test('reports a vdu-profile naming a missing vdu, and the levels left without a profile', () => {
    const problems = problemsAfter((v) => (v.df[0]['vdu-profile'][0].id = 'testVdu'));
    expect(problems).toEqual([
      { path: '/vnfd/df/0/vdu-profile/0/id', message: "vdu-profile references vdu 'testVdu', which does not exist (vdus: ctl, dp)" },
      {
        path: '/vnfd/df/0/instantiation-level/0/vdu-level/0/vdu-id',
        message: "instantiation-level 'base' uses vdu 'ctl', which has no vdu-profile in df 'default'",
      },
      {
        path: '/vnfd/df/0/instantiation-level/1/vdu-level/0/vdu-id',
        message: "instantiation-level 'big' uses vdu 'ctl', which has no vdu-profile in df 'default'",
      },
    ]);
  });

  test.each<[string, (v: Record<string, any>) => void, string]>([
    ['vdu', (v) => v.vdu.push({ ...v.vdu[0], 'int-cpd': [] }), '/vnfd/vdu/2/id'],
    ['int-cpd within a vdu', (v) => v.vdu[0]['int-cpd'].push({ id: 'ctl-mgmt' }), '/vnfd/vdu/0/int-cpd/2/id'],
    ['ext-cpd', (v) => v['ext-cpd'].push({ id: 'vl-ext', 'int-virtual-link-desc': 'internal' }), '/vnfd/ext-cpd/3/id'],
    ['virtual-compute-desc', (v) => v['virtual-compute-desc'].push(v['virtual-compute-desc'][0]), '/vnfd/virtual-compute-desc/2/id'],
    ['sw-image-desc', (v) => v['sw-image-desc'].push({ id: 'img' }), '/vnfd/sw-image-desc/1/id'],
    ['df', (v) => v.df.push({ id: 'default' }), '/vnfd/df/1/id'],
    ['vdu-profile', (v) => v.df[0]['vdu-profile'].push({ id: 'ctl' }), '/vnfd/df/0/vdu-profile/2/id'],
    ['vdu-level', (v) => v.df[0]['instantiation-level'][0]['vdu-level'].push({ 'vdu-id': 'ctl', 'number-of-instances': 1 }), '/vnfd/df/0/instantiation-level/0/vdu-level/2/vdu-id'],
  ])('reports a duplicate id: %s', (_kind, change, path) => {
    const problems = problemsAfter(change);
    expect(problems).toContainEqual({ path, message: expect.stringMatching(/^duplicate .* (id|vdu-id) '.+' \(already used at index \d+\)$/) });
  });

  test('reports min-number-of-instances above max', () => {
    const problems = problemsAfter((v) => (v.df[0]['vdu-profile'][1]['min-number-of-instances'] = '4'));
    expect(problems.map((p) => p.path)).toEqual([
      '/vnfd/df/0/vdu-profile/1/max-number-of-instances',
      '/vnfd/df/0/instantiation-level/0/vdu-level/1/number-of-instances',
      '/vnfd/df/0/instantiation-level/1/vdu-level/1/number-of-instances',
    ]);
    expect(problems[1].message).toBe("instantiation-level 'base' asks for 1 instance(s) of vdu 'dp', outside its vdu-profile range [4, 4]");
    expect(problems).toContainEqual({
      path: '/vnfd/df/0/vdu-profile/1/max-number-of-instances',
      message: "vdu-profile 'dp': min-number-of-instances (4) is greater than max-number-of-instances (3)",
    });
  });

  test('max defaults to min', () => {
    const problems = problemsAfter((v) => {
      v.df[0]['vdu-profile'][0]['min-number-of-instances'] = 2;
      v.df[0]['instantiation-level'][0]['vdu-level'][0]['number-of-instances'] = 3;
    });
    expect(problems.map((p) => p.message)).toEqual([
      "instantiation-level 'base' asks for 3 instance(s) of vdu 'ctl', outside its vdu-profile range [2, 2]",
      "instantiation-level 'big' asks for 1 instance(s) of vdu 'ctl', outside its vdu-profile range [2, 2]",
    ]);
  });

  test('reports number-of-instances outside the vdu-profile range', () => {
    const problems = problemsAfter((v) => (v.df[0]['instantiation-level'][1]['vdu-level'][1]['number-of-instances'] = '5'));
    expect(problems).toEqual([
      {
        path: '/vnfd/df/0/instantiation-level/1/vdu-level/1/number-of-instances',
        message: "instantiation-level 'big' asks for 5 instance(s) of vdu 'dp', outside its vdu-profile range [1, 3]",
      },
    ]);
  });

  test('reports a vdu used at a level without a vdu-profile', () => {
    const problems = problemsAfter((v) => v.df[0]['vdu-profile'].splice(0, 1));
    expect(problems.map((p) => p.path)).toEqual([
      '/vnfd/df/0/instantiation-level/0/vdu-level/0/vdu-id',
      '/vnfd/df/0/instantiation-level/1/vdu-level/0/vdu-id',
    ]);
    expect(problems[0].message).toBe("instantiation-level 'base' uses vdu 'ctl', which has no vdu-profile in df 'default'");
  });

  test('reports max-scale-level below 1 and scale levels above it', () => {
    const problems = problemsAfter((v) => {
      v.df[0]['scaling-aspect'][0]['max-scale-level'] = 0;
      v.df[0]['instantiation-level'][1]['scale-info'][0]['scale-level'] = 2;
    });
    expect(problems.map((p) => p.path)).toEqual([
      '/vnfd/df/0/scaling-aspect/0/max-scale-level',
      '/vnfd/df/0/instantiation-level/1/scale-info/0/scale-level',
    ]);
    expect(problems[0].message).toBe("scaling-aspect 'dp-out': max-scale-level must be at least 1 (got 0)");
  });

  test('asks for a default level when there are several', () => {
    const problems = problemsAfter((v) => delete v.df[0]['default-instantiation-level-id']);
    expect(problems).toEqual([
      { path: '/vnfd/df/0/default-instantiation-level-id', message: "df 'default' has 2 instantiation-levels but no default-instantiation-level-id" },
    ]);
  });

  test('reports an ext-cpd with both int-cpd and int-virtual-link-desc', () => {
    const problems = problemsAfter((v) => (v['ext-cpd'][0]['int-virtual-link-desc'] = 'internal'));
    expect(problems).toEqual([{ path: '/vnfd/ext-cpd/0/int-virtual-link-desc', message: expect.stringMatching(/both int-cpd and int-virtual-link-desc/) }]);
  });

  test('reports every problem, not only the first', () => {
    const problems = problemsAfter((v) => {
      v.vdu[0].id = 'controller';
      v['mgmt-cp'] = 'nowhere';
    });
    expect(problems.map((p) => p.path).sort()).toEqual([
      '/vnfd/df/0/instantiation-level/0/vdu-level/0/vdu-id',
      '/vnfd/df/0/instantiation-level/1/vdu-level/0/vdu-id',
      '/vnfd/df/0/vdu-profile/0/id',
      '/vnfd/ext-cpd/0/int-cpd/vdu-id',
      '/vnfd/mgmt-cp',
    ]);
  });

  test('escapes ids in paths only where they are keys, not values', () => {
    const problems = problemsAfter((v) => (v['mgmt-cp'] = 'a/b~c'));
    expect(problems).toEqual([{ path: '/vnfd/mgmt-cp', message: expect.stringContaining("'a/b~c'") }]);
  });

  test('does not throw on junk', () => {
    for (const junk of [{ vnfd: [] }, { vnfd: { vdu: 'x', df: [null, 1, { 'vdu-profile': {} }] } }, { vnfd: { 'ext-cpd': [{ 'int-cpd': [] }] } }]) {
      expect(() => validateVnfdSemantics(junk)).not.toThrow();
    }
  });
});
