import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ServiceChain } from '#vim/chains';
import {
  type ChainCounters, ChainOperation, ChainOperationState, type ChainOpOccEntity, ChainState, type InstalledRules, type ServiceChainEntity,
} from '#vim/persistence';
import { ChainPointDto, ClassifierDto, HopDto } from './chain-requests.dto.js';

export const chainPath = (id: string): string => `/api/v1/service_chains/${id}`;
export const chainOpPath = (id: string): string => `/api/v1/chain_op_occs/${id}`;

export class OperationRefView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ChainOperation }) operation: ChainOperation;
  @ApiProperty({ enum: ChainOperationState }) operationState: ChainOperationState;
}

export class TrafficCountView {
  @ApiProperty() packets: number;
  @ApiProperty() bytes: number;
}

export class HopInstanceCountView extends TrafficCountView {
  @ApiProperty({ format: 'uuid' }) vnfInstanceId: string;
  @ApiProperty({ description: 'traffic may be sent to it (its VMs run and its ports are up)' }) live: boolean;
}

export class HopCountView {
  @ApiProperty({ type: [HopInstanceCountView] }) instances: HopInstanceCountView[];
}

export class ChainCountersView {
  @ApiProperty({ type: TrafficCountView, description: 'classified at the ingress' }) ingress: TrafficCountView;
  @ApiProperty({ type: [HopCountView], description: 'per hop, per instance: what left the instance by its egress port and matched the chain' })
  hops: HopCountView[];
  @ApiProperty({ description: 'when the worker read the counters' }) at: string;
}

/** Where the chain sends the packet: a hop instance (hop, vnfInstanceId) or the egress (egress: true). */
export class ChainTraceHopView {
  @ApiPropertyOptional({ description: 'the hop index, for a hop instance' }) hop?: number;
  @ApiPropertyOptional({ format: 'uuid' }) vnfInstanceId?: string;
  @ApiPropertyOptional({ description: 'true for the chain\'s egress' }) egress?: boolean;
  @ApiProperty({ description: 'the OpenFlow port it is sent to' }) ofport: number;
}

export class ChainTraceRuleView {
  @ApiProperty() bridge: string;
  @ApiProperty() table: number;
  @ApiProperty({ example: '0x30001' }) cookie: string;
  @ApiProperty() priority: number;
  @ApiProperty({ example: 'udp,in_port=3,nw_dst=10.0.0.2,tp_dst=5201' }) match: string;
  @ApiProperty({ type: [String] }) actions: string[];
  @ApiProperty({ description: "the rule is the chain's (its cookie's upper 48 bits)" }) ofChain: boolean;
}

export class ChainTraceSegmentView {
  @ApiProperty({ description: '-1: from the ingress; N: from the egress port of hop N' }) from: number;
  @ApiProperty() bridge: string;
  @ApiProperty() inPort: number;
  @ApiProperty() matchedChain: boolean;
  @ApiProperty({ type: [ChainTraceHopView] }) reached: ChainTraceHopView[];
  @ApiProperty() dropped: boolean;
  @ApiPropertyOptional() dropReason?: string;
  @ApiProperty({ type: [Number] }) output: number[];
  @ApiProperty({ type: [ChainTraceRuleView] }) rules: ChainTraceRuleView[];
}

/** ofproto/trace walked from the ingress, hop by hop. */
export class ChainTraceView {
  @ApiProperty({ format: 'uuid' }) chainId: string;
  @ApiProperty() generation: number;
  @ApiProperty({ example: '0x30001', description: "the installed generation's flow cookie" }) cookie: string;
  @ApiProperty({ description: 'a rule of the chain matched where the packet entered' }) entersChain: boolean;
  @ApiProperty({ type: [ChainTraceHopView], description: 'in order, every place the chain sends the packet' }) hops: ChainTraceHopView[];
  @ApiProperty() dropped: boolean;
  @ApiPropertyOptional({ example: "hop 1 has no live instance and the chain's failMode is closed" }) dropReason?: string;
  @ApiProperty({ type: [Number], description: 'the OpenFlow ports the packet leaves by at the end (empty when dropped or forwarded by NORMAL)' }) output: number[];
  @ApiProperty({ type: [ChainTraceRuleView] }) rules: ChainTraceRuleView[];
  @ApiProperty({ type: [ChainTraceSegmentView] }) segments: ChainTraceSegmentView[];
}

export class InstalledRulesView {
  @ApiProperty() host: string;
  @ApiProperty() bridge: string;
  @ApiProperty() generation: number;
}

export class ServiceChainView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: ChainState, description: 'PENDING until first installed; ACTIVE; DEGRADED while a hop has no live instance (failMode applies); ERROR (stateReason says why); DELETING' })
  state: ChainState;
  @ApiPropertyOptional({ type: String, nullable: true }) stateReason: string | null;
  @ApiProperty({ type: ChainPointDto }) ingress: ChainPointDto;
  @ApiProperty({ type: ChainPointDto }) egress: ChainPointDto;
  @ApiProperty({ type: ClassifierDto }) classifier: ClassifierDto;
  @ApiProperty({ type: [HopDto] }) hops: HopDto[];
  @ApiProperty() symmetric: boolean;
  @ApiProperty({ enum: ['closed', 'open'] }) failMode: string;
  @ApiProperty() priority: number;
  @ApiProperty({ example: '0x3', description: "the chain's OpenFlow cookie (the high 48 bits of every rule's cookie; the low 16 are the generation)" }) cookie: string;
  @ApiProperty({ description: 'generation of the installed rules (0: none yet)' }) generation: number;
  @ApiProperty({ type: [InstalledRulesView] }) installed: InstalledRules[];
  @ApiPropertyOptional({ type: ChainCountersView, nullable: true, description: 'flow counters as the worker last read them' }) counters: ChainCounters | null;
  @ApiProperty({ description: 'times the worker reinstalled the rules by itself (REPAIR operations): an instance of the chain changed (healed, crashed, terminated, a port renumbered) or the switch\'s rules differed from the rendering (drift)' }) repairs: number;
  @ApiPropertyOptional({ type: String, nullable: true }) lastRepairAt: string | null;
  @ApiPropertyOptional({ type: OperationRefView, nullable: true, description: 'the latest operation on the chain' }) lastOperation: OperationRefView | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ description: 'self, lastOperation, trace' }) _links: Record<string, { href: string }>;
}

export class ServiceChainPage {
  @ApiProperty({ type: [ServiceChainView] }) items: ServiceChainView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class ServiceChainListView {
  @ApiProperty({ type: [ServiceChainView] }) items: ServiceChainView[];
}

export class ChainOpOccView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) chainId: string;
  @ApiProperty() chainName: string;
  @ApiProperty({ enum: ChainOperation }) operation: ChainOperation;
  @ApiProperty({ enum: ChainOperationState }) operationState: ChainOperationState;
  @ApiProperty({ description: 'REPAIR operations are the worker\'s own' }) isAutomaticInvocation: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) operationParams: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', nullable: true, additionalProperties: true, description: 'RFC 7807 problem when FAILED' }) error: Record<string, unknown> | null;
  @ApiProperty() startTime: string;
  @ApiProperty() stateEnteredTime: string;
  @ApiProperty({ description: 'self and chain' }) _links: Record<string, { href: string }>;
}

export class ChainOpOccPage {
  @ApiProperty({ type: [ChainOpOccView] }) items: ChainOpOccView[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toChainView(row: ServiceChainEntity, lastOp: ChainOpOccEntity | null): ServiceChainView {
  const spec = row.spec as unknown as ServiceChain;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    state: row.state,
    stateReason: row.stateReason,
    ingress: spec.ingress as ChainPointDto,
    egress: spec.egress as ChainPointDto,
    classifier: spec.classifier as ClassifierDto,
    hops: spec.hops as HopDto[],
    symmetric: spec.symmetric,
    failMode: spec.failMode ?? 'closed',
    priority: spec.priority ?? 0,
    cookie: `0x${BigInt(row.cookie).toString(16)}`,
    generation: row.generation,
    installed: row.installed,
    counters: row.counters,
    repairs: row.repairs,
    lastRepairAt: iso(row.lastRepairAt),
    lastOperation: lastOp && { id: lastOp.id, operation: lastOp.operation, operationState: lastOp.operationState },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    _links: {
      self: { href: chainPath(row.id) },
      trace: { href: `${chainPath(row.id)}/trace` },
      ...(lastOp && { lastOperation: { href: chainOpPath(lastOp.id) } }),
    },
  };
}

export function toChainOpView(op: ChainOpOccEntity): ChainOpOccView {
  return {
    id: op.id,
    chainId: op.chainId,
    chainName: op.chainName,
    operation: op.operation,
    operationState: op.operationState,
    isAutomaticInvocation: op.isAutomaticInvocation,
    operationParams: op.operationParams,
    error: op.error,
    startTime: op.startTime.toISOString(),
    stateEnteredTime: op.stateEnteredTime.toISOString(),
    _links: { self: { href: chainOpPath(op.id) }, chain: { href: chainPath(op.chainId) } },
  };
}
