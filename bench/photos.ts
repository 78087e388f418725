// Photos at screen width (GET /api/images/:id?w=): how long the server takes to make the sized copy of
// a phone-sized JPEG, and the longest the event loop (every other user's saves and photos) waits
// meanwhile. Format: `photos <megapixels>mp <figure> <value>`. Alone: `npx tsx bench/photos.ts`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { sizedJpeg } from '../sync-server/src/photos/sized';

/** A photo-like JPEG (smooth gradients plus grain, so the decoder has real work), `w` x `h`. */
async function photo(w: number, h: number): Promise<Buffer> {
  const px = Buffer.alloc(w * h * 3);
  let seed = 7;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i += 3) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const grain = (seed >>> 27) - 16;
      px[i] = Math.max(0, Math.min(255, ((x * 255) / w + grain) | 0));
      px[i + 1] = Math.max(0, Math.min(255, ((y * 255) / h + grain) | 0));
      px[i + 2] = Math.max(0, Math.min(255, 128 + grain));
    }
  }
  return sharp(px, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'in3d-bench-photos-'));
  try {
    for (const [w, h] of [[4000, 3000], [8000, 6000]] as const) {
      const name = `photos ${Math.round((w * h) / 1e6)}mp`;
      const file = join(dir, `${w}.jpg`);
      const bytes = await photo(w, h);
      writeFileSync(file, bytes);
      const times: number[] = [];
      let worstGap = 0;
      for (let run = 0; run < 3; run++) {
        let last = performance.now();
        const tick = setInterval(() => {
          const now = performance.now();
          worstGap = Math.max(worstGap, now - last);
          last = now;
        }, 1);
        const t0 = performance.now();
        // A fresh etag per run: the copy is made, not read from the disk cache.
        const out = await sizedJpeg(dir, file, `bench${w}r${run}`, 1024);
        times.push(performance.now() - t0);
        clearInterval(tick);
        if (run === 0) console.log(`${name} original_kb ${(bytes.length / 1024).toFixed(0)} sized_w1024_kb ${(out.length / 1024).toFixed(0)}`);
      }
      times.sort((a, b) => a - b);
      console.log(`${name} sized_w1024_ms_median ${times[1]!.toFixed(0)}`);
      console.log(`${name} event_loop_longest_wait_ms ${worstGap.toFixed(1)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await run();
