import type { ChainCounters, ChainEvent, ChainFacts, InstanceRecord, ServiceChain } from '#vim/chains';
import type { FlowInstaller, FlowTracer, FoundPort } from '#vim/ovs';

/** Where a chain's rules are: one bridge of one host, at one generation (service_chains.installed). */
export interface InstalledRules {
  host: string;
  bridge: string;
  generation: number;
}

export type ChainStateName = 'PENDING' | 'ACTIVE' | 'DEGRADED' | 'ERROR' | 'DELETING';
export type ChainOpStateName = 'STARTING' | 'PROCESSING' | 'COMPLETED' | 'FAILED';

/** A service_chains row as the worker reads it. */
export interface ChainRecord {
  id: string;
  tenantId: string;
  name: string;
  spec: ServiceChain;
  state: ChainStateName;
  stateReason: string | null;
  cookie: bigint;
  generation: number;
  installed: InstalledRules[];
  facts: ChainFacts | null;
  repairs: number;
}

/** Another chain on the switches, as the checks see it: its owner decides whether its name may be shown. */
export interface OtherChain {
  tenantId: string;
  name: string;
  cookie: bigint;
  spec: ServiceChain;
}

/** A chain_op_occs row. */
export interface ChainOpRecord {
  id: string;
  tenantId: string;
  chainId: string;
  chainName: string;
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'REPAIR';
  operationState: ChainOpStateName;
  error: Record<string, unknown> | null;
  stateEnteredTime: Date;
  /** What the API recorded with the operation; an UPDATE's `previous` is the chain before the change (read defensively). */
  operationParams?: Record<string, unknown> | null;
}

/** A host's switch, by the host's registered name. */
export interface HostSwitch {
  name: string;
  ovsdbRemote: string;
}

/** What the lifecycle recorded of a chain's instances, and the hosts involved. */
export interface ChainInputs {
  records: Map<string, InstanceRecord>;
  /** By host name: every host a VM of the chain's instances is on, and every host a network end names. */
  hosts: Map<string, HostSwitch>;
}

export interface ChainChanges {
  state?: ChainStateName;
  stateReason?: string | null;
  generation?: number;
  installed?: InstalledRules[];
  facts?: ChainFacts;
  counters?: ChainCounters;
  repaired?: true;
  /** The chain's spec (and its chain_hops rows with it): a failed UPDATE puts back the chain as it was. */
  spec?: ServiceChain;
  description?: string | null;
}

export interface RepairParams {
  reason: string;
  drift: { missingFlows: number; extraFlows: number; missingGroups: number; extraGroups: number };
  renderingChanged: boolean;
}

/**
 * Postgres, as the chains worker needs it. `exclusive` serialises all work on one chain across
 * workers (apply and refresh never interleave on a chain).
 */
export interface ChainStore {
  op(opId: string): Promise<ChainOpRecord | undefined>;
  chain(chainId: string): Promise<ChainRecord | undefined>;
  /** Chains not DELETING: every one, or those through the instance (a hop or a connection-point end). */
  chainIds(vnfInstanceId?: string): Promise<string[]>;
  /** Every other chain (not DELETING), whoever owns it: for the overlap check and the group-id field. */
  otherChains(chainId: string): Promise<OtherChain[]>;
  inputs(instanceIds: readonly string[], hostNames: readonly string[]): Promise<ChainInputs>;
  setOpState(opId: string, state: ChainOpStateName, error?: Record<string, unknown> | null): Promise<ChainOpRecord>;
  updateChain(chainId: string, changes: ChainChanges): Promise<void>;
  /** Ends an operation and applies the chain's changes with it, in one transaction. */
  finishOp(opId: string, state: 'COMPLETED' | 'FAILED', error: Record<string, unknown> | null, chain?: { id: string; changes: ChainChanges }): Promise<ChainOpRecord>;
  /** Removes a REPAIR operation that came to nothing new (it failed again as the last one did). */
  discardRepair(opId: string): Promise<void>;
  deleteChain(chainId: string): Promise<void>;
  /** A PROCESSING REPAIR operation, or undefined when the chain has an unfinished operation (busy: next pass). */
  startRepair(chain: ChainRecord, params: RepairParams): Promise<ChainOpRecord | undefined>;
  /** The chain's operations that are STARTING or PROCESSING (at most one, by the partial unique index). */
  unfinishedOps(chainId: string): Promise<ChainOpRecord[]>;
  /** Runs `work` holding the chain's lock; `wait: false` answers undefined at once when another holds it. */
  exclusive<T>(chainId: string, wait: boolean, work: () => Promise<T>): Promise<T | undefined>;
}

/** The switches the worker drives. installer/tracer: undefined when the worker cannot reach that switch with ovs-ofctl. */
export interface ChainDrivers {
  ports(host: HostSwitch, names: readonly string[]): Promise<FoundPort[]>;
  installer(host: HostSwitch): FlowInstaller | undefined;
  tracer(host: HostSwitch): FlowTracer | undefined;
  close(): Promise<void>;
}

export interface ChainEventSink {
  publish(event: ChainEvent): Promise<void>;
}

export interface ChainLog {
  log(message: string): void;
  warn(message: string): void;
}
