// Security headers on every response (API, static files, errors). The CSP allows what the PWA needs
// and nothing else: its own scripts and module workers (the render worker), blob: and data: images
// (photos decoded in the page, canvas snapshots), fetches to this origin, the service worker from
// 'self'. No inline scripts or styles exist, so none are allowed. 'wasm-unsafe-eval' lets the workers
// compile WebAssembly (the mesh decoder, shared/src/mesh/v2.ts) and nothing more: no eval, no
// inline script. Framing is refused outright.
// HSTS is sent only on https (directly or behind a TLS proxy): over plain http it would be ignored
// at best and, on a LAN address, would lock browsers out of an http-only server at worst.
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import { isHttps } from '../auth/cookie';

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  workerSrc: ["'self'", 'blob:'],
  imgSrc: ["'self'", 'blob:', 'data:'],
  styleSrc: ["'self'"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders() {
  const headers = secureHeaders({
    contentSecurityPolicy: CSP_DIRECTIVES,
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    strictTransportSecurity: false,
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
  });
  return createMiddleware(async (c, next) => {
    await headers(c, next);
    if (isHttps(c)) c.res.headers.set('Strict-Transport-Security', HSTS);
  });
}
