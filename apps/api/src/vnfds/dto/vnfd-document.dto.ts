import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { VnfdDto } from './vnfd.dto.js';

/** A submitted VNF descriptor: `{ vnfd: { id, ... } }`, as SOL006 / OSM wrap it. */
export class VnfdDocumentDto {
  @ApiProperty({ name: 'vnfd', type: () => VnfdDto, description: 'The VNF descriptor (ETSI NFV SOL006, as OSM uses it)' })
  @IsObject()
  @ValidateNested()
  @Type(() => VnfdDto)
  'vnfd': VnfdDto;
}
