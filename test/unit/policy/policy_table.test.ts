import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/policy/assess.js';
import { CURRENT_POLICY_VERSION, listPolicyVersions, loadPolicy, parsePolicy } from '../../../src/policy/policy-table.js';
import { PolicyLoadError } from '../../../src/errors/policy-load-error.js';
import { claim, policy, receipt } from './claim-builders.js';

/** A deep copy of the current table to break one piece at a time. */
function currentTable(): Record<string, any> {
  return structuredClone(loadPolicy());
}

describe('the shipped policy tables', () => {
  it('every listed version validates and declares its own version', () => {
    expect(listPolicyVersions()).toContain(CURRENT_POLICY_VERSION);
    for (const version of listPolicyVersions()) expect(loadPolicy(version).version).toBe(version);
  });

  it('an unknown version is refused, listing the known ones', () => {
    expect(() => loadPolicy('1999.1')).toThrow(PolicyLoadError);
    expect(() => loadPolicy('1999.1')).toThrow(/unknown policy version "1999.1"; known versions: .*2026\.1/);
  });

  it.each([
    ['SM-X710', 'tablet'],
    ['SM-T290', 'tablet'],
    ['SM-R960', 'wearable'],
    ['SM-S921B/DS', 'phone'],
    ['QE55Q80CATXZG', 'tv'],
    ['HW-Q800C/ZG', 'audio'],
    ['WW90T534DAW/S2', 'appliance'],
    ['LC27G55TQBUXEN', 'monitor'],
    ['NP750XGK-KG3DE', 'notebook'],
    ['MZ-77E1T0B/EU', 'ssd'],
    ['MB-MC128KA/EU', 'memory_card'],
    ['MUF-128AB/APC', 'usb'],
  ])('model %s is a %s (tablets and wearables before the generic phone pattern)', (model, family) => {
    const decision = assess(claim({ receipt: receipt({ model, serial: 'R5CT6073PQV' }) }), policy);
    expect(decision.warranty?.family).toBe(family);
  });
});

describe('a broken table is refused at load with a clear message', () => {
  it('a negative period names the path of the bad value', () => {
    const table = currentTable();
    table.families[0].period.months = -24;
    expect(() => parsePolicy(table, 'policies/broken.json')).toThrow(PolicyLoadError);
    expect(() => parsePolicy(table, 'policies/broken.json')).toThrow(
      /policy table policies\/broken\.json is invalid:[\s\S]*families\[0\]\.period\.months/,
    );
  });

  it('a pattern that is not a regular expression', () => {
    const table = currentTable();
    table.families[1].modelPatterns = ['^SM-R(\\d'];
    expect(() => parsePolicy(table, 'broken')).toThrow(/not a valid regular expression: \^SM-R\(\\d/);
  });

  it('an unknown receipt item', () => {
    const table = currentTable();
    table.families[0].requiredOnReceipt = ['purchaseDate', 'warrantyCard'];
    expect(() => parsePolicy(table, 'broken')).toThrow(/requiredOnReceipt/);
  });

  it('a rule id used twice', () => {
    const table = currentTable();
    table.families[1].period.id = table.families[0].period.id;
    expect(() => parsePolicy(table, 'broken')).toThrow(/rule id "period.tablet" is used more than once/);
  });

  it('a coverage rule for a family the table does not define', () => {
    const table = currentTable();
    table.coverage[0].family = 'projector';
    expect(() => parsePolicy(table, 'broken')).toThrow(/names family "projector", which the table does not define/);
  });

  it('a coverage rule that would raise a non-refusal flag', () => {
    const table = currentTable();
    table.coverage[0].flag = 'LOW_CONFIDENCE';
    expect(() => parsePolicy(table, 'broken')).toThrow(/coverage\[0\]\.flag/);
  });

  it('a missing check', () => {
    const table = currentTable();
    delete table.checks.lowConfidence;
    expect(() => parsePolicy(table, 'broken')).toThrow(/checks\.lowConfidence/);
  });
});
