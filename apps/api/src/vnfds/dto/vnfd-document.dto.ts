import { RequiredNested } from './decorators.js';
import { VnfdDto } from './vnfd.dto.js';

/** A submitted VNF descriptor: `{ vnfd: { id, ... } }`, as SOL006 / OSM wrap it. */
export class VnfdDocumentDto {
  @RequiredNested(() => VnfdDto, 'vnfd', 'The VNF descriptor (ETSI NFV SOL006, as OSM uses it)')
  'vnfd': VnfdDto;
}
