/**
 * Fraud detection figures, with no I/O: precision and recall per signal and per kind of fraud,
 * detection per scenario, and the false-alarm rate.
 */
import type { ClaimResult } from '../../src/domain/result.js';
import { percent as pct, Tally, type Truth } from './scoring.js';

/** Which kind of fraud a flag detects, and which truth makes a claim a positive for it. */
const FRAUD_KINDS = {
  tampering: { code: 'POSSIBLE_TAMPERING', positive: (t: Truth) => t.tamper !== undefined },
  reused_receipt: { code: 'DUPLICATE_RECEIPT', positive: (t: Truth) => t.duplicateOf !== undefined },
  repeated_serial: { code: 'DUPLICATE_SERIAL', positive: (t: Truth) => t.duplicateSerialOf !== undefined },
} as const;
type FraudKind = keyof typeof FRAUD_KINDS;

/** Fired signals of a result, by kind: `tampering:background`, `reused_receipt:receipt_hash`, … */
export function firedSignals(result: ClaimResult): Array<{ kind: FraudKind; signal: string }> {
  return result.flags.flatMap((f) => {
    const kind = (Object.keys(FRAUD_KINDS) as FraudKind[]).find((k) => FRAUD_KINDS[k].code === f.code);
    if (!kind) return [];
    const detail = [f.evidence.signal, f.evidence.match].find((d) => typeof d === 'string') ?? 'serial';
    return [{ kind, signal: `${kind}:${detail}` }];
  });
}

/**
 * Detection figures: precision and recall per signal and per kind of fraud, detection per scenario,
 * and the false-alarm rate (claims with no fraud in their truth that got a fraud flag).
 */
export function detectionReport(pairs: Array<{ truth: Truth; result: ClaimResult }>): {
  lines: string[];
  figures: Record<string, unknown>;
} {
  const positives = new Map<FraudKind, number>();
  const signals = new Map<string, { kind: FraudKind; fired: number; right: number }>();
  const kinds = new Map<FraudKind, { fired: number; right: number }>();
  const scenarios = new Tally();
  let honest = 0;
  let falseAlarms = 0;
  for (const { truth, result } of pairs) {
    const isPositive = (k: FraudKind) => FRAUD_KINDS[k].positive(truth);
    for (const k of Object.keys(FRAUD_KINDS) as FraudKind[]) if (isPositive(k)) positives.set(k, (positives.get(k) ?? 0) + 1);
    const fired = firedSignals(result);
    for (const { kind, signal } of new Map(fired.map((f) => [f.signal, f])).values()) {
      const s = signals.get(signal) ?? { kind, fired: 0, right: 0 };
      s.fired++;
      if (isPositive(kind)) s.right++;
      signals.set(signal, s);
    }
    for (const kind of new Set(fired.map((f) => f.kind))) {
      const k = kinds.get(kind) ?? { fired: 0, right: 0 };
      k.fired++;
      if (isPositive(kind)) k.right++;
      kinds.set(kind, k);
    }
    const fraudulent = (Object.keys(FRAUD_KINDS) as FraudKind[]).filter(isPositive);
    if (fraudulent.length === 0) {
      honest++;
      if (fired.length > 0) falseAlarms++;
    } else {
      scenarios.add(
        truth.scenario ?? 'unknown',
        fraudulent.every((k) => fired.some((f) => f.kind === k)),
      );
    }
  }
  const lines = ['detection            precision         recall'];
  const figures: Record<string, unknown> = {};
  for (const kind of Object.keys(FRAUD_KINDS) as FraudKind[]) {
    const k = kinds.get(kind) ?? { fired: 0, right: 0 };
    const p = positives.get(kind) ?? 0;
    lines.push(`  ${kind.padEnd(18)} ${pct(k.right, k.fired)} (${k.right}/${k.fired})  ${pct(k.right, p)} (${k.right}/${p})`);
    figures[kind] = { precision: k.fired ? k.right / k.fired : null, recall: p ? k.right / p : null };
    for (const [name, s] of [...signals.entries()].filter(([, s]) => s.kind === kind).sort()) {
      lines.push(
        `    ${name.slice(kind.length + 1).padEnd(26)} ${pct(s.right, s.fired)} (${s.right}/${s.fired})  ${pct(s.right, p)} (${s.right}/${p})`,
      );
      figures[name] = { precision: s.fired ? s.right / s.fired : null, recall: p ? s.right / p : null };
    }
  }
  lines.push('  detected per scenario');
  for (const key of [...scenarios.counts.keys()].sort()) lines.push(`    ${key.padEnd(26)} ${scenarios.line(key)}`);
  lines.push(`  false alarms on claims without fraud: ${pct(falseAlarms, honest)} (${falseAlarms}/${honest})`);
  figures.falseAlarmRate = honest ? falseAlarms / honest : null;
  return { lines, figures };
}
