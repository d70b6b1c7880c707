import { holderIdFor } from './ids.js';
import type { OpContext } from './op-context.js';
import { placeVms } from './placing.js';
import { invalidRequestProblem, StepError } from './problem.js';
import type { HostRecord, VmRecord } from './records.js';
import { buildSteps, perVm, type Step, type Targets } from './step.js';
import { dismantle, stopDomain, undefineDomain, unplugPorts } from './vm-work.js';

interface HealParams {
  /** Left out or empty: every VM of the instance. */
  vduInstanceIds?: string[];
  target?: 'same-host' | 'any-host';
}

const healParams = (ctx: OpContext) => ctx.op.params as HealParams;

/** The VMs to heal: those named, else all; each must be a planned VM of the instance. */
const healTargets: Targets = async (ctx) => {
  const rows = new Map((await ctx.vms()).map((vm) => [vm.id, vm]));
  const named = healParams(ctx).vduInstanceIds ?? [];
  const ids = named.length > 0 ? [...new Set(named)] : ctx.plan().map((vm) => vm.id);
  const unknown = ids.filter((id) => !rows.has(id) || !ctx.plannedVm(id));
  if (unknown.length > 0) {
    throw new StepError(invalidRequestProblem(ctx.op.currentStep ?? '', `not VMs of VNF instance ${ctx.instance.id}: ${unknown.join(', ')}`));
  }
  return ids.map((id) => rows.get(id)!);
};

/** Same host: the VM keeps its claims and disk; its domain and ports are made again. */
async function takeDown(ctx: OpContext, vm: VmRecord): Promise<void> {
  const site = await ctx.site(vm.id);
  if (!site) throw new Error('the VM holds no placement to heal it on');
  await stopDomain(ctx, site);
  await undefineDomain(ctx, site);
  await unplugPorts(ctx, site, ctx.instance.id, vm.ports);
  ctx.recordVm(vm.id, { state: 'BUILDING', ports: [] });
}

/**
 * Names (domain, ports, files) derive from the VM's id, so its old and new incarnations collide
 * wherever they share a libvirt, an OvS or an image folder (the image driver works on the
 * worker's own disk): there the old one must go first.
 */
function collide(a: HostRecord, b: HostRecord): boolean {
  return a.id === b.id || a.libvirtUri === b.libvirtUri || a.ovsdbRemote === b.ovsdbRemote || a.imageDir === b.imageDir;
}

/** The VM's old incarnation, kept by its heal holder row, and whether it collides with the new one. */
async function oldIncarnation(ctx: OpContext, vm: VmRecord) {
  const holderId = holderIdFor(ctx.op.id, vm.id);
  const holder = (await ctx.vms()).find((row) => row.id === holderId);
  if (!holder) return undefined;
  const [old, fresh] = await Promise.all([ctx.site(vm.id, holderId, { teardown: true }), ctx.site(vm.id)]);
  return { holder, old, collides: old !== undefined && fresh !== undefined && collide(old.host, fresh.host) };
}

/** Before building: an old incarnation in the new one's way is dismantled (break before make). */
async function clearTheWay(ctx: OpContext, vm: VmRecord): Promise<void> {
  const found = await oldIncarnation(ctx, vm);
  if (found?.old && found.collides) await dismantle(ctx, found.old, found.holder.ports);
}

/** After building: the old incarnation is dismantled where it still runs, and its claims released. */
async function retireOld(ctx: OpContext, vm: VmRecord): Promise<void> {
  const found = await oldIncarnation(ctx, vm);
  if (!found) return;
  if (found.old && !found.collides) await dismantle(ctx, found.old, found.holder.ports);
  await ctx.store.removeVm(found.holder.id);
}

const SAME_HOST_STEPS: readonly Step[] = [perVm('take-down', healTargets, takeDown), ...buildSteps(healTargets)];

/** Any host: the old claims are held (parked) until the VM runs on its new placement (make before break). */
const ANY_HOST_STEPS: readonly Step[] = [
  perVm('park-claims', healTargets, (ctx, vm) => ctx.store.parkVm(vm.id, holderIdFor(ctx.op.id, vm.id))),
  { name: 'place', run: async (ctx) => placeVms(ctx, 'place', await healTargets(ctx)) },
  perVm('clear-the-way', healTargets, clearTheWay),
  ...buildSteps(healTargets),
  perVm('retire-old', healTargets, retireOld),
];

/** A request that names another target is refused by its first step. */
export function healSteps(params: Record<string, unknown>): readonly Step[] {
  const target = (params as HealParams).target;
  if (target === 'any-host') return ANY_HOST_STEPS;
  if (target === 'same-host' || target === undefined) return SAME_HOST_STEPS;
  return [
    {
      name: 'check-request',
      run: async () => {
        throw new StepError(invalidRequestProblem('check-request', `heal target must be 'same-host' or 'any-host', not ${JSON.stringify(target)}`));
      },
    },
  ];
}
