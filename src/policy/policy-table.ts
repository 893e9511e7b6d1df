import { z } from 'zod';
import { type Policy, PolicySchema } from './policy-schema.js';
import { productCodeGrammar } from './product-codes.js';
import { ProductCodesLoadError } from '../errors/product-codes-load-error.js';
// Static imports so the build ships every table with the code (tsc copies imported JSON).
import policy2026_1 from './policies/2026.1.json' with { type: 'json' };
import policy2026_2 from './policies/2026.2.json' with { type: 'json' };
import policy2026_3 from './policies/2026.3.json' with { type: 'json' };
import policy2026_4 from './policies/2026.4.json' with { type: 'json' };
import policy2026_5 from './policies/2026.5.json' with { type: 'json' };
import policy2026_6 from './policies/2026.6.json' with { type: 'json' };
import policy2026_7 from './policies/2026.7.json' with { type: 'json' };
import { PolicyLoadError } from '../errors/policy-load-error.js';

/** Every known policy table, by version. Add a version here; never edit a released one. */
const POLICY_TABLES: Readonly<Record<string, unknown>> = {
  '2026.1': policy2026_1,
  '2026.2': policy2026_2,
  '2026.3': policy2026_3,
  '2026.4': policy2026_4,
  '2026.5': policy2026_5,
  '2026.6': policy2026_6,
  '2026.7': policy2026_7,
};

/** The version applied to new claims unless a run asks for another. */
export const CURRENT_POLICY_VERSION = '2026.7';

const validated = new Map<string, Policy>();

export function listPolicyVersions(): string[] {
  return Object.keys(POLICY_TABLES).sort();
}

/** The validated policy table of `version`; throws PolicyLoadError when it is unknown or broken. */
export function loadPolicy(version: string = CURRENT_POLICY_VERSION): Policy {
  const cached = validated.get(version);
  if (cached) return cached;
  if (!(version in POLICY_TABLES)) {
    throw new PolicyLoadError(`unknown policy version "${version}"; known versions: ${listPolicyVersions().join(', ')}`);
  }
  const policy = parsePolicy(POLICY_TABLES[version], `policies/${version}.json`);
  if (policy.version !== version) {
    throw new PolicyLoadError(
      `policy table policies/${version}.json declares version "${policy.version}"; the file and its version must agree`,
    );
  }
  validated.set(version, policy);
  return policy;
}

/** A table that assigns families by a product-code grammar must agree with it family for family. */
function checkProductCodes(policy: Policy, origin: string): void {
  if (!policy.productCodes) return;
  let grammarFamilies: Set<string>;
  try {
    grammarFamilies = productCodeGrammar(policy.productCodes).families();
  } catch (error) {
    if (error instanceof ProductCodesLoadError) throw new PolicyLoadError(`policy table ${origin}: ${error.message}`);
    throw error;
  }
  const tableFamilies = new Set(policy.families.map((f) => f.id));
  const problems = [
    ...[...tableFamilies].filter((f) => !grammarFamilies.has(f)).map((f) => `family "${f}" has no model codes in the grammar`),
    ...[...grammarFamilies]
      .filter((f) => !tableFamilies.has(f))
      .map((f) => `the grammar names family "${f}", which the table does not define`),
  ];
  if (problems.length) {
    throw new PolicyLoadError(`policy table ${origin} disagrees with product-code grammar ${policy.productCodes}: ${problems.join('; ')}`);
  }
}

/** Validates a policy table; `origin` names it in the error so the broken file can be found. */
export function parsePolicy(table: unknown, origin: string): Policy {
  const result = PolicySchema.safeParse(table);
  if (!result.success) {
    throw new PolicyLoadError(`policy table ${origin} is invalid:\n${z.prettifyError(result.error)}`);
  }
  checkProductCodes(result.data, origin);
  return result.data;
}
