/**
 * Numbers, units and dates for people (src/format/locale.ts). Every expected string is worked
 * out by hand in the comment beside it.
 */
import { describe, expect, it } from 'vitest';
import { formatDate, formatNumber, formatPeriod, formatValue, roundHalfUp, SUPPRESSED, unitName } from '../../src/format/locale.ts';
import { scopeLabel, scopeName } from '../../src/format/labels.ts';
import { INDICATORS } from '../../src/indicators/registry.ts';
import { UNITS } from '../../src/format/units.ts';

describe('numbers', () => {
  it('formats the examples of the issue in French and English', () => {
    // 390 733 km: 0 decimals for km; French groups with a space, English with a comma.
    expect(formatValue(390733.4, 'km', 'fr')).toBe('390 733 km');
    expect(formatValue(390733.4, 'km', 'en')).toBe('390,733 km');
    // 391 300 km / 40 075.017 km = 9.764… → 1 decimal, half-up → 9.8 (the 2023 report truncated to 9.7).
    expect(formatValue(391300 / 40075.017, 'laps', 'fr')).toBe('9,8 fois le tour de la Terre');
    expect(formatValue(391300 / 40075.017, 'laps', 'en')).toBe('9.8 times around the Earth');
  });

  it('rounds half-up at the unit’s decimals, counts without decimals', () => {
    expect(formatNumber(2.25, 1, 'fr')).toBe('2,3'); // 2.25 is exact in binary: half goes up
    expect(formatNumber(2.35, 1, 'en')).toBe('2.4'); // 2.35 is stored 2.35000000000000008882: up
    // ICU rounds the number as written (its shortest decimal form), not the binary expansion:
    // 1.005 (stored 1.00499999999999989342) is "1.005", half-up → "1.01", as a person would.
    expect(formatNumber(1.005, 2, 'en')).toBe('1.01');
    expect(formatNumber(9000.5, 0, 'fr')).toBe('9 001');
    expect(formatNumber(-0.3, 0, 'fr')).toBe('0'); // no "-0"
    expect(roundHalfUp(9.7549, 1)).toBe(9.8);
    expect(roundHalfUp(376789.5, 0)).toBe(376790);
    // counts: 428 associations never "428,00"
    expect(formatValue(428, 'associations', 'fr')).toBe('428 associations');
    expect(formatValue(41.6, 'people', 'fr')).toBe('42 personnes');
    expect(formatValue(3, 'fte', 'fr')).toBe('3,0 ETP');
    expect(formatValue(1234567.891, 'EUR', 'fr')).toBe('1 234 568 €');
    expect(formatValue(1234.5, 'EUR', 'en')).toBe('€1,235');
    expect(formatValue(null, 'km', 'fr')).toBe('');
  });

  it('uses a plain space in French, never U+202F or U+00A0', () => {
    expect(formatNumber(1234567, 0, 'fr')).toBe('1 234 567');
    expect(formatNumber(1234567, 0, 'fr')).not.toMatch(/[\u202F\u00A0]/);
  });

  it('says one person, zero personne (French singular below 2), one event', () => {
    expect(formatValue(1, 'people', 'fr')).toBe('1 personne');
    expect(formatValue(0, 'people', 'fr')).toBe('0 personne');
    expect(formatValue(2, 'people', 'fr')).toBe('2 personnes');
    expect(formatValue(1, 'people', 'en')).toBe('1 person');
    expect(formatValue(0, 'events', 'en')).toBe('0 events');
    expect(unitName('events', 'fr')).toBe('événements');
  });
});

describe('dates and periods', () => {
  it('writes "1er décembre 2026" and "December 1, 2026"', () => {
    expect(formatDate('2026-12-01', 'fr')).toBe('1er décembre 2026');
    expect(formatDate('2026-12-01', 'en')).toBe('December 1, 2026');
    expect(formatDate('2026-03-15', 'fr')).toBe('15 mars 2026');
    // An instant is dated in Paris: 23:30 UTC on 31 December is already 1 January there (UTC+1).
    expect(formatDate(new Date('2023-12-31T23:30:00Z'), 'fr')).toBe('1er janvier 2024');
    expect(formatPeriod('2023-Q2', 'fr')).toBe('2e trimestre 2023');
    expect(formatPeriod('2023-Q1', 'fr')).toBe('1er trimestre 2023');
    expect(formatPeriod('2023-Q2', 'en')).toBe('Q2 2023');
    expect(formatPeriod('2023', 'en')).toBe('2023');
  });
});

describe('labels', () => {
  it('one term per language for a suppressed cell', () => {
    expect(SUPPRESSED).toEqual({ fr: 'secret statistique', en: 'suppressed (confidential)' });
  });

  it('scopes and codes in words; geographic labels from the figures', () => {
    expect(scopeName('department', 'fr')).toBe('Département');
    expect(scopeLabel('network', null, null, 'en')).toBe('Whole network');
    expect(scopeLabel('model', 'associative', 'associative', 'fr')).toBe('associatif');
    expect(scopeLabel('service', 'cash', 'cash', 'fr')).toBe('retrait d’espèces');
    expect(scopeLabel('department', '01', 'Ain', 'fr')).toBe('Ain');
  });

  it('every declared unit and indicator has words in both languages', () => {
    for (const [id, u] of Object.entries(UNITS)) {
      for (const lang of ['fr', 'en'] as const) {
        expect(formatValue(1234.5, id, lang), `${id} ${lang}`).toMatch(/\d/);
        expect(u[lang].length, `${id} ${lang}`).toBeGreaterThan(0);
      }
    }
    for (const d of INDICATORS) {
      for (const lang of ['fr', 'en'] as const) {
        expect(d.label[lang].length * d.definition[lang].length * d.formula[lang].length, `${d.id} ${lang}`).toBeGreaterThan(0);
      }
    }
  });
});
