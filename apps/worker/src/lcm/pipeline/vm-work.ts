import { buildDomainXml, watchGuest } from '../../../../../libs/libvirt/src/index.js';
import { domainNameFor } from '../../../../../libs/naming/src/index.js';
import { ownerExternalIds } from '../../../../../libs/ovs/src/index.js';
import type { LaunchSpec, PlannedVm } from '../../../../../libs/lcm/src/index.js';
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
  const hypervisor = ctx.drivers.hypervisor(host);
  const domain = await hypervisor.defineDomain(buildDomainXml(spec.domain));
  ctx.recordVm(vm.id, { domainName: domain.name, domainUuid: domain.uuid });
  await hypervisor.startDomain(domain.name);
  const power = await watchGuest(hypervisor, domain.name, ctx.drivers.guestCheckMs);
  ctx.recordVm(vm.id, { state: 'ACTIVE', powerState: power.state, powerStateReason: power.reason ?? null, powerStateAt: new Date() });
}

/** Each planned port with what was plumbed for it: the OvS port, or the VF placement gave it. */
function portRecords(planned: PlannedVm, spec: LaunchSpec): PortRecord[] {
  return planned.ports.map((port, i) => {
    const nic = spec.domain.interfaces[i]!;
    const record: PortRecord = { cpdId: port.cpdId, kind: port.kind };
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

export async function removeFiles(ctx: OpContext, site: VmSite): Promise<void> {
  const { overlay, cloudInit } = site.spec ?? {};
  if (overlay) await ctx.drivers.images.remove(overlay.path);
  if (cloudInit) await ctx.drivers.images.remove(cloudInit.isoPath);
}

/** Everything made for the VM on that site, in reverse order of making: domain, ports, files. */
export async function dismantle(ctx: OpContext, site: VmSite, recorded: readonly PortRecord[]): Promise<void> {
  await stopDomain(ctx, site);
  await removeStopped(ctx, site, recorded);
}

/** What dismantle does once the domain is off: undefine it, then its ports and files. */
export async function removeStopped(ctx: OpContext, site: VmSite, recorded: readonly PortRecord[]): Promise<void> {
  await undefineDomain(ctx, site);
  await unplugPorts(ctx, site, ctx.instance.id, recorded);
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
