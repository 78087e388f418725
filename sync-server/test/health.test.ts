import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { migrateToLatest, openDatabase } from '../src/db/connect';

describe('server core', () => {
  it('runs the real migrations and answers /api/health', async () => {
    const { db, close } = openDatabase(':memory:');
    const applied = await migrateToLatest(db);
    expect(applied).toContain('2026_11_25_0600_core');
    const res = await createApp({ db, dataDir: '/nonexistent' }).request('/api/health');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    await close();
  });

  it('keeps annotations append-only', async () => {
    const { db, sqlite, close } = openDatabase(':memory:');
    await migrateToLatest(db);
    const now = new Date().toISOString();
    sqlite.exec(`INSERT INTO users (id, display_name, role, password_hash, qualified, disabled, created_at) VALUES ('u','u','annotator','x',0,0,'${now}');
      INSERT INTO categories VALUES ('chair','chair');
      INSERT INTO images VALUES ('i','chair',NULL,10,10,NULL,NULL);
      INSERT INTO questions VALUES ('q','i','chair',0,0,1,1,3000,0,0,0,5,5,5,1,NULL,'${now}');
      INSERT INTO annotations (id,question_id,user_id,client_id,azimuth,elevation,theta,distance,px,py,subtype,object_status,dense,client_saved_at,server_received_at)
        VALUES ('a','q','u','c',0,0,0,5,5,5,1,'status_good','dense_no','${now}','${now}');`);
    expect(() => sqlite.exec(`UPDATE annotations SET azimuth = 1`)).toThrow(/append-only/);
    expect(() => sqlite.exec(`DELETE FROM annotations`)).toThrow(/append-only/);
    await close();
  });

  it('answers unknown routes with a 404 message, not a 5xx', async () => {
    const { db, close } = openDatabase(':memory:');
    await migrateToLatest(db);
    const res = await createApp({ db, dataDir: '/nonexistent' }).request('/api/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toMatch(/No route/);
    await close();
  });
});
