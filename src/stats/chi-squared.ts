/**
 * The χ² distribution's upper tail, P(X > x) for X ~ χ²(df) = Q(df/2, x/2), the regularized upper
 * incomplete gamma function (series for x < a + 1, Lentz's continued fraction otherwise;
 * Numerical Recipes §6.2). Values from R 4 (`print(pchisq(x, df, lower.tail = FALSE), digits = 17)`):
 * pchisq(3, 1) upper = 0.083264516663550558, pchisq(10, 4) upper = 0.040427681994512805,
 * pchisq(0.5, 7) upper = 0.99944648139042513, pchisq(40, 10) upper = 1.6944743930067385e-05.
 */
import { logGamma } from './student-t.ts';

function lowerSeries(a: number, x: number): number {
  let sum = 1 / a;
  let term = sum;
  for (let n = 1; n < 10_000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** P(X > x) for X ~ χ²(df), df > 0. */
export function chiSquaredUpper(x: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquaredUpper: df > 0, got ${df}`);
  if (!(x > 0)) return 1;
  const a = df / 2;
  const h = x / 2;
  return h < a + 1 ? 1 - lowerSeries(a, h) : upperFraction(a, h);
}
