import { randomUUID } from 'node:crypto';
import { chainInstanceIds, type ChainEvent, type InstanceRecord, type ServiceChain } from '#vim/chains';
import type {
  ChainChanges, ChainEventSink, ChainInputs, ChainOpRecord, ChainOpStateName, ChainRecord, ChainStore, HostSwitch, OtherChain, RepairParams,
} from '../records.js';

/** ChainStore in memory, with the partial unique index (one unfinished operation per chain) and the per-chain lock. */
export class MemoryChainStore implements ChainStore {
  readonly chains = new Map<string, ChainRecord & { counters?: unknown; lastRepairAt?: Date; description?: string | null }>();
  readonly ops = new Map<string, ChainOpRecord & { params?: RepairParams; isAutomaticInvocation?: boolean }>();
  readonly instances = new Map<string, InstanceRecord>();
  readonly hosts = new Map<string, HostSwitch>();
  readonly locked = new Set<string>();
  /** Chains a caller waited for the lock of. */
  readonly waited: string[] = [];
  private nextCookie = 1n;
  /** When operations enter their states. */
  clock: () => Date = () => new Date();

  addChain(spec: ServiceChain, fields: Partial<ChainRecord> = {}): ChainRecord {
    const chain: ChainRecord = {
      id: randomUUID(), tenantId: 't1', name: spec.name, spec, state: 'PENDING', stateReason: null, cookie: this.nextCookie++, generation: 0, installed: [], facts: null, repairs: 0,
      ...fields,
    };
    this.chains.set(chain.id, chain);
    return chain;
  }

  addOp(chain: ChainRecord, operation: ChainOpRecord['operation'], operationParams: Record<string, unknown> | null = null): ChainOpRecord {
    const op: ChainOpRecord = {
      id: randomUUID(), tenantId: chain.tenantId, chainId: chain.id, chainName: chain.name, operation, operationState: 'STARTING', error: null, stateEnteredTime: this.clock(),
      operationParams: structuredClone(operationParams),
    };
    this.ops.set(op.id, op);
    return op;
  }

  async op(opId: string) {
    return this.ops.has(opId) ? structuredClone(this.ops.get(opId)!) : undefined;
  }

  async chain(chainId: string) {
    return this.chains.has(chainId) ? structuredClone(this.chains.get(chainId)!) : undefined;
  }

  async chainIds(vnfInstanceId?: string): Promise<string[]> {
    return [...this.chains.values()]
      .filter((c) => c.state !== 'DELETING' && (vnfInstanceId === undefined || chainInstanceIds(c.spec).includes(vnfInstanceId)))
      .map((c) => c.id);
  }

  async otherChains(chainId: string): Promise<OtherChain[]> {
    return [...this.chains.values()]
      .filter((c) => c.id !== chainId && c.state !== 'DELETING')
      .map((c) => structuredClone({ tenantId: c.tenantId, name: c.name, cookie: c.cookie, spec: c.spec }));
  }

  async inputs(instanceIds: readonly string[], hostNames: readonly string[]): Promise<ChainInputs> {
    const records = new Map<string, InstanceRecord>();
    const names = new Set(hostNames);
    for (const id of instanceIds) {
      const record = this.instances.get(id);
      if (!record) continue;
      records.set(id, structuredClone(record));
      for (const vm of record.vms) if (vm.host) names.add(vm.host);
    }
    return { records, hosts: new Map([...names].filter((n) => this.hosts.has(n)).map((n) => [n, this.hosts.get(n)!])) };
  }

  async setOpState(opId: string, state: ChainOpStateName, error: Record<string, unknown> | null = null): Promise<ChainOpRecord> {
    const op = this.ops.get(opId)!;
    Object.assign(op, { operationState: state, error, stateEnteredTime: this.clock() });
    return structuredClone(op);
  }

  async updateChain(chainId: string, changes: ChainChanges): Promise<void> {
    const chain = this.chains.get(chainId)!;
    const { repaired, ...rest } = changes;
    Object.assign(chain, structuredClone(rest));
    if (repaired) Object.assign(chain, { repairs: chain.repairs + 1, lastRepairAt: new Date() });
  }

  /** Operations ended together with a change of their chain (one transaction in Postgres). */
  readonly finishedWithChain: string[] = [];

  async finishOp(opId: string, state: 'COMPLETED' | 'FAILED', error: Record<string, unknown> | null, chain?: { id: string; changes: ChainChanges }): Promise<ChainOpRecord> {
    if (chain) {
      await this.updateChain(chain.id, chain.changes);
      this.finishedWithChain.push(opId);
    }
    return this.setOpState(opId, state, error);
  }

  async discardRepair(opId: string): Promise<void> {
    if (this.ops.get(opId)?.operation === 'REPAIR') this.ops.delete(opId);
  }

  async deleteChain(chainId: string): Promise<void> {
    this.chains.delete(chainId);
  }

  async startRepair(chain: ChainRecord, params: RepairParams): Promise<ChainOpRecord | undefined> {
    if ([...this.ops.values()].some((o) => o.chainId === chain.id && (o.operationState === 'STARTING' || o.operationState === 'PROCESSING'))) return undefined;
    const op = { ...this.addOp(chain, 'REPAIR'), operationState: 'PROCESSING' as const, params: structuredClone(params), isAutomaticInvocation: true };
    this.ops.set(op.id, op);
    return structuredClone(op);
  }

  async unfinishedOps(chainId: string): Promise<ChainOpRecord[]> {
    return structuredClone([...this.ops.values()].filter((o) => o.chainId === chainId && (o.operationState === 'STARTING' || o.operationState === 'PROCESSING')));
  }

  async exclusive<T>(chainId: string, wait: boolean, work: () => Promise<T>): Promise<T | undefined> {
    if (this.locked.has(chainId)) {
      if (!wait) return undefined;
      this.waited.push(chainId);
      while (this.locked.has(chainId)) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    this.locked.add(chainId);
    try {
      return await work();
    } finally {
      this.locked.delete(chainId);
    }
  }
}

export class RecordingEvents implements ChainEventSink {
  readonly events: ChainEvent[] = [];
  async publish(event: ChainEvent): Promise<void> {
    this.events.push(event);
  }
}

export const silentLog = () => {
  const lines: string[] = [];
  return { lines, log: (m: string) => void lines.push(`log ${m}`), warn: (m: string) => void lines.push(`warn ${m}`) };
};

/** An instance with one running VM on host h1 whose two vhost-user ports are named `<id>-in` and `<id>-out`. */
export function vnf(id: string, powerState = 'RUNNING', instantiationState = 'INSTANTIATED'): InstanceRecord {
  // Recorded under the ext-cpd id (what a chain names) as well as the VDU's own cpd id.
  const port = (cpd: string) => ({ cpdId: cpd, extCpdId: cpd, kind: 'vhostuser', name: `${id}-${cpd}`, bridge: 'br-int' });
  return { instantiationState, vms: [{ host: 'h1', powerState, ports: [port('in'), port('out')] }] };
}

/** Network ends on h1's br-int, ports `up` and `down`; hops of one instance each (cpds in/out). */
export function chainThrough(name: string, hops: string[][], overrides: Partial<ServiceChain> = {}): ServiceChain {
  return {
    name,
    ingress: { host: 'h1', bridge: 'br-int', port: 'up' },
    egress: { host: 'h1', bridge: 'br-int', port: 'down' },
    classifier: { ethertype: 'ipv4', destinationPrefix: '10.0.2.0/24', protocol: 17 },
    hops: hops.map((ids) => ({ instances: ids.map((vnfInstanceId) => ({ vnfInstanceId, ingressCpd: 'in', egressCpd: 'out' })) })),
    symmetric: false,
    ...overrides,
  };
}

