export { claimPlacement, claimPlacements, claimRows, type ClaimItem, type ClaimOutcome } from './claim-writer.js';
export { type ClaimRow, claimRowsSql, loadClaimedPlacements, placementsFromClaims } from './claimed-placements.js';
export { hostsOfGroups, loadSnapshots } from './snapshot-loader.js';
export { buildSnapshots, type FleetRows } from './snapshot-rows.js';
export { capacityOf, type CellCapacity } from './capacity.js';
