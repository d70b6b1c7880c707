import type { NoValidHost, Placement, PlacementRequest } from '#vim/placement';

/** One VM to place. A batch job carries several; the worker decides them in order and claims them together. */
export interface PlaceItem {
  vduInstanceId: string;
  request: PlacementRequest;
}

export const PLACE_BATCH_JOB = 'place-batch';

export interface PlaceBatch {
  items: PlaceItem[];
}

/**
 * `attempts`: decisions made (above 1 when claims lost races to other workers). `committedAt`:
 * when the claim's transaction committed (ms since the epoch), for request-to-claim latency.
 */
export type PlaceResult =
  | { ok: true; placement: Placement; attempts: number; committedAt: number; alreadyPlaced?: boolean }
  | { ok: false; explanation: NoValidHost; attempts: number };

export interface PlaceBatchResult {
  /** In the order of the batch's items. */
  results: PlaceResult[];
}
