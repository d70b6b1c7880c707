import { checkInstantiateParams } from '../../../../../libs/lcm/src/index.js';
import type { OpContext } from './op-context.js';
import { placeVms } from './placing.js';
import { invalidRequestProblem, StepError } from './problem.js';
import { buildSteps, type Step } from './step.js';
import { discardVm, eachVm } from './vm-work.js';

/** The worker checks the request again: it plans from it, and the descriptor is read only here. */
async function createVms(ctx: OpContext): Promise<void> {
  const problems = checkInstantiateParams(ctx.instance.vnfd, ctx.params());
  if (problems.length > 0) {
    throw new StepError(invalidRequestProblem('create-vms', `the instantiate request does not fit descriptor '${ctx.instance.vnfd.vnfdId}'`, problems));
  }
  await ctx.store.addVms(ctx.plan().map((vm) => ({ id: vm.id, vnfInstanceId: ctx.instance.id, vduId: vm.vduId })));
}

const allVms = (ctx: OpContext) => ctx.vms();

export const INSTANTIATE_STEPS: readonly Step[] = [
  { name: 'create-vms', run: createVms },
  { name: 'place', run: async (ctx) => placeVms(ctx, 'place', await allVms(ctx)) },
  ...buildSteps(allVms),
  { name: 'finish', run: (ctx) => ctx.store.markInstantiated(ctx.instance.id, ctx.params()) },
];

/** Undoes an instantiation, last VM first: each VM's domain, ports and files, then its claims and row. */
export async function undoInstantiate(ctx: OpContext): Promise<void> {
  await eachVm(ctx, 'rollback', (await ctx.vms()).reverse(), (vm) => discardVm(ctx, vm));
}
