// The dashboard's per-annotator active time reads in minutes while short and in hours after two.
import { describe, expect, it } from 'vitest';
import { activeTotal } from '../src/pages/admin/active-total';

describe("an annotator's total active time on the dashboard", () => {
  it('is minutes under two hours, hours from there (422 h of work is not "25348.1 min")', () => {
    expect(activeTotal(0)).toBe('0.0 min');
    expect(activeTotal(90_000)).toBe('1.5 min');
    expect(activeTotal(119.9 * 60_000)).toBe('119.9 min');
    expect(activeTotal(120 * 60_000)).toBe('2.0 h');
    expect(activeTotal(25_348.1 * 60_000)).toBe('422.5 h');
  });
});
