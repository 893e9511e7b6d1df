import { SignInDeferredError } from '../errors/sign-in-deferred-error.js';

/**
 * Bounds password hashing. scrypt runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE
 * says otherwise), which file access, DNS look-ups and zlib share: unbounded, unauthenticated
 * sign-ins once held an upload for 7.5 s. At most `concurrency` hashes run at once, at most
 * `waiting` wait for a slot, and any more are refused at once (503) rather than queued without end.
 */
export class HashingSlots {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly waiting: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) {
      this.running += 1;
    } else if (this.queue.length < this.waiting) {
      // The slot is handed over by the task that frees it: `running` stays as it is.
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      throw new SignInDeferredError(503, 'SIGN_IN_BUSY', 'Too many sign-ins are being checked right now; try again in a moment.', 1);
    }
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
