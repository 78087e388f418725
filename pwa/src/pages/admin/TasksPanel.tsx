// Tasks: build one from selected questions, assign, reassign (the first annotator's saves stay theirs)
// and remove assignees; progress per assignee. Remove and Reassign ask first, naming the task, the
// people and how far the assignee got; Reassign shows only after a target is chosen.
import { useEffect, useState } from 'preact/hooks';
import type { AdminTask, AdminUser } from '@in3d/shared/quality';
import { assignTask, createTask, listTasks, listUsers, reassignTask, unassignTask } from '../../state/admin';
import { ProgressBar } from '../../components/ProgressBar';
import { fmt, useQualityMessages } from '../review/messages';
import { QuestionPicker } from './QuestionPicker';
import { useRefresh } from './use-refresh';

export function TasksPanel() {
  const t = useQualityMessages();
  const k = t.admin.tasks;
  const [tasks, setTasks] = useState<AdminTask[] | null>(null);
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [name, setName] = useState('');
  const [assignee, setAssignee] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  const showError = (e: unknown) => setError(e instanceof Error ? e.message : String(e));
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setTasks(await listTasks());
      setReload((n) => n + 1);
    } catch (e) {
      showError(e);
    }
  };
  useEffect(() => {
    listUsers().then(setUsers, showError);
  }, []);
  useRefresh(listTasks, setTasks, showError); // each assignee's progress follows their saves
  const annotators = users.filter((u) => u.role === 'annotator' && !u.disabled);
  const userSelect = (value: string, onChange: (v: string) => void, label: string) => (
    <select aria-label={label} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
      <option value="">—</option>
      {annotators.map((u) => <option key={u.id} value={u.id}>{u.id}</option>)}
    </select>
  );

  return (
    <div class="q-dash">
      {error && <p class="note error q-wide" role="alert">{fmt(t.common.error, { error })}</p>}
      <section class="card q-section q-wide">
        <h2>{k.create}</h2>
        <form
          class="q-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await createTask({ name: name.trim(), questionIds: [...selected], assignees: assignee ? [assignee] : [] });
              setSelected(new Set());
              setName('');
            });
          }}
        >
          <label class="field">
            <span>{k.name}</span>
            <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field">
            <span>{k.assignees}</span>
            {userSelect(assignee, setAssignee, k.assignees)}
          </label>
          <button type="submit" class="btn btn-primary" disabled={selected.size === 0}>{k.create}</button>
        </form>
        <QuestionPicker selected={selected} onChange={setSelected} reload={reload} />
      </section>
      <section class="card q-section q-wide">
        <table class="q-table" data-testid="admin-tasks">
          <thead>
            <tr><th>{k.name}</th><th>{k.questions}</th><th>{k.assignees}</th><th /></tr>
          </thead>
          <tbody>
            {tasks?.map((task) => (
              <TaskRow key={task.id} task={task} userSelect={userSelect} run={run} />
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function TaskRow({ task, userSelect, run }: {
  task: AdminTask;
  userSelect: (value: string, onChange: (v: string) => void, label: string) => preact.ComponentChild;
  run: (fn: () => Promise<unknown>) => Promise<void>;
}) {
  const k = useQualityMessages().admin.tasks;
  const [to, setTo] = useState('');
  return (
    <tr data-task={task.id}>
      <td>{task.name}{task.kind !== 'annotate' && <span class="chip">{task.kind}</span>}<div class="muted small">{task.id}</div></td>
      <td>{task.total}</td>
      <td>
        {task.assignees.map((a) => (
          <div key={a.userId} class="q-assignee">
            <span class="q-assignee-name" title={a.userId}>{a.userId}</span>
            <ProgressBar done={a.done} total={task.total} label={`${task.name}: ${a.userId}`} />
            <span class="muted small">{a.done}/{task.total}</span>
            {to && to !== a.userId && (
              <button type="button" class="btn btn-ghost btn-sm" onClick={() => confirm(fmt(k.confirmReassign, { task: task.name, from: a.userId, to, done: a.done, total: task.total })) && void run(() => reassignTask(task.id, a.userId, to))}>{k.reassign} → {to}</button>
            )}
            <button type="button" class="btn btn-ghost btn-sm" onClick={() => confirm(fmt(k.confirmRemove, { task: task.name, user: a.userId, done: a.done, total: task.total })) && void run(() => unassignTask(task.id, a.userId))}>{k.remove}</button>
          </div>
        ))}
      </td>
      <td class="q-actions">
        {userSelect(to, setTo, `${k.assign}: ${task.id}`)}
        <button type="button" class="btn btn-ghost btn-sm" disabled={!to} onClick={() => void run(() => assignTask(task.id, to))}>{k.assign}</button>
      </td>
    </tr>
  );
}
