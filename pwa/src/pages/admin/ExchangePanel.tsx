// Import and export in the browser: upload a .zip, .tar or .tar.gz (the original tool's folder, an ImageNet3D release
// folder, or CAD models alone), follow the server's job (it keeps running, and shows again after a
// reload), read its per-file report; download exports as zips with progress.
import { useEffect, useState } from 'preact/hooks';
import { ProgressBar } from '../../components/ProgressBar';
import { downloadExport, EXPORT_LAYOUTS, type ExportLayout, getJob, type ImportJob, isRunning, listJobs, type UploadPrefixes, uploadArchive } from '../../state/exchange';
import { fmt, useQualityMessages } from '../review/messages';

const POLL_MS = 700;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export function ExchangePanel() {
  const t = useQualityMessages();
  const k = t.admin.exchange;
  const [job, setJob] = useState<ImportJob | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [down, setDown] = useState<{ layout: ExportLayout; bytes: number } | null>(null);
  const [prefixes, setPrefixes] = useState<UploadPrefixes>({});

  useEffect(() => {
    // The latest job on the server, unless an upload started here meanwhile (its job is newer).
    listJobs().then((jobs) => setJob((mine) => mine ?? jobs[0] ?? null), (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    if (!job || !isRunning(job)) return;
    const timer = setTimeout(() => getJob(job.id).then(setJob, (e: Error) => setError(e.message)), POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  const upload = async (file: File) => {
    setError(null);
    setSent(0);
    try {
      setJob(await uploadArchive(file, setSent, prefixes));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSent(null);
    }
  };
  const download = async (layout: ExportLayout) => {
    setError(null);
    setDown({ layout, bytes: 0 });
    let blob: Blob;
    try {
      blob = await downloadExport(layout, (bytes) => setDown({ layout, bytes }));
    } catch (e) {
      return setError(e instanceof Error ? e.message : String(e));
    } finally {
      setDown(null);
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `annotations-${layout}.zip`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  return (
    <div class="q-dash">
      {error && <p class="note error q-wide" role="alert">{fmt(t.common.error, { error })}</p>}
      <section class="card q-section q-wide" data-testid="admin-import">
        <h2>{k.import}</h2>
        <p class="muted small">{k.importHelp}</p>
        {(['userPrefix', 'categoryPrefix'] as const).map((f) => (
          <label class="field" key={f}>
            <span>{k[f]}</span>
            <input type="text" name={f} maxLength={32} value={prefixes[f] ?? ''} onInput={(e) => setPrefixes({ ...prefixes, [f]: (e.target as HTMLInputElement).value })} />
          </label>
        ))}
        <label class="field">
          <span>{k.choose}</span>
          <input
            type="file"
            accept=".zip,.tar,.tgz,.tar.gz,application/zip,application/x-tar,application/gzip"
            disabled={sent !== null || (job !== null && isRunning(job))}
            onChange={(e) => {
              const f = (e.target as HTMLInputElement).files?.[0];
              if (f) void upload(f);
            }}
          />
        </label>
        {sent !== null && <ProgressBar done={Math.round(sent * 100)} total={100} label={k.uploading} size="lg" />}
        {job && <JobView job={job} />}
      </section>
      <section class="card q-section q-wide" data-testid="admin-export">
        <h2>{k.export}</h2>
        <div class="q-actions">
          {EXPORT_LAYOUTS.map((l) => (
            <button key={l} type="button" class="btn" data-layout={l} disabled={down !== null} onClick={() => void download(l)}>
              {k.layouts[l]}
            </button>
          ))}
        </div>
        {down && (
          <p class="muted small" role="status" data-testid="export-progress">
            {fmt(k.downloading, { layout: k.layouts[down.layout], size: mb(down.bytes) })}
          </p>
        )}
      </section>
    </div>
  );
}

function JobView({ job }: { job: ImportJob }) {
  const k = useQualityMessages().admin.exchange;
  return (
    <div data-testid="import-job" data-phase={job.phase}>
      <p>
        <strong>{job.fileName}</strong> · {k.phases[job.phase]}
        {job.kind !== 'unknown' && <> · {k.kinds[job.kind]}</>}
      </p>
      {isRunning(job) && <ProgressBar done={Math.round(job.progress * 100)} total={100} label={`${k.phases[job.phase]}: ${job.label}`} size="lg" />}
      {job.error && <p class="note error" role="alert">{job.error}</p>}
      {job.summary && (
        <p data-testid="import-summary">
          {fmt(k.summary, { questions: job.summary.questions.imported, photos: job.summary.photos.stored, missing: job.summary.photos.missing, models: job.summary.cadModels.imported })}
        </p>
      )}
      {job.summary && job.summary.users.created.length > 0 && (
        <p data-testid="import-new-accounts">{fmt(k.newAccounts, { ids: job.summary.users.created.map((u) => u.id).join(', ') })}</p>
      )}
      {job.reports.length > 0 && (
        <table class="q-table" data-testid="import-report">
          <thead><tr><th>{k.path}</th><th>{k.reason}</th></tr></thead>
          <tbody>
            {job.reports.map((r, i) => (
              <tr key={i} data-reason={r.reason}><td><code>{r.path}</code></td><td>{r.reason}: {r.message}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
