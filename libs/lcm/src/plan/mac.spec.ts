import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { checkMacAddress } from '#vim/naming';
import { portMac } from './mac.js';

const ports = (uuid: string, n: number) => Array.from({ length: n }, (_, i) => portMac(uuid, i));

describe('portMac', () => {
  test('valid, locally administered unicast, unique per port of a VM, and stable', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 1, max: 256 }), (uuid, n) => {
        const macs = ports(uuid, n);
        expect(new Set(macs).size).toBe(n);
        expect(ports(uuid, n)).toEqual(macs);
        for (const mac of macs) {
          expect(checkMacAddress(mac).ok).toBe(true);
          expect(parseInt(mac.slice(0, 2), 16) & 0x03).toBe(0x02);
        }
      }),
    );
  });

  test('different VDU instances get different MACs', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.integer({ min: 0, max: 255 }), (a, b, i) => {
        fc.pre(a !== b);
        expect(portMac(a, i)).not.toBe(portMac(b, i));
      }),
    );
  });

  test('refuses what is not a VDU instance id or a port index', () => {
    expect(() => portMac('not-a-uuid', 0)).toThrow('invalid UUID');
    expect(() => portMac('3f2c9a4e-8b1d-4c6e-9f00-1a2b3c4d5e6f', 256)).toThrow(RangeError);
  });
});
