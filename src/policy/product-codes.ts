import { z } from 'zod';
import { FamilyId, RegexSource } from './policy-schema.js';
// Static imports so the build ships every grammar with the code, as for the policy tables.
import productCodes2026_4 from './product-codes/2026.4.json' with { type: 'json' };
import { ProductCodesLoadError } from '../errors/product-codes-load-error.js';

/**
 * Samsung's naming of model codes and serial numbers per product family, kept as versioned data
 * beside the policy tables (`product-codes/<version>.json`) and validated at load. A policy table
 * names the grammar version its family assignment uses, so a released decision never changes
 * under it; the extractor reads receipts with the newest grammar. A released grammar is never
 * edited: a change is a new version.
 */

const PartName = z.string().regex(/^[a-z][A-Za-z]*$/, 'a part name is camelCase letters (it becomes a regex group name)');

/** One named part of a model code: a regular-expression source, or a list of literal alternatives. */
const ModelPart = z
  .object({
    part: PartName,
    pattern: RegexSource.optional(),
    oneOf: z
      .array(z.string().regex(/^[A-Z0-9/-]+$/))
      .min(1)
      .optional(),
    optional: z.boolean().default(false),
  })
  .refine((p) => (p.pattern === undefined) !== (p.oneOf === undefined), { error: 'a part has either a pattern or oneOf' });

const ModelShape = z.object({
  family: FamilyId,
  name: z.string().min(1),
  parts: z.array(ModelPart).min(1),
  /** Real codes of the shape from public lists; each must be accepted and assigned to `family`. */
  examples: z.array(z.string()).min(1),
});

/** A character class in the `[…]` notation without brackets ("A-Z0-9", "1-9A-C"). */
const CharClass = z.string().regex(/^(?:[A-Z0-9](?:-[A-Z0-9])?)+$/, 'a character class such as "A-Z0-9"');

/** One part of a fixed-length serial number: which characters each of its positions may hold. */
const SerialPart = z.object({ part: PartName, chars: CharClass, length: z.number().int().positive() });

const SerialShape = z.object({
  families: z.array(FamilyId).min(1),
  name: z.string().min(1),
  parts: z.array(SerialPart).min(1),
  examples: z.array(z.string()),
});

const GrammarSchema = z
  .object({
    version: z.string().regex(/^\d{4}\.\d+$/),
    description: z.string().min(1),
    sources: z.array(z.string().min(1)).min(1),
    /** Endings printed after a "/" (region, channel, variant): OCR often reads that "/" as I, l or 1. */
    slashSuffixes: z.array(z.string().regex(/^[A-Z0-9]+$/)).min(1),
    /** Tried in order: the first shape accepting a code names its family. */
    modelCodes: z.array(ModelShape).min(1),
    serialNumbers: z.array(SerialShape),
  })
  .superRefine((grammar, ctx) => {
    grammar.modelCodes.forEach((shape, i) => {
      const names = shape.parts.map((p) => p.part);
      if (new Set(names).size !== names.length) {
        ctx.addIssue({ code: 'custom', path: ['modelCodes', i, 'parts'], message: `part names repeat in "${shape.name}"` });
      }
    });
    // The examples are the grammar's own test: each must be accepted, and by a shape of its family.
    const compiled = grammar.modelCodes.map((shape) => ({ shape, regex: modelRegex(shape) }));
    compiled.forEach(({ shape }, i) => {
      for (const example of shape.examples) {
        const first = compiled.find((c) => c.regex.test(example));
        if (first?.shape.family !== shape.family) {
          ctx.addIssue({
            code: 'custom',
            path: ['modelCodes', i, 'examples'],
            message: `example ${example} of "${shape.name}" is ${first ? `read as a ${first.shape.family}` : 'not accepted'}`,
          });
        }
      }
    });
    grammar.serialNumbers.forEach((shape, i) => {
      for (const example of shape.examples) {
        if (!serialRegex(shape).test(example)) {
          ctx.addIssue({
            code: 'custom',
            path: ['serialNumbers', i, 'examples'],
            message: `example ${example} does not fit "${shape.name}"`,
          });
        }
      }
    });
  });
type GrammarTable = z.infer<typeof GrammarSchema>;
type ModelShape = z.infer<typeof ModelShape>;
type SerialShape = z.infer<typeof SerialShape>;

function modelRegex(shape: ModelShape): RegExp {
  const parts = shape.parts.map((p) => {
    const body = p.oneOf ? p.oneOf.map(escapeRegex).join('|') : p.pattern!;
    return `(?<${p.part}>${body})${p.optional ? '?' : ''}`;
  });
  return new RegExp(`^${parts.join('')}$`);
}

function serialRegex(shape: SerialShape): RegExp {
  return new RegExp(`^${shape.parts.map((p) => `[${p.chars}]{${p.length}}`).join('')}$`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** A model code as the grammar reads it: its family, the shape that accepted it and its named parts. */
export interface ModelCodeReading {
  family: string;
  shape: string;
  parts: Record<string, string>;
}

export class ProductCodeGrammar {
  readonly version: string;
  readonly slashSuffixes: ReadonlySet<string>;
  /** Prefixes printed with a hyphen ("SM", "HW", "MUF"), which OCR and typists often split or drop. */
  readonly hyphenatedPrefixes: readonly string[];
  /** Matches the start of any family's code: a cheap filter before repairs are tried. */
  readonly familyStart: RegExp;
  private readonly models: Array<{ shape: ModelShape; regex: RegExp }>;
  private readonly serials: Array<{ shape: SerialShape; regex: RegExp; positions: RegExp[] }>;

  constructor(table: GrammarTable) {
    this.version = table.version;
    this.slashSuffixes = new Set(table.slashSuffixes);
    this.models = table.modelCodes.map((shape) => ({ shape, regex: modelRegex(shape) }));
    this.serials = table.serialNumbers.map((shape) => ({
      shape,
      regex: serialRegex(shape),
      positions: shape.parts.flatMap((p) => Array.from({ length: p.length }, () => new RegExp(`^[${p.chars}]$`))),
    }));
    const starts = table.modelCodes.map((shape) => {
      const first = shape.parts[0]!;
      return first.oneOf ? first.oneOf.map(escapeRegex).join('|') : first.pattern!;
    });
    this.familyStart = new RegExp(`^(?:${starts.join('|')})`);
    this.hyphenatedPrefixes = [
      ...new Set(starts.flatMap((start) => /^([A-Z]{2,})-/.exec(start)?.[1] ?? []).sort((a, b) => b.length - a.length)),
    ];
  }

  /** The family, shape and parts of an upper-case model code; null when no family's naming fits. */
  readModel(code: string): ModelCodeReading | null {
    for (const { shape, regex } of this.models) {
      const match = regex.exec(code);
      if (match) {
        const parts = Object.fromEntries(Object.entries(match.groups ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>;
        return { family: shape.family, shape: shape.name, parts };
      }
    }
    return null;
  }

  familyOf(code: string): string | null {
    return this.readModel(code)?.family ?? null;
  }

  /** Every family the grammar names, for checking a policy table against it. */
  families(): Set<string> {
    return new Set([...this.models.map((m) => m.shape.family), ...this.serials.flatMap((s) => s.shape.families)]);
  }

  private serialShape(family: string, length: number) {
    return this.serials.find((s) => s.shape.families.includes(family) && s.positions.length === length) ?? null;
  }

  /** Whether a family's serial numbers have this shape; false when the grammar knows none of that length. */
  acceptsSerial(family: string, serial: string): boolean {
    return this.serialShape(family, serial.length)?.regex.test(serial) ?? false;
  }

  /**
   * Whether any family's serial numbers have this shape (an upper-case code). `structured`: only
   * shapes of several parts count (a year letter, a month…), not "any 15 letters and digits", which
   * any other code of that length fits too.
   */
  fitsSomeSerial(serial: string, structured = false): boolean {
    return this.serials.some((s) => (!structured || s.shape.parts.length > 1) && s.regex.test(serial));
  }

  /** Which of `chars` a family's serial of `length` may hold at `position`; none when the grammar has no such serial. */
  allowedAt(family: string, length: number, position: number, chars: readonly string[]): string[] {
    const allowed = this.serialShape(family, length)?.positions[position];
    return allowed ? chars.filter((c) => allowed.test(c)) : [];
  }
}

const GRAMMAR_TABLES: Readonly<Record<string, unknown>> = {
  '2026.4': productCodes2026_4,
};

/** The grammar the extractor reads receipts with. */
export const LATEST_PRODUCT_CODES_VERSION = '2026.4';

const loaded = new Map<string, ProductCodeGrammar>();

export function listProductCodeVersions(): string[] {
  return Object.keys(GRAMMAR_TABLES).sort();
}

/** The validated grammar of `version`; throws ProductCodesLoadError when it is unknown or broken. */
export function productCodeGrammar(version: string = LATEST_PRODUCT_CODES_VERSION): ProductCodeGrammar {
  const cached = loaded.get(version);
  if (cached) return cached;
  if (!(version in GRAMMAR_TABLES)) {
    throw new ProductCodesLoadError(`unknown product-code grammar "${version}"; known versions: ${listProductCodeVersions().join(', ')}`);
  }
  const grammar = parseProductCodes(GRAMMAR_TABLES[version], `product-codes/${version}.json`);
  if (grammar.version !== version) {
    throw new ProductCodesLoadError(
      `product-codes/${version}.json declares version "${grammar.version}"; the file and its version must agree`,
    );
  }
  loaded.set(version, grammar);
  return grammar;
}

/** Validates a grammar table; `origin` names it in the error so the broken file can be found. */
export function parseProductCodes(table: unknown, origin: string): ProductCodeGrammar {
  const result = GrammarSchema.safeParse(table);
  if (!result.success) throw new ProductCodesLoadError(`product-code grammar ${origin} is invalid:\n${z.prettifyError(result.error)}`);
  return new ProductCodeGrammar(result.data);
}
