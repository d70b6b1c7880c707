export { claimPlacement, claimRows, type ClaimOutcome } from './claim-writer.js';
export { loadSnapshots } from './snapshot-loader.js';
export { buildSnapshots, type FleetRows } from './snapshot-rows.js';
export { capacityOf, type CellCapacity } from './capacity.js';
