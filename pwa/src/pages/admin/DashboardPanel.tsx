// Progress, throughput, active time, agreement and gold accuracy at a glance.
import { useState } from 'preact/hooks';
import type { DashboardStats, GoldAccuracy, PairAgreement } from '@in3d/shared/quality';
import { getStats } from '../../state/admin';
import { ProgressBar } from '../../components/ProgressBar';
import { fmt, useQualityMessages } from '../review/messages';
import { AuditLog } from './AuditLog';
import { Chart } from './Chart';
import { CsvButton } from './CsvButton';
import { ReportsList } from './ReportsList';
import { SupportSetting } from './SupportSetting';
import { useRefresh } from './use-refresh';
import { WaitingList } from './WaitingList';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(0)}%`);
const n2 = (x: number | null, d = 1) => (x === null || !Number.isFinite(x) ? '—' : x.toFixed(d));

/** Active times binned in 15 s steps up to 5 min; the last bin holds everything longer. x = bin centre, so the axis starts at 0. */
function histogram(ms: number[]): [number[], number[]] {
  const step = 15, bins = 21;
  const counts = new Array<number>(bins).fill(0);
  for (const m of ms) counts[Math.min(bins - 1, Math.floor(m / 1000 / step))]! += 1;
  return [counts.map((_, i) => i * step + step / 2), counts];
}

export function DashboardPanel() {
  const t = useQualityMessages();
  const d = t.admin.dash;
  const [s, setS] = useState<DashboardStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useRefresh(getStats, (stats) => (setS(stats), setError(null)), (e) => setError(e instanceof Error ? e.message : String(e)));
  const failed = error && <p class="note error q-wide" role="alert">{fmt(t.common.error, { error })}</p>;
  if (!s) return failed || <p class="muted">{t.common.loading}</p>;

  const days = s.throughput.map((x) => Date.parse(`${x.day}T00:00:00Z`) / 1000);
  const [bins, counts] = histogram(s.activeTime.map((a) => a.activeMs));
  const agreementRow = (p: Omit<PairAgreement, 'userA' | 'userB'>, who: string) => (
    <tr key={who} data-pair={who}>
      <td>{who}</td>
      <td>{p.n}</td>
      <td>{n2(p.medianRotationDeg)}°</td>
      <td>{pct(p.accAtPi6)}</td>
      <td>{n2(p.meanCentrePx)} px</td>
      <td>{n2(p.medianDistanceRatio, 2)}</td>
      <td>{pct(p.subtypeAgreement)}</td>
      <td>{n2(p.kappaObjectStatus, 2)}</td>
      <td>{n2(p.kappaDense, 2)}</td>
    </tr>
  );

  const goldUsers = [...new Set([...s.gold, ...s.qualificationGold].map((g) => g.userId))].sort();
  const goldCells = (g: GoldAccuracy | undefined) => [
    <td key="n">{g?.n ?? 0}</td>,
    <td key="acc">{pct(g?.accAtPi6 ?? null)}</td>,
    <td key="median">{n2(g?.medianRotationDeg ?? null)}°</td>,
  ];

  return (
    <div class="q-dash" data-testid="admin-dashboard">
      {failed}
      <WaitingList waiting={s.waiting} />
      <ReportsList canResolve />
      <SupportSetting />
      <section class="card q-section">
        <CsvButton
          name="progress-per-task"
          header={['task_id', 'name', 'kind', 'questions', 'assignees', 'done', 'possible']}
          rows={s.perTask.map((x) => [x.taskId, x.name, x.kind, x.total, x.assignees, x.done, x.possible])}
        />
        <h2>{d.progressTask}</h2>
        <table class="q-table">
          <tbody>
            {s.perTask.map((x) => (
              <tr key={x.taskId}>
                <td>{x.name} <span class="muted small">{x.kind === 'annotate' ? '' : x.kind}</span></td>
                <td class="q-grow"><ProgressBar done={x.done} total={x.possible} label={x.name} /></td>
                <td>
                  {x.done} / {x.possible}{' '}
                  <span class="muted small" data-testid="per-assignee">{fmt(d.perAssignee, { total: x.total, n: x.assignees })}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card q-section">
        <CsvButton
          name="progress-per-annotator"
          header={['user_id', 'done', 'assigned', 'revisions', 'active_ms']}
          rows={s.perAnnotator.map((u) => [u.userId, u.done, u.assigned, u.revisions, u.activeMsTotal])}
        />
        <h2>{d.progressUser}</h2>
        <table class="q-table">
          <thead>
            <tr><th /><th>{d.done}</th><th>{d.assigned}</th><th>{d.revisions}</th><th>{d.active}</th></tr>
          </thead>
          <tbody>
            {s.perAnnotator.map((u) => (
              <tr key={u.userId}>
                <td>{u.userId}</td>
                <td>{u.done}</td>
                <td>{u.assigned}</td>
                <td>{u.revisions}</td>
                <td>{(u.activeMsTotal / 60000).toFixed(1)} min</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card q-section">
        <h2>{d.throughput}</h2>
        {days.length ? (
          <Chart
            label={d.throughput}
            time
            bars
            data={[days, s.throughput.map((x) => x.revisions), s.throughput.map((x) => x.newAnnotations)]}
            series={[{ label: d.revisions, color: '#60a5fa' }, { label: d.newAnn, color: '#5eead4' }]}
          />
        ) : <p class="muted">{d.noData}</p>}
      </section>
      <section class="card q-section">
        <h2>{d.activeTime}</h2>
        {s.activeTime.length ? (
          <Chart label={d.activeTime} bars xLabel={d.seconds} yLabel={d.annotations} data={[bins, counts]} series={[{ label: d.annotations, color: '#fbbf24' }]} />
        ) : <p class="muted">{d.noData}</p>}
      </section>
      <section class="card q-section q-wide">
        <CsvButton
          name="agreement"
          header={['annotator_a', 'annotator_b', 'objects', 'median_rotation_deg', 'acc_pi6', 'mean_centre_px', 'median_distance_ratio', 'same_cad', 'kappa_quality', 'kappa_dense']}
          rows={[...s.agreement.pairs, ...(s.agreement.pairs.length > 1 ? [{ ...s.agreement.overall, userA: d.overall, userB: '' }] : [])].map((p) => [
            p.userA, p.userB, p.n, p.medianRotationDeg, p.accAtPi6, p.meanCentrePx, p.medianDistanceRatio, p.subtypeAgreement, p.kappaObjectStatus, p.kappaDense,
          ])}
        />
        <h2>{d.agreement}</h2>
        {s.agreement.pairs.length ? (
          <table class="q-table" data-testid="agreement">
            <thead>
              <tr>
                <th>{d.pair}</th><th>{d.n}</th><th>{d.medRot}</th><th>{d.acc}</th><th>{d.centre}</th><th>{d.ratio}</th><th>{d.subtype}</th><th>{d.kStatus}</th><th>{d.kDense}</th>
              </tr>
            </thead>
            <tbody>
              {s.agreement.pairs.map((p) => agreementRow(p, `${p.userA} · ${p.userB}`))}
              {s.agreement.pairs.length > 1 && agreementRow(s.agreement.overall, d.overall)}
            </tbody>
          </table>
        ) : <p class="muted">{d.noData}</p>}
      </section>
      <section class="card q-section">
        <CsvButton name="gold-accuracy" header={['user_id', 'objects', 'acc_pi6', 'median_rotation_deg']} rows={s.gold.map((g) => [g.userId, g.n, g.accAtPi6, g.medianRotationDeg])} />
        <h2>{d.gold}</h2>
        {goldUsers.length ? (
          <table class="q-table" data-testid="gold-accuracy">
            <thead>
              <tr><th /><th colSpan={3}>{d.goldTasks}</th><th colSpan={3}>{d.goldTest}</th></tr>
              <tr><th /><th>{d.n}</th><th>{d.acc}</th><th>{d.median}</th><th>{d.n}</th><th>{d.acc}</th><th>{d.median}</th></tr>
            </thead>
            <tbody>
              {goldUsers.map((u) => (
                <tr key={u} data-user={u}>
                  <td>{u}</td>
                  {goldCells(s.gold.find((g) => g.userId === u))}
                  {goldCells(s.qualificationGold.find((g) => g.userId === u))}
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p class="muted">{d.noData}</p>}
      </section>
      <section class="card q-section">
        <h2>{d.reviews}</h2>
        <ul class="q-list">
          {s.reviews.map((r) => (
            <li key={r.verdict}>{t.verdicts[r.verdict]}: {r.count}{r.openRework ? ` (${r.openRework} ${d.openRework})` : ''}</li>
          ))}
          {s.reviews.length === 0 && <li class="muted">{d.noData}</li>}
        </ul>
        <h2>{d.ab}</h2>
        <ul class="q-list">
          {s.ab.map((r) => (
            <li key={r.choice}>{r.choice === 'both_bad' ? t.ab.bothBad : r.choice.toUpperCase()}: {r.count}</li>
          ))}
          {s.ab.length === 0 && <li class="muted">{d.noData}</li>}
        </ul>
      </section>
      <AuditLog />
    </div>
  );
}
