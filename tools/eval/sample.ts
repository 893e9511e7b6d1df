import { documentKind, type Truth } from './scoring.js';

/**
 * A stratified sample of about `size` claims: each document kind in proportion to its share (at
 * least `size / (2 × kinds)` where it has that many), spread evenly over the set's claim-date order,
 * plus the earlier claims its duplicates refer to, without which their truth would not hold.
 * Returns claim ids in the set's order. No randomness: the same set gives the same sample.
 */
export function stratifiedSample(truths: Truth[], size: number): Set<string> {
  const byKind = new Map<string, Truth[]>();
  for (const t of truths) byKind.set(documentKind(t), [...(byKind.get(documentKind(t)) ?? []), t]);
  const floor = Math.floor(size / (2 * byKind.size));
  const chosen = new Set<string>();
  for (const claims of byKind.values()) {
    const quota = Math.min(claims.length, Math.max(floor, Math.round((size * claims.length) / truths.length)));
    for (let i = 0; i < quota; i++) chosen.add(claims[Math.floor((i * claims.length) / quota)]!.claimId);
  }
  for (const t of truths)
    if (chosen.has(t.claimId)) for (const earlier of [t.duplicateOf, t.duplicateSerialOf]) if (earlier) chosen.add(earlier);
  return new Set(truths.filter((t) => chosen.has(t.claimId)).map((t) => t.claimId));
}
