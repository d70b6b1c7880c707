// The migrations, oldest first. Listed explicitly so the api, the worker, the CLI and the
// tests all run exactly the same set, compiled or not.
import { InitialSchema1795570441591 } from './1795570441591-InitialSchema.js';
import { SeedDefaultTenant1795570441592 } from './1795570441592-SeedDefaultTenant.js';
import { ApiTokensAndAudit1795571518146 } from './1795571518146-ApiTokensAndAudit.js';
import { MemoryClaims1795573286313 } from './1795573286313-MemoryClaims.js';
import { ClaimPortIndex1795574644735 } from './1795574644735-ClaimPortIndex.js';
import { ClaimCreatedAtIndex1795578492107 } from './1795578492107-ClaimCreatedAtIndex.js';
import { PlacementLookupIndexes1795580572354 } from './1795580572354-PlacementLookupIndexes.js';
import { LifecycleFolders1795582218001 } from './1795582218001-LifecycleFolders.js';
import { HostCpuFeatures1796481537459 } from './1796481537459-HostCpuFeatures.js';
import { ClaimPlacementsFunction1796627561592 } from './1796627561592-ClaimPlacementsFunction.js';
import { PlacementGroups1796662500000 } from './1796662500000-PlacementGroups.js';
import { VirtTypeAndPowerState1796661600000 } from './1796661600000-VirtTypeAndPowerState.js';
import { PlatformAdminRole1796700000000 } from './1796700000000-PlatformAdminRole.js';
import { HostVhostUserReadiness1796710000000 } from './1796710000000-HostVhostUserReadiness.js';
import { ChainOperations1796720000000 } from './1796720000000-ChainOperations.js';

export const MIGRATIONS = [InitialSchema1795570441591, SeedDefaultTenant1795570441592, ApiTokensAndAudit1795571518146, MemoryClaims1795573286313, ClaimPortIndex1795574644735, ClaimCreatedAtIndex1795578492107, PlacementLookupIndexes1795580572354, LifecycleFolders1795582218001, HostCpuFeatures1796481537459, ClaimPlacementsFunction1796627561592, VirtTypeAndPowerState1796661600000, PlacementGroups1796662500000, PlatformAdminRole1796700000000, HostVhostUserReadiness1796710000000, ChainOperations1796720000000];
