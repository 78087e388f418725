// Upload jobs written before their summaries dropped the new accounts' one-time passwords still hold
// them in job.json; the store strips them when it reads such a job, and rewrites the file.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { jobDir, JobStore } from '../src/exchange/jobs';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a job.json from before holding one-time passwords is served and kept without them', () => {
  dir = mkdtempSync(join(tmpdir(), 'in3d-jobpw-'));
  const file = join(jobDir(dir, 'old-job'), 'job.json');
  mkdirSync(join(file, '..'), { recursive: true });
  const summary = { kind: 'legacy', source: 'x', users: { created: [{ id: 'lee', password: 'secret-one-time-pw', qualified: false }], existing: [] } };
  writeFileSync(file, JSON.stringify({ id: 'old-job', by: 'root', fileName: 'a.zip', kind: 'legacy', phase: 'done', progress: 1, label: 'done', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:01:00Z', reports: [], summary }));
  const jobs = new JobStore(dir);
  const [job] = jobs.list();
  expect(job!.summary!.users.created).toEqual([{ id: 'lee', qualified: false }]);
  expect(JSON.stringify(jobs.get('old-job'))).not.toContain('secret-one-time-pw');
  expect(readFileSync(file, 'utf8')).not.toContain('secret-one-time-pw');
});
