// Stable ids for imported rows. A revision imported from a file gets the same id every time the same
// file is imported, so the revisions table (UNIQUE id, append-only) makes a re-run a no-op.
import { createHash } from 'node:crypto';

// A fixed namespace for this project's imports (RFC 4122 §4.3): a random uuid chosen once.
const NAMESPACE = Buffer.from('6f1d5a0c8e2b4f7a9c3d1e5b7a9f0c2d', 'hex');

/** A name-based (version 5, SHA-1) uuid: valid wherever the protocol expects a uuid. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
