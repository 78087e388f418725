// A submitted attempt: each gold question with the annotator's pose (teal) over the reference (amber)
// and the errors, criterion by criterion. A reference the server holds back (the next attempt may ask
// the question again) leaves the errors alone, with the annotator's pose.
import { useState } from 'preact/hooks';
import type { AttemptDetail, QuestionResult } from '@in3d/shared/quality';
import { fmt, useQualityMessages } from '../review/messages';
import { OverlayView } from '../review/OverlayView';

const num = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '∞');

export function AttemptResults({ attempt }: { attempt: AttemptDetail }) {
  const t = useQualityMessages();
  const results = attempt.results ?? [];
  const [selected, setSelected] = useState(results[0]?.questionId ?? null);
  const r = results.find((x) => x.questionId === selected);
  const q = attempt.questions.find((x) => x.id === selected);
  const mark = (ok: boolean | null) => (ok === null ? t.common.none : ok ? t.common.yes : t.common.no);
  const bad = (x: QuestionResult, c: QuestionResult['failed'][number]) => (x.failed.includes(c) ? 'q-bad' : '');

  return (
    <div class="q-results">
      <table class="q-table" data-testid="qual-results">
        <thead>
          <tr>
            <th>#</th>
            <th>{t.qual.rotation}</th>
            <th>{t.qual.centre}</th>
            <th>{t.qual.distance}</th>
            <th>{t.qual.subtype}</th>
            <th>{t.qual.objectStatus}</th>
            <th>{t.qual.dense}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {results.map((x) => (
            <tr
              key={x.questionId}
              class={x.questionId === selected ? 'is-selected' : ''}
              data-question={x.questionId}
              data-passed={String(x.passed)}
              onClick={() => setSelected(x.questionId)}
            >
              <td>
                <button type="button" class="link" onClick={() => setSelected(x.questionId)}>{x.index + 1}</button>
              </td>
              <td class={bad(x, 'rotation')}>{num(x.rotationDeg)}°</td>
              <td class={bad(x, 'centre')}>{num(x.centrePx)} px</td>
              <td class={bad(x, 'distance')}>{num(x.distanceRatio, 2)}</td>
              <td class={bad(x, 'subtype')}>{x.answer.subtype} / {x.reference ? x.reference.subtype : t.common.none}</td>
              <td class={bad(x, 'objectStatus')}>{mark(x.objectStatusMatch)}</td>
              <td class={bad(x, 'dense')}>{mark(x.denseMatch)}</td>
              <td>{x.passed ? t.qual.pass : t.qual.fail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r && q && (
        <div class="q-result-view">
          <OverlayView
            key={r.questionId}
            question={q}
            pose={r.answer.pose}
            subtype={r.answer.subtype}
            ghost={r.reference && { pose: r.reference.pose, subtype: r.reference.subtype }}
            label={`${r.reference ? `${t.qual.yours} / ${t.qual.reference}` : t.qual.yours}: ${fmt(t.qual.annotate, { n: r.index + 1 })}`}
            testId="qual-overlay"
          />
          <p class="muted small" data-testid="qual-legend" data-reference={String(!!r.reference)}>{r.reference ? t.qual.legend : t.qual.referenceHidden}</p>
        </div>
      )}
    </div>
  );
}
