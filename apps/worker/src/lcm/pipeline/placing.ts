import type { OpContext } from './op-context.js';
import { noValidHostProblem, StepError } from './problem.js';
import type { VmRecord } from './records.js';

/**
 * Places the VMs that hold no host yet, all in one request; placement claims their resources.
 * A VM placed by an earlier run of the step is not asked again. One refusal fails the step with
 * placement's explanation; the VMs placed meanwhile keep their claims for the undo to release.
 */
export async function placeVms(ctx: OpContext, step: string, vms: readonly VmRecord[]): Promise<void> {
  const open = vms.filter((vm) => vm.hostId === null);
  if (open.length === 0) return;
  const items = open.map((vm) => {
    const planned = ctx.plannedVm(vm.id);
    if (!planned) throw new Error(`VM ${vm.id} (vdu '${vm.vduId}') is not in the instance plan`);
    return { vduInstanceId: vm.id, request: { ...planned.request, requestId: vm.id } };
  });
  const results = await ctx.placer.place(items);
  const refused = results.findIndex((r) => !r.ok);
  const result = results[refused];
  if (result && !result.ok) throw new StepError(noValidHostProblem(step, ctx.label(open[refused]!), result.explanation));
}
