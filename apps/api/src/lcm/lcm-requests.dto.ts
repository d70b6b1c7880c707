import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import type { ExtCpBinding, InstantiateParams } from '#vim/lcm';
import { checkBridgeName, checkFreeText, checkPhysnet, checkVlanId } from '#vim/naming';
import { InstantiationState, LcmOperation, LcmOperationState } from '#vim/persistence';
import { Satisfies } from '../common/rule.decorator.js';
import { PageQuery } from '../common/page.js';
import { OptionalNotNull } from '../common/validation.js';

export class ListVnfInstancesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'id of the VNFD the instances are based on' })
  @IsOptional()
  @IsUUID()
  vnfdId?: string;

  @ApiPropertyOptional({ enum: InstantiationState })
  @IsOptional()
  @IsEnum(InstantiationState)
  instantiationState?: InstantiationState;
}

export class ListLcmOpOccsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  vnfInstanceId?: string;

  @ApiPropertyOptional({ enum: LcmOperationState })
  @IsOptional()
  @IsEnum(LcmOperationState)
  operationState?: LcmOperationState;

  @ApiPropertyOptional({ enum: LcmOperation })
  @IsOptional()
  @IsEnum(LcmOperation)
  operation?: LcmOperation;
}

export class LcmEventsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'only the events of this VNF instance' })
  @IsOptional()
  @IsUUID()
  vnfInstanceId?: string;
}

const instanceName = (value: unknown) => checkFreeText(value, { maxLength: 255 });
const instanceDescription = (value: unknown) => checkFreeText(value, { maxLength: 1024, multiline: true });

export class CreateVnfInstanceRequest {
  @ApiProperty({ format: 'uuid', description: 'id of an onboarded, ENABLED VNFD of the tenant (as in /api/v1/vnfds/{id})' })
  @IsUUID(undefined, { message: 'vnfdId must be the id of an onboarded VNFD (a UUID)' })
  vnfdId: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNotNull()
  @Satisfies(instanceName)
  vnfInstanceName?: string;

  @ApiPropertyOptional({ maxLength: 1024 })
  @OptionalNotNull()
  @Satisfies(instanceDescription)
  vnfInstanceDescription?: string;
}

/**
 * Where one ext-cpd goes: an OvS-DPDK bridge (vhost-user ports) and/or an SR-IOV physnet (VFs),
 * with an optional VLAN. Which of the two the ports behind the ext-cpd need is the descriptor's
 * business (checkInstantiateParams), not the shape's.
 */
export class ExtCpBindingDto {
  @ApiPropertyOptional({ example: 'br-int', description: 'OvS bridge, for VIRTIO/PARAVIRT connection points' })
  @OptionalNotNull()
  @Satisfies(checkBridgeName)
  bridge?: string;

  @ApiPropertyOptional({ example: 'sriov-a', description: 'physnet label, for SR-IOV/PCI-PASSTHROUGH connection points' })
  @OptionalNotNull()
  @Satisfies(checkPhysnet)
  physnet?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 4094 })
  @OptionalNotNull()
  @Satisfies(checkVlanId)
  vlan?: number;

  toBinding(): ExtCpBinding {
    const { bridge, physnet, vlan } = this;
    return { ...(bridge !== undefined && { bridge }), ...(physnet !== undefined && { physnet }), ...(vlan !== undefined && { vlan }) } as ExtCpBinding;
  }
}

@ApiExtraModels(ExtCpBindingDto)
export class InstantiateVnfRequest {
  @ApiProperty({ example: 'default', description: 'deployment flavour (df) of the VNFD' })
  @IsString()
  @Length(1, 255)
  flavourId: string;

  @ApiPropertyOptional({ description: "the flavour's instantiation level; its default when left out" })
  @OptionalNotNull()
  @IsString()
  @Length(1, 255)
  instantiationLevelId?: string;

  // A Map, so that class-validator names each entry's problems under its key (/extCpBindings/<cpd>/vlan).
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(ExtCpBindingDto) },
    description: 'one binding per ext-cpd of the VNFD, by ext-cpd id',
    example: { in: { bridge: 'br-int', vlan: 100 }, out: { physnet: 'sriov-a' } },
  })
  @IsObject()
  @ValidateNested({ each: true })
  @Type(() => ExtCpBindingDto)
  extCpBindings: Map<string, ExtCpBindingDto>;

  toParams(): InstantiateParams {
    const extCpBindings = Object.fromEntries([...this.extCpBindings].map(([cpd, binding]) => [cpd, binding.toBinding()]));
    return { flavourId: this.flavourId, ...(this.instantiationLevelId !== undefined && { instantiationLevelId: this.instantiationLevelId }), extCpBindings };
  }
}

const TERMINATION_TYPES = ['GRACEFUL', 'FORCEFUL'] as const;

const OnlyWhenGraceful = () =>
  ValidateBy({
    name: 'onlyWhenGraceful',
    validator: {
      validate: (_: unknown, args) => (args?.object as TerminateVnfRequest).terminationType === 'GRACEFUL',
      defaultMessage: () => 'gracefulTerminationTimeout applies only to terminationType GRACEFUL',
    },
  });

export class TerminateVnfRequest {
  @ApiProperty({ enum: TERMINATION_TYPES, description: 'GRACEFUL shuts the VMs down first, FORCEFUL destroys them' })
  @IsIn(TERMINATION_TYPES)
  terminationType: (typeof TERMINATION_TYPES)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 86400, description: 'seconds to wait for a graceful shutdown (GRACEFUL only)' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(86400)
  @OnlyWhenGraceful()
  gracefulTerminationTimeout?: number;

  toParams(): Record<string, unknown> {
    return { terminationType: this.terminationType, ...(this.gracefulTerminationTimeout !== undefined && { gracefulTerminationTimeout: this.gracefulTerminationTimeout }) };
  }
}

const HEAL_TARGETS = ['same-host', 'any-host'] as const;
type HealTarget = (typeof HEAL_TARGETS)[number];
const healCause = (value: unknown) => checkFreeText(value, { maxLength: 255 });

export class HealVnfRequest {
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'VMs of this instance to heal; all of them when left out' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMinSize(1, { message: 'vduInstanceIds must not be empty; leave it out to heal every VM' })
  @ArrayMaxSize(1024)
  @ArrayUnique()
  @IsUUID(undefined, { each: true })
  vduInstanceIds?: string[];

  @ApiPropertyOptional({ enum: HEAL_TARGETS, default: 'same-host', description: 'rebuild on the same host, or wherever placement finds room' })
  @OptionalNotNull()
  @IsIn(HEAL_TARGETS)
  target: HealTarget = 'same-host';

  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNotNull()
  @Satisfies(healCause)
  cause?: string;
}

/** Lines a console tail answers: enough for a boot's worth, bounded so a read stays small. */
export const CONSOLE_LINES_DEFAULT = 100;
export const CONSOLE_LINES_MAX = 2000;

export class VmConsoleQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: CONSOLE_LINES_MAX, default: CONSOLE_LINES_DEFAULT, description: 'how many of the last lines' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(CONSOLE_LINES_MAX)
  lines = CONSOLE_LINES_DEFAULT;
}
