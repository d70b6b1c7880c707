import { InvalidInstantiateParamsError } from '#vim/lcm';
import type { OpContext } from './op-context.js';
import { placeVms } from './placing.js';
import { invalidRequestProblem, StepError } from './problem.js';
import { buildSteps, endingWith, type Step } from './step.js';
import { discardVm, eachVm } from './vm-work.js';

/**
 * The VM rows of the plan (created once: their ids derive from the plan), then their placement.
 * Planning checks the request against the descriptor again: the worker acts only on what it has checked itself.
 */
async function createAndPlace(ctx: OpContext): Promise<void> {
  let planned;
  try {
    planned = ctx.plan();
  } catch (error) {
    if (!(error instanceof InvalidInstantiateParamsError)) throw error;
    throw new StepError(invalidRequestProblem('place', `the instantiate request does not fit descriptor '${ctx.instance.vnfd.vnfdId}'`, error.problems));
  }
  await ctx.addVms(planned.map((vm) => ({ id: vm.id, vnfInstanceId: ctx.instance.id, vduId: vm.vduId })));
  await placeVms(ctx, 'place', await ctx.vms());
}

const allVms = (ctx: OpContext) => ctx.vms();

export const INSTANTIATE_STEPS: readonly Step[] = [
  { name: 'place', run: createAndPlace },
  ...endingWith(buildSteps(allVms), (ctx) => ctx.recordInstantiated(ctx.params())),
];

/** Undoes an instantiation, last VM first: each VM's domain, ports and files, then its claims and row. */
export async function undoInstantiate(ctx: OpContext): Promise<void> {
  await eachVm(ctx, 'rollback', (await ctx.vms()).reverse(), (vm) => discardVm(ctx, vm));
}
