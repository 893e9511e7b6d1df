import type { ClaimIdentifier, EarlierClaim } from '../domain/fraud.js';
import type { IdentifierHolder, ReprocessRepository } from '../store/reprocess-repository.js';

const keyOf = (i: ClaimIdentifier) => `${i.kind}\u0000${i.value}`;

/**
 * "Earlier claims sharing an identifier" for a re-run, answered in memory: one query fetches the
 * holders of a whole chunk's identifiers, and claims this run re-identified (a new extraction, a new
 * serial) replace what the database still says about them. So a duplicate stays relative to
 * arrival order (`seq`), and a dry-run sees the same earlier claims an apply would.
 */
export class EarlierClaims {
  private stored = new Map<string, IdentifierHolder[]>();
  private readonly replaced = new Map<string, IdentifierHolder[]>();
  private readonly replacedByKey = new Map<string, Map<string, IdentifierHolder>>();

  constructor(private readonly repo: ReprocessRepository) {}

  /** Loads the stored holders of these identifiers (the chunk about to be decided). */
  async prefetch(identifiers: ClaimIdentifier[]): Promise<void> {
    const unique = [...new Map(identifiers.map((i) => [keyOf(i), i])).values()];
    this.stored = new Map();
    for (const holder of await this.repo.holdersOf(unique)) {
      const key = keyOf(holder);
      this.stored.set(key, [...(this.stored.get(key) ?? []), holder]);
    }
  }

  /** A claim of this run now holds these identifiers instead of its stored ones. */
  replace(claim: Omit<IdentifierHolder, 'kind' | 'value'>, identifiers: ClaimIdentifier[]): void {
    for (const old of this.replaced.get(claim.claimId) ?? []) this.replacedByKey.get(keyOf(old))?.delete(claim.claimId);
    const holders = identifiers.map((i) => ({ ...claim, ...i }));
    this.replaced.set(claim.claimId, holders);
    for (const h of holders) {
      const key = keyOf(h);
      if (!this.replacedByKey.has(key)) this.replacedByKey.set(key, new Map());
      this.replacedByKey.get(key)!.set(claim.claimId, h);
    }
  }

  /** After an apply has written the replacements, the database says the same again. */
  forgetReplacements(): void {
    this.replaced.clear();
    this.replacedByKey.clear();
  }

  async findEarlier(seq: number, identifiers: ClaimIdentifier[]): Promise<EarlierClaim[]> {
    const found: IdentifierHolder[] = [];
    for (const identifier of identifiers) {
      const key = keyOf(identifier);
      for (const h of this.stored.get(key) ?? []) if (h.seq < seq && !this.replaced.has(h.claimId)) found.push(h);
      for (const h of this.replacedByKey.get(key)?.values() ?? []) if (h.seq < seq) found.push(h);
    }
    return found
      .sort((a, b) => a.seq - b.seq)
      .map((h) => ({ kind: h.kind, value: h.value, claimId: h.claimId, requestNumber: h.requestNumber, file: h.file }));
  }
}
