// JSON calls to the quality endpoints (review, A/B, qualification, admin). Failures come back as
// values, never thrown: `offline` lets callers fall back to what they kept locally.
export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; offline: boolean; message: string };

export async function apiJson<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { ok: false, status: 0, offline: true, message: e instanceof Error ? e.message : String(e) };
  }
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    // not JSON: the status says enough
  }
  if (res.ok) return { ok: true, status: res.status, data: data as T };
  const message = data && typeof data === 'object' && 'message' in data && typeof data.message === 'string' ? data.message : `The server answered ${res.status}`;
  return { ok: false, status: res.status, offline: false, message };
}

/** The data of a result, or throws its message (for pages that show one error line). */
export function unwrap<T>(r: ApiResult<T>): T {
  if (r.ok) return r.data;
  throw new Error(r.message);
}

/** A uuid for client-made ids (reviews and judgements are stored once per id, so retries are safe). */
export function newId(): string {
  // randomUUID exists only in secure contexts (https, localhost); a LAN address over http lacks it.
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
