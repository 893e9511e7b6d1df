import { decideClaim, sha256, stageOutput, type DecidePorts } from '../../pipelines/claim-stages.js';
import { textLayerFromText } from '../../src/domain/text-layer.js';
import { luhnCheckDigit } from '../../src/domain/identifiers.js';
import { extract } from '../../src/extract/extract.js';
import { normaliseForm } from '../../src/intake/form.js';
import type { IntakeDocument } from '../../src/intake/intake.js';
import type { Policy } from '../../src/policy/policy-schema.js';
import { parsePolicy } from '../../src/policy/policy-table.js';
import { SeededRandom } from '../lib/random.js';

/**
 * Stored claims for the reprocessing benchmark and tests, made the way the pipeline makes them:
 * receipt text → the real extractor → reserve + decideClaim, so every stage output is what a live
 * claim stores. Only OCR is skipped (the text stands for a PDF text layer). Deterministic per seed.
 */

const PRODUCTS = [
  { model: 'SM-S921B/DS', name: 'Galaxy S24', unit: 'imei' },
  { model: 'SM-A556B/DS', name: 'Galaxy A55', unit: 'imei' },
  { model: 'SM-X710', name: 'Galaxy Tab S9', unit: 'serial11' },
  { model: 'SM-R960', name: 'Galaxy Watch6', unit: 'serial11' },
  { model: 'QE55Q80CATXZG', name: 'QLED TV', unit: 'serial15' },
  { model: 'WW90T534DAW', name: 'Waschmaschine', unit: 'serial15' },
  { model: 'LS27C390EAUXEN', name: 'Monitor', unit: 'serial15' },
  { model: 'HW-Q600C', name: 'Soundbar', unit: 'serial15' },
] as const;
const RETAILERS = ['MediaMarkt Berlin-Mitte', 'Saturn Hamburg', 'Cyberport', 'Euronics', 'Samsung Shop', 'Otto', 'Elkjøp Oslo'];
const ALPHANUMERIC = 'ABCDEFGHJKLMNPQRTUVWXYZ0123456789';

export interface SyntheticClaim {
  claimId: string;
  receiptText: string;
  form: { claimId: string; model: string; purchaseDate: string; claimDate: string; country: string; serial?: string; imei?: string };
}

/** `count` claims: mostly clean, some expired, some with a form/receipt mismatch, some re-using an earlier unit. */
export function syntheticClaims(count: number, options: { prefix?: string; seed?: number } = {}): SyntheticClaim[] {
  const rng = new SeededRandom(options.seed ?? 1);
  const units: string[] = [];
  return Array.from({ length: count }, (_, i) => {
    const product = rng.pick(PRODUCTS);
    let unit: string;
    if (product.unit === 'imei') {
      const first14 = `35${rng.digits(12)}`;
      unit = `${first14}${luhnCheckDigit(first14)}`;
    } else {
      unit = rng.chars(product.unit === 'serial11' ? 11 : 15, ALPHANUMERIC);
    }
    // About 2% claim a unit an earlier claim already did: a duplicate for the later one.
    if (units.length > 0 && rng.chance(0.02)) unit = rng.pick(units);
    units.push(unit);
    const purchase = new Date(Date.UTC(2021, 0, 1) + Math.floor(rng.float() * 4 * 365) * 86_400_000);
    const claimed = new Date(purchase.getTime() + Math.floor(rng.range(30, 930)) * 86_400_000);
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const german = (d: Date) => iso(d).split('-').reverse().join('.');
    const typedUnit = rng.chance(0.03) ? rng.chars(unit.length, ALPHANUMERIC) : unit;
    const claimId = `${options.prefix ?? 'SYN'}-${String(i + 1).padStart(6, '0')}`;
    return {
      claimId,
      receiptText: [
        rng.pick(RETAILERS),
        `Rechnung Nr. ${100000 + i}`,
        `Datum: ${german(purchase)}`,
        `Samsung ${product.name} ${product.model} ${rng.range(200, 1700).toFixed(2).replace('.', ',')} EUR`,
        `${product.unit === 'imei' ? 'IMEI' : 'Seriennummer'}: ${unit}`,
        'Summe inkl. MwSt.',
      ].join('\n'),
      form: {
        claimId,
        model: product.model,
        purchaseDate: iso(purchase),
        claimDate: iso(claimed),
        country: 'DE',
        ...(product.unit === 'imei' ? { imei: typedUnit } : { serial: typedUnit }),
      },
    };
  });
}

/** Stores claims as the pipeline would (arrival order = array order). */
export async function storeSyntheticClaims(claims: SyntheticClaim[], ports: DecidePorts): Promise<void> {
  for (const c of claims) {
    const text = textLayerFromText([c.receiptText]);
    const bytes = new TextEncoder().encode(c.receiptText);
    const doc: IntakeDocument = {
      type: 'pdf',
      mediaType: 'application/pdf',
      sha256: sha256(bytes),
      byteLength: bytes.byteLength,
      pageCount: 1,
      pixels: null,
      metadata: { software: null, created: null, modified: null, incrementalUpdates: 0 },
    };
    const extraction = extract(text);
    const { seq } = await ports.claims.reserve(c.claimId, `${c.claimId}.pdf`);
    const form = normaliseForm(c.form, { country: 'DE', today: c.form.claimDate });
    await decideClaim(
      { claimId: c.claimId, seq, file: `${c.claimId}.pdf`, form, documents: [{ document: 0, doc, extraction, signals: null }] },
      ports,
      {
        stages: [stageOutput.intake(doc, 0), stageOutput.read({ doc, text }, 0), stageOutput.extract(text, extraction, 0)],
      },
    );
  }
}

/**
 * A stand-in for the table before `current` (phones covered 12 months, not 24): claims stored under
 * it all get a new result when re-assessed under `current`, and some a new status.
 */
export function stricterPolicy(current: Policy, version: string): Policy {
  return parsePolicy(
    { ...current, version, families: current.families.map((f) => (f.id === 'phone' ? { ...f, period: { ...f.period, months: 12 } } : f)) },
    `stricter stand-in ${version}`,
  );
}
