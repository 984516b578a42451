/**
 * Writing validated rows. Dated datasets replace every row dated inside the period, whichever
 * load brought it (so four quarterly loads and one yearly load give the same warehouse).
 * Reference datasets are upserted by key and versioned: a changed row keeps its previous
 * version, closed at the start of the period being ingested (`_valid_to`), so a past period is
 * computed with the values valid then.
 */
import type { Column } from '../contract/columns.ts';
import type { DatasetDef } from '../contract/datasets.ts';
import { storedTable } from '../db/ddl.ts';
import { ident, literal } from '../db/sql.ts';
import type { Warehouse } from '../db/warehouse.ts';
import { UserError } from '../core/errors.ts';
import type { Period } from '../core/period.ts';
import { fileErrors } from '../core/messages.ts';

export interface WriteCounts {
  inserted: number;
  replaced: number;
  note?: string;
}

interface Ctx {
  period: Period;
  loadNo: number;
}

/** SQL condition "column's Paris date is inside the period" for a dated dataset. */
export function inPeriodSql(def: DatasetDef, contract: Column[], p: Period, alias = ''): string {
  const col = `${alias}${ident(def.dateColumn!)}`;
  const isTs = contract.find((c) => c.name === def.dateColumn)?.sqlType === 'TIMESTAMP';
  // Instants are stored as Paris wall-clock time, so the period's bounds compare directly.
  return isTs
    ? `(${col} >= TIMESTAMP ${literal(`${p.start} 00:00:00`)} AND ${col} < TIMESTAMP ${literal(`${p.end} 00:00:00`)})`
    : `(${col} >= DATE ${literal(p.start)} AND ${col} < DATE ${literal(p.end)})`;
}

export async function replaceDated(wh: Warehouse, def: DatasetDef, contract: Column[], view: string, bad: string, ctx: Ctx): Promise<WriteCounts> {
  const fixed = contract.filter((c) => !c.item);
  const t = ident(storedTable(def));
  const replaced = await wh.exec(`DELETE FROM ${t} WHERE ${inPeriodSql(def, contract, ctx.period)}`);
  const cols = fixed.map((c) => ident(c.name)).join(', ');
  const inserted = await wh.exec(
    `INSERT INTO ${t} (${cols}, _load) SELECT ${cols}, ${ctx.loadNo} FROM ${ident(view)} ${bad ? `WHERE _rn NOT IN ${bad}` : ''}`,
  );
  const items = contract.filter((c) => c.item);
  if (def.name === 'survey') {
    await wh.exec(`DELETE FROM survey_answers WHERE wave_date >= DATE ${literal(ctx.period.start)} AND wave_date < DATE ${literal(ctx.period.end)}`);
    for (const it of items) {
      await wh.exec(
        `INSERT INTO survey_answers SELECT respondent_key, wave_date, ${literal(it.name)}, ${ident(it.name)}, ${ctx.loadNo}
         FROM ${ident(view)} WHERE ${bad ? `_rn NOT IN ${bad} AND ` : ''}${ident(it.name)} IS NOT NULL`,
      );
    }
  }
  return { inserted, replaced };
}

export async function upsertReference(
  wh: Warehouse,
  def: DatasetDef,
  contract: Column[],
  view: string,
  bad: string,
  ctx: Ctx,
  file: string,
): Promise<WriteCounts> {
  const t = ident(def.name);
  const key = def.key!;
  const nonKey = contract.filter((c) => !key.includes(c.name));
  const cols = contract.map((c) => ident(c.name)).join(', ');
  const on = key.map((k) => `t.${ident(k)} = n.${ident(k)}`).join(' AND ');
  const eff = `DATE ${literal(ctx.period.start)}`;
  const load = String(ctx.loadNo);
  await wh.run(`CREATE OR REPLACE TEMP TABLE _new AS SELECT ${cols} FROM ${ident(view)} ${bad ? `WHERE _rn NOT IN ${bad}` : ''}`);
  const changedCond = nonKey.length ? nonKey.map((c) => `n.${ident(c.name)} IS DISTINCT FROM t.${ident(c.name)}`).join(' OR ') : 'false';
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE _chg AS SELECT n.*, t._valid_from AS _old_from FROM _new n JOIN ${t} t ON ${on} AND t._valid_to IS NULL WHERE ${changedCond}`,
  );
  const later = await wh.scalar<string | null>(`SELECT max(_old_from)::VARCHAR FROM _chg WHERE _old_from > ${eff}`);
  if (later) throw new UserError(fileErrors.historyRewrite(file, def.name, later, ctx.period.label));
  const added = await wh.exec(
    `INSERT INTO ${t} (${cols}, _valid_from, _valid_to, _load, _closed)
     SELECT ${cols}, NULL, NULL, ${load}, NULL FROM _new n WHERE NOT EXISTS (SELECT 1 FROM ${t} t WHERE ${on})`,
  );
  const changed = await wh.exec(
    `UPDATE ${t} t SET _valid_to = ${eff}, _closed = ${load} FROM _chg n WHERE ${on} AND t._valid_to IS NULL`,
  );
  await wh.exec(
    `INSERT INTO ${t} (${cols}, _valid_from, _valid_to, _load, _closed) SELECT ${cols}, ${eff}, NULL, ${load}, NULL FROM _chg`,
  );
  const total = await wh.scalar<number>('SELECT count(*) FROM _new');
  await wh.run('DROP TABLE _new; DROP TABLE _chg');
  return { inserted: added + changed, replaced: changed, note: `${added} new, ${changed} changed (previous version kept), ${total - added - changed} unchanged` };
}
