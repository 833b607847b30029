import { useState, type FormEvent, type ReactNode } from 'react';
import { apiPost, type CommandAnswer } from '../api/client';
import { useCommand } from '../api/use-command';
import { ErrorBox } from '../shell/error-box';
import { useLabels } from './common';
import type { SigningRequirement } from './types';

type OnCommand = (answer: CommandAnswer) => void;

/** Runs one command, keeps the service's refusal as it gave it (for ErrorBox), and reports the answer. */
function useListCommand(onCommand: OnCommand) {
  const command = useCommand();
  const run = (path: string, body: unknown = {}): Promise<boolean> =>
    command.run(async () => onCommand(await apiPost(path, body)));
  return { run, error: command.error, busy: command.busy };
}

function ActionCard({
  title,
  testId,
  onSubmit,
  error,
  children,
}: {
  title: string;
  testId: string;
  onSubmit: (event: FormEvent) => void;
  error: unknown;
  children: ReactNode;
}) {
  return (
    <form className="card action no-print" data-testid={testId} onSubmit={onSubmit}>
      <h4>{title}</h4>
      {children}
      <ErrorBox error={error} />
    </form>
  );
}

const path = (listId: string, rest = '') => `/destruction-lists/${encodeURIComponent(listId)}${rest}`;

/** 列入清册 — `POST …/items` (archivist; D1 checked on the record's history, D4). */
export function AddItemForm({ listId, onCommand }: { listId: string; onCommand: OnCommand }) {
  const { t } = useLabels();
  const [archiveCode, setArchiveCode] = useState('');
  const command = useListCommand(onCommand);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await command.run(path(listId, '/items'), { archiveCode: archiveCode.trim() })) setArchiveCode('');
  };
  return (
    <ActionCard
      title={t('addItem')}
      testId="add-item-form"
      onSubmit={(e) => void submit(e)}
      error={command.error}
    >
      <div className="toolbar">
        <label className="wide">
          {t('addItemCode')}
          <input
            value={archiveCode}
            onChange={(e) => setArchiveCode(e.target.value)}
            data-testid="add-item-code"
          />
        </label>
        <button type="submit" className="primary" disabled={command.busy} data-testid="add-item-submit">
          {t('addItemSubmit')}
        </button>
      </div>
    </ActionCard>
  );
}

/** 移出 — `POST …/items/{code}/removal` with a reason (archivist, D4). */
export function RemoveItemButton({
  listId,
  archiveCode,
  onCommand,
}: {
  listId: string;
  archiveCode: string;
  onCommand: OnCommand;
}) {
  const { t } = useLabels();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const command = useListCommand(onCommand);
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)} data-testid="remove-item">
        {t('remove')}
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await command.run(path(listId, `/items/${encodeURIComponent(archiveCode)}/removal`), { reason }))
      setOpen(false);
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="inline-form" data-testid="remove-item-form">
      <label>
        {t('removeReason')}
        <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="remove-reason" />
      </label>
      <button type="submit" disabled={command.busy}>
        {t('remove')}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t('cancel')}
      </button>
      <ErrorBox error={command.error} />
    </form>
  );
}

/** 签署意见 — `POST …/signatures` in a capacity the person holds (D3). */
export function SignForm({
  listId,
  capacities,
  onCommand,
}: {
  listId: string;
  capacities: readonly SigningRequirement[];
  onCommand: OnCommand;
}) {
  const { t, capacity: label } = useLabels();
  const [capacity, setCapacity] = useState(capacities[0]?.capacity ?? '');
  const [decision, setDecision] = useState<'approve' | 'refuse'>('approve');
  const [opinion, setOpinion] = useState('');
  const command = useListCommand(onCommand);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.run(path(listId, '/signatures'), { capacity, decision, opinion });
  };
  return (
    <ActionCard title={t('signTitle')} testId="sign-form" onSubmit={submit} error={command.error}>
      <div className="toolbar">
        <label>
          {t('capacity')}
          <select value={capacity} onChange={(e) => setCapacity(e.target.value)} data-testid="sign-capacity">
            {capacities.map((r) => (
              <option key={r.capacity} value={r.capacity}>
                {label(r, r.capacity)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('decision')}
          <select
            value={decision}
            onChange={(e) => setDecision(e.target.value as 'approve' | 'refuse')}
            data-testid="sign-decision"
          >
            <option value="approve">{t('decisionApprove')}</option>
            <option value="refuse">{t('decisionRefuse')}</option>
          </select>
        </label>
        <label className="wide">
          {t('opinion')}
          <input
            value={opinion}
            onChange={(e) => setOpinion(e.target.value)}
            placeholder={t('opinionPlaceholder')}
            data-testid="sign-opinion"
          />
        </label>
        <button type="submit" className="primary" disabled={command.busy} data-testid="sign-submit">
          {t('signSubmit')}
        </button>
      </div>
    </ActionCard>
  );
}

/** 销毁前清点核对 — `POST …/witness-checks`: what the witness counted and found (D5). */
export function WitnessCheckForm({ listId, onCommand }: { listId: string; onCommand: OnCommand }) {
  const { t } = useLabels();
  const [count, setCount] = useState('');
  const [codes, setCodes] = useState('');
  const [notes, setNotes] = useState('');
  const command = useListCommand(onCommand);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.run(path(listId, '/witness-checks'), {
      itemCount: Number(count),
      archiveCodes: codes
        .split(/[\s,;，；]+/)
        .map((c) => c.trim())
        .filter((c) => c !== ''),
      ...(notes.trim() !== '' ? { notes } : {}),
    });
  };
  return (
    <ActionCard title={t('checkTitle')} testId="witness-check-form" onSubmit={submit} error={command.error}>
      <div className="toolbar">
        <label>
          {t('checkCount')}
          <input
            type="number"
            min={0}
            value={count}
            onChange={(e) => setCount(e.target.value)}
            required
            data-testid="check-count"
          />
        </label>
        <label className="wide">
          {t('checkCodes')}
          <textarea
            value={codes}
            onChange={(e) => setCodes(e.target.value)}
            rows={3}
            data-testid="check-codes"
          />
        </label>
        <label className="wide">
          {t('checkNotes')}
          <input value={notes} onChange={(e) => setNotes(e.target.value)} data-testid="check-notes" />
        </label>
        <button type="submit" className="primary" disabled={command.busy} data-testid="check-submit">
          {t('checkSubmit')}
        </button>
      </div>
    </ActionCard>
  );
}

/** 监销人签字 — `POST …/witness-signatures` after the destruction (D5). */
export function WitnessSignForm({ listId, onCommand }: { listId: string; onCommand: OnCommand }) {
  const { t } = useLabels();
  const [remark, setRemark] = useState('');
  const command = useListCommand(onCommand);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.run(path(listId, '/witness-signatures'), remark.trim() !== '' ? { remark } : {});
  };
  return (
    <ActionCard
      title={t('witnessSignTitle')}
      testId="witness-sign-form"
      onSubmit={submit}
      error={command.error}
    >
      <div className="toolbar">
        <label className="wide">
          {t('witnessRemark')}
          <input value={remark} onChange={(e) => setRemark(e.target.value)} data-testid="witness-remark" />
        </label>
        <button type="submit" className="primary" disabled={command.busy} data-testid="witness-sign-submit">
          {t('witnessSignSubmit')}
        </button>
      </div>
    </ActionCard>
  );
}

/** 执行销毁 — `POST …/execution` (archivist, D6); the service checks D1, D3 and D5 first. */
export function ExecuteForm({ listId, onCommand }: { listId: string; onCommand: OnCommand }) {
  const { t } = useLabels();
  const command = useListCommand(onCommand);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.run(path(listId, '/execution'));
  };
  return (
    <ActionCard title={t('executeTitle')} testId="execute-form" onSubmit={submit} error={command.error}>
      <p className="muted">{t('executeHint')}</p>
      <button type="submit" className="primary" disabled={command.busy} data-testid="execute-submit">
        {t('executeSubmit')}
      </button>
    </ActionCard>
  );
}

/** 撤销清册 — `POST …/cancellation` with a reason (archivist or archive department head). */
export function CancelForm({ listId, onCommand }: { listId: string; onCommand: OnCommand }) {
  const { t } = useLabels();
  const [reason, setReason] = useState('');
  const command = useListCommand(onCommand);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void command.run(path(listId, '/cancellation'), { reason });
  };
  return (
    <ActionCard title={t('cancelTitle')} testId="cancel-form" onSubmit={submit} error={command.error}>
      <div className="toolbar">
        <label className="wide">
          {t('cancelReason')}
          <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="cancel-reason" />
        </label>
        <button type="submit" disabled={command.busy} data-testid="cancel-submit">
          {t('cancelSubmit')}
        </button>
      </div>
    </ActionCard>
  );
}
