// The photo alone, as the camera took it (at screen size, from the device cache through the DataStore): what the
// reviewer compares both answers against.
import { useEffect, useState } from 'preact/hooks';
import type { QuestionInfo } from '@in3d/shared/types';
import { useServices } from '../../app/services';
import { getPhoto } from '../../state/assets';

export function RawPhoto({ question, label, testId }: { question: QuestionInfo; label: string; testId?: string }) {
  const { store } = useServices();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    let made: string | null = null;
    // The copy the overlays above use and the read-ahead keeps for offline.
    getPhoto(store, question).then(
      (blob) => alive && setUrl((made = URL.createObjectURL(blob))),
      (e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [question.id, question.imageUrl]);
  return (
    <figure class="q-overlay" data-testid={testId}>
      {url && <img src={url} alt={label} width={question.imageWidth} height={question.imageHeight} />}
      {error && <figcaption class="note error">{error}</figcaption>}
    </figure>
  );
}
