// Placement as BullMQ jobs: the job shapes the worker consumes and the client that submits them.
export { PLACE_BATCH_JOB, type PlaceBatch, type PlaceBatchResult, type PlaceItem, type PlaceResult } from './jobs.js';
export { type BatchRunner, bullmqBatchRunner, PlacementClient, type PlacementClientOptions } from './placement-client.js';
