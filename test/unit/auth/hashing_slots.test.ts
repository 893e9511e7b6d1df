import { describe, expect, it } from 'vitest';
import { HashingSlots } from '../../../src/auth/hashing-slots.js';
import { SignInDeferredError } from '../../../src/errors/sign-in-deferred-error.js';

/** A task the test finishes when it likes. */
function task() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let started = false;
  return {
    work: async () => {
      started = true;
      await done;
    },
    finish,
    started: () => started,
  };
}

describe('hashing slots', () => {
  it('runs as many at once as it has slots, lets as many wait as it has places, and refuses the rest at once', async () => {
    const slots = new HashingSlots(1, 1);
    const [first, second] = [task(), task()];
    const running = slots.run(first.work);
    const waiting = slots.run(second.work);
    await expect(slots.run(async () => 'never')).rejects.toMatchObject({ statusCode: 503, code: 'SIGN_IN_BUSY', retryAfterSeconds: 1 });
    expect([first.started(), second.started()]).toEqual([true, false]);

    first.finish();
    await running;
    expect(second.started()).toBe(true);
    // The freed slot went to the waiting task: a new one waits again rather than running beside it.
    const third = task();
    const queued = slots.run(third.work);
    await expect(slots.run(async () => 'never')).rejects.toBeInstanceOf(SignInDeferredError);
    second.finish();
    await waiting;
    third.finish();
    await queued;
    expect(await slots.run(async () => 'free again')).toBe('free again');
  });

  it('frees the slot of a task that fails', async () => {
    const slots = new HashingSlots(1, 0);
    await expect(slots.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    expect(await slots.run(async () => 'next')).toBe('next');
  });
});
