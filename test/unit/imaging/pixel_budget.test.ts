import { describe, expect, it } from 'vitest';
import { PixelBudget } from '../../../src/imaging/pixel-budget.js';

/** Work that runs until the test lets it finish, recording when it started. */
function gatedWork(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    work: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PixelBudget', () => {
  it('runs work side by side while its pixels fit, and holds the rest back in arrival order', async () => {
    const budget = new PixelBudget(60e6);
    const started: string[] = [];
    const big1 = gatedWork(started, 'big1');
    const small = gatedWork(started, 'small');
    const big2 = gatedWork(started, 'big2');
    const later = gatedWork(started, 'later');
    const runs = [budget.run(35e6, big1.work), budget.run(5e6, small.work), budget.run(35e6, big2.work), budget.run(1e6, later.work)];
    await settle();
    // big2 does not fit beside big1; "later" would fit but waits its turn behind big2.
    expect(started).toEqual(['big1', 'small']);
    small.finish();
    await settle();
    expect(started).toEqual(['big1', 'small']);
    big1.finish();
    await settle();
    expect(started).toEqual(['big1', 'small', 'big2', 'later']);
    big2.finish();
    later.finish();
    expect(await Promise.all(runs)).toEqual(['big1', 'small', 'big2', 'later']);
  });

  it('runs an image larger than the whole budget alone, and frees its share when the work fails', async () => {
    const budget = new PixelBudget(10e6);
    await expect(budget.run(80e6, () => Promise.reject(new Error('damaged')))).rejects.toThrow('damaged');
    expect(await budget.run(10e6, () => Promise.resolve('ran'))).toBe('ran');
  });
});
