// Code that most users never need (review, admin, charts) loads on first use, not with the annotate
// page. The chunk is precached by the service worker, so it opens offline too.
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { reportError } from './report-error';

export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>, fallback: () => JSX.Element): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  return function Lazy(props: P) {
    const [, setReady] = useState(false);
    const [error, setError] = useState<string | null>(null);
    useEffect(() => {
      if (loaded) return;
      let alive = true;
      loading ??= load().then((c) => (loaded = c));
      loading.then(
        () => alive && setReady(true),
        (e: unknown) => {
          loading = null; // a later visit tries again (e.g. after an update replaced the chunk)
          const message = reportError('load page', e);
          if (alive) setError(message);
        },
      );
      return () => {
        alive = false;
      };
    }, []);
    if (error) return <p class="page note error" role="alert">{error}</p>;
    const C = loaded;
    return C ? <C {...props} /> : fallback();
  };
}
