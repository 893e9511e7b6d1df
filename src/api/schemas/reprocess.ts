import { z } from 'zod';

export const StartBatchBody = z.object({
  fromStage: z.enum(['read', 'extract', 'assess']).meta({
    description: 'read re-reads the receipt (OCR); extract re-parses stored text; assess applies the policy to stored extractions',
  }),
  where: z
    .string()
    .min(1)
    .max(2000)
    .meta({ description: "Selection, e.g. status=needs_review and created<2026-01-01 (the CLI's --where)" }),
  policy: z.string().min(1).optional().meta({ description: 'Policy version to apply; default the current one' }),
  force: z.boolean().default(false),
});

export const BatchIdParams = z.object({ id: z.string().min(1).max(100) });

export const BatchView = z.object({
  id: z.string(),
  fromStage: z.enum(['read', 'extract', 'assess']),
  policyVersion: z.string(),
  total: z.number().int(),
  done: z.number().int(),
  finished: z.boolean(),
  resumed: z.boolean().optional(),
  outcomes: z
    .record(z.string(), z.number().int())
    .meta({ description: 'unchanged, updated, second_look (a reviewer decided; the machine now differs), failed' }),
});
