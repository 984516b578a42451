/**
 * Each dataset's schema: a valid row is accepted, each rule refuses what it should with the
 * catalogue's message, and the SQL compiled from the zod schema agrees with zod itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnsOf } from '../../src/contract/columns.ts';
import { DATASETS } from '../../src/contract/datasets.ts';
import type { Warehouse } from '../../src/db/warehouse.ts';
import { fileErrors, reasons } from '../../src/core/messages.ts';
import { CAFES_CSV, folder, ingest, tempWarehouse } from '../helpers/warehouse.ts';

let wh: Warehouse;
beforeAll(async () => {
  wh = await tempWarehouse();
  await ingest(wh, folder({ 'cafes.csv': CAFES_CSV }), '2023-Q1');
  await ingest(wh, folder({ 'questionnaire.csv': 'item_id,label,scale_min,scale_max,direction,dimension\ntrust,Confiance,1,5,positive,trust\nlonely,Solitude,0,10,negative,social_ties\n' }), '2023-Q1');
});
afterAll(() => wh.close());

/** One valid row per dataset, as CSV text (header + row). */
const VALID: Record<string, [string, string]> = {
  service_uses: ['cafe_id,date,service,uses', 'C1,2023-04-03,bread,4'],
  sales: ['cafe_id,ts,category,amount_eur,qty', 'C1,2023-04-03 09:00:00,boissons,2.5,1'],
  participation: ['cafe_id,date,activity,person_key,role', 'C1,2023-04-03,workshop,P7f3a9c01,resident'],
  events: ['event_id,cafe_id,commune_insee,date,kind,attendance,association_ids,producer_ids,programme', 'E1,C3,52448,2023-05-20,concert,300,A1|A2,P1,guinguette_mobile'],
  suppliers: ['cafe_id,siren,name,legal_form,commune_insee,lat,lon,spend_eur,last_order_on', 'C1,732829320,Boulangerie Martin,micro,51356,48.7,4.8,1200.5,2023-05-02'],
  survey: ['respondent_key,commune_insee,wave_date,sex,age_band,trust,lonely', 'R00012,51356,2023-05-15,F,40-54,4,2'],
  cafes: CAFES_CSV.split('\n').slice(0, 2) as [string, string],
  facilities: ['facility_id,service,lat,lon,commune_insee,source,kind', 'F1,bread,48.71,4.81,51356,bpe,B207'],
  staff: ['cafe_id,person_key,start_on,role,contract,fte,end_on', 'C1,P0001aa,2023-01-02,employee,CDI,0.5,'],
  candidates: ['commune_insee,applied_on,outcome', '51357,2023-02-01,pending'],
  commune_indicators: ['commune_insee,year,indicator,value', '51356,2021,filosofi.med,21450'],
  commune_positions: ['commune_insee,lat,lon,source', '51356,48.7,4.8,communes_france_2024'],
  questionnaire: ['item_id,label,scale_min,scale_max,direction,dimension', 'trust,Confiance,1,5,positive,trust'],
  population: ['commune_insee,year,sex,age_band,population', '51356,2021,F,40-54,41.37'],
};

async function check(dataset: string, header: string, row: string) {
  const r = await ingest(wh, folder({ [`${dataset}.csv`]: `${header}\n${row}\n` }), '2023-Q2', { dryRun: true, threshold: 1 });
  return r.files[0]!;
}

describe('every dataset accepts a valid row', () => {
  for (const name of Object.keys(DATASETS)) {
    it(name, async () => {
      const [h, row] = VALID[name]!;
      const f = await check(name, h, row);
      expect(f.rejects).toEqual([]);
      expect(f).toMatchObject({ read: 1, accepted: 1, rejected: 0 });
    });
  }
});

/** [dataset, column, bad value, expected reason]: the row is the valid one with that column changed. */
const BAD: [string, string, string, string][] = [
  // the census margins know F and M only; counts are never negative
  ['population', 'sex', 'other', reasons.notInEnum(['F', 'M'])],
  ['population', 'population', '-3', reasons.belowMin(0)],
  ['service_uses', 'service', 'pain', reasons.notInEnum(['bread', 'cash', 'post', 'parcel', 'digital', 'other'])],
  ['service_uses', 'uses', '-1', reasons.belowMin(0)],
  ['service_uses', 'cafe_id', 'C99', reasons.unknownCafe()],
  ['service_uses', 'cafe_id', '', reasons.required()],
  ['service_uses', 'date', '2023-07-01', reasons.outsidePeriod('2023-Q2')],
  ['sales', 'ts', 'hier', reasons.notType('TIMESTAMPTZ', 'ISO 8601, e.g. 2023-04-02 10:15:00')],
  ['sales', 'amount_eur', '200000', reasons.aboveMax(100000)],
  ['participation', 'person_key', 'jean.dupont@mail.fr', reasons.badFormat(columnsOf(DATASETS.participation!.schema).find((c) => c.name === 'person_key')!)],
  ['participation', 'person_key', '0612345678', reasons.looksLikePhone()],
  ['participation', 'role', 'mayor', reasons.notInEnum(['resident', 'elected', 'partner', 'staff'])],
  ['events', 'commune_insee', '99999', reasons.unknownCommune()],
  ['events', 'commune_insee', '5135', reasons.badFormat(columnsOf(DATASETS.events!.schema).find((c) => c.name === 'commune_insee')!)],
  ['events', 'attendance', 'beaucoup', reasons.notType('BIGINT')],
  ['suppliers', 'siren', '732829321', reasons.sirenKey()], // 732829320 is valid; changing the key digit breaks Luhn
  ['suppliers', 'siren', '73282932', reasons.badFormat(columnsOf(DATASETS.suppliers!.schema).find((c) => c.name === 'siren')!)],
  ['suppliers', 'legal_form', 'sarl', reasons.notInEnum(['micro', 'company', 'association', 'farm', 'other'])],
  ['suppliers', 'lon', '', 'lat and lon must be given together'],
  ['survey', 'trust', '6', reasons.aboveMax(5)], // questionnaire: trust on 1–5
  ['survey', 'lonely', '-1', reasons.belowMin(0)],
  ['survey', 'age_band', '30', reasons.notInEnum(['15-24', '25-39', '40-54', '55-64', '65-74', '75+'])],
  ['cafes', 'model', 'franchise', reasons.notInEnum(['entrepreneurial', 'associative', 'participative', 'itinerant'])],
  ['cafes', 'lat', '95', reasons.aboveMax(90)],
  ['facilities', 'service', 'parcel', reasons.notInEnum(['bread', 'cash', 'post'])],
  ['staff', 'fte', '1.5', reasons.aboveMax(1)],
  ['staff', 'end_on', '2022-12-31', 'is before start_on'],
  ['candidates', 'outcome', 'maybe', reasons.notInEnum(['opened', 'pending', 'declined'])],
  ['commune_indicators', 'year', '1850', reasons.belowMin(1900)],
  ['questionnaire', 'scale_max', '0', 'must be greater than scale_min'],
];

describe('each rule refuses with its message', () => {
  for (const [dataset, column, value, reason] of BAD) {
    it(`${dataset}.${column} = ${JSON.stringify(value)}`, async () => {
      const [h, row] = VALID[dataset]!;
      const cols = h.split(',');
      const fields = row.split(',');
      fields[cols.indexOf(column)] = value;
      const f = await check(dataset, h, fields.join(','));
      expect(f.rejected).toBe(1);
      expect(f.rejects[0]).toMatchObject({ line: 2, column, reason });
    });
  }
});

describe('zod and the SQL compiled from it agree', () => {
  // For each bad case whose rule lives in the zod schema (not referential or period rules),
  // zod must refuse the value too; and zod must accept every valid row.
  const zodOnly = BAD.filter(([d, c, , r]) =>
    ![reasons.unknownCafe(), reasons.unknownCommune(), reasons.outsidePeriod('2023-Q2'), reasons.looksLikePhone(), reasons.sirenKey()].includes(r) &&
    !(d === 'survey' && (c === 'trust' || c === 'lonely')) && !r.startsWith('is before') && !r.startsWith('must be') && !r.startsWith('lat and lon'));
  const parse = (dataset: string, header: string, row: string) => {
    const cols = columnsOf(DATASETS[dataset]!.schema);
    const obj: Record<string, unknown> = {};
    header.split(',').forEach((h, i) => {
      const c = cols.find((x) => x.name === h);
      const v = row.split(',')[i]!;
      if (!c || v === '') return;
      obj[h] = c.sqlType === 'BIGINT' || c.sqlType === 'DOUBLE' ? Number(v) : c.sqlType === 'VARCHAR[]' ? v.split('|') : v;
    });
    return DATASETS[dataset]!.schema.safeParse(obj);
  };
  it('zod accepts every valid row', () => {
    for (const [d, [h, row]] of Object.entries(VALID)) {
      const cols = columnsOf(DATASETS[d]!.schema).map((c) => c.name);
      const keep = h.split(',').map((x, i) => [x, row.split(',')[i]!]).filter(([x]) => cols.includes(x!));
      expect(parse(d, keep.map((k) => k[0]).join(','), keep.map((k) => k[1]).join(',')).success, d).toBe(true);
    }
  });
  for (const [dataset, column, value] of zodOnly) {
    it(`zod refuses ${dataset}.${column} = ${JSON.stringify(value)}`, () => {
      const [h, row] = VALID[dataset]!;
      const fields = row.split(',');
      fields[h.split(',').indexOf(column)] = value;
      expect(parse(dataset, h, fields.join(',')).success).toBe(false);
    });
  }
});

describe('people are pseudonymised at the door', () => {
  it.each(['nom', 'email', 'telephone', 'first_name'])('refuses a %s column in participation', async (col) => {
    const [h, row] = VALID.participation!;
    const err = await ingest(wh, folder({ 'participation.csv': `${h},${col}\n${row},x\n` }), '2023-Q2').catch((e: Error) => e);
    expect((err as Error).message).toBe(`ingest failed, nothing loaded: ${fileErrors.directIdentifier('participation.csv', col)}`);
  });

  it('ignores an unknown column elsewhere, with a warning', async () => {
    const r = await ingest(wh, folder({ 'service_uses.csv': 'cafe_id,date,service,uses,caisse\nC1,2023-04-03,bread,4,2\n' }), '2023-Q2', { dryRun: true });
    expect(r.warnings).toContain('service_uses.csv: column "caisse" is not in the contract for service_uses, ignored');
  });

  it('refuses a survey column that is not a questionnaire item', async () => {
    const [h, row] = VALID.survey!;
    const err = await ingest(wh, folder({ 'survey.csv': `${h},q9\n${row},3\n` }), '2023-Q2').catch((e: Error) => e);
    expect((err as Error).message).toContain('survey.csv: column "q9" is not an item of the questionnaire');
  });
});

describe('communes', () => {
  it('maps the code of a merged commune to the current commune', async () => {
    // @etalab/decoupage-administratif: 01340 (Arbignieu) is among the anciensCodes of 01015 (Arboys en Bugey)
    const r = await ingest(wh, folder({ 'candidates.csv': 'commune_insee,applied_on,outcome\n01340,2023-04-01,pending\n' }), '2023-Q2');
    expect(r.files[0]!.mappedCommunes).toBe(1);
    expect(await wh.scalar(`SELECT commune_insee FROM candidates WHERE applied_on = '2023-04-01'`)).toBe('01015');
  });
});

describe('data dictionary', () => {
  it('docs/DATA-DICTIONARY.md is the generated one (run `npm run dictionary` after a contract change)', async () => {
    const { readFileSync } = await import('node:fs');
    const { dictionaryMarkdown } = await import('../../src/contract/dictionary.ts');
    expect(readFileSync(new URL('../../docs/DATA-DICTIONARY.md', import.meta.url), 'utf8')).toBe(dictionaryMarkdown());
  });
});

describe('suppliers without coordinates', () => {
  it('fall back on their commune position when one is known, else are rejected with that reason', async () => {
    const head = 'cafe_id,siren,name,legal_form,commune_insee,last_order_on';
    // 51356 has no position yet: rejected
    const a = await ingest(wh, folder({ 'suppliers.csv': `${head}\nC1,732829320,Boulangerie Martin,micro,51356,2023-05-02\n` }), '2023-Q2', { dryRun: true, threshold: 1 });
    expect(a.files[0]!.rejects[0]).toMatchObject({ line: 2, column: 'lat', reason: "is missing and the supplier's commune has no known position (import the communes file: cafe-impact reference import communes <file>)" });
    // with the commune's position in the same folder: accepted
    const b = await ingest(
      wh,
      folder({ 'suppliers.csv': `${head}\nC1,732829320,Boulangerie Martin,micro,51356,2023-05-02\n`, 'commune_positions.csv': 'commune_insee,lat,lon,source\n51356,48.7,4.8,test\n' }),
      '2023-Q2',
      { dryRun: true },
    );
    expect(b.files.find((f) => f.dataset === 'suppliers')).toMatchObject({ accepted: 1, rejected: 0 });
  });
});
