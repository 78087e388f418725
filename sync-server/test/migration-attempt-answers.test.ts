// Migration 2026_12_01_1000: qualification answers saved as annotations by the old app become attempt
// records and leave the annotation heads (SPEC R23), on a database that holds them.
import { Migrator } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../src/db/connect';
import { migrations } from '../src/db/migrations';

describe('migration: attempt answers', () => {
  it('R23: moves legacy qualification answers into attempt records and off the heads, keeping dataset heads', async () => {
    const { db, close } = openDatabase(':memory:');
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const before = await migrator.migrateTo('2026_11_25_0710_quality');
      expect(before.error).toBeUndefined();
      const at = new Date().toISOString();
      await db.insertInto('users').values({ id: 'ann', display_name: 'ann', role: 'annotator', password_hash: 'x', qualified: 1, created_at: at }).execute();
      await db.insertInto('categories').values({ id: 'chair', name: 'chair' }).execute();
      await db.insertInto('images').values({ id: 'img', category_id: 'chair', file_path: null, width: 10, height: 10, etag: null, bytes: null }).execute();
      for (const q of ['g0', 'q1'])
        await db.insertInto('questions').values({
          id: q, image_id: 'img', category_id: 'chair', bbox_x1: 0, bbox_y1: 0, bbox_x2: 5, bbox_y2: 5, viewport: 3000,
          init_azimuth: 0, init_elevation: 0, init_theta: 0, init_distance: 5, init_px: 5, init_py: 5, init_subtype: 1, source_json: null, created_at: at,
        }).execute();
      await db.insertInto('tasks').values({ id: 'qual-1', name: 'q', kind: 'qualification', created_at: at }).execute();
      await db.insertInto('tasks').values({ id: 't', name: 't', created_at: at }).execute();
      await db.insertInto('qualification_attempts').values({ id: 'ann-1', user_id: 'ann', number: 1, task_id: 'qual-1', started_at: at }).execute();
      const revision = (id: string, questionId: string, taskId: string, azimuth: number) => ({
        id, question_id: questionId, user_id: 'ann', task_id: taskId, client_id: 'c', client_seq: null, base_revision_id: null,
        azimuth, elevation: 0, theta: 0, distance: 5, px: 5, py: 5, subtype: 1, object_status: 'status_good', dense: 'dense_no', active_ms: 1,
        client_saved_at: at, server_received_at: at,
      });
      // g0: a dataset annotation, then a test answer on top (the old bug); q1: only a test answer.
      await db.insertInto('annotations').values([revision('d-g0', 'g0', 't', 10), revision('a-g0', 'g0', 'qual-1', 20), revision('a-q1', 'q1', 'qual-1', 30)]).execute();
      await db.insertInto('annotation_heads').values([
        { question_id: 'g0', user_id: 'ann', revision_id: 'a-g0', conflict_revision_id: null, updated_seq: 2 },
        { question_id: 'q1', user_id: 'ann', revision_id: 'a-q1', conflict_revision_id: null, updated_seq: 3 },
      ]).execute();

      await migrateToLatest(db);
      const answers = await db.selectFrom('qualification_answers').select(['id', 'attempt_id', 'question_id', 'azimuth']).orderBy('seq').execute();
      expect(answers).toEqual([
        { id: 'a-g0', attempt_id: 'ann-1', question_id: 'g0', azimuth: 20 },
        { id: 'a-q1', attempt_id: 'ann-1', question_id: 'q1', azimuth: 30 },
      ]);
      const heads = await db.selectFrom('annotation_heads').select(['question_id', 'revision_id']).execute();
      expect(heads).toEqual([{ question_id: 'g0', revision_id: 'd-g0' }]);
      // Attempt records are append-only like annotations.
      await expect(db.deleteFrom('qualification_answers').execute()).rejects.toThrow(/append-only/);
    } finally {
      await close();
    }
  });
});
