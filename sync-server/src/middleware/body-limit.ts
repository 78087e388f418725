// Request body limits, one per route (see app.ts). A JSON body over its limit is refused with 413
// before it is parsed: a declared Content-Length at once, a chunked body as soon as the count passes
// the limit (hono/body-limit buffers at most the limit). Upload routes get a `stream` limit instead:
// their body is never buffered here; it is counted as the handler reads it, which fails with 413.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';

export type BodyLimit = { json: number } | { stream: number };

function megabytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : `${+(n / 1024).toFixed(1)} KB`;
}

export function payloadTooLarge(c: Context, max: number): HTTPException {
  const message = `The body of ${c.req.method} ${c.req.path} is larger than its limit of ${megabytes(max)}`;
  // `status` and `issues` make it a sync error too (shared/SPEC.md R31) for the sync client.
  const body = { error: 'payload_too_large', status: 'invalid', message, maxBytes: max, issues: [{ path: '(body)', message }] };
  return new HTTPException(413, {
    message,
    res: new Response(JSON.stringify(body), {
      status: 413,
      headers: { 'Content-Type': 'application/json' },
    }),
  });
}

/** Counts bytes as they are read and fails the stream with a 413 past `max`; nothing is buffered. */
function countingStream(c: Context, body: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        seen += chunk.byteLength;
        if (seen > max) ctl.error(payloadTooLarge(c, max));
        else ctl.enqueue(chunk);
      },
    }),
  );
}

export function bodyLimits(limitFor: (path: string) => BodyLimit) {
  const json = new Map<number, MiddlewareHandler>();
  const jsonLimit = (max: number) => {
    let mw = json.get(max);
    if (!mw) json.set(max, (mw = bodyLimit({ maxSize: max, onError: (c) => Promise.reject(payloadTooLarge(c, max)) })));
    return mw;
  };
  return createMiddleware(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || !c.req.raw.body) return next();
    const limit = limitFor(c.req.path);
    if ('json' in limit) return jsonLimit(limit.json)(c, next);
    const declared = Number(c.req.header('content-length') ?? 0);
    if (declared > limit.stream) throw payloadTooLarge(c, limit.stream);
    c.req.raw = new Request(c.req.raw, { body: countingStream(c, c.req.raw.body, limit.stream), duplex: 'half' } as RequestInit);
    await next();
  });
}
