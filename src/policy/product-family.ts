import type { Family, Policy } from './policy-schema.js';
import { productCodeGrammar } from './product-codes.js';

/**
 * The family of an upper-case model code under a policy table: by the product-code grammar the
 * table names, or, in tables before 2026.4, by the first family whose model pattern matches.
 */
export function familyOfModel(code: string, policy: Policy): Family | null {
  if (policy.productCodes) {
    const id = productCodeGrammar(policy.productCodes).familyOf(code);
    return policy.families.find((f) => f.id === id) ?? null;
  }
  return policy.families.find((f) => f.modelPatterns?.some((p) => new RegExp(p, 'i').test(code))) ?? null;
}
