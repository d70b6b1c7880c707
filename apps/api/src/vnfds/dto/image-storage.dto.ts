import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsArray, IsOptional } from 'class-validator';
import {
  IsBooleanLike,
  IsNumeric,
  IsText,
  boolApi,
  numericApi,
  opaqueApi,
  opaqueListApi,
  textApi,
} from './decorators.js';

export class SwImageDescDto {
  @ApiProperty(textApi('id', 'Identifier, referenced by vdu.sw-image-desc'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(textApi('name', 'Image name'))
  @IsOptional()
  @IsText()
  'name'?: string;

  @ApiPropertyOptional(textApi('version', 'Image version'))
  @IsOptional()
  @IsText()
  'version'?: string;

  @ApiPropertyOptional(textApi('image', 'Reference to the image (name in the image store, or path in the package)'))
  @IsOptional()
  @IsText()
  'image'?: string;

  @ApiPropertyOptional(opaqueApi('checksum', 'Checksum: {algorithm, hash} (SOL006) or a string'))
  @Allow()
  'checksum'?: unknown;

  @ApiPropertyOptional(textApi('container-format', 'Container format, e.g. bare'))
  @IsOptional()
  @IsText()
  'container-format'?: string;

  @ApiPropertyOptional(textApi('disk-format', 'Disk format, e.g. qcow2, raw'))
  @IsOptional()
  @IsText()
  'disk-format'?: string;

  @ApiPropertyOptional(numericApi('min-disk', 'Minimum disk size, in GB', { min: 0 }))
  @IsOptional()
  @IsNumeric({ min: 0 })
  'min-disk'?: number | string;

  @ApiPropertyOptional(numericApi('min-ram', 'Minimum RAM, in GB', { min: 0 }))
  @IsOptional()
  @IsNumeric({ min: 0 })
  'min-ram'?: number | string;

  @ApiPropertyOptional(numericApi('size', 'Image size, in GB', { min: 0 }))
  @IsOptional()
  @IsNumeric({ min: 0 })
  'size'?: number | string;

  @ApiPropertyOptional(textApi('operating-system', 'Operating system'))
  @IsOptional()
  @IsText()
  'operating-system'?: string;

  @ApiPropertyOptional(opaqueListApi('supported-virtualisation-environment', 'Supported virtualisation environments'))
  @IsOptional()
  @IsArray()
  'supported-virtualisation-environment'?: unknown[];

  @ApiPropertyOptional(textApi('vim-type', 'OSM: VIM type this image is for'))
  @IsOptional()
  @IsText()
  'vim-type'?: string;
}

export class VirtualStorageDescDto {
  @ApiProperty(textApi('id', 'Identifier, referenced by vdu.virtual-storage-desc'))
  @IsText({ nonEmpty: true })
  'id': string;

  @ApiPropertyOptional(textApi('type-of-storage', 'root-storage, swap-storage or ephemeral-storage'))
  @IsOptional()
  @IsText()
  'type-of-storage'?: string;

  @ApiPropertyOptional(numericApi('size-of-storage', 'Size, in GB', { min: 0 }))
  @IsOptional()
  @IsNumeric({ min: 0 })
  'size-of-storage'?: number | string;

  @ApiPropertyOptional(opaqueListApi('vdu-storage-requirements', 'SOL006 storage requirements (key/value)'))
  @IsOptional()
  @IsArray()
  'vdu-storage-requirements'?: unknown[];

  @ApiPropertyOptional(boolApi('rdma-enabled', 'Whether RDMA is required'))
  @IsOptional()
  @IsBooleanLike()
  'rdma-enabled'?: boolean | string;

  @ApiPropertyOptional(textApi('sw-image-desc', 'Id of the sw-image-desc loaded on this storage'))
  @IsOptional()
  @IsText()
  'sw-image-desc'?: string;

  @ApiPropertyOptional(opaqueApi('disk-io-quota', 'OSM disk I/O quota'))
  @Allow()
  'disk-io-quota'?: unknown;

  @ApiPropertyOptional(opaqueApi('block-storage-data', 'Block storage data'))
  @Allow()
  'block-storage-data'?: unknown;

  @ApiPropertyOptional(opaqueApi('object-storage-data', 'Object storage data'))
  @Allow()
  'object-storage-data'?: unknown;

  @ApiPropertyOptional(opaqueApi('file-storage-data', 'File storage data'))
  @Allow()
  'file-storage-data'?: unknown;

  @ApiPropertyOptional(opaqueApi('nfvi-maintenance-info', 'SOL006 NFVI maintenance info'))
  @Allow()
  'nfvi-maintenance-info'?: unknown;
}
