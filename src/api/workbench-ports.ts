import type { DistributedConfig } from '../config/env.js';
import { loadPolicy } from '../policy/policy-table.js';
import type { DistributedRuntime } from '../runtime/distributed-runtime.js';
import { HashingSlots } from '../auth/hashing-slots.js';
import { AccountService } from '../services/account-service.js';
import { ReviewService } from '../services/review-service.js';
import { SignInAttemptsRepository } from '../store/sign-in-attempts-repository.js';
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
    accounts: new AccountService({
      users: runtime.users,
      signInAttempts: new SignInAttemptsRepository(runtime.db),
      // Four waiting per slot: a sign-in waits a few tenths of a second at most, then is answered 503.
      hashing: new HashingSlots(config.review.signIn.hashConcurrency, 4 * config.review.signIn.hashConcurrency),
      sessionSeconds,
    }),
    review: {
      slaHours: config.review.slaHours,
      sessionSeconds,
      secureCookie: config.review.secureCookie,
      signIn: config.review.signIn,
    },
  };
}
