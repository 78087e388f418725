// Body limits: 413 with a message before a body is parsed, per route; a 50 MB body is refused without
// the server reading (or keeping) it; uploads are counted as they stream; a refused mutation stores
// at most MAX_REJECTED_BODY_CHARS of itself.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '@in3d/shared/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bodyLimitFor } from '../src/app';
import { bodyLimits } from '../src/middleware/body-limit';
import { MAX_REJECTED_BODY_CHARS } from '../src/repositories/annotations';
import { createWorld, type World } from './sync-world';

let w: World;
beforeEach(async () => {
  w = await createWorld({ users: ['ann'], questionsPerTask: 2 });
});
afterEach(() => w.close());

const MB = 1024 * 1024;

/**
 * Sends up to `total` bytes to a real HTTP server (the app on @hono/node-server) in 64 KB writes,
 * honouring backpressure, and stops once the answer arrives. Returns the status, the body and how
 * many bytes had been handed to the socket by then.
 */
async function sendBig(path: string, total: number, opts: { chunked: boolean; headers?: Record<string, string> }) {
  const server = serve({ fetch: w.app.fetch, port: 0, hostname: '127.0.0.1' }) as import('node:http').Server;
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  try {
    return await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: w.cookies.ann!, ...(opts.chunked ? {} : { 'content-length': String(total) }), ...opts.headers },
        },
        (res) => {
          answered = true;
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body, sent });
            req.destroy();
          });
        },
      );
      req.on('error', (e) => (answered ? undefined : reject(e)));
      const pump = () => {
        while (!answered && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('body limits', () => {
  it('answers a 50 MB push with a declared length 413 at once, without reading it or growing memory', async () => {
    global.gc?.();
    const before = memory();
    const r = await sendBig('/api/sync/push', 50 * MB, { chunked: false, headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) } });
    const grown = memory() - before;
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ error: 'payload_too_large', message: expect.stringMatching(/POST \/api\/sync\/push is larger than its limit of 4 MB/) });
    expect(r.sent).toBeLessThan(50 * MB);
    expect(grown).toBeLessThan(20 * MB);
  });

  it('answers a 50 MB chunked body (no length) 413 once the count passes the limit, not after reading it all', async () => {
    global.gc?.();
    const before = memory();
    const r = await sendBig('/api/auth/login', 50 * MB, { chunked: true });
    const grown = memory() - before;
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).message).toMatch(/limit of 16 KB/);
    expect(r.sent).toBeLessThan(20 * MB);
    expect(grown).toBeLessThan(20 * MB);
  });

  it('has a limit per route', () => {
    expect(bodyLimitFor('/api/auth/login')).toEqual({ json: 16 * 1024 });
    expect(bodyLimitFor('/api/sync/push')).toEqual({ json: 4 * MB });
    expect(bodyLimitFor('/api/admin/tasks')).toEqual({ json: 16 * MB });
    expect(bodyLimitFor('/api/reviews')).toEqual({ json: 1 * MB });
    expect(bodyLimitFor('/api/admin/upload/dataset')).toHaveProperty('stream');
  });

  it('refuses a login body over 16 KB in-process too (counted, no Content-Length)', async () => {
    const r = await w.request(null, '/api/auth/login', { method: 'POST', body: JSON.stringify({ userId: 'ann', password: 'x'.repeat(20_000) }) });
    expect(r.status).toBe(413);
  });

  // A mutation over 16 KiB is refused as invalid before its kind is read (SPEC R32, sync-poison.test.ts).
  it('stores at most MAX_REJECTED_BODY_CHARS of a refused mutation (a 12 KB unknown kind)', async () => {
    const id = crypto.randomUUID();
    const r = await w.request('ann', '/api/sync/push', {
      method: 'POST',
      body: JSON.stringify({ clientId: crypto.randomUUID(), mutations: [{ id, seq: 1, kind: 'evil.blob', payload: 'x'.repeat(12 * 1024) }] }),
    });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { results: { status: string; reason: string }[] };
    expect(body.results[0]).toMatchObject({ status: 'rejected', reason: 'unknown_kind' });
    const row = await w.opened.db.selectFrom('sync_rejections').select('body_json').where('mutation_id', '=', id).executeTakeFirstOrThrow();
    expect(row.body_json.length).toBeLessThanOrEqual(MAX_REJECTED_BODY_CHARS);
    expect(JSON.parse(row.body_json)).toMatchObject({ truncated: true, chars: expect.any(Number) });
  });
});

describe('streamed upload cap', () => {
  const upload = new Hono()
    .use('*', bodyLimits(() => ({ stream: 1000 })))
    .post('/upload', async (c) => {
      let n = 0;
      const reader = c.req.raw.body!.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.byteLength;
      return c.json({ n });
    })
    .onError((err, c) => ('getResponse' in err ? (err as { getResponse(): Response }).getResponse() : c.text('boom', 500)));

  it('passes a body under the cap through as a stream, and fails one over it with 413 as it is read', async () => {
    const ok = await upload.request('/upload', { method: 'POST', body: new Uint8Array(999) });
    expect(await ok.json()).toEqual({ n: 999 });
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < 10; i++) ctl.enqueue(new Uint8Array(300));
        ctl.close();
      },
    });
    const over = await upload.request('/upload', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(over.status).toBe(413);
    const declared = await upload.request('/upload', { method: 'POST', body: new Uint8Array(10), headers: { 'content-length': '5000' } });
    expect(declared.status).toBe(413);
  });
});
