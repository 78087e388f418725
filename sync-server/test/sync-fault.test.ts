// Fault injection: real data stores (fake-indexeddb) on three devices against the real app on a SQLite
// file, through a network that drops, duplicates, delays and reorders requests and responses, while the
// server restarts, sessions expire and devices die between a local save and its acknowledgement.
// Afterwards: every save acknowledged on a device is on the server exactly once (or, when it had to be
// refused, under "Needs attention"), no revision is lost, and every device converges on the server heads.
// The same holds for the other kinds in the one outbox: a reviewer's verdicts and A/B picks, and an
// annotator's qualification answers (SPEC R19–R24), which never become annotations.
import 'fake-indexeddb/auto';
import type { MutationKind } from '@in3d/shared/protocol';
import type { AbChoice, ReviewVerdict } from '@in3d/shared/quality';
import type { AnnotationValues } from '@in3d/shared/types';
import { describe, expect, it } from 'vitest';
import { type LocalDataStore, createDataStore } from '../../pwa/src/data/store';
import { createAttempt } from '../src/repositories/quality';
import { mulberry32 } from '../src/demo/raster';
import { PASSWORD, createWorld, deviceFetch, type World } from './sync-world';

const SEEDS = Number(process.env.SYNC_FAULT_SEEDS ?? 50);
const OPS = Number(process.env.SYNC_FAULT_OPS ?? 200);

const totals = {
  seeds: 0, ops: 0, saves: 0, expectedApplied: 0, expectedRejected: 0, resolutions: 0,
  droppedRequests: 0, droppedResponses: 0, duplicated: 0, delayed: 0, lateDeliveries: 0,
  restarts: 0, kills: 0, killsBetweenSaveAndAck: 0, sessionsExpired: 0, relogins: 0,
  savesCutByCrash: 0, revisionsChecked: 0, headsChecked: 0, deviceViewsChecked: 0, conflictsOpenAtEnd: 0,
};
const KINDS: readonly MutationKind[] = ['annotation.save', 'review.verdict', 'ab.pick', 'qualification.answer'];
/** Per kind: saved on a device, then found exactly once on the server (applied) or refused and needing attention. */
const perKind = Object.fromEntries(KINDS.map((k) => [k, { saved: 0, applied: 0, rejected: 0 }])) as Record<MutationKind, { saved: number; applied: number; rejected: number }>;
const VERDICTS: readonly ReviewVerdict[] = ['good', 'bad_cad', 'more_cads', 'bad_pose', 'bad_image'];
const CHOICES: readonly AbChoice[] = ['a', 'b', 'both_bad'];

interface Device {
  name: string;
  user: string;
  store: LocalDataStore;
  incarnation: number;
  offline: boolean;
  /** Kill this device right after its next push reached (or was lost on the way to) the server. */
  killOnPush: boolean;
  base: typeof fetch;
}

interface SavedRecord {
  id: string;
  kind: MutationKind;
  user: string;
  device: string;
  /** The annotated or answered question, the reviewed revision, or the picked question. */
  questionId: string;
  values?: AnnotationValues;
  verdict?: ReviewVerdict;
  choice?: AbChoice;
  expect: 'applied' | 'rejected';
}

async function runSeed(seed: number): Promise<void> {
  const rnd = mulberry32(seed * 7919 + 17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const w: World = await createWorld({ users: ['ann', 'bob'], reviewers: ['rev'], questionsPerTask: 4 });
  // ann has an open qualification attempt of three of the shared task's questions (answers are attempt records).
  const attemptQuestions = w.tasks.ann![1]!.questionIds.slice(0, 3);
  const attempt = await createAttempt(w.opened.db, 'ann', attemptQuestions);
  const late: (() => Promise<unknown>)[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const q = p.catch(() => undefined).finally(() => inFlight.delete(q));
    inFlight.add(q);
  };
  let faults = true;
  const saved: SavedRecord[] = [];

  const devices: Device[] = [];
  const open = (d: Omit<Device, 'store'> & { store?: LocalDataStore }): LocalDataStore => {
    const incarnation = d.incarnation;
    const dev = d as Device;
    const fetchFn: typeof fetch = async (input, init) => {
      const req = new Request(input, init);
      const body = req.method === 'POST' ? await req.text() : undefined;
      const send = () => dev.base(req.url, { method: req.method, headers: req.headers, body });
      if (dev.incarnation !== incarnation) throw new TypeError('this client was killed');
      if (faults && dev.offline) throw new TypeError('offline');
      if (dev.killOnPush && req.url.includes('/sync/push')) {
        // The crash: the request may or may not have left the device; its answer is never read.
        dev.killOnPush = false;
        if (rnd() < 0.7) await send().catch(() => undefined);
        kill(dev);
        totals.killsBetweenSaveAndAck++;
        throw new TypeError('killed');
      }
      if (faults) {
        const r = rnd();
        if (r < 0.08) {
          totals.droppedRequests++;
          throw new TypeError('request lost');
        }
        if (r < 0.14) {
          // Stuck in the network: arrives later, after newer requests; the device gives up waiting.
          totals.delayed++;
          late.push(send);
          throw new TypeError('timeout');
        }
        if (r < 0.2) {
          totals.duplicated++;
          late.push(send);
        }
      }
      const res = await send();
      if (faults && rnd() < 0.08) {
        totals.droppedResponses++;
        throw new TypeError('connection reset before the answer arrived');
      }
      return res;
    };
    dev.store = createDataStore({ baseUrl: 'http://test', fetch: fetchFn, dbName: `fault-${seed}-${d.name}`, autoSync: false });
    return dev.store;
  };
  const kill = (d: Device) => {
    d.incarnation++;
    d.store.dispose();
    totals.kills++;
    open(d); // reopened on the same IndexedDB database and the same cookie jar
  };

  for (const [name, user] of [['ann-tablet', 'ann'], ['ann-laptop', 'ann'], ['bob-tablet', 'bob'], ['rev-tablet', 'rev']] as const) {
    const d = { name, user, incarnation: 0, offline: false, killOnPush: false, base: deviceFetch(w) } as Device;
    devices.push(d);
    open(d);
    faults = false;
    expect((await d.store.login(user, PASSWORD)).ok).toBe(true);
    await d.store.listTasks(); // the device learns which task is ann's attempt
    faults = true;
  }

  const questionsOf = (user: string) => (w.tasks[user] ?? []).flatMap((t) => t.questionIds.map((q) => ({ taskId: t.taskId, questionId: q })));
  const randomValues = (): AnnotationValues => ({
    pose: { azimuth: Math.round(rnd() * 360) - 180, elevation: Math.round(rnd() * 90), theta: Math.round(rnd() * 20) - 10, distance: 1 + Math.round(rnd() * 90) / 10, px: Math.round(rnd() * 640), py: Math.round(rnd() * 480) },
    subtype: 1 + Math.floor(rnd() * 5),
    objectStatus: pick(['status_good', 'status_partially', 'status_barely', 'status_bad'] as const),
    dense: pick(['dense_no', 'dense_yes'] as const),
    activeMs: Math.floor(rnd() * 60_000),
  });

  /** Runs a device action; if the device died meanwhile (a crash mid-save), the action was never acknowledged. */
  const onDevice = async (d: Device, action: (store: LocalDataStore) => Promise<void>) => {
    const incarnation = d.incarnation;
    try {
      await action(d.store);
    } catch (err) {
      if (d.incarnation === incarnation) throw err;
      totals.savesCutByCrash++;
      crashedSaves++;
    }
  };
  let crashedSaves = 0;

  const save = (d: Device) => onDevice(d, async (store) => {
    let target: { taskId: string; questionId: string };
    let expectation: SavedRecord['expect'] = 'applied';
    const r = rnd();
    if (r < 0.04) {
      target = { taskId: w.unassigned.taskId, questionId: pick(w.unassigned.questionIds) };
      expectation = 'rejected';
    } else if (r < 0.06) {
      const other = d.user === 'ann' ? 'bob' : 'ann';
      const t = w.tasks[other]![0]!;
      target = { taskId: t.taskId, questionId: pick(t.questionIds) };
      expectation = 'rejected';
    } else target = pick(questionsOf(d.user));
    const values = randomValues();
    const a = await store.saveAnnotation(target.taskId, target.questionId, values);
    saved.push({ id: a.id, kind: 'annotation.save', user: d.user, device: d.name, questionId: target.questionId, values, expect: expectation });
    totals.saves++;
  });

  /** ann answers her attempt through the annotate page's save (a question outside it is refused). */
  const answer = (d: Device) => onDevice(d, async (store) => {
    const outside = rnd() < 0.08;
    const questionId = outside ? w.tasks.ann![0]!.questionIds[0]! : pick(attemptQuestions);
    const values = randomValues();
    const a = await store.saveAnnotation(attempt.taskId, questionId, values);
    saved.push({ id: a.id, kind: 'qualification.answer', user: d.user, device: d.name, questionId, values, expect: outside ? 'rejected' : 'applied' });
    totals.saves++;
  });

  /** The reviewer judges revisions already on the server (which stay: append-only); a few are unknown. */
  const review = (d: Device) => onDevice(d, async (store) => {
    const stored = await w.opened.db.selectFrom('annotations').select(['id', 'question_id']).execute();
    const unknown = stored.length === 0 || rnd() < 0.06;
    const target = unknown ? { id: `nope-${Math.floor(rnd() * 1e9)}`, question_id: 't-shared-q0' } : pick(stored);
    if (rnd() < 0.5) {
      const verdict = pick(VERDICTS);
      const r = await store.saveReview({ revisionId: target.id, verdict, comment: rnd() < 0.3 ? 'look again' : null });
      saved.push({ id: r.id, kind: 'review.verdict', user: d.user, device: d.name, questionId: target.id, verdict, expect: unknown ? 'rejected' : 'applied' });
    } else {
      const choice = pick(CHOICES);
      const sides = unknown ? { a: { kind: 'initial' as const }, b: { kind: 'initial' as const } } : { a: { kind: 'initial' as const }, b: { kind: 'annotation' as const, revisionId: target.id } };
      const r = await store.savePick({ questionId: target.question_id, ...sides, choice });
      saved.push({ id: r.id, kind: 'ab.pick', user: d.user, device: d.name, questionId: target.question_id, choice, expect: unknown ? 'rejected' : 'applied' });
    }
    totals.saves++;
  });
  const work = (d: Device) => (d.user === 'rev' ? review(d) : d.user === 'ann' && rnd() < 0.12 ? answer(d) : save(d));

  const resolveSome = (d: Device) => onDevice(d, async (store) => {
    for (const { questionId } of questionsOf(d.user)) {
      const a = await store.getAnnotation(questionId);
      if (a?.sync.kind === 'conflict') {
        const r = (await store.resolveConflict(questionId, rnd() < 0.5 ? 'mine' : 'theirs'))!; // no clears here (R51)
        saved.push({ id: r.id, kind: 'annotation.save', user: d.user, device: d.name, questionId, values: { pose: r.pose, subtype: r.subtype, objectStatus: r.objectStatus, dense: r.dense, activeMs: r.activeMs }, expect: 'applied' });
        totals.resolutions++;
        return;
      }
    }
  });

  const deliverLate = async (all: boolean) => {
    late.sort(() => rnd() - 0.5);
    const n = all ? late.length : Math.ceil(late.length * rnd());
    for (const send of late.splice(0, n)) {
      totals.lateDeliveries++;
      await send().catch(() => undefined); // its answer goes nowhere
    }
  };

  for (let op = 0; op < OPS; op++) {
    totals.ops++;
    const d = pick(devices);
    const r = rnd();
    if (r < 0.42) await work(d);
    else if (r < 0.52) track(d.store.syncNow());
    else if (r < 0.6) await onDevice(d, (store) => store.syncNow());
    else if (r < 0.66) await deliverLate(false);
    else if (r < 0.7) {
      await Promise.all(inFlight); // a restart kills what it is doing; those requests surface as failures
      await w.restart();
      totals.restarts++;
    } else if (r < 0.74) kill(d);
    else if (r < 0.79) {
      await work(d);
      d.killOnPush = true;
      track(d.store.syncNow());
    } else if (r < 0.84) await resolveSome(d);
    else if (r < 0.9) d.offline = !d.offline;
    else if (r < 0.93) {
      await w.opened.db.deleteFrom('sessions').where('user_id', '=', d.user).execute();
      totals.sessionsExpired++;
    } else if (r < 0.97) {
      if (d.store.status().loginNeeded || rnd() < 0.2)
        await onDevice(d, async (store) => {
          if ((await store.login(d.user, PASSWORD)).ok) totals.relogins++;
        });
    } else await onDevice(d, (store) => store.syncNow());
  }

  // Heal: everything in flight lands, the network behaves, everyone logs in and syncs until quiet.
  await Promise.all(inFlight);
  await deliverLate(true);
  faults = false;
  for (const d of devices) {
    d.offline = false;
    d.killOnPush = false;
  }
  for (const d of devices) if (!(await d.store.syncOnce()).ok) expect((await d.store.login(d.user, PASSWORD)).ok).toBe(true);
  // Round one pushes everything; round two pulls what the others pushed.
  for (let round = 0; round < 2; round++) for (const d of devices) {
    const out = await d.store.syncOnce();
    expect(out, `${d.name} seed ${seed}`).toEqual({ ok: true });
  }

  // 1. Every acknowledged save is on the server exactly once, with its values; refused ones need attention.
  const db = w.opened.db;
  const rows = await db.selectFrom('annotations').selectAll().execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  expect(byId.size, 'no duplicate ids').toBe(rows.length);
  const annotationSaves = saved.filter((s) => s.kind === 'annotation.save');
  const applied = annotationSaves.filter((s) => s.expect === 'applied');
  const rejected = saved.filter((s) => s.expect === 'rejected');
  for (const s of saved) {
    perKind[s.kind].saved++;
    perKind[s.kind][s.expect]++;
  }
  totals.expectedApplied += saved.filter((x) => x.expect === 'applied').length;
  totals.expectedRejected += rejected.length;
  for (const s of applied) {
    const row = byId.get(s.id);
    expect(row, `seed ${seed}: save ${s.id} by ${s.device} is on the server`).toBeDefined();
    expect([row!.user_id, row!.question_id, row!.azimuth, row!.distance, row!.subtype, row!.object_status, row!.dense]).toEqual([
      s.user, s.questionId, s.values!.pose.azimuth, s.values!.pose.distance, s.values!.subtype, s.values!.objectStatus, s.values!.dense,
    ]);
  }
  // The other kinds: each acknowledged one stored once, with what the device saved; none as an annotation.
  const reviews = new Map((await db.selectFrom('reviews').selectAll().execute()).map((r) => [r.id, r]));
  const picks = new Map((await db.selectFrom('ab_judgements').selectAll().execute()).map((r) => [r.id, r]));
  const answers = new Map((await db.selectFrom('qualification_answers').selectAll().execute()).map((r) => [r.id, r]));
  for (const s of saved.filter((x) => x.kind !== 'annotation.save')) {
    expect(byId.has(s.id), `seed ${seed}: ${s.kind} ${s.id} is not an annotation`).toBe(false);
    if (s.expect !== 'applied') continue;
    const where = `seed ${seed}: ${s.kind} ${s.id} by ${s.device} is on the server`;
    if (s.kind === 'review.verdict') expect([reviews.get(s.id)?.revision_id, reviews.get(s.id)?.verdict, reviews.get(s.id)?.reviewer_id], where).toEqual([s.questionId, s.verdict, s.user]);
    if (s.kind === 'ab.pick') expect([picks.get(s.id)?.question_id, picks.get(s.id)?.choice, picks.get(s.id)?.reviewer_id], where).toEqual([s.questionId, s.choice, s.user]);
    if (s.kind === 'qualification.answer')
      expect([answers.get(s.id)?.attempt_id, answers.get(s.id)?.question_id, answers.get(s.id)?.azimuth, answers.get(s.id)?.subtype], where).toEqual([attempt.id, s.questionId, s.values!.pose.azimuth, s.values!.subtype]);
  }
  for (const [kind, table] of [['review.verdict', reviews], ['ab.pick', picks], ['qualification.answer', answers]] as const) {
    const extra = [...table.keys()].filter((id) => !saved.some((s) => s.id === id));
    expect(extra.length, `seed ${seed}: ${kind} nobody saved`).toBeLessThanOrEqual(crashedSaves);
  }
  const answerSeqs = new Set([...answers.values()].map((r) => `${r.client_id}#${r.client_seq}`));
  expect(answerSeqs.size, 'one client seq is one answer').toBe(answers.size);
  // No revision the devices did not make, none twice. A save cut short by a crash may or may not have
  // committed on the device before it died; if it did, it syncs like any other.
  const unacknowledged = rows.filter((r) => !saved.some((s) => s.id === r.id));
  expect(unacknowledged.length, `seed ${seed}: revisions nobody saved`).toBeLessThanOrEqual(crashedSaves);
  totals.revisionsChecked += rows.length;
  const clientSeqs = new Set(rows.map((r) => `${r.client_id}#${r.client_seq}`));
  expect(clientSeqs.size).toBe(rows.length);
  const refused = new Set((await db.selectFrom('sync_rejections').select('mutation_id').execute()).map((r) => r.mutation_id));
  for (const s of rejected) {
    expect([byId.has(s.id), reviews.has(s.id), picks.has(s.id), answers.has(s.id)]).toEqual([false, false, false, false]);
    expect(refused.has(s.id), `seed ${seed}: refused ${s.kind} ${s.id} is recorded`).toBe(true);
    const d = devices.find((x) => x.name === s.device)!;
    expect((await d.store.listNeedsAttention()).map((a) => a.id)).toContain(s.id);
  }

  // 2. Heads point at the newest revision of their question and nothing is pending anywhere.
  const heads = await db.selectFrom('annotation_heads').selectAll().execute();
  for (const h of heads) {
    const mine = rows.filter((r) => r.question_id === h.question_id && r.user_id === h.user_id);
    expect(h.updated_seq).toBe(Math.max(...mine.map((r) => r.seq)));
    expect(mine.some((r) => r.id === h.revision_id)).toBe(true);
    if (h.conflict_revision_id) {
      expect(mine.some((r) => r.id === h.conflict_revision_id)).toBe(true);
      totals.conflictsOpenAtEnd++;
    }
    totals.headsChecked++;
  }

  // 3. Every device converged on the server's heads.
  for (const d of devices) {
    expect(d.store.status().pending, `${d.name} outbox`).toBe(0);
    for (const { questionId } of questionsOf(d.user)) {
      const h = heads.find((x) => x.question_id === questionId && x.user_id === d.user);
      const a = await d.store.getAnnotation(questionId);
      totals.deviceViewsChecked++;
      if (!h) {
        expect(a === null || a.sync.kind === 'needs-attention', `${d.name} ${questionId} has nothing`).toBe(true);
        continue;
      }
      if (!h.conflict_revision_id) {
        expect([a?.id, a?.sync.kind], `seed ${seed} ${d.name} ${questionId}`).toEqual([h.revision_id, 'synced']);
      } else {
        expect(a?.sync.kind, `seed ${seed} ${d.name} ${questionId}`).toBe('conflict');
        const pair = a?.sync.kind === 'conflict' ? [a.id, a.sync.theirs.revisionId].sort() : [];
        expect(pair).toEqual([h.revision_id, h.conflict_revision_id].sort());
      }
    }
  }

  for (const d of devices) d.store.dispose();
  await w.close();
  totals.seeds++;
}

describe('sync under faults', () => {
  it(`R4-R14, R19-R24: ${SEEDS} seeds × ${OPS} operations lose and duplicate nothing, and every device converges`, async () => {
    const started = Date.now();
    for (let seed = 1; seed <= SEEDS; seed++) await runSeed(seed);
    console.log(`sync-fault totals (${((Date.now() - started) / 1000).toFixed(1)} s): ${JSON.stringify(totals)}`);
    console.log(`sync-fault per kind: ${JSON.stringify(perKind)}`);
    expect(totals.seeds).toBe(SEEDS);
    expect(totals.expectedApplied).toBeGreaterThan(SEEDS * OPS * 0.3);
    // The faults really happened.
    for (const k of ['droppedRequests', 'droppedResponses', 'duplicated', 'lateDeliveries', 'restarts', 'kills', 'killsBetweenSaveAndAck', 'sessionsExpired', 'resolutions'] as const)
      expect(totals[k], k).toBeGreaterThan(0);
    // Every kind was saved, applied and refused.
    for (const k of KINDS) for (const n of ['applied', 'rejected'] as const) expect(perKind[k][n], `${k} ${n}`).toBeGreaterThan(0);
  }, 900_000);
});
