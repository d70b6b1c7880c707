import { dirname } from 'node:path';
import { buildDomainXml, GuestNotRunningError, watchGuest } from '#vim/libvirt';
import { domainNameFor } from '#vim/naming';
import { ownerExternalIds } from '#vim/ovs';
import type { LaunchSpec, PlannedVm } from '#vim/lcm';
import type { OpContext, VmSite } from './op-context.js';
import { StepError, vmStepProblem } from './problem.js';
import type { PortRecord, VmRecord } from './records.js';

// What a step does to one VM. Each function can run again after a crash: libvirt, OvS and the
// image driver keep what already exists, and names derive from the VM's id.

/** VMs one step works on at once: enough to overlap libvirt's and QEMU's waits, few enough for a small host. */
const VM_CONCURRENCY = 4;

/** Runs `work` on each VM, a few at a time; every VM's work settles before the first failure (in VM order) is thrown. */
export async function eachVm(ctx: OpContext, step: string, vms: readonly VmRecord[], work: (vm: VmRecord) => Promise<void>): Promise<void> {
  const results: PromiseSettledResult<void>[] = [];
  const queue = vms.map((vm, i) => ({ vm, i }));
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      results[next.i] = await work(next.vm).then(
        () => ({ status: 'fulfilled', value: undefined }),
        (reason: unknown) => ({ status: 'rejected', reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(VM_CONCURRENCY, vms.length) }, lane));
  const failed = results.findIndex((r) => r.status === 'rejected');
  if (failed < 0) return;
  const reason = (results[failed] as PromiseRejectedResult).reason;
  throw reason instanceof StepError ? reason : new StepError(vmStepProblem(step, ctx.label(vms[failed]!), reason));
}

/** The OvS side of the VM's vhost-user ports, in one transaction; QEMU creates the sockets in a folder that must exist. */
export async function plugPorts(ctx: OpContext, vm: VmRecord): Promise<void> {
  const { host, spec, planned } = await ctx.buildSite(vm);
  await ctx.drivers.images.ensureFolder(host.vhostSocketDir);
  if (spec.ports.length > 0) await ctx.drivers.switch(host).ensureVhostUserPorts(spec.ports);
  ctx.recordVm(vm.id, { state: 'BUILDING', ports: portRecords(planned, spec) });
}

/**
 * The domain's disk (a qcow2 overlay) and NoCloud seed, then the domain that names them, defined
 * and started, and its guest watched for a moment: a guest that pauses, crashes or powers off at
 * once fails the step (GuestNotRunningError). A run after a crash finds what exists and goes on from there.
 */
export async function launchDomain(ctx: OpContext, vm: VmRecord): Promise<void> {
  const { host, spec } = await ctx.buildSite(vm);
  if (spec.overlay) await ctx.drivers.images.createOverlay(spec.overlay);
  if (spec.cloudInit) await ctx.drivers.images.createCloudInitIso(spec.cloudInit);
  // virtlogd creates the console log but not its folder, which a VM without disk or seed has not made.
  if (spec.domain.consoleLog !== undefined) await ctx.drivers.images.ensureFolder(dirname(spec.domain.consoleLog));
  const hypervisor = ctx.drivers.hypervisor(host);
  const domain = await hypervisor.defineDomain(buildDomainXml(spec.domain));
  ctx.recordVm(vm.id, { domainName: domain.name, domainUuid: domain.uuid });
  await hypervisor.startDomain(domain.name);
  const power = await watchGuest(hypervisor, domain.name, ctx.drivers.guestCheckMs).catch((error: unknown) => withConsoleTail(ctx, spec, error));
  ctx.recordVm(vm.id, { state: 'ACTIVE', powerState: power.state, powerStateReason: power.reason ?? null, powerStateAt: new Date() });
}

/** Console lines a guest-not-running problem quotes: enough for the firmware's or kernel's last words. */
export const FAILURE_CONSOLE_LINES = 20;

/**
 * A guest that did not stay up: its problem quotes the end of its console (why it stopped, as the
 * guest saw it), read now because the rollback that follows removes the file.
 */
async function withConsoleTail(ctx: OpContext, spec: LaunchSpec, error: unknown): Promise<never> {
  if (error instanceof GuestNotRunningError && spec.domain.consoleLog !== undefined) {
    error.consoleLog = await ctx.drivers.images.consoleTail(spec.domain.consoleLog, FAILURE_CONSOLE_LINES).catch(() => undefined);
  }
  throw error;
}

/** Each planned port with what was plumbed for it: the OvS port, or the VF placement gave it. */
function portRecords(planned: PlannedVm, spec: LaunchSpec): PortRecord[] {
  return planned.ports.map((port, i) => {
    const nic = spec.domain.interfaces[i]!;
    const record: PortRecord = { cpdId: port.cpdId, ...(port.extCpdId !== undefined && { extCpdId: port.extCpdId }), kind: port.kind };
    if (nic.type === 'hostdev') record.pciAddress = nic.pciAddress;
    else record.name = spec.ports.find((p) => p.socketPath === nic.socketPath)?.name;
    if (port.bridge !== undefined) record.bridge = port.bridge;
    if (port.physnet !== undefined) record.physnet = port.physnet;
    if (port.vlan !== undefined) record.vlan = port.vlan;
    return record;
  });
}

/** Graceful: ACPI, then power-off once `gracefulMs` has passed. Forceful (undefined): power-off at once. */
export async function stopDomain(ctx: OpContext, site: VmSite, gracefulMs?: number): Promise<void> {
  const hypervisor = ctx.drivers.hypervisor(site.host);
  const name = domainNameFor(site.vmId);
  await (gracefulMs === undefined ? hypervisor.destroyDomain(name) : hypervisor.shutdownDomain(name, gracefulMs));
}

export async function undefineDomain(ctx: OpContext, site: VmSite): Promise<void> {
  await ctx.drivers.hypervisor(site.host).undefineDomain(domainNameFor(site.vmId));
}

/**
 * Removes the VM's vhost-user ports: those its launch names, those recorded on its row, and any
 * other port marked as this VM's (a crash between the OVSDB commit and the row update leaves one
 * recorded nowhere else).
 */
export async function unplugPorts(ctx: OpContext, site: VmSite, vnfInstanceId: string, recorded: readonly PortRecord[]): Promise<void> {
  const driver = ctx.drivers.switch(site.host);
  const byBridge = new Map<string, Set<string>>();
  const add = (bridge: string | undefined, name: string | undefined) => {
    if (bridge !== undefined && name !== undefined) byBridge.set(bridge, (byBridge.get(bridge) ?? new Set()).add(name));
  };
  for (const port of site.spec?.ports ?? []) add(port.bridge, port.name);
  for (const port of recorded) add(port.bridge, port.name);
  for (const port of await driver.findPorts(ownerExternalIds(vnfInstanceId, site.vmId))) add(port.bridge, port.name);
  for (const [bridge, names] of byBridge) await driver.removePorts(bridge, [...names]);
}

/**
 * virtlogd keeps `max_backups` rotated copies of a console log (3 by default) as `<log>.0`, `.1`…;
 * a few more are removed in case a host keeps more.
 */
const CONSOLE_LOG_BACKUPS = 10;

export async function removeFiles(ctx: OpContext, site: VmSite): Promise<void> {
  const { overlay, cloudInit, domain } = site.spec ?? {};
  if (overlay) await ctx.drivers.images.remove(overlay.path);
  if (cloudInit) await ctx.drivers.images.remove(cloudInit.isoPath);
  if (domain?.consoleLog !== undefined) {
    await ctx.drivers.images.remove(domain.consoleLog);
    for (let i = 0; i < CONSOLE_LOG_BACKUPS; i++) await ctx.drivers.images.remove(`${domain.consoleLog}.${i}`);
  }
}

/**
 * The VM's vhost-user socket files: QEMU, their server, removes them when it stops, but one that
 * crashed (or was killed) leaves them behind. Those its launch names and those its row records.
 */
export async function removeSockets(ctx: OpContext, site: VmSite, recorded: readonly PortRecord[]): Promise<void> {
  const paths = new Set((site.spec?.ports ?? []).map((port) => port.socketPath));
  for (const port of recorded) if (port.kind === 'vhostuser' && port.name !== undefined) paths.add(`${site.host.vhostSocketDir}/${port.name}.sock`);
  for (const path of paths) await ctx.drivers.images.remove(path);
}

/** Everything made for the VM on that site, in reverse order of making: domain, ports, files. */
export async function dismantle(ctx: OpContext, site: VmSite, recorded: readonly PortRecord[]): Promise<void> {
  await stopDomain(ctx, site);
  await removeStopped(ctx, site, recorded);
}

/** What dismantle does once the domain is off: undefine it, then its ports, sockets and files. */
export async function removeStopped(ctx: OpContext, site: VmSite, recorded: readonly PortRecord[]): Promise<void> {
  await undefineDomain(ctx, site);
  await unplugPorts(ctx, site, ctx.instance.id, recorded);
  await removeSockets(ctx, site, recorded);
  await removeFiles(ctx, site);
}

/** The VM a row stands for: itself, or for a heal holder the VM whose old domain it keeps (see LcmStore.parkVm). */
export function vmIdOf(row: VmRecord): string {
  return row.domainUuid !== null && row.domainUuid !== row.id ? row.domainUuid : row.id;
}

/** Dismantles what the row stands for where it runs, then releases its claims and deletes it. */
export async function discardVm(ctx: OpContext, row: VmRecord): Promise<void> {
  const site = await ctx.site(vmIdOf(row), row.id, { teardown: true });
  if (site) await dismantle(ctx, site, row.ports);
  await ctx.store.removeVm(row.id);
}
