import type { HypervisorDriver } from '#vim/libvirt';
import { domainNameFor } from '#vim/naming';
import { ownerExternalIds, type SwitchDriver } from '#vim/ovs';
import type { Client } from './api.js';

const FINAL = ['COMPLETED', 'ROLLED_BACK', 'FAILED', 'FAILED_TEMP'];

/** Polls an operation until `until` says so (default: a final state or FAILED_TEMP). */
export async function waitForOp(
  api: Client,
  opId: string,
  { timeoutMs = 90_000, until = (op: Record<string, unknown>) => FINAL.includes(op.operationState as string) } = {},
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const op = (await api.get(`/api/v1/vnf_lcm_op_occs/${opId}`).expect(200)).body as Record<string, any>;
    if (until(op)) return op;
    if (Date.now() > deadline) throw new Error(`operation ${opId} still ${op.operationState} at ${op.currentStep} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The op id from a 202's Location header. */
export const opIdOf = (location: string | undefined): string => (location ?? '').split('/').pop() as string;

/**
 * Disables every enabled host but `keep`, so placement can only choose the suite's own hosts
 * (suites share one database and leave their hosts behind); the returned function re-enables them.
 */
export async function setAsideOtherHosts(db: { query(sql: string, params?: unknown[]): Promise<any> }, keep: string[] = []): Promise<() => Promise<void>> {
  const rows = (await db.query(`UPDATE hosts SET enabled = false WHERE enabled AND NOT (id = ANY($1::uuid[])) RETURNING id`, [keep])) as { id: string }[];
  const ids = rows.map((r) => r.id);
  return async () => {
    if (ids.length > 0) await db.query(`UPDATE hosts SET enabled = true WHERE id = ANY($1::uuid[])`, [ids]);
  };
}

export async function expectEventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not so after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function waitForDiscovery(api: Client, hostId: string): Promise<void> {
  await expectEventually(async () => (await api.get(`/api/v1/hosts/${hostId}`).expect(200)).body.state === 'UP', 30_000);
}

/**
 * After a failed test on a real host: the domains and ports of its instances, found by the names
 * and external ids they were given.
 */
export async function removeLeftovers(
  instanceIds: readonly string[],
  vmsOf: (instanceId: string) => Promise<{ id: string }[]>,
  { libvirt, ovs, bridge = 'br-int' }: { libvirt: HypervisorDriver; ovs: SwitchDriver; bridge?: string },
): Promise<void> {
  for (const instanceId of instanceIds) {
    for (const vm of await vmsOf(instanceId).catch(() => [])) {
      await libvirt.destroyDomain(domainNameFor(vm.id)).catch(() => undefined);
      await libvirt.undefineDomain(domainNameFor(vm.id)).catch(() => undefined);
    }
    const ports = await ovs.findPorts(ownerExternalIds(instanceId)).catch(() => []);
    if (ports.length > 0) await ovs.removePorts(bridge, ports.map((p) => p.name)).catch(() => undefined);
  }
}

const CHAIN_FINAL = ['COMPLETED', 'FAILED'];

/** Polls a chain operation (/api/v1/chain_op_occs) until it is COMPLETED or FAILED. */
export async function waitForChainOp(api: Client, opId: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const op = (await api.get(`/api/v1/chain_op_occs/${opId}`).expect(200)).body as Record<string, any>;
    if (CHAIN_FINAL.includes(op.operationState as string)) return op;
    if (Date.now() > deadline) throw new Error(`chain operation ${opId} (${op.operation}) still ${op.operationState} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls a service chain until `until` holds for its view; answers that view. */
export async function waitForChain(api: Client, chainId: string, until: (chain: Record<string, any>) => boolean, timeoutMs = 60_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const chain = (await api.get(`/api/v1/service_chains/${chainId}`).expect(200)).body as Record<string, any>;
    if (until(chain)) return chain;
    if (Date.now() > deadline) throw new Error(`service chain ${chainId} not as awaited after ${timeoutMs} ms: state ${chain.state} (${chain.stateReason}), generation ${chain.generation}, repairs ${chain.repairs}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
