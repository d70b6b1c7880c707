import type { OpContext } from './op-context.js';
import type { VmRecord } from './records.js';
import { eachVm, launchDomain, plugPorts } from './vm-work.js';

/** One step of an operation: a BullMQ job of its own, done when `run` resolves, safe to run again. */
export interface Step {
  name: string;
  run(ctx: OpContext): Promise<void>;
}

/** Picks the VMs a step works on. */
export type Targets = (ctx: OpContext) => Promise<VmRecord[]>;

export const perVm = (name: string, targets: Targets, work: (ctx: OpContext, vm: VmRecord) => Promise<void>): Step => ({
  name,
  run: async (ctx) => eachVm(ctx, name, await targets(ctx), (vm) => work(ctx, vm)),
});

/**
 * Bringing placed VMs up: the OvS ports, then the domain that uses them (disks, define, start: the
 * libvirt side, one step so that a launch costs two queue hops, not four).
 */
export function buildSteps(targets: Targets): Step[] {
  return [perVm('plug-ports', targets, plugPorts), perVm('launch', targets, launchDomain)];
}

/**
 * The steps, the last one also recording the operation's outcome on the instance (`after`, e.g.
 * with ctx.recordInstantiated): a step of its own would cost a job for one row.
 */
export function endingWith(steps: readonly Step[], after: (ctx: OpContext) => void): Step[] {
  const last = steps.at(-1)!;
  return [...steps.slice(0, -1), { name: last.name, run: async (ctx) => {
    await last.run(ctx);
    after(ctx);
  } }];
}
