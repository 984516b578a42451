/**
 * Nearest other facility offering a service, for the "kilometres saved" indicator: from a café,
 * the great-circle distance to the closest facility of the service that is not the café itself
 * (anything within `selfRadiusKm`, 50 m by default, is taken to be the café).
 *
 * `FacilityIndex` keeps one kd-tree (kdbush) per service and asks geokdbush for a few
 * candidates in great-circle order; the answer is then decided with our own `haversineKm` and
 * radius, because geokdbush measures with its own Earth radius (6371 km) and rounding. Its order
 * is only used to know which candidates can be left out (see `nearest`). `bruteForceNearest` is
 * the plain scan used as the reference by the tests and the benchmark; both give identical
 * results. Ties on distance go to the smallest facility id (code-unit order), so the output
 * depends only on the input set, not on its order.
 */
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import { haversineKm } from './haversine.ts';

export interface FacilityPoint {
  id: string;
  service: string;
  lat: number;
  lon: number;
}

export interface NearestResult {
  facilityId: string;
  /** Great-circle distance by `haversineKm` with the requested radius. */
  distanceKm: number;
  /** Facilities of the service within `selfRadiusKm` of the query (the café itself), nearest first. */
  skippedSelf: string[];
}

export interface NearestOptions {
  /** Facilities at most this far are the café itself, not an alternative (default 0.05 km). */
  selfRadiusKm?: number;
  /** Only facilities at most this far count; none → null (default: no limit). */
  maxKm?: number;
  /** Sphere radius for the distances (default 6371.0088 km, the mean Earth radius). */
  radiusKm?: number;
}

const DEFAULT_SELF_RADIUS_KM = 0.05;
const DEFAULT_RADIUS_KM = 6371.0088;
/** The radius geokdbush hard-codes (node_modules/geokdbush/index.js, `earthRadius`). */
const GEOKDBUSH_RADIUS_KM = 6371;
/** Relative margin covering the rounding differences between geokdbush's order and ours. */
const REL_MARGIN = 1e-9;
/**
 * Candidates asked for first. A café is often listed among the facilities itself (it fills the
 * first slot), and the margin test needs one more candidate past the best: 8 rarely needs a
 * second query. (2 ran ~30 % faster in scripts/bench-nearest.ts, which has few self points, but
 * re-queries whenever the café itself is listed.)
 */
const FIRST_BATCH = 8;

interface ServiceTree {
  tree: KDBush;
  /** Facility ids, lats and lons by kdbush item number (input sorted by id). */
  ids: string[];
  lats: Float64Array;
  lons: Float64Array;
}

interface Settings {
  selfRadiusKm: number;
  maxKm: number;
  radiusKm: number;
}

interface Candidate {
  id: string;
  d: number;
}

export class FacilityIndex {
  private readonly trees = new Map<string, ServiceTree>();

  /** Builds one kd-tree per service. Throws on invalid coordinates or an id repeated within a service. */
  constructor(points: readonly FacilityPoint[]) {
    const byService = new Map<string, FacilityPoint[]>();
    for (const p of points) {
      checkPoint(p);
      let list = byService.get(p.service);
      if (!list) byService.set(p.service, (list = []));
      list.push(p);
    }
    for (const [service, list] of byService) {
      // Sorted by id: the tree, and so the whole computation, does not depend on input order.
      list.sort((a, b) => compareIds(a.id, b.id));
      for (let i = 1; i < list.length; i++) {
        if (list[i]!.id === list[i - 1]!.id) throw new Error(`facility "${list[i]!.id}" appears twice for service "${service}"`);
      }
      const tree = new KDBush(list.length);
      const ids: string[] = new Array(list.length);
      const lats = new Float64Array(list.length);
      const lons = new Float64Array(list.length);
      list.forEach((p, i) => {
        tree.add(p.lon, p.lat);
        ids[i] = p.id;
        lats[i] = p.lat;
        lons[i] = p.lon;
      });
      tree.finish();
      this.trees.set(service, { tree, ids, lats, lons });
    }
  }

  /** Services having at least one facility, sorted. */
  services(): string[] {
    return [...this.trees.keys()].sort(compareIds);
  }

  /** Number of facilities of `service` (0 when unknown). */
  count(service: string): number {
    return this.trees.get(service)?.ids.length ?? 0;
  }

  /**
   * Nearest facility of `service` farther than `selfRadiusKm` from (lat, lon); null when there
   * is none (or none within `maxKm` when given). Same result as `bruteForceNearest`.
   *
   * geokdbush returns the k nearest items in its own great-circle order. Every item it left
   * out is, up to rounding, at least as far as the k-th one; so when our best non-self
   * distance is below the k-th distance by a relative margin, nothing left out can beat it,
   * tie with it, or lie within the self radius. Otherwise (the café's own points filled the
   * batch, or a near-tie at the boundary) k grows until that holds or the tree is exhausted.
   */
  nearest(service: string, lat: number, lon: number, opts: NearestOptions = {}): NearestResult | null {
    checkCoordinates(lat, lon, 'query point');
    const s = settings(opts);
    const t = this.trees.get(service);
    if (!t) return null;
    const n = t.ids.length;

    // geokdbush's distance limit, converted to its radius, with slack; our own filter is exact.
    const limitAngle = Math.max(s.maxKm, s.selfRadiusKm) / s.radiusKm;
    const geoLimit = limitAngle < Math.PI ? limitAngle * GEOKDBUSH_RADIUS_KM * (1 + REL_MARGIN) + 1e-12 : undefined;

    for (let k = Math.min(FIRST_BATCH, n); ; k = Math.min(k * 4, n)) {
      const items = around(t.tree, lon, lat, k, geoLimit);
      const self: Candidate[] = [];
      let best: Candidate | null = null;
      let lastD = 0;
      for (const item of items) {
        const c = { id: t.ids[item]!, d: haversineKm(lat, lon, t.lats[item]!, t.lons[item]!, s.radiusKm) };
        lastD = c.d;
        if (c.d <= s.selfRadiusKm) self.push(c);
        else if (c.d <= s.maxKm && (!best || before(c, best))) best = c;
      }
      const exhausted = items.length < k || k >= n;
      const bound = best ? best.d : Math.max(s.selfRadiusKm, s.maxKm);
      if (exhausted || lastD * (1 - REL_MARGIN) > bound) {
        if (!best) return null;
        return { facilityId: best.id, distanceKm: best.d, skippedSelf: self.sort(byDistanceThenId).map((c) => c.id) };
      }
    }
  }
}

/**
 * Reference for `FacilityIndex.nearest`: a scan of every point with `haversineKm`, O(n) per
 * query. Same options, same tie rule (smallest id), same result.
 */
export function bruteForceNearest(
  points: readonly FacilityPoint[], service: string, lat: number, lon: number, opts: NearestOptions = {},
): NearestResult | null {
  checkCoordinates(lat, lon, 'query point');
  const s = settings(opts);
  const self: Candidate[] = [];
  let best: Candidate | null = null;
  for (const p of points) {
    if (p.service !== service) continue;
    const c = { id: p.id, d: haversineKm(lat, lon, p.lat, p.lon, s.radiusKm) };
    if (c.d <= s.selfRadiusKm) self.push(c);
    else if (c.d <= s.maxKm && (!best || before(c, best))) best = c;
  }
  if (!best) return null;
  return { facilityId: best.id, distanceKm: best.d, skippedSelf: self.sort(byDistanceThenId).map((c) => c.id) };
}

function settings(opts: NearestOptions): Settings {
  const selfRadiusKm = opts.selfRadiusKm ?? DEFAULT_SELF_RADIUS_KM;
  const maxKm = opts.maxKm ?? Infinity;
  const radiusKm = opts.radiusKm ?? DEFAULT_RADIUS_KM;
  if (!(selfRadiusKm >= 0) || !Number.isFinite(selfRadiusKm)) throw new RangeError(`selfRadiusKm must be a finite number ≥ 0, got ${selfRadiusKm}`);
  if (!(maxKm >= 0)) throw new RangeError(`maxKm must be a number ≥ 0, got ${maxKm}`);
  if (!(radiusKm > 0) || !Number.isFinite(radiusKm)) throw new RangeError(`radiusKm must be a finite number > 0, got ${radiusKm}`);
  return { selfRadiusKm, maxKm, radiusKm };
}

function checkPoint(p: FacilityPoint): void {
  checkCoordinates(p.lat, p.lon, `facility "${p.id}" (service "${p.service}")`);
}

function checkCoordinates(lat: number, lon: number, what: string): void {
  if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
    throw new RangeError(`${what}: latitude ${lat}, longitude ${lon} is not a WGS84 position (lat −90…90, lon −180…180)`);
  }
}

/** Code-unit order, independent of the locale. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function before(a: Candidate, b: Candidate): boolean {
  return a.d < b.d || (a.d === b.d && a.id < b.id);
}

function byDistanceThenId(a: Candidate, b: Candidate): number {
  return a.d - b.d || compareIds(a.id, b.id);
}
