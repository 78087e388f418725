import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { elements, isNdArray, numberOf, numbersOf, stringOf } from '../src/formats/ndarray';
import { readNpyHeader } from '../src/formats/npy';
import { PickleError, recordOf, unpickle } from '../src/formats/pickle';
import { hasFixtures, IMAGENET3D } from '../../shared/test/fixtures';

const RELEASE = join(IMAGENET3D, 'legacy/release/chair/n03001627_555.npz');

// pickle.dumps(obj, protocol=p) by CPython 3 + numpy 2.4, base64. obj is one dict holding every kind
// of value the release files use: floats, numpy int64/uint16/str_ scalars, 1-d and 2-d arrays (one
// fortran-ordered), str, bool, None, a big int, a negative int and a tuple.
const PICKLES: Record<string, string> = {
  p2: 'gAJdcQB9cQEoWAcAAABhemltdXRocQJHP/QAAAAAAABYCQAAAGNhZF9pbmRleHEDY251bXB5Ll9jb3JlLm11bHRpYXJyYXkKc2NhbGFyCnEEY251bXB5CmR0eXBlCnEFWAIAAABpOHEGiYiHcQdScQgoSwNYAQAAADxxCU5OTkr/////Sv////9LAHRxCmJjX2NvZGVjcwplbmNvZGUKcQtYCAAAAAMAAAAAAAAAcQxYBgAAAGxhdGluMXENhnEOUnEPhnEQUnERWAYAAABoZWlnaHRxEmgEaAVYAgAAAHUycROJiIdxFFJxFShLA2gJTk5OSv////9K/////0sAdHEWYmgLWAIAAAB3AXEXaA2GcRhScRmGcRpScRtYBAAAAGJib3hxHGNudW1weS5fY29yZS5tdWx0aWFycmF5Cl9yZWNvbnN0cnVjdApxHWNudW1weQpuZGFycmF5CnEeSwCFcR9oC1gBAAAAYnEgaA2GcSFScSKHcSNScSQoSwFLBIVxJWgFWAIAAABmOHEmiYiHcSdScSgoSwNoCU5OTkr/////Sv////9LAHRxKWKJaAtYIQAAAAAAAAAAAMOwPwAAAAAAAABAAAAAAAAACEAAAAAAAAAQQHEqaA2GcStScSx0cS1iWAUAAABjbGFzc3EuWAUAAABjaGFpcnEvWAIAAABva3EwiFgEAAAAbm9uZXExTlgDAAAAYmlncTKKCQAAAAAAAAAAQFgDAAAAbmVncTNK/f///1gBAAAAdHE0SwFYAQAAAHhxNYZxNlgEAAAAZ3JpZHE3aB1oHksAhXE4aCKHcTlScTooSwFLAksDhnE7aAVYAgAAAGk0cTyJiIdxPVJxPihLA2gJTk5OSv////9K/////0sAdHE/YoloC1gYAAAAAAAAAAEAAAACAAAAAwAAAAQAAAAFAAAAcUBoDYZxQVJxQnRxQ2JYAQAAAGZxRGgdaB5LAIVxRWgih3FGUnFHKEsBSwJLA4ZxSGgoiGgLWDEAAAAAAAAAAAAAAAAAAAAAAAhAAAAAAAAAw7A/AAAAAAAAEEAAAAAAAAAAQAAAAAAAABRAcUloDYZxSlJxS3RxTGJYBAAAAG5hbWVxTWgEaAVYAgAAAFU1cU6JiIdxT1JxUChLA2gJTk5OSxRLBEsIdHFRYmgLWBQAAABhAAAAbAAAAGkAAABjAAAAZQAAAHFSaA2GcVNScVSGcVVScVZ1YS4=',
  p3: 'gANdcQB9cQEoWAcAAABhemltdXRocQJHP/QAAAAAAABYCQAAAGNhZF9pbmRleHEDY251bXB5Ll9jb3JlLm11bHRpYXJyYXkKc2NhbGFyCnEEY251bXB5CmR0eXBlCnEFWAIAAABpOHEGiYiHcQdScQgoSwNYAQAAADxxCU5OTkr/////Sv////9LAHRxCmJDCAMAAAAAAAAAcQuGcQxScQ1YBgAAAGhlaWdodHEOaARoBVgCAAAAdTJxD4mIh3EQUnERKEsDaAlOTk5K/////0r/////SwB0cRJiQwJ3AXEThnEUUnEVWAQAAABiYm94cRZjbnVtcHkuX2NvcmUubXVsdGlhcnJheQpfcmVjb25zdHJ1Y3QKcRdjbnVtcHkKbmRhcnJheQpxGEsAhXEZQwFicRqHcRtScRwoSwFLBIVxHWgFWAIAAABmOHEeiYiHcR9ScSAoSwNoCU5OTkr/////Sv////9LAHRxIWKJQyAAAAAAAADwPwAAAAAAAABAAAAAAAAACEAAAAAAAAAQQHEidHEjYlgFAAAAY2xhc3NxJFgFAAAAY2hhaXJxJVgCAAAAb2txJohYBAAAAG5vbmVxJ05YAwAAAGJpZ3EoigkAAAAAAAAAAEBYAwAAAG5lZ3EpSv3///9YAQAAAHRxKksBWAEAAAB4cSuGcSxYBAAAAGdyaWRxLWgXaBhLAIVxLmgah3EvUnEwKEsBSwJLA4ZxMWgFWAIAAABpNHEyiYiHcTNScTQoSwNoCU5OTkr/////Sv////9LAHRxNWKJQxgAAAAAAQAAAAIAAAADAAAABAAAAAUAAABxNnRxN2JYAQAAAGZxOGgXaBhLAIVxOWgah3E6UnE7KEsBSwJLA4ZxPGggiEMwAAAAAAAAAAAAAAAAAAAIQAAAAAAAAPA/AAAAAAAAEEAAAAAAAAAAQAAAAAAAABRAcT10cT5iWAQAAABuYW1lcT9oBGgFWAIAAABVNXFAiYiHcUFScUIoSwNoCU5OTksUSwRLCHRxQ2JDFGEAAABsAAAAaQAAAGMAAABlAAAAcUSGcUVScUZ1YS4=',
  p4: 'gASViwIAAAAAAABdlH2UKIwHYXppbXV0aJRHP/QAAAAAAACMCWNhZF9pbmRleJSMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAZzY2FsYXKUk5SMBW51bXB5lIwFZHR5cGWUk5SMAmk4lImIh5RSlChLA4wBPJROTk5K/////0r/////SwB0lGJDCAMAAAAAAAAAlIaUUpSMBmhlaWdodJRoBmgJjAJ1MpSJiIeUUpQoSwNoDU5OTkr/////Sv////9LAHSUYkMCdwGUhpRSlIwEYmJveJRoBIwMX3JlY29uc3RydWN0lJOUaAeMB25kYXJyYXmUk5RLAIWUQwFilIeUUpQoSwFLBIWUaAmMAmY4lImIh5RSlChLA2gNTk5OSv////9K/////0sAdJRiiUMgAAAAAAAA8D8AAAAAAAAAQAAAAAAAAAhAAAAAAAAAEECUdJRijAVjbGFzc5SMBWNoYWlylIwCb2uUiIwEbm9uZZROjANiaWeUigkAAAAAAAAAAECMA25lZ5RK/f///4wBdJRLAYwBeJSGlIwEZ3JpZJRoHGgeSwCFlGggh5RSlChLAUsCSwOGlGgJjAJpNJSJiIeUUpQoSwNoDU5OTkr/////Sv////9LAHSUYolDGAAAAAABAAAAAgAAAAMAAAAEAAAABQAAAJR0lGKMAWaUaBxoHksAhZRoIIeUUpQoSwFLAksDhpRoJohDMAAAAAAAAAAAAAAAAAAACEAAAAAAAADwPwAAAAAAABBAAAAAAAAAAEAAAAAAAAAUQJR0lGKMBG5hbWWUaAZoCYwCVTWUiYiHlFKUKEsDaA1OTk5LFEsESwh0lGJDFGEAAABsAAAAaQAAAGMAAABlAAAAlIaUUpR1YS4=',
  p5: 'gAWVhQIAAAAAAABdlH2UKIwHYXppbXV0aJRHP/QAAAAAAACMCWNhZF9pbmRleJSMFm51bXB5Ll9jb3JlLm11bHRpYXJyYXmUjAZzY2FsYXKUk5SMBW51bXB5lIwFZHR5cGWUk5SMAmk4lImIh5RSlChLA4wBPJROTk5K/////0r/////SwB0lGJDCAMAAAAAAAAAlIaUUpSMBmhlaWdodJRoBmgJjAJ1MpSJiIeUUpQoSwNoDU5OTkr/////Sv////9LAHSUYkMCdwGUhpRSlIwEYmJveJSME251bXB5Ll9jb3JlLm51bWVyaWOUjAtfZnJvbWJ1ZmZlcpSTlCiWIAAAAAAAAAAAAAAAAADwPwAAAAAAAABAAAAAAAAACEAAAAAAAAAQQJRoCYwCZjiUiYiHlFKUKEsDaA1OTk5K/////0r/////SwB0lGJLBIWUjAFDlHSUUpSMBWNsYXNzlIwFY2hhaXKUjAJva5SIjARub25llE6MA2JpZ5SKCQAAAAAAAAAAQIwDbmVnlEr9////jAF0lEsBjAF4lIaUjARncmlklGgdKJYYAAAAAAAAAAAAAAABAAAAAgAAAAMAAAAEAAAABQAAAJRoCYwCaTSUiYiHlFKUKEsDaA1OTk5K/////0r/////SwB0lGJLAksDhpRoJHSUUpSMAWaUaB0oljAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIQAAAAAAAAPA/AAAAAAAAEEAAAAAAAAAAQAAAAAAAABRAlGghSwJLA4aUjAFGlHSUUpSMBG5hbWWUaAZoCYwCVTWUiYiHlFKUKEsDaA1OTk5LFEsESwh0lGJDFGEAAABsAAAAaQAAAGMAAABlAAAAlIaUUpR1YS4=',
};
// pickle.dumps({'a': [1, 2.5, 's', None, True], 'b': (3,)}, protocol=0)
const P0 = 'KGRwMApWYQpwMQoobHAyCkkxCmFGMi41CmFWcwpwMwphTmFJMDEKYXNWYgpwNAooSTMKdHA1CnMu';
// pickle.dumps([Evil()]) where Evil.__reduce__ returns (os.system, ('echo pwned',))
const EVIL = 'gAJdcQBjcG9zaXgKc3lzdGVtCnEBWAoAAABlY2hvIHB3bmVkcQKFcQNScQRhLg==';
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

describe('safe unpickler', () => {
  for (const [name, data] of Object.entries(PICKLES)) {
    it(`reads numpy values pickled with protocol ${name.slice(1)}`, () => {
      const list = unpickle(b64(data));
      expect(Array.isArray(list)).toBe(true);
      const d = recordOf((list as unknown[])[0])!;
      expect(d.azimuth).toBe(1.25);
      expect(numberOf(d.cad_index)).toBe(3);
      expect(d.cad_index).toMatchObject({ descr: '<i8', shape: [] });
      expect(d.height).toMatchObject({ descr: '<u2', shape: [] });
      expect(numberOf(d.height)).toBe(375);
      expect(numbersOf(d.bbox)).toEqual([1, 2, 3, 4]);
      expect(d.class).toBe('chair');
      expect([d.ok, d.none, d.big, d.neg, d.t]).toEqual([true, null, 2n ** 70n, -3, [1, 'x']]);
      const grid = d.grid;
      expect(isNdArray(grid) && [grid.descr, grid.shape, elements(grid)]).toEqual(['<i4', [2, 3], [0, 1, 2, 3, 4, 5]]);
      const f = d.f; // fortran-ordered arange(6).reshape(2, 3): C order comes back
      expect(isNdArray(f) && [f.shape, elements(f)]).toEqual([[2, 3], [0, 1, 2, 3, 4, 5]]);
      expect(stringOf(d.name)).toBe('alice');
    });
  }

  it('reads protocol 0 text opcodes', () => {
    const d = unpickle(b64(P0)) as Map<string, unknown>;
    expect(d.get('a')).toEqual([1, 2.5, 's', null, true]);
    expect(d.get('b')).toEqual([3]);
  });

  it('refuses globals that are not on the allow-list, by name', () => {
    expect(() => unpickle(b64(EVIL))).toThrow(PickleError);
    expect(() => unpickle(b64(EVIL))).toThrow(/posix\.system/);
  });

  it('reports truncated and garbage input as PickleError', () => {
    const p4 = b64(PICKLES.p4!);
    expect(() => unpickle(p4.subarray(0, 100))).toThrow(PickleError);
    expect(() => unpickle(new Uint8Array([0xff]))).toThrow(/Unknown pickle opcode/);
  });

  it.skipIf(!hasFixtures)("parses the release file's pickled list of per-object dicts", () => {
    const member = unzipSync(readFileSync(RELEASE))['annotations.npy']!;
    const head = readNpyHeader(member);
    expect(head.descr).toBe('|O');
    const arr = unpickle(member.subarray(head.dataOffset));
    expect(isNdArray(arr) && arr.shape).toEqual([3]);
    const objects = (arr as { data: unknown[] }).data.map((o) => recordOf(o)!);
    expect(objects.map((o) => numberOf(o.cad_index))).toEqual([1, 2, 3]);
    expect(objects.map((o) => o.object_status)).toEqual(['status_good', 'status_partially', 'status_barely']);
    expect(objects.map((o) => o.dense)).toEqual(['dense_no', 'dense_yes', 'dense_no']);
    expect(objects[0]!.azimuth).toBe(3.771294052626079);
    expect(numbersOf(objects[1]!.bbox)).toEqual([110, 20, 280, 300]);
    expect([numberOf(objects[2]!.height), numberOf(objects[2]!.width)]).toEqual([375, 500]);
  });
});
