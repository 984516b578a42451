/**
 * Method parameters, with their documented defaults (METHODOLOGY.md). A JSON file given with
 * `--config` (or `cafe-impact.config.json` in the working directory) overrides any of them; it is
 * validated, and the values used are recorded with every run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../core/errors.ts';
import { configErrors } from '../core/messages.ts';

/**
 * Version of the indicators' method; bumped whenever a definition or default changes.
 * 1.1.0: complementary suppression (METHODOLOGY.md section 8), more cells suppressed.
 * 1.2.0: residents' survey estimates per commune (raked weights, linearised SEs, section 13) and
 *        the parameters that go with them (`survey.*`); every figure carries se, n and ci_level.
 *        The figures of 1.1.0 keep their values.
 * 1.3.0: the café's effect by difference-in-differences (`did.<outcome>`, section 15) for the
 *        outcomes of `did.outcomes` (none by default); the figures of 1.2.0 keep their values.
 */
export const METHOD_VERSION = '1.3.0';

/**
 * The shipped well-being index: the questionnaire's items by dimension (survey items take their
 * questionnaire's scale as bounds), INSEE's share of the population far from proximity
 * facilities (fixed bounds 0–100 %) and the distances from the commune's centre to the nearest
 * bakery and post office (`reference distances`, 0–30 km), bounds recorded with the run.
 * METHODOLOGY.md, section 14.
 */
export const DEFAULT_INDEX_INDICATORS = [
  { code: 'survey.trust_people', dimension: 'trust', direction: 'positive' },
  { code: 'survey.trust_council', dimension: 'trust', direction: 'positive' },
  { code: 'survey.neighbours_talk', dimension: 'social_ties', direction: 'positive' },
  { code: 'survey.loneliness', dimension: 'social_ties', direction: 'negative' },
  { code: 'survey.services_access', dimension: 'access_to_services', direction: 'positive' },
  { code: 'survey.meeting_place', dimension: 'access_to_services', direction: 'positive' },
  { code: 'access.far_proximity', dimension: 'access_to_services', direction: 'negative', min: 0, max: 100 },
  { code: 'distance.bread_km', dimension: 'access_to_services', direction: 'negative', min: 0, max: 30 },
  { code: 'distance.post_km', dimension: 'access_to_services', direction: 'negative', min: 0, max: 30 },
  { code: 'survey.local_pride', dimension: 'local_pride', direction: 'positive' },
  { code: 'survey.life_satisfaction', dimension: 'life_satisfaction', direction: 'positive' },
] as const;

const indexIndicator = z
  .object({
    /** `survey.<item_id>` or a commune_indicators code. */
    code: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/),
    dimension: z.string().regex(/^[a-z][a-z0-9_]*$/),
    direction: z.enum(['positive', 'negative']),
    /** Fixed normalisation bounds of an objective indicator (a survey item uses its scale). */
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict()
  .refine((i) => (i.min === undefined) === (i.max === undefined) && (i.min === undefined || i.max! > i.min), 'min and max go together, max > min');

export const configSchema = z
  .object({
    km: z
      .object({
        /** Sphere radius for great-circle distances: the IUGG mean Earth radius. */
        earth_radius_km: z.number().positive().default(6371.0088),
        /** A facility this close to the café is the café itself, not an alternative. */
        self_radius_km: z.number().min(0).default(0.05),
        /** One-way (as the 2023 report computed it) or round trip. */
        round_trip: z.boolean().default(false),
        /** Road distance / crow-fly distance; 1 = crow-fly. */
        // at most 4 decimals: the trip factor enters the exact decimal sums as DECIMAL(9, 4)
        detour_factor: z.number().min(1).max(3).refine((v) => Math.abs(v * 1e4 - Math.round(v * 1e4)) < 1e-6, 'at most 4 decimals').default(1),
        /** A nearest alternative farther than this is flagged in the run's warnings. */
        far_warning_km: z.number().positive().default(50),
        /** Earth's equatorial circumference, for "times around the Earth" (WGS84). */
        earth_circumference_km: z.number().positive().default(40075.017),
      })
      .strict()
      .default({ earth_radius_km: 6371.0088, self_radius_km: 0.05, round_trip: false, detour_factor: 1, far_warning_km: 50, earth_circumference_km: 40075.017 }),
    suppliers: z
      .object({
        /** A supplier is local to a café within this crow-fly distance. */
        local_radius_km: z.number().positive().default(30),
      })
      .strict()
      .default({ local_radius_km: 30 }),
    disclosure: z
      .object({
        /** Counts of people under this value are suppressed outside the network total. */
        min_cell: z.int().min(1).default(5),
      })
      .strict()
      .default({ min_cell: 5 }),
    survey: z
      .object({
        /** A commune with fewer respondents in the period gets its survey estimates suppressed. */
        min_respondents: z.int().min(2).default(10),
        /** Shares of respondents answering at least `at_least` to `item` (survey.<item>.share_ge_<k>). */
        proportions: z.array(z.object({ item: z.string().regex(/^[a-z][a-z0-9_]*$/), at_least: z.int() }).strict()).default([{ item: 'life_satisfaction', at_least: 7 }]),
      })
      .strict()
      .default({ min_respondents: 10, proportions: [{ item: 'life_satisfaction', at_least: 7 }] }),
    index: z
      .object({
        indicators: z.array(indexIndicator).min(1).default(DEFAULT_INDEX_INDICATORS.map((i) => ({ ...i }))),
        /** Dimension weights; a dimension not named weighs 1. */
        weights: z.record(z.string(), z.number().positive()).default({}),
        draws: z.int().min(10).max(100_000).default(1000),
        seed: z.int().min(0).default(1),
        /** A commune missing a whole dimension: no index (exclude) or the other dimensions re-weighted. */
        missing: z.enum(['exclude', 'reweight']).default('exclude'),
      })
      .strict()
      .default({ indicators: DEFAULT_INDEX_INDICATORS.map((i) => ({ ...i })), weights: {}, draws: 1000, seed: 1, missing: 'exclude' }),
    did: z
      .object({
        /** commune_indicators codes (or wellbeing.index) whose difference-in-differences the run publishes as did.<outcome>. */
        outcomes: z.array(z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/)).default([]),
      })
      .strict()
      .default({ outcomes: [] }),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}

/** Reads and validates a config file (explicit path, else ./cafe-impact.config.json if present). */
export function loadConfig(path?: string): { config: Config; source: string | null } {
  const file = path ? resolve(path) : resolve('cafe-impact.config.json');
  if (!existsSync(file)) {
    if (path) throw new UserError(configErrors.notFound(file));
    return { config: defaultConfig(), source: null };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(configErrors.badJson(file, (e as Error).message));
  }
  const r = configSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0]!;
    throw new UserError(configErrors.invalid(file, first.path.join('.'), first.message));
  }
  return { config: r.data, source: file };
}
