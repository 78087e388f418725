// A later task, for long work cut into pieces (mesh packing on the page, thumbnails in the render
// worker): postTask where the platform has it (its priority keeps input and frames first), else a
// message, which is not clamped like a timer in a hidden tab (a long "Make available offline").

type PostTask = (cb: () => void, o: { priority: 'background' | 'user-visible' }) => Promise<void>;
type Channel = new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(m: null): void } };

/** Resolves in a later task, after any pending messages. */
export function nextTask(priority: 'background' | 'user-visible' = 'user-visible'): Promise<void> {
  const g = globalThis as { scheduler?: { postTask?: PostTask }; MessageChannel?: Channel };
  if (g.scheduler?.postTask) return g.scheduler.postTask(() => undefined, { priority });
  const Channel = g.MessageChannel;
  if (!Channel) return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new Channel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
