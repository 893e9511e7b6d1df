import { describe, expect, it } from 'vitest';
import { syntheticClaims } from '../../../../tools/harness/synthetic-claims.js';
import { hashSeed, SeededRandom } from '../../../../tools/lib/random.js';

describe('the tools’ seeded generator', () => {
  it('draws mulberry32’s sequence: corpora and synthetic claims stay the same from release to release', () => {
    const rng = new SeededRandom(1);
    expect([rng.float(), rng.float(), rng.float()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    expect(hashSeed('1:0:plan')).toBe(4018706311);
  });

  it('keeps draws within their bounds', () => {
    const rng = new SeededRandom(7);
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
      const x = rng.range(-1, 1);
      expect(x >= -1 && x < 1).toBe(true);
    }
    expect(rng.digits(12)).toMatch(/^\d{12}$/);
    expect(rng.chars(8, 'AB')).toMatch(/^[AB]{8}$/);
    expect(() => rng.pick([])).toThrow(/empty/);
  });

  it('draws weighted keys in proportion, and never a key of weight 0', () => {
    const rng = new SeededRandom(3);
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 4000; i++) counts[rng.weighted({ a: 3, b: 1, never: 0 })]++;
    expect(counts.never).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2.5);
    expect(counts.a / counts.b).toBeLessThan(3.5);
  });

  it('gives each corpus claim a stream of its own, independent of the others', () => {
    const first = SeededRandom.forClaim(1, 5, 'plan');
    const again = SeededRandom.forClaim(1, 5, 'plan');
    const other = SeededRandom.forClaim(1, 6, 'plan');
    const a = [first.float(), first.float()];
    expect([again.float(), again.float()]).toEqual(a);
    expect([other.float(), other.float()]).not.toEqual(a);
  });

  it('makes the same synthetic claims for a seed, and others for another seed', () => {
    const claims = syntheticClaims(50);
    expect(syntheticClaims(50)).toEqual(claims);
    expect(claims[0]!.form).toEqual({
      claimId: 'SYN-000001',
      model: 'WW90T534DAW',
      purchaseDate: '2022-12-16',
      claimDate: '2023-03-16',
      country: 'DE',
      serial: 'AU98KX0Q9RTEPJF',
    });
    expect(syntheticClaims(50, { seed: 2 }).map((c) => c.form)).not.toEqual(claims.map((c) => c.form));
  });
});
