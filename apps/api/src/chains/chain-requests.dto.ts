import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEnum, IsIn, IsInt, isIP, IsObject, IsOptional, IsString, IsUUID, isUUID, Length, Max, Min,
  ValidateBy, type ValidationArguments, ValidateNested,
} from 'class-validator';
import {
  type ChainHop, type ChainPoint, type ChainTraceRequest, type Classifier, type FailMode, L4_PROTOCOLS, MAX_CHAIN_PRIORITY, MAX_GROUP_HOPS,
  type PortRange, type ServiceChain,
} from '#vim/chains';
import { checkFreeText, fail, ok, type RuleResult } from '#vim/naming';
import { ChainOperation, ChainOperationState } from '#vim/persistence';
import { PageQuery } from '../common/page.js';
import { Satisfies } from '../common/rule.decorator.js';
import { OptionalNotNull } from '../common/validation.js';

const chainName = (value: unknown) => checkFreeText(value, { maxLength: 63 });
const uuidValues = (value: unknown): RuleResult<unknown> => {
  const bad = Object.entries((value ?? {}) as Record<string, unknown>).find(([, id]) => typeof id !== 'string' || !isUUID(id));
  return bad ? fail(`maps '${bad[0]}' to ${JSON.stringify(bad[1])}, not a VNF instance id (a UUID)`) : ok(value);
};

/** A constraint that reads the rest of the object (the ethertype, the protocol). */
function Holds(test: (value: unknown, args: ValidationArguments) => boolean, message: (args: ValidationArguments) => string): PropertyDecorator {
  return ValidateBy({ name: 'holds', validator: { validate: test, defaultMessage: message } });
}
const chainDescription = (value: unknown) => checkFreeText(value, { maxLength: 1024, multiline: true });

export class PortRangeDto implements PortRange {
  @ApiProperty({ minimum: 0, maximum: 65535 }) @IsInt() @Min(0) @Max(65535) from: number;
  @ApiProperty({ minimum: 0, maximum: 65535 }) @IsInt() @Min(0) @Max(65535) to: number;
}

export class ClassifierDto implements Classifier {
  @ApiProperty({ enum: ['ipv4', 'ipv6'] }) @IsIn(['ipv4', 'ipv6']) ethertype: 'ipv4' | 'ipv6';
  @ApiPropertyOptional({ example: '10.0.0.0/8', description: 'CIDR of the ethertype\'s family, host bits zero' }) @OptionalNotNull() @IsString() sourcePrefix?: string;
  @ApiPropertyOptional({ example: '192.0.2.0/24' }) @OptionalNotNull() @IsString() destinationPrefix?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 255, description: 'IP protocol (IPv6 next header): 6 TCP, 17 UDP, 132 SCTP carry ports' })
  @OptionalNotNull() @IsInt() @Min(0) @Max(255) protocol?: number;
  @ApiPropertyOptional({ type: PortRangeDto }) @OptionalNotNull() @ValidateNested() @Type(() => PortRangeDto) sourcePorts?: PortRangeDto;
  @ApiPropertyOptional({ type: PortRangeDto }) @OptionalNotNull() @ValidateNested() @Type(() => PortRangeDto) destinationPorts?: PortRangeDto;
}

/**
 * Either a network as the lifecycle binds one (host, bridge, optional VLAN, and the OvS port its
 * traffic uses) or a VNF instance's connection point. One class for both: which form was meant is
 * decided from the fields, and a mix is refused by the service with the point's pointer.
 */
export class ChainPointDto {
  @ApiPropertyOptional({ description: "network: the host's registered name" }) @OptionalNotNull() @IsString() host?: string;
  @ApiPropertyOptional({ example: 'br-int', description: 'network: the OvS bridge' }) @OptionalNotNull() @IsString() bridge?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 4094, description: 'network: the VLAN' }) @OptionalNotNull() @IsInt() @Min(1) @Max(4094) vlan?: number;
  @ApiPropertyOptional({ description: 'network: the OvS port (interface name) where its traffic meets the bridge' }) @OptionalNotNull() @IsString() port?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'connection point: the VNF instance' }) @OptionalNotNull() @IsUUID() vnfInstanceId?: string;
  @ApiPropertyOptional({ description: 'connection point: its ext-cpd id' }) @OptionalNotNull() @IsString() cpdId?: string;
}

export class HopInstanceDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() vnfInstanceId: string;
  @ApiProperty({ description: 'the ext-cpd facing the ingress side' }) @IsString() @Length(1, 255) ingressCpd: string;
  @ApiProperty({ description: 'the ext-cpd facing the egress side (may be the same one-armed port)' }) @IsString() @Length(1, 255) egressCpd: string;
}

export class HopDto implements ChainHop {
  @ApiProperty({ type: [HopInstanceDto], description: 'one or more instances; flows are hashed over the live ones on the 5-tuple' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(64) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => HopInstanceDto)
  instances: HopInstanceDto[];
}

const FAIL_MODES: FailMode[] = ['closed', 'open'];

/**
 * What a create and a change share; a change sends only what it changes. The classifier and the
 * hops are declared in each class: a create needs them, and a class-validator condition on an
 * inherited property would let a missing one through.
 */
class ChainFields {
  @ApiPropertyOptional({ maxLength: 1024 }) @OptionalNotNull() @Satisfies(chainDescription) description?: string;
  @ApiPropertyOptional({ default: false, description: 'the reverse traffic crosses the hops backwards' }) @OptionalNotNull() @IsBoolean() symmetric?: boolean;
  @ApiPropertyOptional({ enum: FAIL_MODES, default: 'closed', description: 'a hop without a live instance: closed drops the chain\'s traffic, open lets it skip the hop' })
  @OptionalNotNull() @IsIn(FAIL_MODES) failMode?: FailMode;
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_CHAIN_PRIORITY, default: 0, description: 'decides between overlapping classifiers on one ingress' })
  @OptionalNotNull() @IsInt() @Min(0) @Max(MAX_CHAIN_PRIORITY) priority?: number;
}

export class CreateChainRequest extends ChainFields {
  @ApiProperty({ maxLength: 63, description: 'unique in the tenant' }) @Satisfies(chainName) name: string;
  @ApiProperty({ type: ChainPointDto }) @IsObject() @ValidateNested() @Type(() => ChainPointDto) ingress: ChainPointDto;
  @ApiProperty({ type: ChainPointDto }) @IsObject() @ValidateNested() @Type(() => ChainPointDto) egress: ChainPointDto;
  @ApiProperty({ type: ClassifierDto }) @IsObject() @ValidateNested() @Type(() => ClassifierDto) classifier: ClassifierDto;
  @ApiProperty({ type: [HopDto], description: `in order, 1..${MAX_GROUP_HOPS}` })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_GROUP_HOPS) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => HopDto)
  hops: HopDto[];
}

export class UpdateChainRequest extends ChainFields {
  @ApiPropertyOptional({ type: ClassifierDto }) @OptionalNotNull() @IsObject() @ValidateNested() @Type(() => ClassifierDto) classifier?: ClassifierDto;
  @ApiPropertyOptional({ type: [HopDto], description: `in order, 1..${MAX_GROUP_HOPS}; insert, remove or reorder hops by sending the new list` })
  @OptionalNotNull() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_GROUP_HOPS) @IsObject({ each: true }) @ValidateNested({ each: true }) @Type(() => HopDto)
  hops?: HopDto[];
}

/** Creating chains from an NSD's forwarding graphs, mapped onto instantiated VNFs. */
export class ChainsFromNsdRequest {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'one element of `nsd:nsd[]` (SOL006), with `vnffgd[].nfpd[]` as OSM writes it' })
  @IsObject() nsd: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', format: 'uuid' }, description: "the NSD's vnf-profile ids (constituent-base-element-id) to VNF instance ids" })
  @IsObject() @Satisfies(uuidValues) instances: Record<string, string>;
  @ApiProperty({ type: ChainPointDto }) @IsObject() @ValidateNested() @Type(() => ChainPointDto) ingress: ChainPointDto;
  @ApiProperty({ type: ChainPointDto }) @IsObject() @ValidateNested() @Type(() => ChainPointDto) egress: ChainPointDto;
  @ApiPropertyOptional({ default: false }) @OptionalNotNull() @IsBoolean() symmetric?: boolean;
  @ApiPropertyOptional({ enum: FAIL_MODES, default: 'closed' }) @OptionalNotNull() @IsIn(FAIL_MODES) failMode?: FailMode;
}

const IP_VERSION = { ipv4: 4, ipv6: 6 } as const;
const ofFamily = ({ object }: ValidationArguments) => `must be an ${(object as ChainTraceRequestDto).ethertype === 'ipv6' ? 'IPv6' : 'IPv4'} address (the packet's ethertype), without a prefix length`;
const carriesPorts = ({ object }: ValidationArguments) => `only TCP (6), UDP (17) and SCTP (132) packets have ports; this one's protocol is ${String((object as ChainTraceRequestDto).protocol)}`;
const sameFamily = (value: unknown, { object }: ValidationArguments) => isIP(value, IP_VERSION[(object as ChainTraceRequestDto).ethertype] ?? 4);
const portProtocol = (_: unknown, { object }: ValidationArguments) => L4_PROTOCOLS[(object as ChainTraceRequestDto).protocol] !== undefined;

export class ChainTraceRequestDto implements ChainTraceRequest {
  @ApiProperty({ enum: ['ipv4', 'ipv6'] }) @IsIn(['ipv4', 'ipv6']) ethertype: 'ipv4' | 'ipv6';
  @ApiProperty({ example: '10.31.0.1', description: 'an address of the ethertype\'s family' }) @IsString() @Holds(sameFamily, ofFamily) source: string;
  @ApiProperty({ example: '10.31.0.2' }) @IsString() @Holds(sameFamily, ofFamily) destination: string;
  @ApiProperty({ minimum: 0, maximum: 255, example: 17 }) @IsInt() @Min(0) @Max(255) protocol: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 65535, description: 'TCP, UDP and SCTP only' }) @OptionalNotNull() @IsInt() @Min(0) @Max(65535) @Holds(portProtocol, carriesPorts) sourcePort?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 65535, description: 'TCP, UDP and SCTP only' }) @OptionalNotNull() @IsInt() @Min(0) @Max(65535) @Holds(portProtocol, carriesPorts) destinationPort?: number;
}

export class ListChainsQuery extends PageQuery {}

export class ListChainOpOccsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() chainId?: string;
  @ApiPropertyOptional({ enum: ChainOperation }) @IsOptional() @IsEnum(ChainOperation) operation?: ChainOperation;
  @ApiPropertyOptional({ enum: ChainOperationState }) @IsOptional() @IsEnum(ChainOperationState) operationState?: ChainOperationState;
}

/** A request point as the chain model has it: only the fields that were sent. */
export function toChainPoint(point: ChainPointDto): ChainPoint {
  return Object.fromEntries(Object.entries(point).filter(([, v]) => v !== undefined)) as unknown as ChainPoint;
}

const plain = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function toServiceChain(request: CreateChainRequest): ServiceChain {
  return {
    name: request.name,
    ingress: toChainPoint(request.ingress),
    egress: toChainPoint(request.egress),
    classifier: plain(request.classifier),
    hops: plain(request.hops),
    symmetric: request.symmetric ?? false,
    failMode: request.failMode ?? 'closed',
    priority: request.priority ?? 0,
  };
}

/** The chain after a change: what was sent replaces what was there. */
export function applyChange(chain: ServiceChain, change: UpdateChainRequest): ServiceChain {
  return {
    ...chain,
    ...(change.classifier !== undefined && { classifier: plain(change.classifier) }),
    ...(change.hops !== undefined && { hops: plain(change.hops) }),
    ...(change.symmetric !== undefined && { symmetric: change.symmetric }),
    ...(change.failMode !== undefined && { failMode: change.failMode }),
    ...(change.priority !== undefined && { priority: change.priority }),
  };
}
