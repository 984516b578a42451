import { describe, expect, it } from 'vitest';
import { IdRegistry, mergeServiceTypes, normalizeInsee, parseDecimal, positionProblem } from '../../src/importers/types.ts';

describe('shared helpers', () => {
  it('normalizeInsee: canonical code, null when empty, undefined when not a commune', () => {
    expect(['01004', '1004', ' 2a004 ', '2B033', '', '99138', '123', 'abcde'].map(normalizeInsee))
      .toEqual(['01004', '01004', '2A004', '2B033', null, undefined, undefined, undefined]);
  });

  it('parseDecimal: point or comma, null when empty, NaN otherwise', () => {
    expect(['4,5', '-21.1', '+3', '.5', '1e3', '', '  ', '1 000', '12,5O'].map(parseDecimal))
      .toEqual([4.5, -21.1, 3, 0.5, 1000, null, null, Number.NaN, Number.NaN]);
  });

  it('positionProblem: checks ranges, 0/0, and the territory of the commune', () => {
    expect(positionProblem(47.18, 1.09, '37109')).toBeNull();
    expect(positionProblem(47.18, 1.09)).toBeNull();
    expect(positionProblem(-21.0, 55.5, '97411')).toBeNull(); // La Réunion
    expect(positionProblem(-17.5, -149.5, '98735')).toBeNull(); // Pacific: range check only
    expect(positionProblem(0, 0)).toMatch(/0, 0/);
    expect(positionProblem(95, 1)).toMatch(/latitude 95/);
    expect(positionProblem(1.09, 47.18, '37109')).toMatch(/swapped/);
    expect(positionProblem(47.18, 1.09, '97411')).toMatch(/outside La Réunion, where commune 97411 is/);
  });

  it('IdRegistry: unique ids, repeats numbered in order, never clashing with an existing id', () => {
    const r = new IdRegistry();
    // by hand: the third base "a-2" is already taken by the second "a"
    expect(['a', 'a', 'a-2', 'a', 'b'].map((x) => r.take(x))).toEqual(['a', 'a-2', 'a-2-2', 'a-3', 'b']);
  });

  it('mergeServiceTypes: a service given replaces its defaults, the others keep theirs', () => {
    expect(mergeServiceTypes({ bread: ['B207'], post: ['A206'] }, { post: [] })).toEqual({ bread: ['B207'], cash: [], post: [] });
  });
});
