/**
 * A reprocessing chunk changed while it was being computed (another runner finished some of its
 * claims, or a reviewer decided one): nothing of it was written, and it is worth computing again.
 */
export class StaleChunkError extends Error {
  override readonly name = 'StaleChunkError';
}
