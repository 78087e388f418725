// When each member of a zip was last changed, read from its central directory (fflate's streaming Unzip
// gives names and bytes only). The unpacker gives each file its member's time, as `unzip` does, so an
// import that falls back to a saved file's mtime (a legacy database without save times) gets when the
// annotator saved it, not when the zip was uploaded. The Info-ZIP "UT" extra field is UTC seconds; the
// DOS date and time every entry carries is the zipping machine's local time, read as this server's (as
// `unzip` does). A zip whose directory cannot be found or read gives no times (its files keep the unpack
// time, as before); its members are still unpacked, or refused, by the streaming reader.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const EOCD = 0x06054b50, EOCD64_LOCATOR = 0x07064b50, EOCD64 = 0x06064b50, CENTRAL = 0x02014b50, UT = 0x5455;
/** The End Of Central Directory record is 22 bytes plus a comment of at most 65,535. */
const TAIL = 22 + 0xffff;
/** The directory read at most: 300,000 members (the unpack cap) of about 100 bytes each, with room to spare. */
const MAX_DIRECTORY = 256 * 1024 * 1024;

function readAt(fd: number, position: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  const n = readSync(fd, b, 0, length, position);
  return b.subarray(0, n);
}

/** Where the central directory lies, from the end records (zip64 when the classic fields overflow). */
function directoryOf(fd: number, size: number): { offset: number; length: number } | undefined {
  const tailStart = Math.max(0, size - TAIL);
  const tail = readAt(fd, tailStart, size - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD) { at = i; break; }
  if (at < 0) return undefined;
  let length = tail.readUInt32LE(at + 12), offset = tail.readUInt32LE(at + 16);
  if ((length === 0xffffffff || offset === 0xffffffff) && at >= 20 && tail.readUInt32LE(at - 20) === EOCD64_LOCATOR) {
    const record = Number(tail.readBigUInt64LE(at - 20 + 8));
    if (record + 56 > size) return undefined; // a forged offset (readSync throws past 2^53)
    const r = readAt(fd, record, 56);
    if (r.length < 56 || r.readUInt32LE(0) !== EOCD64) return undefined;
    length = Number(r.readBigUInt64LE(40));
    offset = Number(r.readBigUInt64LE(48));
  }
  if (offset + length > size || length > MAX_DIRECTORY) return undefined;
  return { offset, length };
}

/** The DOS date and time fields as a local time; undefined for a zero or impossible date. */
function dosTime(date: number, time: number): Date | undefined {
  if (date === 0) return undefined;
  const d = new Date(1980 + (date >> 9), ((date >> 5) & 15) - 1, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The UT extra field's modification time (UTC seconds), when the entry has one. */
function utTime(extra: Buffer): Date | undefined {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i), len = extra.readUInt16LE(i + 2);
    if (id === UT && len >= 5 && i + 9 <= extra.length && extra[i + 4]! & 1) return new Date(extra.readUInt32LE(i + 5) * 1000);
    i += 4 + len;
  }
  return undefined;
}

/** Member name → its modification time, for the zip at `path`; empty when its directory cannot be read. */
export function zipMemberTimes(path: string): Map<string, Date> {
  const times = new Map<string, Date>();
  const fd = openSync(path, 'r');
  try {
    const where = directoryOf(fd, fstatSync(fd).size);
    if (!where) return times;
    const dir = readAt(fd, where.offset, where.length);
    for (let i = 0; i + 46 <= dir.length && dir.readUInt32LE(i) === CENTRAL; ) {
      const flags = dir.readUInt16LE(i + 8);
      const nameLength = dir.readUInt16LE(i + 28), extraLength = dir.readUInt16LE(i + 30), commentLength = dir.readUInt16LE(i + 32);
      const end = i + 46 + nameLength + extraLength;
      if (end > dir.length) break;
      // Named as fflate names it: UTF-8 when the entry's flag bit 11 says so, otherwise one byte per character.
      const name = dir.subarray(i + 46, i + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
      const time = utTime(dir.subarray(i + 46 + nameLength, end)) ?? dosTime(dir.readUInt16LE(i + 14), dir.readUInt16LE(i + 12));
      if (time) times.set(name, time);
      i = end + commentLength;
    }
    return times;
  } finally {
    closeSync(fd);
  }
}
