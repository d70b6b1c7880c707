export { VnfdDocumentDto } from './vnfd-document.dto.js';
export { VnfdDto } from './vnfd.dto.js';
export { VduDto, IntCpdDto, VirtualNetworkInterfaceRequirementDto, VirtualInterfaceDto } from './vdu.dto.js';
export { VirtualComputeDescDto } from './compute.dto.js';
export { DfDto } from './df.dto.js';
export { validateVnfdStructure } from './validate-structure.js';
