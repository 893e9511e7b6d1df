import { z } from 'zod';
import { RequestItem } from '../../domain/customer-requests.js';
import { FlagCode } from '../../domain/flags.js';
import { ClaimDetail, ClaimState, Decided, FieldCorrections, LeaseHolder, Preview, QueueItem, Undone } from '../../domain/review.js';

const IsoDate = z.iso.date({ error: 'not a calendar date YYYY-MM-DD' });

export const SignInBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export const SessionView = z.object({
  user: z.object({ username: z.string(), role: z.string() }),
  csrfToken: z.string().meta({ description: 'Send it as X-CSRF-Token with every request that changes something' }),
});
export type SessionView = z.infer<typeof SessionView>;

export const QueueFilterQuery = z.object({
  flag: FlagCode.optional(),
  family: z.string().max(50).optional(),
  retailer: z.string().max(100).optional(),
  from: IsoDate.optional().meta({ description: 'Received on or after this day (UTC)' }),
  to: IsoDate.optional().meta({ description: 'Received on or before this day (UTC)' }),
});

export const QueueQuery = QueueFilterQuery.extend({
  cursor: z.string().max(200).optional().meta({ description: 'The `next` of the previous page' }),
  after: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Start after this claim in queue order (the claims a reviewer skipping it comes to next); not with `cursor`' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
}).refine((query) => !(query.cursor && query.after), { message: 'give either `cursor` or `after`, not both', path: ['after'] });

const AsOf = z.string().meta({ description: "The database's clock when this was read: the `since` of the next /queue/news" });

export const QueuePage = z.object({ items: z.array(QueueItem), next: z.string().nullable(), slaHours: z.number(), asOf: AsOf });

export const QueueNewsQuery = QueueFilterQuery.extend({
  since: z.string().min(1).max(64).meta({ description: 'The `asOf` of the queue page (or of the last news)' }),
});

export const QueueNews = z.object({
  newClaims: z.number().int().meta({ description: 'Claims matching the filters that joined the queue (or changed in it) since `since`' }),
  asOf: AsOf,
});
export type QueueNews = z.infer<typeof QueueNews>;

/** A reason a reviewer can give, with the flags that make it the one to pre-select. */
const ReasonOption = z.object({
  code: z.string(),
  label: z.string(),
  suggestedBy: z
    .array(FlagCode)
    .meta({ description: 'Pre-selected when the claim has one of these flags and no other reason is suggested' }),
});

export const Facets = z.object({
  flags: z.array(z.object({ code: z.string(), title: z.string() })),
  /** Every flag's title by code (flags above: only those the queue filters by), to name a flag wherever it appears. */
  flagTitles: z.record(z.string(), z.string()),
  families: z.array(z.object({ id: z.string(), label: z.string() })),
  retailers: z.array(z.string()),
  rejectReasons: z.array(ReasonOption),
  requestItems: z
    .array(RequestItem)
    .meta({ description: 'What a reviewer can ask the customer for; pre-ticked when the claim has a flag the item clears' }),
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
export const ClaimStateView = ClaimState;
export const DecisionView = Decided;
export const UndoneView = Undone;

export const CreateUserBody = z.object({
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'lower-case letters, digits, ".", "_" and "-"'),
  password: z.string().max(200),
  role: z.enum(['submitter', 'reviewer', 'admin']),
});
export const UserView = z.object({ id: z.number().int(), username: z.string(), role: z.string() });
