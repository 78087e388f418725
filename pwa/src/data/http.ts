// HTTP to the sync server, with failures sorted into what the data layer reacts to differently:
// offline (retry later), unauthorized (log in again, R2), outdated (update the app, R1), other.
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@in3d/shared/protocol';

export type ApiFailure =
  | { ok: false; kind: 'offline'; status: 0; message: string }
  | { ok: false; kind: 'unauthorized' | 'outdated' | 'not_found' | 'forbidden' | 'http'; status: number; message: string; body: unknown };

export type ApiResult<T> = { ok: true; status: number; data: T } | ApiFailure;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The app's one HTTP client (sync, catalogue, quality and admin pages alike). */
export interface Api {
  json(method: HttpMethod, path: string, body?: unknown): Promise<ApiResult<unknown>>;
  /** `priority: 'low'` for read-ahead, so it never competes with what the user waits for. */
  bytes(path: string, opts?: { priority?: RequestPriority }): Promise<ApiResult<{ bytes: ArrayBuffer; type: string }>>;
}

const TIMEOUT_MS = 30_000;

function kindOf(status: number): Exclude<ApiFailure['kind'], 'offline'> {
  if (status === 401) return 'unauthorized';
  if (status === 426) return 'outdated';
  if (status === 404) return 'not_found';
  if (status === 403) return 'forbidden';
  return 'http';
}

function messageOf(body: unknown, status: number): string {
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  return `The server answered ${status}`;
}

export function createApi(opts: { baseUrl: string; fetch: typeof fetch }): Api {
  const call = async (method: string, path: string, body?: unknown, accept = 'application/json', priority?: RequestPriority): Promise<Response | ApiFailure> => {
    const headers: Record<string, string> = { accept, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await opts.fetch(`${opts.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        ...(priority ? { priority } : {}),
        signal: typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(TIMEOUT_MS) : undefined,
      });
    } catch (err) {
      return { ok: false, kind: 'offline', status: 0, message: err instanceof Error ? err.message : String(err) };
    }
  };

  const failure = async (res: Response): Promise<ApiFailure> => {
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      // not JSON (a proxy's error page): the status says enough
    }
    return { ok: false, kind: kindOf(res.status), status: res.status, message: messageOf(body, res.status), body };
  };

  return {
    async json(method, path, body) {
      const res = await call(method, path, body);
      if ('kind' in res) return res;
      if (!res.ok) return failure(res);
      try {
        return { ok: true, status: res.status, data: (await res.json()) as unknown };
      } catch (err) {
        // The body was cut off: as far as we know, nothing arrived.
        return { ok: false, kind: 'offline', status: 0, message: `Incomplete answer: ${String(err)}` };
      }
    },
    async bytes(path, opts) {
      const res = await call('GET', path, undefined, '*/*', opts?.priority);
      if ('kind' in res) return res;
      if (!res.ok) return failure(res);
      try {
        return { ok: true, status: res.status, data: { bytes: await res.arrayBuffer(), type: res.headers.get('content-type') ?? 'application/octet-stream' } };
      } catch (err) {
        return { ok: false, kind: 'offline', status: 0, message: `Incomplete download: ${String(err)}` };
      }
    },
  };
}
