/** The threshold message shows enough digits to tell the share from the threshold. */
import { describe, expect, it } from 'vitest';
import { fileErrors, pct } from '../../src/core/messages.ts';

describe('pct', () => {
  it('prints as many decimals as it takes to tell the share from the threshold', () => {
    // 5,008 of 100,000 = 5.008 %: with one decimal it would print "5.0 %", like the 5 % threshold;
    // two decimals (5.01) already differ from 5.00
    expect(pct(5008, 100_000, 0.05)).toBe('5.01 %');
    // 50,004 of 1,000,000 = 5.0004 %: 5.0, 5.00, 5.000 equal the threshold's; 5.0004 does not
    expect(pct(50_004, 1_000_000, 0.05)).toBe('5.0004 %');
    // 6 of 100 = 6 %: one decimal is enough to differ from 5.0
    expect(pct(6, 100, 0.05)).toBe('6.0 %');
    // 1 of 3 = 33.33… %: above 10 %, whole percents
    expect(pct(1, 3, 0.05)).toBe('33 %');
    expect(fileErrors.threshold('service_uses.csv', 5008, 100_000, 0.05)).toBe('service_uses.csv: 5008 of 100000 rows rejected (5.01 %), above the 5.0 % threshold');
  });
});
