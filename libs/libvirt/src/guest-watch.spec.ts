import { describe, expect, test } from '@jest/globals';
import { GuestNotRunningError, quotedLog, watchGuest } from './guest-watch.js';
import { FakeHypervisorDriver } from './testing/fake-hypervisor.js';

// The end of a QEMU log after a KVM internal error, as QEMU 7.2 writes it.
const KVM_ERROR_LOG = [
  'char device redirected to /dev/pts/0 (label charserial0)',
  'KVM internal error. Suberror: 1',
  ...[0, 1, 2, 3, 4, 5].map((i) => `extra data[${i}]: 0x0000000000000000`),
  'emulation failure',
  'EAX=00000011 EBX=00000000 ECX=00000000 EDX=00000080',
  ...Array.from({ length: 20 }, (_, i) => `register line ${i}`),
  'Code=?? ?? ?? <??> ??',
];

describe('quotedLog', () => {
  test('quotes from the error line, not the register dump after it', () => {
    expect(quotedLog(KVM_ERROR_LOG)).toEqual(['KVM internal error. Suberror: 1', ...KVM_ERROR_LOG.slice(2, 8), 'emulation failure']);
  });

  test('without an error line, the last lines', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i}`);
    expect(quotedLog(lines, 3)).toEqual(['line 9', 'line 10', 'line 11']);
  });
});

describe('watchGuest', () => {
  const DOMAIN = "<domain type='kvm'><name>vim-g</name></domain>";

  test('a guest that runs through the watch: its state', async () => {
    const libvirt = new FakeHypervisorDriver();
    await libvirt.defineDomain(DOMAIN);
    await libvirt.startDomain('vim-g');
    await expect(watchGuest(libvirt, 'vim-g', 0)).resolves.toEqual({ state: 'RUNNING' });
  });

  test("a guest that stopped: libvirt's words and the QEMU log's error lines", async () => {
    const libvirt = new FakeHypervisorDriver();
    await libvirt.defineDomain(DOMAIN);
    libvirt.failNextGuest({ power: { state: 'PAUSED', reason: 'unknown' }, log: KVM_ERROR_LOG });
    await libvirt.startDomain('vim-g');
    const error = (await watchGuest(libvirt, 'vim-g', 0).catch((e: unknown) => e)) as GuestNotRunningError;
    expect(error).toBeInstanceOf(GuestNotRunningError);
    expect(error.message).toMatch(/^domain vim-g is not running \d+ ms after start: libvirt reports it paused \(unknown\); its QEMU log ends: KVM internal error\. Suberror: 1 \|/);
    expect(error.qemuLog?.at(-1)).toBe('emulation failure');
  });

  test('a guest caught in the moment libvirt calls "in shutdown" is reported in the state it ends in', async () => {
    const libvirt = new FakeHypervisorDriver();
    await libvirt.defineDomain(DOMAIN);
    libvirt.failNextGuest({ power: { state: 'SHUTDOWN' } });
    await libvirt.startDomain('vim-g');
    setTimeout(() => libvirt.setGuest('vim-g', { state: 'SHUTOFF', reason: 'shutdown' }), 150);
    const error = (await watchGuest(libvirt, 'vim-g', 0).catch((e: unknown) => e)) as GuestNotRunningError;
    expect(error.power).toEqual({ state: 'SHUTOFF', reason: 'shutdown' });
    expect(error.message).toContain('libvirt reports it shut off (shutdown)');
  });

  test('a domain that is gone altogether is named so', async () => {
    const error = (await watchGuest(new FakeHypervisorDriver(), 'vim-gone', 0).catch((e: unknown) => e)) as GuestNotRunningError;
    expect(error.message).toContain('libvirt no longer knows it');
    expect(error.power).toBeUndefined();
  });
});
