import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { InvalidSpecError } from '#vim/naming';
import { hostileString } from '#vim/naming/testing';
import { chainOfCookie, deleteChainBundle, installChainBundle, MAX_CHAIN_COOKIE, type OfctlInvocation } from './index.js';

const CHAIN_MASK = 0xffff_ffff_ffff_0000n;
const FULL_MASK = (1n << 64n) - 1n;

/** Every `cookie=value[/mask]` a line names, with the mask as a number (none means exact). */
function cookiesIn(line: string): { value: bigint; mask: bigint }[] {
  return [...line.matchAll(/cookie=([0-9a-fx]+)(?:\/([-0-9a-fx]+))?/gi)].map((m) => ({
    value: BigInt(m[1]!),
    mask: m[2] === undefined || m[2] === '-1' ? FULL_MASK : BigInt(m[2]),
  }));
}

/** Whether a line's cookie (match) takes in any flow of `other`'s range: (c & mask) == (value & mask) for some c in it. */
function touches(line: string, other: bigint): boolean {
  const range = other << 16n;
  return cookiesIn(line).some(({ value, mask }) => ((range ^ value) & mask & CHAIN_MASK) === 0n);
}

const chainCookie = fc.bigInt({ min: 1n, max: MAX_CHAIN_COOKIE });
const generation = fc.integer({ min: 0, max: 0xffff });
const port = fc.integer({ min: 1, max: 0xfeff });
const cookieish = (chain: bigint) =>
  fc.oneof(
    { arbitrary: fc.constant(''), weight: 6 },
    { arbitrary: generation.map((g) => `cookie=0x${((chain << 16n) | BigInt(g)).toString(16)},`), weight: 1 },
    { arbitrary: fc.bigInt({ min: 0n, max: FULL_MASK }).map((c) => `cookie=0x${c.toString(16)},`), weight: 1 },
    { arbitrary: fc.bigInt({ min: 0n, max: FULL_MASK }).map((c) => `cookie=0x${c.toString(16)}/0xffffffffffff0000,`), weight: 1 },
  );

function flowLine(chain: bigint, other: bigint) {
  return fc.oneof(
    { arbitrary: fc.tuple(cookieish(chain), port, port).map(([c, a, b]) => `${c}table=0,priority=100,in_port=${a},udp,tp_dst=5201,actions=output:${b}`), weight: 8 },
    { arbitrary: fc.tuple(cookieish(other), port, port).map(([c, a, b]) => `${c}in_port=${a},actions=output:${b}`), weight: 4 },
    { arbitrary: fc.tuple(port, fc.integer({ min: 0, max: 9 })).map(([a, g]) => `in_port=${a},actions=group:${g}`), weight: 2 },
    { arbitrary: fc.tuple(port, fc.bigInt({ min: 0n, max: FULL_MASK })).map(([a, c]) => `in_port=${a},actions=learn(cookie=0x${c.toString(16)},output:1)`), weight: 1 },
    { arbitrary: hostileString, weight: 1 },
  );
}

const attempt = (f: () => OfctlInvocation): OfctlInvocation | undefined => {
  try {
    return f();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError);
    return undefined;
  }
};

describe('a chain bundle never touches another chain', () => {
  test('no stdin line of an accepted install or delete names a cookie another chain\'s range matches', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        chainCookie,
        chainCookie,
        generation,
        fc.option(generation, { nil: undefined }),
        fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 4 }),
        fc.uniqueArray(fc.integer({ min: 10, max: 19 }), { maxLength: 4 }),
        (chain, other, gen, prev, newGroups, oldGroups) => {
          fc.pre(chain !== other);
          fc.assert(
            fc.property(fc.array(flowLine(chain, other), { minLength: 1, maxLength: 4 }), (flows) => {
              const groups = newGroups.map((id) => `group_id=${id},type=select,bucket=output:1`);
              const previous = prev === undefined || prev === gen ? undefined : { generation: prev, groupIds: oldGroups };
              const invocations = [
                attempt(() => installChainBundle('br-int', chain, { generation: gen, flows, groups }, previous)),
                attempt(() => deleteChainBundle('br-int', chain, oldGroups)),
              ];
              if (invocations[0]) accepted++;
              for (const invocation of invocations) {
                if (!invocation) continue;
                const lines = invocation.stdin!.split('\n').filter((l) => l !== '');
                for (const line of lines) {
                  expect(touches(line, other)).toBe(false);
                  expect(line).toMatch(/^(flow (add|delete)|group (add|delete)) /);
                  if (line.startsWith('flow ')) {
                    const cookies = cookiesIn(line);
                    expect(cookies).toHaveLength(1);
                    expect(chainOfCookie(cookies[0]!.value)).toBe(chain);
                    expect([FULL_MASK, CHAIN_MASK]).toContain(cookies[0]!.mask);
                  }
                }
              }
            }),
            { numRuns: 20 },
          );
        },
      ),
      { numRuns: 100 },
    );
    // The property is about accepted bundles: enough of them must have been made.
    expect(accepted).toBeGreaterThan(100);
  });

  test('accepted flows from any chain keep their order and each gets exactly one cookie, the generation\'s', () => {
    fc.assert(
      fc.property(chainCookie, generation, fc.array(fc.tuple(port, port), { minLength: 1, maxLength: 20 }), (chain, gen, pairs) => {
        const flows = pairs.map(([a, b]) => `priority=10,in_port=${a},actions=output:${b}`);
        const lines = installChainBundle('br-int', chain, { generation: gen, flows }).stdin!.trimEnd().split('\n');
        expect(lines).toEqual(flows.map((f) => `flow add cookie=0x${((chain << 16n) | BigInt(gen)).toString(16)},${f}`));
      }),
    );
  });
});
