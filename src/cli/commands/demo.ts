/** `cafe-impact demo`: the synthetic network generated if needed, ingested and run (src/demo/demo.ts). */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { printable } from '../format.ts';
import { printHeadline } from '../headline.ts';
import { out, printIngest, type GlobalOpts } from '../shared.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate the synthetic demo network (if needed), ingest it and print what it did')
    .option('--data <folder>', 'demo data folder (default: datasets/demo of the package)')
    .option('--regenerate', 'generate the demo data again even if present')
    .option('--scale <n>', 'network size multiplier for a bigger demo', '1')
    .action(async (o: { data?: string; regenerate?: boolean; scale: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOpts>();
      const [{ Warehouse }, { runDemo }] = await Promise.all([import('../../db/warehouse.ts'), import('../../demo/demo.ts')]);
      const year = 2023;
      const path = resolve(g.warehouse ?? process.env.CAFE_IMPACT_WAREHOUSE ?? 'warehouse/demo.duckdb');
      const wh = await Warehouse.open(path);
      try {
        out(`Warehouse ${path}`);
        const run = await runDemo(wh, {
          data: o.data,
          regenerate: o.regenerate,
          scale: Number(o.scale),
          year,
          onGenerating: (data) => out(`Generating the synthetic demo network in ${data} …`),
          onGenerate: (s) => out(`  ${s.cafes} cafés in ${s.departments} departments; ${s.files} files`),
          onAlreadyLoaded: (data) => out(`This warehouse already holds the demo's loads of ${data}: they are kept, ${year} runs again (delete the warehouse to start over)`),
          onIngest: ({ folder, period, report }) => {
            out();
            out(`== ingest ${folder} --period ${period}`);
            printIngest(report, { maxRejects: 5 });
            out(printable(report.message));
          },
        });
        out();
        out(`== run --period ${year}`);
        for (const w of run.warnings.slice(0, 5)) out(`warning: ${printable(w.message)}`);
        if (run.warnings.length > 5) out(`(${run.warnings.length - 5} more warnings: cafe-impact explain km_saved --period ${year})`);
        out();
        await printHeadline(wh, String(year));
        out();
        const { runFigures } = await import('../../figures/store.ts');
        const { formatNumber } = await import('../../format/locale.ts');
        const figures = await runFigures(wh, run.runId);
        const survey = figures
          .filter((f) => f.indicator === 'survey.life_satisfaction' && f.scope === 'commune' && !f.suppressed && f.value !== null)
          .sort((a, b) => (b.n ?? 0) - (a.n ?? 0) || (a.scope_id! < b.scope_id! ? -1 : 1));
        if (survey.length) {
          out(`Enquête 2023 — satisfaction de vie (0–10), moyenne pondérée et intervalle à 95 % (${survey.length} communes estimées; les plus interrogées) :`);
          for (const f of survey.slice(0, 3)) out(`  ${f.scope_label} (${f.scope_id}) : ${formatNumber(f.value, 2)} [${formatNumber(f.ci_low, 2)} ; ${formatNumber(f.ci_high, 2)}], ${f.n} réponses`);
          out(`  cafe-impact figures --period ${year} --indicator survey.life_satisfaction --scope commune   (toutes les communes)`);
          const index = figures.filter((f) => f.indicator === 'wellbeing.index' && f.value !== null);
          if (index.length) {
            const lo = index.reduce((a, b) => (b.value! < a.value! ? b : a));
            const hi = index.reduce((a, b) => (b.value! > a.value! ? b : a));
            out(`Indice de bien-être territorial (0–10, bande à 90 %) sur ${index.length} communes : de ${formatNumber(lo.value, 1)} [${formatNumber(lo.ci_low, 1)} ; ${formatNumber(lo.ci_high, 1)}] (${lo.scope_label}) à ${formatNumber(hi.value, 1)} [${formatNumber(hi.ci_low, 1)} ; ${formatNumber(hi.ci_high, 1)}] (${hi.scope_label})`);
          }
          out();
        }
        const { DEMO_DID } = await import('../../demo/generate.ts');
        const did = figures.find((f) => f.indicator === `did.${DEMO_DID.outcome}` && f.value !== null);
        if (did) {
          const covered = did.ci_low !== null && did.ci_high !== null && did.ci_low <= DEMO_DID.effect && DEMO_DID.effect <= did.ci_high;
          out(`Effet du café (différence de différences, ${DEMO_DID.outcome}, ${did.n} communes) : ${formatNumber(did.value, 3)}, erreur-type ${formatNumber(did.se, 3)}, IC à 95 % [${formatNumber(did.ci_low, 3)} ; ${formatNumber(did.ci_high, 3)}] ; effet intégré aux données : ${formatNumber(DEMO_DID.effect, 1)}, ${covered ? 'couvert' : 'NON couvert'} par l'intervalle`);
          out(`  cafe-impact did --outcome ${DEMO_DID.outcome}   (échantillon, effets par cohorte, tendances parallèles, hypothèses)`);
          out();
        }
        // the annual report (French and English) and a funder's report (HTML and PDF), from this run
        const [{ renderReport }, { loadReportData }, { loadTemplate }, { mkdirSync, writeFileSync }, { dirname, join }, { parsePeriod }] = await Promise.all([
          import('../../reports/render.ts'), import('../../reports/build.ts'), import('../../reports/template.ts'), import('node:fs'), import('node:path'), import('../../core/period.ts'),
        ]);
        const reports = join(dirname(path), 'reports');
        mkdirSync(reports, { recursive: true });
        const period = parsePeriod(String(year));
        const data = await loadReportData(wh, period);
        const written: [string, string][] = [];
        for (const [template, lang, format, label] of [
          ['annual', 'fr', 'html', 'Rapport annuel'], ['annual', 'fr', 'pdf', 'Rapport annuel (PDF)'], ['annual', 'en', 'html', 'Annual report'],
          ['cohesion', 'fr', 'html', 'Rapport pour un financeur public : cafés et cohésion des territoires'], ['cohesion', 'fr', 'pdf', 'Le même (PDF)'],
        ] as const) {
          const file = join(reports, `${template}-${year}.${lang}.${format}`);
          writeFileSync(file, (await renderReport(wh, loadTemplate(template), { period, lang, format }, data)).content);
          written.push([label, file]);
        }
        for (const [label, file] of written) out(`${label} : ${file}`);
        out();
        out('The data is synthetic (see datasets/demo/README.md): the figures show the method, not the network.');
        out('Next:');
        out(`  npx cafe-impact --warehouse ${path} figures --period ${year} --format xlsx --output chiffres-${year}.xlsx`);
        out(`  npx cafe-impact --warehouse ${path} explain km_saved --period ${year}`);
        out(`  npx cafe-impact --warehouse ${path} rejects --period ${year}-Q2`);
        out(`  npx cafe-impact --warehouse ${path} query "SELECT indicator, value FROM v_figures_latest WHERE scope = 'network'"`);
        out(`  npx cafe-impact --warehouse ${path} report --period ${year} --template cafe-sheet --for cafe:${data.cafes[0]?.cafe_id ?? 'C0001'} --format pdf --output fiche.pdf   (cafe-impact report --list)`);
        out(`  npx cafe-impact --warehouse ${path} export panel --format csv --output panel/   (R, Python, Stata; codebook beside it)`);
      } finally {
        wh.close();
      }
    });
}
