// Import and export from the admin page: the archive goes up with XMLHttpRequest (fetch reports no
// upload progress), the import job is then polled; an export zip comes down as a stream whose bytes
// are counted for the progress bar. Both need the raw request (the shared JSON client has no byte
// progress); job status goes through the shared client.
import { api } from './api';

export interface JobReport { path: string; reason: string; message: string }
export interface ImportJob {
  id: string;
  by: string;
  fileName: string;
  kind: 'legacy' | 'imagenet3d' | 'cad' | 'unknown';
  phase: 'uploading' | 'unpacking' | 'importing' | 'done' | 'failed' | 'interrupted';
  progress: number;
  label: string;
  startedAt: string;
  finishedAt?: string;
  error?: string;
  reports: JobReport[];
  summary?: {
    questions: { imported: number; found: number }; photos: { stored: number; missing: number }; cadModels: { imported: number };
    /** Accounts the import made; their passwords are not kept (the admin sets them in Users). */
    users: { created: { id: string; qualified: boolean }[] };
  };
}
export const EXPORT_LAYOUTS = ['npz', 'release', 'coco', 'jsonl'] as const;
export type ExportLayout = (typeof EXPORT_LAYOUTS)[number];

export const isRunning = (j: ImportJob) => j.phase === 'uploading' || j.phase === 'unpacking' || j.phase === 'importing';

export const listJobs = () => api<ImportJob[]>('GET', '/api/admin/upload/jobs');
export const getJob = (id: string) => api<ImportJob>('GET', `/api/admin/upload/jobs/${encodeURIComponent(id)}`);

/** Prefixes for imported ids that collide with the server's (blank: the import stops and lists them). */
export interface UploadPrefixes {
  userPrefix?: string;
  categoryPrefix?: string;
}

/** Sends the archive; `onProgress` sees the share sent. Resolves with the job the server started. */
export function uploadArchive(file: File, onProgress: (sent: number) => void, prefixes: UploadPrefixes = {}): Promise<ImportJob> {
  const query = new URLSearchParams({ name: file.name });
  for (const [k, v] of Object.entries(prefixes)) if (v?.trim()) query.set(k, v.trim());
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/admin/upload?${query}`);
    xhr.setRequestHeader('Content-Type', 'application/zip');
    xhr.upload.onprogress = (e) => onProgress(e.lengthComputable ? e.loaded / e.total : 0);
    xhr.onerror = () => reject(new Error('The upload failed (network)'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: the status says enough
      }
      if (xhr.status === 202) resolve(body as ImportJob);
      else {
        const m = body && typeof body === 'object' && 'message' in body ? String(body.message) : `The server answered ${xhr.status}`;
        reject(new Error(m));
      }
    };
    xhr.send(file);
  });
}

/** Downloads an export zip, counting bytes; returns it as a Blob to save. */
export async function downloadExport(layout: ExportLayout, onBytes: (n: number) => void): Promise<Blob> {
  const res = await fetch(`/api/admin/export.zip?layout=${layout}`, { credentials: 'same-origin' });
  if (!res.ok || !res.body) throw new Error(`The export failed: the server answered ${res.status}`);
  const parts: Uint8Array[] = [];
  let n = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    onBytes((n += value.byteLength));
  }
  return new Blob(parts as BlobPart[], { type: 'application/zip' });
}
