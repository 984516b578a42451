/**
 * Report charts (src/reports/charts.ts): SVG rendered in Node, read back as text. Expected values
 * written by hand from the inputs: 376 789.4 km shown "376 789" in French (a space between
 * thousands, src/format/locale.ts) and "376,789" in English; a suppressed figure shows the one
 * term for it and no bar; an interval is a rule; data stays text.
 */
import { describe, expect, it } from 'vitest';
import { barChartSvg, type BarChart } from '../../src/reports/charts.ts';

const texts = (svg: string) => (svg.match(/<text[^>]*>[^<]*<\/text>/g) ?? []).map((t) => t.replace(/<[^>]+>/g, ''));
const chart = (lang: 'fr' | 'en'): BarChart => ({
  title: lang === 'fr' ? 'Kilomètres évités' : 'Kilometres saved',
  unit: 'km',
  lang,
  data: [
    { label: 'pain', value: 376789.4 },
    { label: '<img src=x onerror=alert(1)>', value: null, suppressed: true },
    { label: 'poste', value: 3332, low: 3000, high: 3700 },
  ],
});

describe('bar charts', () => {
  it('write numbers in the reader\'s language, the bars in the data\'s order', async () => {
    const fr = texts(await barChartSvg(chart('fr')));
    expect(fr).toEqual(expect.arrayContaining(['376 789', '3 332', '100 000', 'Kilomètres évités', 'secret statistique']));
    expect(fr.indexOf('pain')).toBeLessThan(fr.indexOf('poste'));
    const en = texts(await barChartSvg(chart('en')));
    expect(en).toEqual(expect.arrayContaining(['376,789', '3,332', '100,000', 'suppressed (confidential)']));
    expect(en.join(' ')).not.toMatch(/secret statistique/);
  });

  it('a suppressed figure has no number and no bar; an interval is drawn; data stays text', async () => {
    const svg = await barChartSvg(chart('fr'));
    // three data rows, two bars (pain, poste): vega writes one <path> per bar in the bar mark group
    const bars = /class="mark-rect role-mark layer_0_marks"[^>]*>(.*?)<\/g>/.exec(svg)![1]!;
    expect(bars.match(/<path/g)).toHaveLength(2);
    expect(svg).toMatch(/class="mark-rule role-mark layer_1_marks"[^>]*><line/);
    expect(svg).not.toMatch(/<img/);
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('carries a text alternative and is byte-identical across renders', async () => {
    const a = await barChartSvg(chart('fr'));
    expect(a).toMatch(/^<svg role="img" aria-label="Kilomètres évités: pain 376 789 km; &lt;img src=x onerror=alert\(1\)&gt; secret statistique; poste 3 332 km"/);
    expect(a).toContain('<title>Kilomètres évités: pain 376 789 km;');
    expect(await barChartSvg(chart('fr'))).toBe(a);
  });
});
