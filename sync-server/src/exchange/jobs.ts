// Import jobs started from the browser: their status (phase, progress, per-file report) lives in
// memory while they run and in <DATA_DIR>/uploads/<id>/job.json, so it survives a page reload and a
// server restart (a job that was running when the server stopped reads back as "interrupted").
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/write-atomic';
import type { Report } from './report';
import type { ImportSummary } from './summary';
import type { NewAccount } from './users';

export type JobPhase = 'uploading' | 'unpacking' | 'importing' | 'done' | 'failed' | 'interrupted';

export interface ImportJob {
  id: string;
  by: string;
  fileName: string;
  kind: 'legacy' | 'imagenet3d' | 'cad' | 'unknown';
  phase: JobPhase;
  /** 0..1 of the current phase. */
  progress: number;
  label: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  /** Paths relative to the unpacked upload. */
  reports: Report[];
  summary?: JobSummary;
  /** A restore put back a database from before this job ended: what it imported may be gone (README "Backups"). */
  undoneByRestore?: { backupTakenAt: string; restoredAt: string };
}

/**
 * An import's summary as a job keeps it: the accounts it made by id, without their one-time passwords.
 * job.json is a file on disk served to any admin for as long as the upload folder lives; the admin gives
 * each new account a password in Users (the CLI prints them once instead).
 */
export type JobSummary = Omit<ImportSummary, 'reports' | 'users'> & { users: { created: Omit<NewAccount, 'password'>[]; existing: string[] } };

export function jobSummary({ reports: _reports, users, ...rest }: Omit<ImportSummary, 'reports'> & { reports?: unknown }): JobSummary {
  return { ...rest, users: { created: users.created.map(({ id, qualified }) => ({ id, qualified })), existing: users.existing } };
}

export const uploadsDir = (dataDir: string) => join(dataDir, 'uploads');
export const jobDir = (dataDir: string, id: string) => join(uploadsDir(dataDir), id);

export class JobStore {
  private readonly live = new Map<string, ImportJob>();
  private lastWrite = new Map<string, number>();
  constructor(private readonly dataDir: string) {}

  create(job: ImportJob): ImportJob {
    this.live.set(job.id, job);
    this.save(job, true);
    return job;
  }

  /** Changes a running job; progress alone is written to disk at most twice a second. */
  update(id: string, patch: Partial<ImportJob>): void {
    const job = this.live.get(id);
    if (!job) return;
    Object.assign(job, patch);
    this.save(job, patch.phase !== undefined || patch.reports !== undefined);
  }

  get(id: string): ImportJob | undefined {
    return this.live.get(id) ?? this.read(id);
  }

  /** The newest jobs first, without those a restore took back (the Import page shows the newest). */
  list(limit = 20): ImportJob[] {
    return this.all()
      .filter((j) => !j.undoneByRestore)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, limit);
  }

  /**
   * After a restore of a database copied at `backupTakenAt`: every job that ended later (or never ended)
   * may have imported things the restored database lacks, so it is marked and no longer listed. Returns them.
   */
  markUndoneByRestore(backupTakenAt: string): ImportJob[] {
    const restoredAt = new Date().toISOString();
    const undone = this.all().filter((j) => !j.undoneByRestore && (j.finishedAt ?? restoredAt) > backupTakenAt);
    for (const j of undone) this.save({ ...j, undoneByRestore: { backupTakenAt, restoredAt } }, true);
    return undone;
  }

  private all(): ImportJob[] {
    const root = uploadsDir(this.dataDir);
    if (!existsSync(root)) return [];
    return readdirSync(root).map((id) => this.get(id)).filter((j): j is ImportJob => j !== undefined);
  }

  private read(id: string): ImportJob | undefined {
    const file = join(jobDir(this.dataDir, id), 'job.json');
    if (!/^[\w-]+$/.test(id) || !existsSync(file)) return undefined;
    const job = JSON.parse(readFileSync(file, 'utf8')) as ImportJob;
    // A job written before summaries dropped the one-time passwords still holds them: strip and rewrite it.
    if (job.summary?.users.created.some((a) => 'password' in a)) {
      job.summary = jobSummary(job.summary as Parameters<typeof jobSummary>[0]);
      this.save(job, true);
    }
    const running = job.phase === 'uploading' || job.phase === 'unpacking' || job.phase === 'importing';
    return running ? { ...job, phase: 'interrupted', error: 'The server stopped while this job ran; upload again' } : job;
  }

  private save(job: ImportJob, force: boolean): void {
    const now = Date.now();
    if (!force && now - (this.lastWrite.get(job.id) ?? 0) < 500) return;
    this.lastWrite.set(job.id, now);
    const dir = jobDir(this.dataDir, job.id);
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(join(dir, 'job.json'), JSON.stringify(job));
  }
}
