import { OpaqueList, OpaqueValue, OptionalBool, OptionalNumeric, OptionalText, RequiredText } from './decorators.js';

export class SwImageDescDto {
  @RequiredText('id', 'Identifier, referenced by vdu.sw-image-desc')
  'id': string;

  @OptionalText('name', 'Image name')
  'name'?: string;

  @OptionalText('version', 'Image version')
  'version'?: string;

  @OptionalText('image', 'Reference to the image (name in the image store, or path in the package)')
  'image'?: string;

  @OpaqueValue('checksum', 'Checksum: {algorithm, hash} (SOL006) or a string')
  'checksum'?: unknown;

  @OptionalText('container-format', 'Container format, e.g. bare')
  'container-format'?: string;

  @OptionalText('disk-format', 'Disk format, e.g. qcow2, raw')
  'disk-format'?: string;

  @OptionalNumeric('min-disk', 'Minimum disk size, in GB', { min: 0 })
  'min-disk'?: number | string;

  @OptionalNumeric('min-ram', 'Minimum RAM, in GB', { min: 0 })
  'min-ram'?: number | string;

  @OptionalNumeric('size', 'Image size, in GB', { min: 0 })
  'size'?: number | string;

  @OptionalText('operating-system', 'Operating system')
  'operating-system'?: string;

  @OpaqueList('supported-virtualisation-environment', 'Supported virtualisation environments')
  'supported-virtualisation-environment'?: unknown[];

  @OptionalText('vim-type', 'OSM: VIM type this image is for')
  'vim-type'?: string;
}

export class VirtualStorageDescDto {
  @RequiredText('id', 'Identifier, referenced by vdu.virtual-storage-desc')
  'id': string;

  @OptionalText('type-of-storage', 'root-storage, swap-storage or ephemeral-storage')
  'type-of-storage'?: string;

  @OptionalNumeric('size-of-storage', 'Size, in GB', { min: 0 })
  'size-of-storage'?: number | string;

  @OpaqueList('vdu-storage-requirements', 'SOL006 storage requirements (key/value)')
  'vdu-storage-requirements'?: unknown[];

  @OptionalBool('rdma-enabled', 'Whether RDMA is required')
  'rdma-enabled'?: boolean | string;

  @OptionalText('sw-image-desc', 'Id of the sw-image-desc loaded on this storage')
  'sw-image-desc'?: string;

  @OpaqueValue('disk-io-quota', 'OSM disk I/O quota')
  'disk-io-quota'?: unknown;

  @OpaqueValue('block-storage-data', 'Block storage data')
  'block-storage-data'?: unknown;

  @OpaqueValue('object-storage-data', 'Object storage data')
  'object-storage-data'?: unknown;

  @OpaqueValue('file-storage-data', 'File storage data')
  'file-storage-data'?: unknown;

  @OpaqueValue('nfvi-maintenance-info', 'SOL006 NFVI maintenance info')
  'nfvi-maintenance-info'?: unknown;
}
