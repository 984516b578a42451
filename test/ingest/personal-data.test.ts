/**
 * Personal data at the door: identifier columns (by name and by value) refuse a people file and
 * leave nothing in the warehouse or the raw archive; keys that are not pseudonyms are rejected
 * rows with their value redacted; `--pseudonymise` derives keys with HMAC-SHA-256 and keeps only
 * the pseudonymised file. The last test plays the auditor: it searches the warehouse file, the
 * archive, the rejects and the exports for every clear value used here.
 */
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/db/warehouse.ts';
import { fileErrors, pseudonymErrors, reasons } from '../../src/core/messages.ts';
import { identifierWord, personalKind } from '../../src/ingest/personal.ts';
import { normaliseClear } from '../../src/ingest/pseudonymise.ts';
import { cli } from '../helpers/cli.ts';
import { CAFES_CSV, folder, tempDir } from '../helpers/warehouse.ts';

/** Every clear value the fixtures below hold: none may be found anywhere after the test. */
const CLEAR = ['jean.dupont@mail.fr', 'Jean.Dupont@Mail.fr', 'elodie.martin@exemple.org', '06 12 34 56 78', '0612345678', '06-12-34-56-78', '06_12_34_56_78', '612345678', '+33 7 98 76 54 32', 'Élodie Martin', 'MARTIN', 'Dupont'];
const KEY = 'k'.repeat(16) + '0123456789abcdef-study-2023'; // 43 bytes ≥ 32
const QUESTIONNAIRE = 'item_id,label,scale_min,scale_max,direction,dimension\ntrust,Confiance,1,5,positive,trust\n';
const SURVEY_HEAD = 'respondent_key,commune_insee,wave_date,sex,age_band,trust';

let dir: string;
let path: string;
beforeAll(async () => {
  dir = tempDir();
  path = join(dir, 'wh.duckdb');
  expect((await cli('--warehouse', path, 'ingest', folder({ 'cafes.csv': CAFES_CSV, 'questionnaire.csv': QUESTIONNAIRE }), '--period', '2023-Q1')).code).toBe(0);
});
afterAll(() => {
  delete process.env.CAFE_IMPACT_PSEUDONYM_KEY;
});

/** Files in the raw archive beside the warehouse, and their contents. */
function archive(): { name: string; text: string }[] {
  const raw = join(dir, 'raw');
  if (!existsSync(raw)) return [];
  return readdirSync(raw).flatMap((d) => readdirSync(join(raw, d)).map((n) => ({ name: n, text: readFileSync(join(raw, d, n), 'latin1') })));
}

describe('identifier columns, by name', () => {
  // The examples, and run-together or camelCase spellings.
  it.each(['E-mail', 'Adresse e-mail', 'Nom de famille', 'Téléphone portable', 'email_address', 'firstName', 'PRÉNOM', 'date_de_naissance', 'courriel'])(
    'a %s column refuses the file (exit 3), nothing stored or archived',
    async (col) => {
      const before = archive().length;
      const r = await cli('--warehouse', path, 'ingest', folder({ 'participation.csv': `cafe_id,date,activity,person_key,role,${col}\nC1,2023-04-03,workshop,P7f3a9c01,resident,x\n` }), '--period', '2023-Q2');
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(fileErrors.directIdentifier('participation.csv', col));
      expect(archive().length).toBe(before);
    },
  );

  it('tells identifier names from ordinary ones', () => {
    // by hand: the folded tokens of each name, looked up in the FR/EN list
    expect(['commentaire', 'role', 'activity', 'trust', 'age_band', 'commune_insee'].map(identifierWord)).toEqual([null, null, null, null, null, null]);
    expect(identifierWord('Adresse e-mail')).toBe('adresse');
    expect(identifierWord('emailAddress')).toBe('email');
  });
});

describe('identifier values', () => {
  it('an e-mail in a free-text column refuses the file, naming line and column, never the value', async () => {
    const csv = `cafe_id,date,activity,person_key,role,remarque\nC1,2023-04-03,workshop,P7f3a9c01,resident,ok\nC1,2023-04-04,workshop,P7f3a9c02,resident,écrire à jean.dupont@mail.fr\n`;
    const r = await cli('--warehouse', path, 'ingest', folder({ 'participation.csv': csv }), '--period', '2023-Q2');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(fileErrors.identifierValue('participation.csv', 3, 'remarque', 'an e-mail address'));
    expect(r.stderr).not.toContain('dupont');
  });

  it('a phone number (any separators, +33, 0033) anywhere but the key refuses the file', async () => {
    for (const phone of ['06 12 34 56 78', '+33 7 98 76 54 32', '0033612345678', '06.12.34.56.78']) {
      const csv = `cafe_id,date,activity,person_key,role,note\nC1,2023-04-03,workshop,P7f3a9c01,resident,${phone}\n`;
      const r = await cli('--warehouse', path, 'ingest', folder({ 'participation.csv': csv }), '--period', '2023-Q2');
      expect(r.code, phone).toBe(3);
      expect(r.stderr).toContain('line 2, column note holds a phone number');
    }
    expect(['P7f3a9c01', 'R00012', '2023-05-15', '51356', '4'].map(personalKind)).toEqual([null, null, null, null, null]);
  });
});

describe('keys that are not pseudonyms', () => {
  it('are rejected rows, their value redacted in the rejects (value, reason and raw line)', async () => {
    const keys = ['06-12-34-56-78', '06_12_34_56_78', '612345678', '0612345678'];
    const rows = keys.map((k, i) => `C1,2023-04-0${i + 1},workshop,${k},resident`);
    const ok = Array.from({ length: 80 }, (_, i) => `C1,2023-05-01,workshop,P${String(1000 + i)}ab,resident`);
    const csv = `cafe_id,date,activity,person_key,role\n${[...rows, ...ok].join('\n')}\n`;
    const r = await cli('--warehouse', path, 'ingest', folder({ 'participation.csv': csv }), '--period', '2023-Q2', '--json');
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout).files[0];
    expect(f).toMatchObject({ read: 84, accepted: 80, rejected: 4 });
    expect(f.rejects.map((x: { line: number; column: string; value: string; reason: string }) => [x.line, x.column, x.value, x.reason])).toEqual(
      keys.map((_, i) => [i + 2, 'person_key', '[redacted]', reasons.looksLikePhone()]),
    );
    const rej = await cli('--warehouse', path, 'rejects', '--period', '2023-Q2', '--format', 'json');
    for (const k of keys) expect(rej.stdout).not.toContain(k);
    expect(rej.stdout).toContain('C1,2023-04-01,workshop,[redacted],resident');
    // the archived copy has the rejected lines blanked: reloading it gives the same 80 rows
    const loadId = JSON.parse(r.stdout).load_id as string;
    expect((await cli('--warehouse', path, 'unload', loadId)).code).toBe(0);
    const again = await cli('--warehouse', path, 'reload', loadId);
    expect(again.code, again.stderr).toBe(0);
    const wh = await Warehouse.open(path);
    expect(await wh.scalar('SELECT count(*) FROM participation')).toBe(80);
    wh.close();
  });
});

describe('the archive holds only what was loaded', () => {
  it('a refused file is not archived; a stray archive entry is removed by the next open', async () => {
    const before = archive().map((a) => a.name).sort();
    const r = await cli('--warehouse', path, 'ingest', folder({ 'survey.csv': `${SURVEY_HEAD},email\nR00012,51356,2023-05-15,F,40-54,4,elodie.martin@exemple.org\n` }), '--period', '2023-Q2');
    expect(r.code).toBe(3);
    expect(archive().map((a) => a.name).sort()).toEqual(before);
    // a copy left by a crash (no load kept it)
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'raw', 'ab'), { recursive: true });
    writeFileSync(join(dir, 'raw', 'ab', 'ab'.repeat(32)), 'elodie.martin@exemple.org\n');
    (await Warehouse.open(path)).close();
    expect(archive().map((a) => a.name).sort()).toEqual(before);
  });
});

describe('--pseudonymise', () => {
  const hmac = (v: string) => createHmac('sha256', KEY).update(v).digest('hex').slice(0, 32);

  it('refuses to run without a key of at least 32 bytes', async () => {
    const src = folder({ 'survey.csv': `respondent_email,commune_insee,wave_date,sex,age_band,trust\nJean.Dupont@Mail.fr,51356,2023-05-15,F,40-54,4\n` });
    delete process.env.CAFE_IMPACT_PSEUDONYM_KEY;
    let r = await cli('--warehouse', path, 'ingest', src, '--period', '2023-Q2', '--pseudonymise', 'survey.respondent_email');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('needs the secret key in CAFE_IMPACT_PSEUDONYM_KEY')]);
    expect(r.stderr).toContain(`error: ${pseudonymErrors.noKey('CAFE_IMPACT_PSEUDONYM_KEY', 32)}`);
    process.env.CAFE_IMPACT_PSEUDONYM_KEY = 'short';
    r = await cli('--warehouse', path, 'ingest', src, '--period', '2023-Q2', '--pseudonymise', 'survey.respondent_email');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('is 5 bytes long: at least 32 are needed')]);
    expect(r.stderr).toContain(`error: ${pseudonymErrors.shortKey('CAFE_IMPACT_PSEUDONYM_KEY', 5, 32)}`);
  });

  it('normalises e-mails, phones and names as METHODOLOGY says', () => {
    // by hand, from the rules: e-mail trimmed + lower-cased; phone digits in +33 form; name folded
    expect(normaliseClear(' Jean.Dupont@Mail.fr ', 'email')).toBe('jean.dupont@mail.fr');
    expect(['06 12 34 56 78', '+33 6 12 34 56 78', '0033 6 12 34 56 78', '+33 (0)6 12 34 56 78', '612345678'].map((p) => normaliseClear(p, 'phone'))).toEqual(Array(5).fill('+33612345678'));
    expect(normaliseClear('  Élodie   MARTIN ', 'name')).toBe('elodie martin');
  });

  it('derives respondent_key = HMAC-SHA-256(key, normalised e-mail)[0:32], archives only the pseudonymised file, and reloads without the key', async () => {
    process.env.CAFE_IMPACT_PSEUDONYM_KEY = KEY;
    const csv = `respondent_email,commune_insee,wave_date,sex,age_band,trust\nJean.Dupont@Mail.fr,51356,2023-05-15,F,40-54,4\n elodie.martin@exemple.org,51356,2023-05-16,F,25-39,5\n`;
    const r = await cli('--warehouse', path, 'ingest', folder({ 'survey.csv': csv }), '--period', '2023-Q2', '--pseudonymise', 'survey.respondent_email', '--json');
    expect(r.code, r.stderr).toBe(0);
    const loadId = JSON.parse(r.stdout).load_id as string;
    const wh = await Warehouse.open(path);
    // the keys, computed here with node:crypto from the normalised e-mails (formula above)
    expect(await wh.all('SELECT respondent_key FROM survey ORDER BY wave_date')).toEqual([{ respondent_key: hmac('jean.dupont@mail.fr') }, { respondent_key: hmac('elodie.martin@exemple.org') }]);
    const opts = JSON.parse(await wh.scalar<string>(`SELECT options::VARCHAR FROM loads WHERE load_id = $1`, [loadId]));
    expect(opts.pseudonymised[0]).toMatchObject({ dataset: 'survey', column: 'respondent_email', into: 'respondent_key', kind: 'email', rows: 2 });
    expect(opts.pseudonymised[0].key_id).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(opts)).not.toContain(KEY);
    // the user's file hash is recorded beside the archived (pseudonymised) file's
    const archived = await wh.scalar<string>(`SELECT sha256 FROM load_files WHERE load_id = $1`, [loadId]);
    expect(opts.pseudonymised[0].source_sha256).not.toBe(archived);
    await wh.run(`DELETE FROM survey_answers WHERE 1 = 0`);
    wh.close();
    delete process.env.CAFE_IMPACT_PSEUDONYM_KEY;
    expect((await cli('--warehouse', path, 'unload', loadId)).code).toBe(0);
    const again = await cli('--warehouse', path, 'reload', loadId);
    expect(again.code, again.stderr).toBe(0);
    const wh2 = await Warehouse.open(path);
    expect(await wh2.scalar('SELECT count(*) FROM survey')).toBe(2);
    wh2.close();
  });
});

describe('the auditor', () => {
  it('finds no clear e-mail, name or phone in the warehouse file, the archive, the rejects or the exports', async () => {
    const wh = await Warehouse.open(path);
    await wh.run('CHECKPOINT');
    wh.close();
    const exportDir = tempDir();
    const run = await cli('--warehouse', path, 'run', '--period', '2023-Q2');
    expect([0, 4]).toContain(run.code);
    for (const fmt of ['json', 'csv', 'xlsx']) await cli('--warehouse', path, 'figures', '--period', '2023-Q2', '--format', fmt, '--output', join(exportDir, `f.${fmt}`));
    const rejects = (await cli('--warehouse', path, 'rejects', '--all', '--format', 'csv')).stdout;
    const places: [string, string][] = [
      ['warehouse file', readFileSync(path, 'latin1') + (existsSync(`${path}.wal`) ? readFileSync(`${path}.wal`, 'latin1') : '')],
      ['rejects', rejects],
      ...archive().map((a): [string, string] => [`archive ${a.name}`, a.text]),
      ...readdirSync(exportDir).filter((n) => statSync(join(exportDir, n)).size > 0).map((n): [string, string] => [`export ${n}`, readFileSync(join(exportDir, n), 'latin1')]),
    ];
    expect(places.length).toBeGreaterThan(3);
    for (const [where, text] of places) {
      for (const v of CLEAR) {
        // UTF-8 bytes read as latin1, so accented values are searched as their bytes
        const needle = Buffer.from(v, 'utf8').toString('latin1');
        expect(text.includes(needle), `${v} found in ${where}`).toBe(false);
      }
    }
  });
});
