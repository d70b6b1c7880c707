import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { classifierProblems, classifiersOverlap, portRangeMasks, reverseClassifier } from './classifier.js';
import { classifierMatches } from './render.js';
import { classifierArb, classifies, packetArb, rangeArb } from './testing/index.js';
import { interpret, parseRules } from './testing/interpreter.js';

const RUNS = { numRuns: 300 };

describe('classifiers (properties)', () => {
  test('random classifiers are well-formed (the generators stay inside the rules)', () => {
    fc.assert(fc.property(classifierArb(), (c) => expect(classifierProblems(c)).toEqual([])), RUNS);
  });

  test('overlap is symmetric and every classifier overlaps itself', () => {
    fc.assert(
      fc.property(classifierArb(), classifierArb(), (a, b) => {
        expect(classifiersOverlap(a, b)).toBe(classifiersOverlap(b, a));
        expect(classifiersOverlap(a, a)).toBe(true);
      }),
      RUNS,
    );
  });

  test('classifiers with disjoint port ranges never overlap', () => {
    fc.assert(
      fc.property(classifierArb(['ipv4']), rangeArb, rangeArb, fc.constantFrom('sourcePorts' as const, 'destinationPorts' as const), (c, r1, r2, key) => {
        fc.pre(r1.to < r2.from);
        const base = { ...c, protocol: 6 };
        expect(classifiersOverlap({ ...base, [key]: r1 }, { ...base, [key]: r2 })).toBe(false);
      }),
      RUNS,
    );
  });

  test('a packet both classifiers match means they overlap (overlap is never a false no)', () => {
    fc.assert(
      fc.property(classifierArb(['ipv4']), classifierArb(['ipv4']), packetArb(1, 'ipv4'), (a, b, p) => {
        if (classifies(a, p) && classifies(b, p)) expect(classifiersOverlap(a, b)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('the rendered matches select exactly the packets the classifier describes', () => {
    fc.assert(
      fc.property(classifierArb(), packetArb(1), (c, p) => {
        const rules = parseRules(classifierMatches(c).map((m) => `cookie=0x1,priority=1,in_port=1,${m},actions=output:2`), []);
        expect(interpret(rules, p).kind).toBe(classifies(c, p) ? 'output' : 'none');
      }),
      { numRuns: 1000 },
    );
  });

  test('reversing twice gives the classifier back', () => {
    fc.assert(fc.property(classifierArb(), (c) => expect(reverseClassifier(reverseClassifier(c))).toEqual(c)), RUNS);
  });

  test('port range masks cover exactly the range, each port once', () => {
    const anyRange = fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map(([a, b]) => ({ from: Math.min(a, b), to: Math.max(a, b) }));
    fc.assert(
      fc.property(anyRange, fc.integer({ min: 0, max: 65535 }), (range, port) => {
        const hits = portRangeMasks(range).filter(({ value, mask }) => (port & mask) === value).length;
        expect(hits).toBe(port >= range.from && port <= range.to ? 1 : 0);
      }),
      { numRuns: 1000 },
    );
    expect(portRangeMasks({ from: 0, to: 65535 })).toEqual([{ value: 0, mask: 0 }]);
  });
});
