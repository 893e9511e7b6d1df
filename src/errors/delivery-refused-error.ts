/** A webhook delivery its receiver did not take (no 2xx, or no answer): the queue tries again after its backoff. */
export class DeliveryRefusedError extends Error {
  override readonly name = 'DeliveryRefusedError';
}
