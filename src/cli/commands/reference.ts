/** `cafe-impact reference import <kind> <file>` and `reference kinds`. */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.ts';
import { usage } from '../../core/messages.ts';
import { parsePeriod } from '../../core/period.ts';
import { printable } from '../format.ts';
import { err, jsonSummary, out, parseThreshold, printIngest, withWarehouse } from '../shared.ts';

function parseServiceTypes(specs: string[]): Partial<Record<'bread' | 'cash' | 'post', string[]>> {
  const outp: Partial<Record<'bread' | 'cash' | 'post', string[]>> = {};
  for (const s of specs) {
    const m = /^(bread|cash|post)=(.+)$/.exec(s);
    if (!m) throw new UserError(usage.badServiceTypes(s));
    outp[m[1] as 'bread'] = m[2]!.split(',').map((x) => x.trim()).filter(Boolean);
  }
  return outp;
}

export function registerReference(program: Command): void {
  const ref = program.command('reference').description('reference data from official files (BPE, La Poste, OSM GeoJSON, communes, Filosofi)');
  ref
    .command('kinds')
    .description('the importers and which facility types count for each service by default')
    .action(async () => {
      const { DEFAULT_SERVICE_TYPES, IMPORTERS } = await import('../../importers/index.ts');
      for (const [k, i] of Object.entries(IMPORTERS)) out(`${k.padEnd(9)} → ${i.dataset.padEnd(18)} ${i.description}`);
      out();
      out(`Default facility types per service: ${JSON.stringify(DEFAULT_SERVICE_TYPES, null, 2)}`);
    });
  ref
    .command('distances')
    .description("derive, per commune, the distance from its centroid to the nearest facility of each service (commune_indicators distance.<service>_km), from the warehouse's own positions and facilities")
    .requiredOption('--period <period>', 'positions and facilities as valid at the end of this period; the year of the values')
    .option('--dry-run', 'compute and validate without loading')
    .option('--json', 'machine-readable summary')
    .action(async (o: { period: string; dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const period = parsePeriod(o.period);
      const [{ ingestImported }, { communeDistances }, { defaultConfig }] = await Promise.all([import('../../importers/import.ts'), import('../../importers/distances.ts'), import('../../runs/config.ts')]);
      await withWarehouse(cmd, async (wh) => {
        const rows = await communeDistances(wh, period, { earthRadiusKm: defaultConfig().km.earth_radius_km });
        const r = await ingestImported(wh, rows, 'commune_indicators', 'distances', null, { period, dryRun: o.dryRun, threshold: 0 });
        if (o.json) return out(JSON.stringify({ ...jsonSummary(r), kind: r.kind }, null, 2));
        printIngest(r);
        out();
        out(printable(r.message));
      });
    });
  ref
    .command('import')
    .description('convert an official file and load it (validated, versioned, logged)')
    .argument('<kind>', 'bpe, laposte, geojson, communes or filosofi (`cafe-impact reference kinds`)')
    .argument('<file>')
    .option('--period <period>', 'period from which the imported values are valid (versioning)', String(new Date().getFullYear()))
    .option('--service-types <spec...>', 'facility types counted per service, e.g. bread=B207,B203 post=A206')
    .option('--source <name>', 'value of the source column')
    .option('--year <year>', 'reference year (Filosofi)')
    .option('--dry-run', 'convert and validate without loading')
    .option('--threshold <share>', 'rejected share above which the import fails', '0.05')
    .option('--json', 'machine-readable summary')
    .action(async (kind: string, file: string, o: { period: string; serviceTypes?: string[]; source?: string; year?: string; dryRun?: boolean; threshold: string; json?: boolean }, cmd: Command) => {
      const period = parsePeriod(o.period);
      const [{ importReference }, { terminalReporter }] = await Promise.all([import('../../importers/import.ts'), import('../progress.ts')]);
      await withWarehouse(cmd, async (wh) => {
        const r = await importReference(wh, kind, file, {
          period,
          dryRun: o.dryRun,
          threshold: parseThreshold(o.threshold),
          serviceTypes: o.serviceTypes ? parseServiceTypes(o.serviceTypes) : undefined,
          source: o.source,
          year: o.year ? Number(o.year) : undefined,
          reporter: terminalReporter(!o.json && process.stderr.isTTY === true, (m) => err(`warning: ${m}`)),
        });
        if (o.json) return out(JSON.stringify({ ...jsonSummary(r), kind: r.kind, skipped: r.skipped, skipped_reasons: r.skippedReasons }, null, 2));
        printIngest(r);
        out();
        out(printable(r.message));
      }, { create: true });
    });
}
