import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OperationalState, type VnfDescriptorEntity } from '#vim/persistence';

export const vnfdPath = (id: string): string => `/api/v1/vnfds/${id}`;

/** What lists show of a descriptor. */
export class VnfdSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'vnfd.id of the document' }) vnfdId: string;
  @ApiProperty() version: string;
  @ApiPropertyOptional({ type: String, nullable: true }) provider: string | null;
  @ApiProperty() productName: string;
  @ApiPropertyOptional({ type: String, nullable: true }) softwareVersion: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ enum: OperationalState }) operationalState: OperationalState;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ example: { self: { href: '/api/v1/vnfds/…' } } }) _links: { self: { href: string } };
}

/** One descriptor in full: the normalised model and the document exactly as submitted. */
export class VnfdDetail extends VnfdSummary {
  @ApiProperty({ enum: ['IN_USE', 'NOT_IN_USE'] }) usageState: 'IN_USE' | 'NOT_IN_USE';
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'normalised model (camelCase)' })
  model: Record<string, unknown>;
  @ApiProperty({ example: { format: 'yaml', text: 'vnfd:\n  id: …' } })
  document: { format: string; text: string };
}

export class VnfdPage {
  @ApiProperty({ type: [VnfdSummary] }) items: VnfdSummary[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export function toSummary(row: VnfDescriptorEntity): VnfdSummary {
  return {
    id: row.id,
    vnfdId: row.vnfdId,
    version: row.version,
    provider: row.provider,
    productName: row.productName,
    softwareVersion: row.softwareVersion,
    description: row.description,
    operationalState: row.operationalState,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    _links: { self: { href: vnfdPath(row.id) } },
  };
}

export function toDetail(row: VnfDescriptorEntity, instanceCount: number): VnfdDetail {
  return {
    ...toSummary(row),
    usageState: instanceCount > 0 ? 'IN_USE' : 'NOT_IN_USE',
    model: row.model,
    document: { format: row.originalFormat, text: row.original },
  };
}
