// Which question and photo this is, as the original tool showed it (image path, annotation path,
// viewport): visible, selectable and copyable in one go, so a problem can be named exactly.
import { useEffect, useState } from 'preact/hooks';
import type { QuestionInfo } from '@in3d/shared/types';
import { useMessages } from '../i18n';
import { loadSupportUrl, supportUrl } from '../state/support';

/** The photo's name; older cached questions only have the URL. */
export const imageNameOf = (q: QuestionInfo) => q.imageName ?? decodeURIComponent(q.imageUrl.split('?')[0]!.split('/').pop() ?? q.imageUrl);

export function identityText(q: QuestionInfo): string {
  return [`image: ${imageNameOf(q)}`, `question: ${q.id}`, `task: ${q.taskId} #${q.index + 1}`, `viewport: ${q.viewport}`, ...(q.sourcePath ? [`source: ${q.sourcePath}`] : [])].join('\n');
}

export function QuestionIdentity({ q }: { q: QuestionInfo }) {
  const m = useMessages();
  const [copied, setCopied] = useState(false);
  useEffect(() => void loadSupportUrl(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(identityText(q));
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      // No clipboard permission (http, old browser): select the text so Ctrl+C copies it.
      const dl = document.getElementById('question-identity');
      if (dl) getSelection()?.selectAllChildren(dl);
    }
  };
  return (
    <div class="question-identity">
      <dl class="identity" id="question-identity" data-testid="question-identity">
        <dt>{m.annotate.identityImage}</dt>
        <dd>{imageNameOf(q)}</dd>
        <dt>{m.annotate.identityQuestion}</dt>
        <dd>{q.id}</dd>
        <dt>{m.annotate.identityViewport}</dt>
        <dd>{q.viewport}</dd>
        {q.sourcePath && (
          <>
            <dt>source</dt>
            <dd>{q.sourcePath}</dd>
          </>
        )}
      </dl>
      <div class="details-actions">
        <button type="button" class="btn btn-ghost btn-sm" onClick={() => void copy()}>
          {copied ? m.annotate.copied : m.annotate.copyIdentity}
        </button>
        {supportUrl.value && (
          <a class="btn btn-ghost btn-sm" href={supportUrl.value} target="_blank" rel="noopener noreferrer">
            {m.annotate.support}
          </a>
        )}
      </div>
    </div>
  );
}
