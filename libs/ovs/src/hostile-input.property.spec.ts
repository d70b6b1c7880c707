import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  checkBridgeName, checkExternalIdKey, checkExternalIdValue, checkInterfaceName, checkSocketPath, InvalidSpecError, NameRuleError, type RuleResult,
} from '#vim/naming';
import { hostileString } from '#vim/naming/testing';
import { addFlows, checkFlowLine, deleteFlowsByCookie, type OfctlInvocation } from './commands.js';
import {
  bridgePortsOp, createVhostUserClientPortOps, findInterfaceOp, findInterfacesByExternalIdsOp, findPortOp, type OvsdbOperation, type VhostUserClientPortSpec,
} from './port-ops.js';

/**
 * The hardening claim for Open vSwitch, as properties: any string either is refused with a clear
 * error (exactly when the naming rule refuses it) or ends up as one argv element / one stdin line /
 * one JSON string at the intended place, with everything else unchanged.
 */
const refusedClearly = (error: unknown) => expect(error instanceof InvalidSpecError || error instanceof NameRuleError).toBe(true);
const FLOW = 'priority=0,actions=NORMAL';
const attempt = <T>(f: () => T): { value: T } | { error: unknown } => {
  try {
    return { value: f() };
  } catch (error) {
    return { error };
  }
};
const bridgeLike = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/);

describe('ovs-ofctl argv and stdin', () => {
  const baseline = addFlows('br-int', [FLOW]);

  test('a hostile bridge name is refused or is exactly argv[4]; flags stay in place', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, bridgeLike), (s) => {
        const result = attempt(() => addFlows(s, [FLOW]));
        expect('value' in result).toBe(checkBridgeName(s).ok);
        if ('error' in result) return refusedClearly(result.error);
        const { args, stdin } = result.value as OfctlInvocation;
        expect(args).toHaveLength(baseline.args.length);
        expect(args.filter((_, i) => i !== 4)).toEqual(baseline.args.filter((_, i) => i !== 4));
        expect(args[4]).toBe(s);
        expect(s.startsWith('-')).toBe(false);
        for (const arg of args) expect(arg).not.toMatch(/[\n\r\0]/);
        expect(stdin).toBe(baseline.stdin);
      }),
      { numRuns: 1000 },
    );
  });

  test('a hostile flow line is refused or is exactly one stdin line', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 80 })), (s) => {
        const result = attempt(() => addFlows('br-int', [FLOW, s, FLOW]));
        expect('value' in result).toBe(checkFlowLine(s).ok);
        if ('error' in result) return refusedClearly(result.error);
        const { args, stdin } = result.value as OfctlInvocation;
        expect(args).toEqual(baseline.args);
        expect((stdin as string).split('\n')).toEqual([FLOW, s, FLOW, '']);
        expect(s).not.toMatch(/[#\\\n\r]/);
      }),
      { numRuns: 1000 },
    );
  });

  test('any bigint cookie is refused or printed as the same 64-bit hex number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 65n), max: 1n << 65n }), (cookie) => {
        const result = attempt(() => deleteFlowsByCookie('br-int', cookie));
        expect('value' in result).toBe(cookie >= 0n && cookie < 1n << 64n);
        if ('error' in result) return refusedClearly(result.error);
        const args = (result.value as OfctlInvocation).args;
        expect(args).toHaveLength(6);
        const m = /^cookie=0x([0-9a-f]{1,16})\/-1$/.exec(args[5]);
        expect(m && BigInt(`0x${m[1]}`)).toBe(cookie);
      }),
    );
  });
});

describe('OVSDB operations', () => {
  const SPEC: VhostUserClientPortSpec = { bridge: 'br-int', name: 'vhu0', socketPath: '/run/vim/vhu0.sock', vlanTag: 7, externalIds: { 'iface-id': 'p1' } };
  /** The operations with every string blanked: what must not change whatever the strings are. */
  const shape = (value: unknown): unknown =>
    typeof value === 'string' ? '' : Array.isArray(value) ? value.map(shape) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)])) : value;
  const baseline = shape(createVhostUserClientPortOps(SPEC));
  const row = (ops: OvsdbOperation[], i: number) => ops[i].row as Record<string, unknown>;
  const mapValue = (map: unknown, key: string) => ((map as [string, [string, string][]])[1].find(([k]) => k === key) ?? [])[1];

  const FIELDS: [string, (s: string) => RuleResult<unknown>, (s: string) => VhostUserClientPortSpec, (ops: OvsdbOperation[]) => unknown[]][] = [
    ['bridge', checkBridgeName, (s) => ({ ...SPEC, bridge: s }), (ops) => [(ops[0].where as string[][])[0][2], (ops[0].rows as { name: string }[])[0].name, (ops[3].where as string[][])[0][2]]],
    ['name', checkInterfaceName, (s) => ({ ...SPEC, name: s }), (ops) => [row(ops, 1).name, row(ops, 2).name]],
    ['socketPath', checkSocketPath, (s) => ({ ...SPEC, socketPath: s }), (ops) => [mapValue(row(ops, 1).options, 'vhost-server-path')]],
    ['external_ids value', checkExternalIdValue, (s) => ({ ...SPEC, externalIds: { 'iface-id': s } }), (ops) => [mapValue(row(ops, 1).external_ids, 'iface-id'), mapValue(row(ops, 2).external_ids, 'iface-id')]],
    ['external_ids key', checkExternalIdKey, (s) => ({ ...SPEC, externalIds: { [s]: 'p1' } }), (ops) => [(row(ops, 1).external_ids as [string, [string, string][]])[1][0][0]]],
  ];

  test.each(FIELDS)('%s: refused, or the JSON string at the intended place', (_, rule, inject, read) => {
    fc.assert(
      fc.property(fc.oneof(hostileString, bridgeLike, fc.stringMatching(/^\/[a-z0-9_.-]{1,20}$/)), (s) => {
        const result = attempt(() => createVhostUserClientPortOps(inject(s)));
        expect('value' in result).toBe(rule(s).ok);
        if ('error' in result) return refusedClearly(result.error);
        const ops = result.value as OvsdbOperation[];
        const wire = JSON.parse(JSON.stringify(ops)) as OvsdbOperation[];
        expect(wire).toEqual(ops);
        expect(shape(wire)).toEqual(baseline);
        for (const value of read(wire)) expect(value).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});

describe('OVSDB selections', () => {
  type Where = [string, string, unknown][];
  const SELECTIONS: [string, (s: string) => RuleResult<unknown>, (s: string) => OvsdbOperation, (where: Where) => unknown][] = [
    ['port name', checkInterfaceName, (s) => findPortOp(s), (where) => where[0][2]],
    ['interface name', checkInterfaceName, (s) => findInterfaceOp(s, ['status']), (where) => where[0][2]],
    ['bridge', checkBridgeName, (s) => bridgePortsOp(s), (where) => where[0][2]],
    ['external_ids key', checkExternalIdKey, (s) => findInterfacesByExternalIdsOp({ [s]: 'v' }, ['name']), (where) => (where[0][2] as [string, string[][]])[1][0][0]],
    ['external_ids value', checkExternalIdValue, (s) => findInterfacesByExternalIdsOp({ k: s }, ['name']), (where) => (where[0][2] as [string, string[][]])[1][0][1]],
  ];

  test.each(SELECTIONS)('%s: refused, or the one JSON string the where clause compares', (_, rule, build, read) => {
    fc.assert(
      fc.property(fc.oneof(hostileString, bridgeLike), (s) => {
        const result = attempt(() => build(s));
        expect('value' in result).toBe(rule(s).ok);
        if ('error' in result) return refusedClearly(result.error);
        const wire = JSON.parse(JSON.stringify(result.value)) as OvsdbOperation;
        expect(wire.where).toHaveLength(1);
        expect(read(wire.where as Where)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });
});
