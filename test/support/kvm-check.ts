import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kvmAvailable, VirshProbe } from '#vim/inventory';
import { parseDomstate, type PowerState, qemuLogTail, quotedLog } from '#vim/libvirt';

const run = promisify(execFile);

/**
 * What KVM is on this machine. CI machines differ: no /dev/kvm (libvirt offers only qemu), a KVM
 * that runs guests, or a nested KVM that libvirt offers but whose guests stop in the firmware
 * (`paused (unknown)`, "KVM internal error" in the QEMU log). Only a guest that is booted tells
 * the last two apart.
 */
export type KvmKind = { kind: 'absent' } | { kind: 'works' } | { kind: 'broken'; power: PowerState | undefined; log: string[] };

/** How long the check's guest must keep running: a failing nested KVM stops it within the firmware's first moments. */
const BOOT_CHECK_MS = 5000;

/**
 * A quick boot check: a transient domain of type kvm, the way the product builds its KVM guests
 * (host-passthrough less arch-capabilities, q35, SeaBIOS, no disk), must still run a few seconds
 * after start. The domain is destroyed afterwards whatever happened.
 */
export async function checkKvm(uri = 'qemu:///system'): Promise<KvmKind> {
  if (!kvmAvailable(await new VirshProbe(uri).capabilities())) return { kind: 'absent' };
  const name = `e2e-kvm-check-${process.pid}`;
  const xml = `<domain type='kvm'><name>${name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
    <os><type arch='x86_64' machine='q35'>hvm</type></os>
    <cpu mode='host-passthrough'><feature policy='disable' name='arch-capabilities'/></cpu>
    <on_crash>preserve</on_crash><devices><serial type='pty'/></devices></domain>`;
  const virsh = (...args: string[]) => run('virsh', ['-c', uri, ...args], { timeout: 30_000 });
  const folder = await mkdtemp(join(tmpdir(), 'vim-kvm-check-'));
  try {
    await writeFile(join(folder, 'domain.xml'), xml);
    const refused = await virsh('create', join(folder, 'domain.xml')).then(() => undefined, (error: Error) => error.message);
    if (refused !== undefined) return { kind: 'broken', power: undefined, log: [refused] };
    await new Promise((resolve) => setTimeout(resolve, BOOT_CHECK_MS));
    const power = await virsh('domstate', '--reason', name).then(({ stdout }) => parseDomstate(stdout), () => undefined);
    if (power?.state === 'RUNNING') return { kind: 'works' };
    return { kind: 'broken', power, log: quotedLog((await qemuLogTail(uri, name, 40)) ?? []) };
  } finally {
    await virsh('destroy', name).catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
    // libvirtd keeps a log per domain name; this one's name is new every run.
    if (uri === 'qemu:///system') await rm(`/var/log/libvirt/qemu/${name}.log`, { force: true });
  }
}
