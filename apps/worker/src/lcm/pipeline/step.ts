import type { OpContext } from './op-context.js';
import type { VmRecord } from './records.js';
import { defineDomain, eachVm, plugPorts, startDomain } from './vm-work.js';

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

/** Bringing placed VMs up, in the order each needs the one before: ports, then disks and the domain that uses them. */
export function buildSteps(targets: Targets): Step[] {
  return [
    perVm('plug-ports', targets, plugPorts),
    perVm('define', targets, defineDomain),
    perVm('start', targets, startDomain),
  ];
}

/**
 * The steps, the last one also doing `after` (recording the operation's outcome on the instance):
 * a step of its own would cost a job for one row. `after` must be safe to run again, like a step.
 */
export function endingWith(steps: readonly Step[], after: (ctx: OpContext) => Promise<void>): Step[] {
  const last = steps.at(-1)!;
  return [...steps.slice(0, -1), { name: last.name, run: async (ctx) => {
    await last.run(ctx);
    await after(ctx);
  } }];
}
