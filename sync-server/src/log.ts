// The server's one logger (pino, JSON lines on stdout). A log that cannot be written (its disk is
// full, the pipe closed) must not take the server down: the write error is counted, not thrown, and
// the next line is tried again. LOG_LEVEL sets the level (default info; error under NODE_ENV=test).
import pino from 'pino';

const destination = pino.destination({ dest: 1, sync: true });
let dropped = 0;
destination.on('error', () => {
  dropped++;
});

export const log = pino(
  { name: 'in3d', level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'error' : 'info') },
  destination,
);
export type Logger = pino.Logger;

/** Log writes that failed since start (disk full): reported by /api/health. */
export function droppedLogWrites(): number {
  return dropped;
}
