// The dashboard's CSV writer (quoting, CSV injection) and its chart scales (axes from 0).
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../src/pages/admin/csv';
import { xRange, yRange } from '../src/pages/admin/chart-range';

describe('CSV of a dashboard table', () => {
  it('quotes cells with commas, quotes and line breaks, doubling the quotes; lines end in CRLF', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"'], ['two\nlines', 'cr\rhere'], ['plain', 3]])).toBe(
      'a,b\r\n"x,y","say ""hi"""\r\n"two\nlines","cr\rhere"\r\nplain,3\r\n',
    );
  });

  it('prefixes text a spreadsheet would run as a formula with a quote mark', () => {
    expect(['=1+1', '+cmd', '-2+3', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual(["'=1+1", "'+cmd", "'-2+3", "'@SUM(A1)", "'\tx", `"'\rx"`]);
    // A formula that also needs quoting gets both.
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    // Text that only contains those characters later is left alone.
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('alice@example.org')).toBe('alice@example.org');
  });

  it('writes numbers as numbers (a negative one is a value, not a formula) and empty cells for null, NaN and Infinity', () => {
    expect([-3, 0.25, null, undefined, Number.NaN, Number.POSITIVE_INFINITY, true].map(csvCell)).toEqual(['-3', '0.25', '', '', '', '', 'true']);
    expect(toCsv(['only'], [])).toBe('only\r\n');
  });
});

describe('dashboard chart scales', () => {
  it('the value axis starts at 0 and leaves head-room above the largest value', () => {
    expect(yRange(40)).toEqual([0, 44]);
    expect(yRange(3)).toEqual([0, 4]);
    expect(yRange(0)).toEqual([0, 1]);
    expect(yRange(null)).toEqual([0, 1]);
  });

  it('a numeric x axis starts at 0; a time axis is padded by a day each side', () => {
    expect(xRange([7.5, 22.5, 37.5], false)).toEqual([0, 45]);
    expect(xRange([100, 110], false)).toEqual([0, 115]);
    expect(xRange([86400 * 10], true)).toEqual([86400 * 9, 86400 * 11]);
    expect(xRange([], false)).toBeUndefined();
  });
});
