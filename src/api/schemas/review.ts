import { z } from 'zod';
import { FlagCode } from '../../domain/flags.js';
import { ClaimDetail, Decided, FieldCorrections, LeaseHolder, Preview, QueueItem } from '../../domain/review.js';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD');

export const SignInBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export const SessionView = z.object({
  user: z.object({ username: z.string(), role: z.string() }),
  csrfToken: z.string().meta({ description: 'Send it as X-CSRF-Token with every request that changes something' }),
});
export type SessionView = z.infer<typeof SessionView>;

export const QueueQuery = z.object({
  flag: FlagCode.optional(),
  family: z.string().max(50).optional(),
  retailer: z.string().max(100).optional(),
  from: IsoDate.optional().meta({ description: 'Received on or after this day (UTC)' }),
  to: IsoDate.optional().meta({ description: 'Received on or before this day (UTC)' }),
  cursor: z.string().max(200).optional().meta({ description: 'The `next` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const QueuePage = z.object({ items: z.array(QueueItem), next: z.string().nullable(), slaHours: z.number() });

export const Facets = z.object({
  flags: z.array(z.object({ code: z.string(), title: z.string() })),
  /** Every flag's title by code (flags above: only those the queue filters by), to name a flag wherever it appears. */
  flagTitles: z.record(z.string(), z.string()),
  families: z.array(z.object({ id: z.string(), label: z.string() })),
  retailers: z.array(z.string()),
  rejectReasons: z.array(z.object({ code: z.string(), label: z.string() })),
  infoReasons: z.array(z.object({ code: z.string(), label: z.string() })),
  slaHours: z.number(),
});
export type Facets = z.infer<typeof Facets>;

export const ReviewClaimParams = z.object({ id: z.string().min(1).max(200) });
export const PageParams = ReviewClaimParams.extend({ page: z.coerce.number().int().min(1).max(100) });

// The shapes the review services build are defined in the domain (src/domain/review.ts), once for
// the services, these routes and the browser UI.
export const ClaimDetailView = ClaimDetail;
export const PreviewBody = z.object({ corrections: FieldCorrections });
export const PreviewView = Preview;
export const LeaseView = LeaseHolder;
export const DecisionView = Decided;

export const CreateUserBody = z.object({
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'lower-case letters, digits, ".", "_" and "-"'),
  password: z.string().max(200),
  role: z.enum(['submitter', 'reviewer', 'admin']),
});
export const UserView = z.object({ id: z.number().int(), username: z.string(), role: z.string() });
