import { describe, expect, test } from '@jest/globals';
import { parseRemote } from './ovsdb-client.js';
import { cpusInMask } from './switch-info.js';

describe('cpusInMask', () => {
  test.each([
    ['0x2', [1]],
    ['0xF0', [4, 5, 6, 7]],
    ['3', [0, 1]],
    ['0x10000000000000001', [0, 64]],
    ['', []],
    [undefined, []],
    ['0xZZ', []],
  ])('%s -> %j', (mask, cpus) => {
    expect(cpusInMask(mask)).toEqual(cpus);
  });
});

describe('parseRemote', () => {
  test('unix and tcp remotes', () => {
    expect(parseRemote('unix:/var/run/openvswitch/db.sock')).toEqual({ path: '/var/run/openvswitch/db.sock' });
    expect(parseRemote('tcp:127.0.0.1:6640')).toEqual({ host: '127.0.0.1', port: 6640 });
    expect(parseRemote('tcp:[::1]:6640')).toEqual({ host: '::1', port: 6640 });
  });

  test('anything else is refused with the accepted forms', () => {
    expect(() => parseRemote('ssl:1.2.3.4:6640')).toThrow(/unix:\/path or tcp:host:port/);
    expect(() => parseRemote('tcp:host')).toThrow();
  });
});
