import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { zipMemberTimes } from '../src/exchange/zip-times';

const dir = mkdtempSync(join(tmpdir(), 'in3d-ziptimes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function zipFile(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** Info-ZIP's "UT" extra field (central-directory form): flags (bit 0: mtime), then the mtime in UTC seconds. */
function utExtra(seconds: number): Uint8Array {
  const b = Buffer.alloc(5);
  b[0] = 1;
  b.writeUInt32LE(seconds, 1);
  return new Uint8Array(b);
}

describe('zipMemberTimes', () => {
  it("reads each member's DOS date and time (local, 2-second steps), and the UT field's UTC time where a member has one", () => {
    const local = new Date(2019, 2, 4, 5, 6, 8); // as the zipping machine's clock read it
    const utc = Date.UTC(2021, 6, 1, 12, 0, 1);
    const p = zipFile('times.zip', zipSync({
      'annotations_new/car/a.npz': [new Uint8Array([1]), { mtime: local }],
      'naïve/b.npz': [new Uint8Array([2]), { mtime: local }],
      'ut.npz': [new Uint8Array([3]), { mtime: new Date(2000, 0, 1), extra: { 0x5455: utExtra(utc / 1000) } }],
    }));
    const times = zipMemberTimes(p);
    expect(times.get('annotations_new/car/a.npz')?.getTime()).toBe(local.getTime());
    expect(times.get('naïve/b.npz')?.getTime()).toBe(local.getTime());
    expect(times.get('ut.npz')?.toISOString()).toBe('2021-07-01T12:00:01.000Z');
  });

  it('gives no times for what has no readable central directory (cut off, not a zip, a directory offset past the end)', () => {
    const whole = zipSync({ 'a.npz': [new Uint8Array(100), { mtime: new Date(2019, 0, 1) }] });
    expect(zipMemberTimes(zipFile('whole.zip', whole)).size).toBe(1);
    expect(zipMemberTimes(zipFile('cut.zip', whole.subarray(0, whole.length - 30))).size).toBe(0);
    expect(zipMemberTimes(zipFile('text.zip', new TextEncoder().encode('not a zip'))).size).toBe(0);
    const bad = whole.slice();
    new DataView(bad.buffer).setUint32(bad.length - 6, 0x7fffffff, true); // the EOCD's directory offset
    expect(zipMemberTimes(zipFile('bad.zip', bad)).size).toBe(0);
  });
  it('gives no times, and does not throw, for a zip64 end record pointing past the file (a forged offset)', () => {
    const zip = Buffer.from(zipSync({ 'a.txt': new Uint8Array([1]) }));
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const end = Buffer.from(zip.subarray(eocd));
    end.writeUInt32LE(0xffffffff, 16); // the classic offset overflows, so the reader looks for zip64
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(2n ** 60n, 8); // where the zip64 record would be: far past the file, past 2^53
    const p = zipFile('forged64.zip', Buffer.concat([zip.subarray(0, eocd), locator, end]));
    expect(() => zipMemberTimes(p)).not.toThrow();
    expect(zipMemberTimes(p).size).toBe(0);
  });
});
