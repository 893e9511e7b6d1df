import type { DistributedConfig } from '../config/env.js';
import { loadPolicy } from '../policy/policy-table.js';
import type { DistributedRuntime } from '../runtime/distributed-runtime.js';
import { AccountService } from '../services/account-service.js';
import { ReviewService } from '../services/review-service.js';
import type { ApiPorts } from './app.js';

/** The reviewer workbench's services, wired to the runtime and the configuration (API process and tests alike). */
export function workbenchPorts(
  config: DistributedConfig,
  runtime: DistributedRuntime,
): Pick<ApiPorts, 'reviews' | 'accounts' | 'policy' | 'review'> {
  // Re-assessment applies the policy the workers apply.
  const policy = loadPolicy(config.policyVersion);
  const sessionSeconds = config.review.sessionHours * 3600;
  return {
    policy,
    reviews: new ReviewService({
      reviews: runtime.reviews,
      claims: runtime.claims,
      fingerprints: runtime.fingerprints,
      receipts: runtime.receipts,
      policy,
      maxPixels: config.limits.maxPixels,
      defaultCountry: config.defaultCountry,
      slaHours: config.review.slaHours,
      leaseSeconds: config.review.leaseSeconds,
    }),
    accounts: new AccountService({ users: runtime.users, sessionSeconds }),
    review: { slaHours: config.review.slaHours, sessionSeconds, secureCookie: config.review.secureCookie },
  };
}
