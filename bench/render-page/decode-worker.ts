// Times decodeMesh in a worker realm, as the render and Snap workers run it (bench/mesh.ts).
// Message in: { bytes, runs }; out: { firstMs, times } or { error }. firstMs is the first decode
// this worker does: for version 2 it includes starting the WASM decoder.
import { decodeMesh } from '@in3d/shared/mesh/codec';

self.onmessage = async (e: MessageEvent<{ bytes: ArrayBuffer; runs: number }>) => {
  const bytes = new Uint8Array(e.data.bytes);
  const times: number[] = [];
  let firstMs = 0;
  for (let i = 0; i <= e.data.runs; i++) {
    const t0 = performance.now();
    const r = await decodeMesh(bytes);
    const ms = performance.now() - t0;
    if (!r.ok) return self.postMessage({ error: r.error });
    if (i === 0) firstMs = ms;
    else times.push(ms);
  }
  self.postMessage({ firstMs, times });
};
