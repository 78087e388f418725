// Import jobs started from the browser: their status (phase, progress, per-file report) lives in
// memory while they run and in <DATA_DIR>/uploads/<id>/job.json, so it survives a page reload and a
// server restart (a job that was running when the server stopped reads back as "interrupted").
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

  /** The newest jobs first. */
  list(limit = 20): ImportJob[] {
    const root = uploadsDir(this.dataDir);
    if (!existsSync(root)) return [];
    const jobs = readdirSync(root).map((id) => this.get(id)).filter((j): j is ImportJob => j !== undefined);
    return jobs.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
  }

  private read(id: string): ImportJob | undefined {
    const file = join(jobDir(this.dataDir, id), 'job.json');
    if (!/^[\w-]+$/.test(id) || !existsSync(file)) return undefined;
    const job = JSON.parse(readFileSync(file, 'utf8')) as ImportJob;
    const running = job.phase === 'uploading' || job.phase === 'unpacking' || job.phase === 'importing';
    return running ? { ...job, phase: 'interrupted', error: 'The server stopped while this job ran; upload again' } : job;
  }

  private save(job: ImportJob, force: boolean): void {
    const now = Date.now();
    if (!force && now - (this.lastWrite.get(job.id) ?? 0) < 500) return;
    this.lastWrite.set(job.id, now);
    const dir = jobDir(this.dataDir, job.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'job.json.tmp'), JSON.stringify(job));
    renameSync(join(dir, 'job.json.tmp'), join(dir, 'job.json'));
  }
}
