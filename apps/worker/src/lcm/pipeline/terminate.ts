import type { OpContext, VmSite } from './op-context.js';
import type { PortRecord, VmChanges } from './records.js';
import { endingWith, type Step } from './step.js';
import { eachVm, removeStopped, stopDomain, vmIdOf } from './vm-work.js';

interface TerminateParams {
  terminationType?: 'GRACEFUL' | 'FORCEFUL';
  /** Seconds the guest gets to power off after the ACPI request. */
  gracefulTerminationTimeout?: number;
}

/** When a graceful request names no timeout: long enough for a guest's services to stop. */
const DEFAULT_GRACEFUL_SECONDS = 60;

function gracefulMs(ctx: OpContext): number | undefined {
  const params = ctx.op.params as TerminateParams;
  if (params.terminationType === 'FORCEFUL') return undefined;
  return (params.gracefulTerminationTimeout ?? DEFAULT_GRACEFUL_SECONDS) * 1000;
}

/** A step that does `work` where each VM (or heal holder) runs, then records `after` on its row. */
function onEachSite(name: string, work: (ctx: OpContext, site: VmSite, ports: readonly PortRecord[]) => Promise<void>, after?: VmChanges): Step {
  return {
    name,
    run: async (ctx) =>
      eachVm(ctx, name, await ctx.vms(), async (row) => {
        const site = await ctx.site(vmIdOf(row), row.id, { teardown: true });
        if (site) await work(ctx, site, row.ports);
        if (after) ctx.recordVm(row.id, after);
      }),
  };
}

export const TERMINATE_STEPS: readonly Step[] = endingWith(
  [
    onEachSite('shutdown', (ctx, site) => stopDomain(ctx, site, gracefulMs(ctx)), { state: 'STOPPED' }),
    // Undefine, ports and files in one step: each is quick, and a job of its own costs a queue hop.
    onEachSite('dismantle', (ctx, site, ports) => removeStopped(ctx, site, ports), { state: 'DELETING', ports: [] }),
    { name: 'release', run: async (ctx) => eachVm(ctx, 'release', await ctx.vms(), (row) => ctx.store.removeVm(row.id)) },
  ],
  (ctx) => ctx.recordInstantiated(null),
);
