/**
 * Cronbach's alpha of a scale: k/(k − 1) · (1 − Σ var(itemⱼ) / var(Σ items)), sample variances
 * (n − 1), unweighted, over the respondents who answered every item (listwise). Items measuring
 * the opposite direction are to be reversed by the caller (scale_min + scale_max − answer).
 *
 * Worked example: items a = 1 2 3 4, b = 2 2 3 5. var(a) = 1.6667, var(b) = 2, sums 3 4 6 9 with
 * var 7, alpha = 2 · (1 − 3.6667 / 7) = 0.95238 (test/stats/cronbach-alpha.test.ts).
 * Null with fewer than 2 items or 2 complete respondents, or a total without variance.
 */
export function cronbachAlpha(items: readonly (readonly (number | null)[])[]): { alpha: number; n: number } | null {
  const k = items.length;
  if (k < 2) return null;
  const rows: number[][] = [];
  for (let i = 0; i < items[0]!.length; i++) {
    const r = items.map((it) => it[i]);
    if (r.every((v) => v !== null && v !== undefined)) rows.push(r as number[]);
  }
  const n = rows.length;
  if (n < 2) return null;
  const variance = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
  };
  const itemVars = items.map((_, j) => variance(rows.map((r) => r[j]!)));
  const totalVar = variance(rows.map((r) => r.reduce((a, b) => a + b, 0)));
  if (totalVar === 0) return null;
  return { alpha: (k / (k - 1)) * (1 - itemVars.reduce((a, b) => a + b, 0) / totalVar), n };
}
