// Poison inputs (shared/SPEC.md R30–R35): each is a whole-request 4xx or a per-mutation `invalid`, the
// rest of the batch is stored, and nothing answers 5xx. Deep JSON is written as text: JSON.stringify
// itself overflows the stack on it.
import { randomUUID } from 'node:crypto';
import { MAX_PUSH_BYTES, PROTOCOL_HEADER, PROTOCOL_VERSION, type PushResponse } from '@in3d/shared/protocol';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type World } from './sync-world';

let w: World;
beforeEach(async () => {
  w = await createWorld({ questionsPerTask: 8 });
});
afterEach(async () => {
  await w.close();
});

const pose = { azimuth: 30, elevation: 10, theta: 0, distance: 5, px: 100, py: 80 };
const q = (i: number) => w.tasks.ann![0]!.questionIds[i]!;
const taskId = () => w.tasks.ann![0]!.taskId;

function save(seq: number, over: Record<string, unknown> = {}, values: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    seq,
    kind: 'annotation.save',
    questionId: q(seq % 8),
    taskId: taskId(),
    baseRevisionId: null,
    supersedes: [],
    values: { pose, subtype: 2, objectStatus: 'status_good', dense: 'dense_no', activeMs: 1200, ...values },
    clientSavedAt: new Date().toISOString(),
    ...over,
  };
}

/** A mutation as JSON text with `field` set to the raw JSON `rawValue` (which may be too deep to build as a value). */
const withRawField = (m: object, field: string, rawValue: string) => `${JSON.stringify(m).slice(0, -1)},${JSON.stringify(field)}:${rawValue}}`;
const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const body = (clientId: string, mutationTexts: string[]) => `{"clientId":"${clientId}","mutations":[${mutationTexts.join(',')}]}`;

async function pushText(text: string, headers: Record<string, string> = {}) {
  const res = await w.request('ann', '/api/sync/push', { method: 'POST', body: text, headers });
  expect(res.status, 'never 5xx').toBeLessThan(500);
  return { res, body: (await res.json()) as PushResponse & { issues?: unknown[] } };
}

/** Pushes good, poison, good and expects exactly the poison one rejected as invalid, the others applied. */
async function expectOnlyPoisonRejected(poisonText: string, poisonId: string) {
  const c = randomUUID();
  const before = save(1);
  const after = save(3);
  const text = body(c, [JSON.stringify(before), poisonText, JSON.stringify(after)]);
  const first = await pushText(text);
  expect(first.res.status).toBe(200);
  const byId = new Map(first.body.results.map((r) => [r.id, r]));
  expect(byId.get(before.id)?.status).toBe('applied');
  expect(byId.get(after.id)?.status).toBe('applied');
  const poison = byId.get(poisonId);
  expect(poison).toMatchObject({ status: 'rejected', reason: 'invalid' });
  expect(first.body.ackSeq).toBe(3);
  // R7: permanent and recorded; the retry gets the same answer and stores nothing new.
  const retry = await pushText(text);
  expect(retry.body.results.find((r) => r.id === poisonId)).toEqual(poison);
  expect(await stored(poisonId)).toBe(false);
  expect(await stored(before.id)).toBe(true);
  return poison as { message: string };
}

const stored = async (id: string) => (await sql<{ n: number }>`SELECT count(*) AS n FROM annotations WHERE id = ${id}`.execute(w.opened.db)).rows[0]!.n === 1;
const countRevisions = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM annotations`.execute(w.opened.db)).rows[0]!.n);

describe('poison mutations (server)', () => {
  it('R32: a field nested 5,000 deep is rejected alone as invalid; its neighbours are stored', async () => {
    const m = save(2);
    const r = await expectOnlyPoisonRejected(withRawField(m, 'extra', nested(5000)), m.id);
    expect(r.message).toMatch(/deeper than 16/);
    const row = (await sql<{ body_json: string }>`SELECT body_json FROM sync_rejections WHERE mutation_id = ${m.id}`.execute(w.opened.db)).rows[0]!;
    expect(JSON.parse(row.body_json)).toMatchObject({ id: m.id, seq: 2, kind: 'annotation.save' });
  });

  it('R32: depth is checked before the kind, and inside values too', async () => {
    const unknown = save(2, { kind: 'future.kind' });
    expect((await expectOnlyPoisonRejected(withRawField(unknown, 'x', nested(200)), unknown.id)).message).toMatch(/deeper/);
    const deepKind = save(2);
    const deepKindText = JSON.stringify(deepKind).replace('"kind":"annotation.save"', `"kind":${nested(300)}`);
    expect((await expectOnlyPoisonRejected(deepKindText, deepKind.id)).message).toMatch(/deeper/);
    const m = save(2);
    const text = JSON.stringify(m).replace('"activeMs":1200', `"activeMs":${nested(14)}`);
    await expectOnlyPoisonRejected(text, m.id);
  });

  it('R32: a mutation over 16,384 bytes of JSON is invalid; one just under is judged on its values', async () => {
    const big = save(2, { questionId: 'q'.repeat(150), padding: 'x'.repeat(17_000) });
    expect((await expectOnlyPoisonRejected(JSON.stringify(big), big.id)).message).toMatch(/16384/);
    const c = randomUUID();
    const under = save(1, { padding: 'x'.repeat(15_000) });
    const { body: b } = await pushText(body(c, [JSON.stringify(under)]));
    // Under the cap the schema speaks: an unknown field is invalid for its own reason.
    expect(b.results[0]).toMatchObject({ status: 'rejected', reason: 'invalid' });
    expect((b.results[0] as { message: string }).message).not.toMatch(/bytes/);
  });

  it('R7/R15: a kind that is missing, not a string or very long is unknown_kind for that mutation alone', async () => {
    const odd = [save(1, { kind: ['annotation.save'] }), save(2, { kind: 'k'.repeat(5000) }), { ...save(3), kind: undefined }];
    const ok = save(4);
    const { res, body: b } = await pushText(body(randomUUID(), [...odd, ok].map((m) => JSON.stringify(m))));
    expect(res.status).toBe(200);
    b.results.slice(0, 3).forEach((r, i) => expect(r, String(i)).toMatchObject({ status: 'rejected', reason: 'unknown_kind' }));
    expect(b.results[3]).toMatchObject({ id: ok.id, status: 'applied' });
  });

  it('R33: seq 1e308, 2^53 or 1.5 is a whole-request 400 that stores nothing; 2^53 − 1 is accepted', async () => {
    for (const seq of ['1e308', '9007199254740992', '1.5', '-1', '"1"']) {
      const m = save(1);
      const text = body(randomUUID(), [JSON.stringify(save(2)), JSON.stringify(m).replace('"seq":1,', `"seq":${seq},`)]);
      const { res, body: b } = await pushText(text);
      expect(res.status, seq).toBe(400);
      expect(b.status).toBe('invalid');
    }
    expect(await countRevisions()).toBe(0);
    const max = save(Number.MAX_SAFE_INTEGER);
    const { res, body: b } = await pushText(body(randomUUID(), [JSON.stringify(max)]));
    expect(res.status).toBe(200);
    expect(b.ackSeq).toBe(Number.MAX_SAFE_INTEGER);
    expect(b.results[0]).toMatchObject({ status: 'applied', seq: Number.MAX_SAFE_INTEGER });
  });

  it('R33: integer values outside their range are invalid per mutation', async () => {
    for (const values of [{ subtype: 1e308 }, { subtype: 1001 }, { activeMs: 1e308 }, { activeMs: 604_800_001 }]) {
      const m = save(2, {}, values);
      await expectOnlyPoisonRejected(JSON.stringify(m), m.id);
    }
  });

  it('R34: poses outside the stated ranges are invalid; the range ends are accepted', async () => {
    const bad = [
      { azimuth: 1e308 }, { azimuth: -1e308 }, { azimuth: 360.5 }, { elevation: -361 }, { theta: 1e308 },
      { px: 100_001 }, { py: -1e308 }, { distance: 5e-324 }, { distance: 0 }, { distance: 0.0009 }, { distance: 1000.5 }, { distance: 1e308 },
    ];
    const good = [{ azimuth: 360 }, { azimuth: -360 }, { elevation: 360 }, { theta: -360 }, { px: 100_000 }, { py: -100_000 }, { distance: 0.001 }, { distance: 1000 }];
    const mutations = [...bad, ...good].map((p, i) => save(i + 1, {}, { pose: { ...pose, ...p } }));
    const { res, body: b } = await pushText(body(randomUUID(), mutations.map((m) => JSON.stringify(m))));
    expect(res.status).toBe(200);
    b.results.forEach((r, i) => expect(r.status, JSON.stringify(i < bad.length ? bad[i] : good[i - bad.length])).toBe(i < bad.length ? 'rejected' : 'applied'));
    expect(b.results.slice(0, bad.length).every((r) => r.status === 'rejected' && r.reason === 'invalid')).toBe(true);
    expect(await countRevisions()).toBe(good.length);
  });

  it('R35: a lone UTF-16 surrogate anywhere in a mutation is invalid and never reaches the database', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['questionId', { questionId: 'q\ud800' }],
      ['taskId', { taskId: '\udc00t' }],
      ['supersedes', { supersedes: ['\ud83dx'] }],
      ['kind', { kind: 'note\ud800' }],
      ['key', { ['k\udfff']: 1 }],
    ];
    const mutations = cases.map(([, over], i) => save(i + 1, over));
    const paired = save(cases.length + 1, { questionId: 'q\ud83d\ude00' }); // an emoji: valid text, just no such question
    const { body: b } = await pushText(body(randomUUID(), [...mutations, paired].map((m) => JSON.stringify(m))));
    cases.forEach(([name], i) => expect(b.results[i], name).toMatchObject({ status: 'rejected', reason: 'invalid' }));
    expect(b.results.at(-1)).toMatchObject({ status: 'rejected', reason: 'unknown_question' });
    // What is stored is valid UTF-8: its bytes survive a decode and re-encode unchanged.
    const rows = await sql<{ m: Uint8Array; b: Uint8Array }>`SELECT CAST(message AS BLOB) AS m, CAST(body_json AS BLOB) AS b FROM sync_rejections`.execute(w.opened.db);
    expect(rows.rows).toHaveLength(cases.length + 1);
    for (const bytes of rows.rows.flatMap((r) => [r.m, r.b])) expect(Buffer.from(Buffer.from(bytes).toString('utf8')).equals(Buffer.from(bytes))).toBe(true);
    expect(await countRevisions()).toBe(0);
  });
});

describe('poison requests (server)', () => {
  it('R30: the protocol header must be exactly the version (decimal, one value)', async () => {
    const good = JSON.stringify({ clientId: randomUUID(), mutations: [save(1)] });
    const v1 = String(PROTOCOL_VERSION);
    for (const v of [`${v1}.0`, `0x${v1}`, `+${v1}`, `0${v1}`, `${v1}e0`, `${v1} ${v1}`, `${v1}, ${v1}`, String(PROTOCOL_VERSION + 1), String(PROTOCOL_VERSION - 1), '']) {
      const push = await w.request('ann', '/api/sync/push', { method: 'POST', body: good, protocol: null, headers: { [PROTOCOL_HEADER]: v } });
      expect(push.status, JSON.stringify(v)).toBe(426);
      const pull = await w.request('ann', '/api/sync/pull', { protocol: null, headers: { [PROTOCOL_HEADER]: v } });
      expect(pull.status, JSON.stringify(v)).toBe(426);
    }
    const twice = new Headers([[PROTOCOL_HEADER, v1], [PROTOCOL_HEADER, v1]]);
    expect((await w.request('ann', '/api/sync/pull', { protocol: null, headers: twice })).status).toBe(426);
    expect(await countRevisions()).toBe(0);
    expect((await w.request('ann', '/api/sync/pull', { protocol: null, headers: { [PROTOCOL_HEADER]: v1 } })).status).toBe(200);
  });

  it('R31: a body nested deeper than 10,000 levels is a whole-request 400, one larger than 4 MiB a 413', async () => {
    const deep = await pushText(body(randomUUID(), [withRawField(save(1), 'x', '['.repeat(20_000) + ']'.repeat(20_000))]));
    expect(deep.res.status).toBe(400);
    expect(deep.body.status).toBe('invalid');
    const huge = await pushText(body(randomUUID(), [JSON.stringify(save(1, { padding: 'x'.repeat(MAX_PUSH_BYTES) }))]));
    expect(huge.res.status).toBe(413);
    expect(huge.body).toMatchObject({ error: 'payload_too_large', maxBytes: MAX_PUSH_BYTES });
    const notJson = await pushText('{"clientId": ');
    expect(notJson.res.status).toBe(400);
    expect(await countRevisions()).toBe(0);
  });

  it('R33: the pull cursor and limit are decimal digits within range, else 400', async () => {
    for (const qs of ['cursor=1e308', 'cursor=1e3', 'cursor=0x10', 'cursor=01', 'cursor=-1', 'cursor=%201', 'cursor=1.0', 'cursor=9007199254740992', 'limit=1e3', 'limit=0', 'limit=1001', 'limit=+5']) {
      const res = await w.request('ann', `/api/sync/pull?${qs}`);
      expect(res.status, qs).toBe(400);
      expect(((await res.json()) as { status: string }).status).toBe('invalid');
    }
    const ok = await w.request('ann', '/api/sync/pull?cursor=9007199254740991&limit=1000');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { cursor: number }).cursor).toBe(Number.MAX_SAFE_INTEGER);
  });
});
