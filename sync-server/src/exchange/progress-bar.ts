// A one-line progress bar for terminals; silent when the stream is not a TTY (pipes, CI, --json), so
// scripted output stays clean. Redraws at most every 100 ms.
import type { Progress } from './report';

export function progressBar(stream: NodeJS.WriteStream = process.stderr, width = 30): { update: Progress; done(): void } {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0, drawn = false;
  const update: Progress = (done, total, label) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const fill = Math.round(frac * width);
    stream.write(`\r[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${done}/${total} ${label} `);
    drawn = true;
  };
  return {
    update,
    done: () => {
      if (drawn) stream.write('\n');
    },
  };
}
