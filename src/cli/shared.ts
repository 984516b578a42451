/** What the CLI's commands share: opening the warehouse, printing ingest reports. */
import type { Command } from 'commander';
import { resolveWarehousePath, Warehouse } from '../db/warehouse.ts';
import { UserError } from '../errors.ts';
import type { IngestReport } from '../ingest/ingest.ts';
import { num, table } from './format.ts';

export interface GlobalOpts {
  warehouse?: string;
  debug?: boolean;
}

export const out = (s = '') => process.stdout.write(`${s}\n`);
export const err = (s: string) => process.stderr.write(`${s}\n`);

export async function withWarehouse<T>(cmd: Command, fn: (wh: Warehouse) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
  const g = cmd.optsWithGlobals<GlobalOpts>();
  const wh = await Warehouse.open(resolveWarehousePath(g.warehouse), opts);
  try {
    return await fn(wh);
  } finally {
    wh.close();
  }
}

export function parseThreshold(v: string): number {
  const n = Number(v.replace(/%$/, '')) / (v.endsWith('%') ? 100 : 1);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UserError(`--threshold ${v}: expected a share between 0 and 1 (e.g. 0.05) or a percentage (5%)`);
  return n;
}

/** Prints an ingest report for people. */
export function printIngest(r: IngestReport, opts: { maxRejects?: number } = {}): void {
  out(
    table(
      r.files.map((f) => ({
        file: f.file,
        dataset: f.dataset,
        read: f.read,
        accepted: f.accepted,
        rejected: f.rejected,
        replaced: f.replaced,
        status: f.status,
        format: f.format === 'csv' ? [f.encoding, f.delimiter === '\t' ? 'tab' : f.delimiter, f.dateFormat === '%d/%m/%Y' ? 'dd/mm/yyyy' : f.dateFormat ? 'iso' : '', f.decimalSeparator === ',' ? 'dec ,' : ''].filter(Boolean).join(' ') : f.format,
      })),
    ),
  );
  for (const f of r.files) if (f.message && f.status !== 'failed') out(`  ${f.file}: ${f.message}`);
  const rejects = r.files.flatMap((f) => f.rejects.map((x) => ({ ...x, file: f.file })));
  if (rejects.length) {
    const max = opts.maxRejects ?? 20;
    out();
    out(`Rejected rows${rejects.length > max ? ` (first ${max} of ${num(rejects.length)})` : ''}; all of them: cafe-impact rejects --period ${r.period}`);
    for (const x of rejects.slice(0, max)) {
      out(`  ${x.file}:${x.line ?? '?'}${x.column ? ` column ${x.column}` : ''}: ${x.value !== null ? `${JSON.stringify(x.value)} ` : ''}${x.reason}`);
    }
  }
  for (const w of r.warnings) err(`warning: ${w}`);
}

export function jsonSummary(r: IngestReport) {
  return {
    load_id: r.loadId,
    period: r.period,
    status: r.status,
    message: r.message,
    warnings: r.warnings,
    files: r.files.map((f) => ({
      dataset: f.dataset, file: f.file, status: f.status, read: f.read, accepted: f.accepted, rejected: f.rejected, replaced: f.replaced,
      sha256: f.sha256, size: f.size, format: f.format, encoding: f.encoding ?? null, delimiter: f.delimiter ?? null, date_format: f.dateFormat ?? null,
      decimal_separator: f.decimalSeparator ?? null, mapped_communes: f.mappedCommunes, message: f.message ?? null,
      rejects: f.rejects.slice(0, 1000), rejects_truncated: f.rejects.length > 1000,
    })),
  };
}

