import { z } from 'zod';
import { Field } from '../../domain/extraction.js';
import { FlagCode } from '../../domain/flags.js';
import { Warranty } from '../../domain/result.js';
import { FieldCorrections } from '../../domain/review.js';
import { Box } from '../../domain/text-layer.js';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD');

export const SignInBody = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) });

export const SessionView = z.object({
  user: z.object({ username: z.string(), role: z.string() }),
  csrfToken: z.string().meta({ description: 'Send it as X-CSRF-Token with every request that changes something' }),
});

export const QueueQuery = z.object({
  flag: FlagCode.optional(),
  family: z.string().max(50).optional(),
  retailer: z.string().max(100).optional(),
  from: IsoDate.optional().meta({ description: 'Received on or after this day (UTC)' }),
  to: IsoDate.optional().meta({ description: 'Received on or before this day (UTC)' }),
  cursor: z.string().max(200).optional().meta({ description: 'The `next` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

const LeaseHolder = z.object({ username: z.string(), expiresAt: z.string() });

export const QueuePage = z.object({
  items: z.array(
    z.object({
      claimId: z.string(),
      requestNumber: z.string(),
      receivedAt: z.string(),
      ageHours: z.number(),
      overTarget: z.boolean().meta({ description: 'Older than the service-level target' }),
      family: z.string().nullable(),
      retailer: z.string().nullable(),
      flags: z.array(z.string()),
      lease: LeaseHolder.nullable(),
    }),
  ),
  next: z.string().nullable(),
  slaHours: z.number(),
});

export const Facets = z.object({
  flags: z.array(z.object({ code: z.string(), title: z.string() })),
  families: z.array(z.object({ id: z.string(), label: z.string() })),
  retailers: z.array(z.string()),
  rejectReasons: z.array(z.object({ code: z.string(), label: z.string() })),
  infoReasons: z.array(z.object({ code: z.string(), label: z.string() })),
  slaHours: z.number(),
});

export const ReviewClaimParams = z.object({ id: z.string().min(1).max(200) });
export const PageParams = ReviewClaimParams.extend({ page: z.coerce.number().int().min(1).max(100) });

const Highlight = z.object({ page: z.number().int(), box: Box });
const ReceiptPage = z.object({ number: z.number().int(), url: z.string(), coordinateWidth: z.number() });

const FlagView = z.object({
  code: FlagCode,
  severity: z.string(),
  title: z.string(),
  message: z.string(),
  details: z.array(z.string()),
  evidence: z.record(z.string(), z.unknown()),
  highlight: Highlight.nullable(),
  earlierClaimId: z.string().nullable(),
  earlierClaim: z.object({ claimId: z.string(), requestNumber: z.string(), pages: z.array(ReceiptPage) }).nullable(),
  imei: z.object({ digits: z.string(), checkDigit: z.number(), expectedCheckDigit: z.number() }).nullable(),
});

const Assessment = z.object({ status: z.string(), warranty: Warranty.nullable(), flags: z.array(FlagView), policyVersion: z.string() });

export const ClaimDetailView = z.object({
  claimId: z.string(),
  requestNumber: z.string(),
  status: z.string(),
  receivedAt: z.string(),
  ageHours: z.number(),
  overTarget: z.boolean(),
  decidedBy: z.string().nullable(),
  file: z.string().nullable(),
  lease: LeaseHolder.extend({ mine: z.boolean() }).nullable(),
  form: z.record(z.string(), z.unknown()),
  pages: z.array(ReceiptPage),
  fields: z.array(
    z.object({ name: z.string(), receipt: Field, form: z.string().nullable(), disagrees: z.boolean(), highlight: Highlight.nullable() }),
  ),
  assessment: Assessment,
  heat: z
    .array(Highlight.extend({ level: z.number().int().min(0).max(9) }))
    .describe('Where the image may have been edited: hot cells of the error-level heat map'),
  history: z.array(z.object({ kind: z.string(), at: z.string(), data: z.unknown() })),
});

export const PreviewBody = z.object({ corrections: FieldCorrections });
export const PreviewView = Assessment.extend({ fields: z.record(z.string(), Field) });
export const LeaseView = LeaseHolder;
export const DecisionView = z.object({ status: z.string() });

export const CreateUserBody = z.object({
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'lower-case letters, digits, ".", "_" and "-"'),
  password: z.string().max(200),
  role: z.enum(['submitter', 'reviewer', 'admin']),
});
export const UserView = z.object({ id: z.number().int(), username: z.string(), role: z.string() });
