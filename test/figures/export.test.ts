/**
 * Export of figures: JSON for machines, CSV and XLSX for staff. Expected values are worked out
 * by hand in the comments, not copied from the code's output.
 */
import { describe, expect, it } from 'vitest';
import { figuresToCsv, figuresToJson, neutraliseFormula } from '../../src/figures/export.ts';
import type { Figure, RunProvenance } from '../../src/figures/types.ts';
import { exportErrors } from '../../src/core/messages.ts';

const SHA_A = 'a'.repeat(64);
const SHA_B = '0123456789abcdef'.repeat(4);

const prov: RunProvenance = {
  run_id: 'run-2024-01',
  period: '2024',
  method_version: 'm1.0',
  code_version: 'abc1234',
  // Deliberately unsorted keys, nested.
  parameters: { window_days: 30, car: { min_km: 1, emission_g_per_km: 193 }, agencies: ['b', 'a'] },
  inputs: [
    { dataset: 'visits', file: 'visits-2024.csv', sha256: SHA_B, load_id: 'L2' },
    { dataset: 'cafes', file: 'cafes.csv', sha256: SHA_A, load_id: 'L1' },
  ],
};

function fig(p: Partial<Figure>): Figure {
  return {
    indicator: 'km_avoided',
    scope: 'network',
    scope_id: null,
    scope_label: null,
    period: '2024',
    value: 1,
    unit: 'km',
    ci_low: null,
    ci_high: null,
    se: null,
    n: null,
    ci_level: null,
    suppressed: false,
    run_id: 'run-2024-01',
    method_version: 'm1.0',
    ...p,
  };
}

const FIGS: Figure[] = [
  fig({ indicator: 'people_reached', scope: 'cafe', scope_id: 'C2', scope_label: '@SUM(A1)', value: 12, unit: 'people' }),
  fig({ indicator: 'km_avoided', scope: 'region', scope_id: '84', scope_label: 'Auvergne-Rhône-Alpes', value: 120000 }),
  fig({ indicator: 'km_avoided', scope: 'network', value: 378000.4, ci_low: 350000.25, ci_high: 401000.75 }),
  fig({ indicator: 'km_avoided', scope: 'cafe', scope_id: 'C10', scope_label: '=1+1', value: 9000.5 }),
  fig({ indicator: 'km_avoided', scope: 'cafe', scope_id: 'C1', scope_label: 'Le Café; "du" Coin', value: -3 }),
  fig({ indicator: 'km_avoided', scope: 'department', scope_id: '07', scope_label: 'Ardèche', value: 5000 }),
  fig({ indicator: 'people_reached', scope: 'cafe', scope_id: 'C3', scope_label: '+33 Bar', value: 4, unit: 'people', suppressed: true }),
  fig({ indicator: 'people_reached', scope: 'cafe', scope_id: 'C4', scope_label: '-Tabac-', value: null, unit: 'people', suppressed: true }),
];

/** Deterministic shuffle (reverse + rotate), so the test does not depend on Math.random. */
function shuffled<T>(xs: T[]): T[] {
  const r = [...xs].reverse();
  return [...r.slice(3), ...r.slice(0, 3)];
}

describe('figuresToJson', () => {
  it('sorts by indicator, then scope in SCOPES order, then scope_id (null first, plain <)', () => {
    const rows = JSON.parse(figuresToJson(FIGS, prov)) as Figure[];
    // km_avoided < people_reached. Within km_avoided, SCOPES order network, region, department,
    // cafe; cafes by code with plain `<`: 'C1' < 'C10' ('C1' is a prefix). people_reached:
    // cafes C2 < C3 < C4.
    expect(rows.map((r) => [r.indicator, r.scope, r.scope_id])).toEqual([
      ['km_avoided', 'network', null],
      ['km_avoided', 'region', '84'],
      ['km_avoided', 'department', '07'],
      ['km_avoided', 'cafe', 'C1'],
      ['km_avoided', 'cafe', 'C10'],
      ['people_reached', 'cafe', 'C2'],
      ['people_reached', 'cafe', 'C3'],
      ['people_reached', 'cafe', 'C4'],
    ]);
  });

  it('orders scope_id by code unit, not by locale: "Z" < "a" and "C2" > "C10"', () => {
    const rows = JSON.parse(
      figuresToJson(
        [fig({ scope: 'cafe', scope_id: 'a' }), fig({ scope: 'cafe', scope_id: 'C2' }), fig({ scope: 'cafe', scope_id: 'Z' }), fig({ scope: 'cafe', scope_id: 'C10' })],
        prov,
      ),
    ) as Figure[];
    // Code units: 'C'=0x43 < 'Z'=0x5A < 'a'=0x61; 'C10' < 'C2' since '1' < '2'.
    expect(rows.map((r) => r.scope_id)).toEqual(['C10', 'C2', 'Z', 'a']);
  });

  it('writes keys in the documented order, parameters and inputs on every row', () => {
    const json = figuresToJson([FIGS[2]!], prov);
    const [row] = JSON.parse(json) as Record<string, unknown>[];
    expect(Object.keys(row!)).toEqual([
      'indicator', 'scope', 'scope_id', 'scope_label', 'period', 'value', 'unit', 'ci_low', 'ci_high', 'se', 'n', 'ci_level',
      'suppressed', 'run_id', 'method_version', 'parameters', 'inputs',
    ]);
    // Keys sorted recursively; arrays keep their order.
    expect(Object.keys(row!.parameters as object)).toEqual(['agencies', 'car', 'window_days']);
    expect(Object.keys((row!.parameters as { car: object }).car)).toEqual(['emission_g_per_km', 'min_km']);
    expect((row!.parameters as { agencies: string[] }).agencies).toEqual(['b', 'a']);
    // Inputs sorted by dataset: cafes < visits.
    expect((row!.inputs as { dataset: string; sha256: string }[]).map((i) => [i.dataset, i.sha256])).toEqual([
      ['cafes', SHA_A],
      ['visits', SHA_B],
    ]);
    expect(json.endsWith(']\n')).toBe(true);
    expect(json).toContain('\n  {\n    "indicator": "km_avoided",'); // 2-space indent
  });

  it('converts BIGINT to a JSON number', () => {
    const json = figuresToJson([fig({ value: 718n as unknown as number, unit: 'people' })], { ...prov, parameters: { n: 5n } });
    const [row] = JSON.parse(json) as { value: unknown; parameters: { n: unknown } }[];
    expect(row!.value).toBe(718);
    expect(row!.parameters.n).toBe(5);
    expect(json).toContain('"value": 718,'); // a number, not "718"
  });

  it('is byte-identical for shuffled figures and parameters built in another order', () => {
    const a = figuresToJson(FIGS, prov);
    const b = figuresToJson(shuffled(FIGS), {
      ...prov,
      parameters: { agencies: ['b', 'a'], window_days: 30, car: { emission_g_per_km: 193, min_km: 1 } },
      inputs: [...prov.inputs].reverse(),
    });
    expect(b).toBe(a);
  });

  it('never shows the value of a suppressed figure, even if the row still carries it', () => {
    const rows = JSON.parse(figuresToJson(FIGS, prov)) as Figure[];
    const c3 = rows.find((r) => r.scope_id === 'C3')!;
    expect(c3.suppressed).toBe(true);
    expect(c3.value).toBeNull(); // the input said 4
  });

  it('refuses figures from another run, and non-finite numbers', () => {
    expect(() => figuresToJson([fig({ run_id: 'other' })], prov)).toThrow(/run other/);
    expect(() => figuresToJson([fig({ value: Number.NaN })], prov)).toThrow(/not finite/);
    // the whole messages, from the catalogue
    expect(() => figuresToJson([fig({ run_id: 'other' })], prov)).toThrow(exportErrors.otherRun('km_avoided / network / (réseau)', 'other', 'run-2024-01'));
    expect(() => figuresToJson([fig({ method_version: 'm2.0' })], prov)).toThrow(exportErrors.otherMethod('km_avoided / network / (réseau)', 'm2.0', 'm1.0'));
  });
});

describe('neutraliseFormula', () => {
  it('prefixes = + - @ tab and CR with a quote, and nothing else', () => {
    expect(neutraliseFormula('=1+1')).toBe("'=1+1");
    expect(neutraliseFormula('+33 Bar')).toBe("'+33 Bar");
    expect(neutraliseFormula('-Tabac-')).toBe("'-Tabac-");
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula('\t=1')).toBe("'\t=1");
    expect(neutraliseFormula('\r=1')).toBe("'\r=1");
    expect(neutraliseFormula('Café =1')).toBe('Café =1');
    expect(neutraliseFormula('')).toBe('');
  });
});

describe('figuresToCsv', () => {
  const csv = figuresToCsv(FIGS, prov);
  const lines = csv.slice(1).split('\r\n');

  it('starts with a BOM, ends lines with CRLF, uses the French header', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n/); // no bare LF
    expect(lines[0]).toBe(
      'indicateur;périmètre;code;libellé;période;valeur;unité;valeur brute;intervalle bas;intervalle haut;erreur type;effectif;niveau de confiance;secret statistique;run;méthode;indicateur (libellé);périmètre (libellé);unité (libellé)',
    );
    expect(lines).toHaveLength(1 + FIGS.length + 1); // header, 8 rows, '' after the last CRLF
  });

  it('writes the rounded French value, the unit apart, and the raw value with a decimal comma', () => {
    // Network row first: 378000.4 → "378 000"; raw "378000,4"; interval 350000.25 / 401000.75.
    // The label columns follow: km_avoided is no declared indicator (no label); the network in
    // words; the unit's French name.
    expect(lines[1]).toBe('km_avoided;network;;;2024;378 000;km;378000,4;350000,25;401000,75;;;;non;run-2024-01;m1.0;;Ensemble du réseau;km');
  });

  it('neutralises hostile labels and quotes ; and "', () => {
    // C1: label with ; and " → quoted, quotes doubled; value -3 → "'-3" (documented).
    expect(lines[4]).toBe(`km_avoided;cafe;C1;"Le Café; ""du"" Coin";2024;'-3;km;'-3;;;;;;non;run-2024-01;m1.0;;"Café : Le Café; ""du"" Coin";km`);
    // C10: "=1+1" → "'=1+1"; 9000.5 → half expands to 9001 → "9 001".
    expect(lines[5]).toBe("km_avoided;cafe;C10;'=1+1;2024;9 001;km;9000,5;;;;;;non;run-2024-01;m1.0;;Café : =1+1;km");
    // C2: "@SUM(A1)" → "'@SUM(A1)".
    expect(lines[6]).toBe("people_reached;cafe;C2;'@SUM(A1);2024;12;people;12;;;;;;non;run-2024-01;m1.0;;Café : @SUM(A1);personnes");
    // C3 "+33 Bar", C4 "-Tabac-" neutralised too.
    expect(lines[7]).toContain(";'+33 Bar;");
    expect(lines[8]).toContain(";'-Tabac-;");
  });

  it('blanks suppressed values and says "oui"', () => {
    // C3 carried value 4 despite suppressed: nothing of it shows.
    expect(lines[7]).toBe("people_reached;cafe;C3;'+33 Bar;2024;;people;;;;;;;oui;run-2024-01;m1.0;;Café : +33 Bar;personnes");
    expect(lines[8]).toBe("people_reached;cafe;C4;'-Tabac-;2024;;people;;;;;;;oui;run-2024-01;m1.0;;Café : -Tabac-;personnes");
  });

  it('quotes a label containing a newline', () => {
    const out = figuresToCsv([fig({ scope: 'cafe', scope_id: 'C9', scope_label: 'Bar\r\ndu port' })], prov);
    expect(out).toContain(';"Bar\r\ndu port";');
  });

  it('writes tiny and huge raw values without exponent', () => {
    const out = figuresToCsv([fig({ value: 1.5e-7, unit: 'ratio' }), fig({ scope: 'region', scope_id: 'R', value: 2e21 })], prov);
    expect(out).toContain(';0,00000015;'); // 1.5e-7
    expect(out).toContain(';2000000000000000000000;'); // 2e21
  });

  it('gains the declared labels, in French or English', () => {
    // A declared indicator: its label comes from its family (src/indicators/families/km.ts); the
    // model code in words (src/format/labels.ts); the unit's name (src/format/units.ts).
    const f = fig({ indicator: 'km_saved.bread', scope: 'model', scope_id: 'associative', scope_label: 'associative', value: 376789.4 });
    const fr = figuresToCsv([f], prov).slice(1).split('\r\n')[1];
    expect(fr).toBe('km_saved.bread;model;associative;associative;2024;376 789;km;376789,4;;;;;;non;run-2024-01;m1.0;Kilomètres évités — pain;Modèle : associatif;km');
    // English: comma-separated, decimal point, English header and labels.
    const en = figuresToCsv([f], prov, { lang: 'en' }).slice(1).split('\r\n');
    expect(en[0]).toBe('indicator,scope,code,label,period,value,unit,raw value,interval low,interval high,standard error,n,confidence level,suppressed,run,method,indicator (label),scope (label),unit (label)');
    expect(en[1]).toBe('km_saved.bread,model,associative,associative,2024,"376,789",km,376789.4,,,,,,no,run-2024-01,m1.0,Kilometres saved — bread,Model: associative,km');
  });
});
