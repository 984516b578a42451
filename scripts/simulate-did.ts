/**
 * Simulation (not a test): how the difference-in-differences behaves on panels shaped like the
 * demo's (300 communes, 6 years, 220 treated in five cohorts, 80 never-treated controls, 3 % of
 * the values missing), where the truth is known. For each scenario, over --reps panels:
 *   - constant: an effect of 0.8 from the opening year on, parallel trends true;
 *   - dynamic: an effect growing with the years since opening, 0.4 + 0.3·e (TWFE then mixes
 *     cohorts with negative weights, Goodman-Bacon 2021; att_simple targets the cohort-size
 *     weighted mean of the post-opening cell effects, computed from the truth).
 * Prints the mean of each estimate against its target, the coverage of TWFE's 95 % interval
 * (t, G − 1) and of att_simple ± 1.96 SE, and how often the parallel-trends test rejects at 5 %.
 *
 *   npx tsx scripts/simulate-did.ts [--reps 1000] [--seed 11]
 */
import { parseArgs } from 'node:util';
import { didEstimates, type DidObservation, type DidUnit } from '../src/stats/did.ts';
import { Rng } from '../src/stats/prng.ts';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '1000' }, seed: { type: 'string', default: '11' } } });
const reps = Number(values.reps);
const rng = new Rng(Number(values.seed));
const years = [2018, 2019, 2020, 2021, 2022, 2023];
const scenarios = { constant: (_e: number) => 0.8, dynamic: (e: number) => 0.4 + 0.3 * e };

for (const [name, effect] of Object.entries(scenarios)) {
  let twfeSum = 0, simpleSum = 0, simpleTruthSum = 0, twfeCover = 0, simpleCover = 0, rejected = 0, tests = 0;
  for (let r = 0; r < reps; r++) {
    const obs: DidObservation[] = [];
    const units: DidUnit[] = [];
    for (let u = 0; u < 300; u++) {
      const g = u < 220 ? 2019 + (u % 5) : null;
      units.push({ unit: `U${u}`, cohort: g });
      const level = rng.normal(6, 1.5);
      for (const t of years) {
        if (rng.chance(0.03)) continue;
        obs.push({ unit: `U${u}`, time: t, y: level - 0.12 * (t - 2018) + (g !== null && t >= g ? effect(t - g) : 0) + rng.normal(0, 0.4) });
      }
    }
    const e = didEstimates(obs, units);
    // the target of att_simple: its cells' true effects with its weights (cohort sizes)
    const post = e.attGt.filter((c) => c.time >= c.group);
    const w = post.map((c) => e.cohortSizes.get(c.group)!);
    const truth = post.reduce((s, c, i) => s + w[i]! * effect(c.time - c.group), 0) / w.reduce((a, b) => a + b, 0);
    twfeSum += e.twfe.estimate;
    simpleSum += e.simple!.att;
    simpleTruthSum += truth;
    if (e.twfe.ciLow <= truth && truth <= e.twfe.ciHigh) twfeCover++;
    if (Math.abs(e.simple!.att - truth) <= 1.96 * e.simple!.se) simpleCover++;
    if (e.pretrend) {
      tests++;
      if (e.pretrend.p_value < 0.05) rejected++;
    }
  }
  const pct = (k: number, n: number) => `${((100 * k) / n).toFixed(1)} %`;
  console.log(`${name} (${reps} panels): att_simple target ${(simpleTruthSum / reps).toFixed(3)}, mean att_simple ${(simpleSum / reps).toFixed(3)} (covered ${pct(simpleCover, reps)}), mean TWFE ${(twfeSum / reps).toFixed(3)} (its interval covers the target ${pct(twfeCover, reps)}); parallel-trends test rejects ${pct(rejected, tests)} at 5 %`);
}
