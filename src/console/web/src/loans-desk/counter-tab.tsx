import { useState, type FormEvent } from 'react';
import { apiGet, apiPost } from '../api/client';
import { useFormat, useT } from '../i18n/i18n';
import { ErrorBox } from '../shell/error-box';
import { ModeLabel, PagedList, RecordLink, usePaged } from './loan-bits';
import {
  CHANNELS,
  CONDITIONS,
  borrowerName,
  loanPath,
  type LoanEntry,
  type Page,
  type ReminderChannel,
  type ReturnCondition,
} from './loans-api';
import { useDesk } from './desk-context';
import { channelLabels, conditionLabels, loansMessages } from './messages';

/** 借出与归还 — hand over approved loans (B11: due date, substitute card) and take back loans out (B10). */
export function CounterTab() {
  const t = useT(loansMessages);
  return (
    <div data-testid="counter-tab">
      <h2>{t('readyTitle')}</h2>
      <ReadyLoans />
      <h2>{t('outTitle')}</h2>
      <OutLoans />
    </div>
  );
}

function ReadyLoans() {
  const t = useT(loansMessages);
  const f = useFormat();
  const { after, done } = useDesk();
  const list = usePaged<LoanEntry>('/loans', { status: 'approved' }, after);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [failed, setFailed] = useState<{ loanId: string; error: unknown } | undefined>(undefined);

  async function handOver(loan: LoanEntry) {
    setBusy(loan.loanId);
    setFailed(undefined);
    try {
      const answer = await apiPost(loanPath(loan.loanId, 'hand-over'));
      // The answer names the position; the ledger, read past it, has the due date and the shelf.
      const out = await apiGet<Page<LoanEntry>>('/loans', {
        archiveCode: loan.archiveCode,
        status: 'out',
        after: answer.position,
        limit: 50,
      });
      const handed = out.items.find((item) => item.loanId === loan.loanId);
      done(
        answer.position,
        t('handedOver', {
          loanId: loan.loanId,
          borrower: borrowerName(loan.borrower),
          due: f.dateTime(handed?.dueAt),
          shelf: handed?.shelfLocation ?? loan.shelfLocation ?? '—',
        }),
      );
    } catch (error) {
      setFailed({ loanId: loan.loanId, error });
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <PagedList list={list} testId="ready-list">
      {(loans) => (
        <table className="loans-table">
          <thead>
            <tr>
              <th>
                {t('archiveCode')} / {t('recordTitle')}
              </th>
              <th>{t('borrower')}</th>
              <th>{t('mode')}</th>
              <th className="num">{t('days')}</th>
              <th>{t('shelf')}</th>
              <th>{t('approvals')}</th>
              <th>{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {loans.map((loan) => (
              <tr key={loan.loanId} data-testid="ready-row" data-loan-id={loan.loanId}>
                <td>
                  <RecordLink code={loan.archiveCode} />
                  <div>{loan.title}</div>
                  <small className="loans-muted">{loan.loanId}</small>
                </td>
                <td>{borrowerName(loan.borrower)}</td>
                <td>
                  <ModeLabel mode={loan.mode} />
                </td>
                <td className="num">{loan.totalDays}</td>
                <td>{loan.shelfLocation ?? '—'}</td>
                <td>
                  {loan.approvals.map((given) => (
                    <div key={`${given.role}-${given.approver.id}`}>
                      ✓ {given.approver.id}
                      {given.opinion ? <q>{given.opinion}</q> : null}
                    </div>
                  ))}
                </td>
                <td>
                  <button
                    type="button"
                    className="primary"
                    disabled={busy !== undefined}
                    onClick={() => void handOver(loan)}
                    data-testid="hand-over-button"
                  >
                    {t('handOver')}
                  </button>
                  {failed?.loanId === loan.loanId ? <ErrorBox error={failed.error} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </PagedList>
  );
}

function OutLoans() {
  const t = useT(loansMessages);
  const f = useFormat();
  const { after } = useDesk();
  const list = usePaged<LoanEntry>('/loans', { status: 'out' }, after);
  const [open, setOpen] = useState<{ loanId: string; kind: 'return' | 'remind' } | undefined>(undefined);
  const now = Date.now();
  return (
    <PagedList list={list} testId="out-list">
      {(loans) => (
        <table className="loans-table">
          <thead>
            <tr>
              <th>
                {t('archiveCode')} / {t('recordTitle')}
              </th>
              <th>{t('borrower')}</th>
              <th>{t('mode')}</th>
              <th>{t('shelf')}</th>
              <th>{t('handedOverAt')}</th>
              <th>{t('dueAt')}</th>
              <th>{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {loans.map((loan) => {
              const late = loan.dueAt !== null && Date.parse(loan.dueAt) < now;
              const action = open?.loanId === loan.loanId ? open.kind : undefined;
              return (
                <tr key={loan.loanId} data-testid="out-row" data-loan-id={loan.loanId}>
                  <td>
                    <RecordLink code={loan.archiveCode} />
                    <div>{loan.title}</div>
                    <small className="loans-muted">{loan.loanId}</small>
                  </td>
                  <td>{borrowerName(loan.borrower)}</td>
                  <td>
                    <ModeLabel mode={loan.mode} />
                  </td>
                  <td>{loan.shelfLocation ?? '—'}</td>
                  <td>{f.dateTime(loan.handedOverAt)}</td>
                  <td>
                    <time dateTime={loan.dueAt ?? undefined} data-testid="due-at">
                      {f.dateTime(loan.dueAt)}
                    </time>
                    {late ? <span className="badge missing">{t('overdueBadge')}</span> : null}
                  </td>
                  <td className="loans-actions">
                    {action === undefined ? (
                      <div className="loans-buttons">
                        <button
                          type="button"
                          className="primary"
                          onClick={() => setOpen({ loanId: loan.loanId, kind: 'return' })}
                          data-testid="return-button"
                        >
                          {t('returnLoan')}
                        </button>
                        <button
                          type="button"
                          onClick={() => setOpen({ loanId: loan.loanId, kind: 'remind' })}
                          data-testid="remind-button"
                        >
                          {t('remind')}
                        </button>
                      </div>
                    ) : action === 'return' ? (
                      <ReturnForm loanId={loan.loanId} onCancel={() => setOpen(undefined)} />
                    ) : (
                      <ReminderForm loanId={loan.loanId} onCancel={() => setOpen(undefined)} />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </PagedList>
  );
}

/** 归还 — the condition found in person, and what was found when not intact (B10). */
function ReturnForm({ loanId, onCancel }: { loanId: string; onCancel: () => void }) {
  const t = useT(loansMessages);
  const c = useT(conditionLabels);
  const { done } = useDesk();
  const [condition, setCondition] = useState<ReturnCondition>('intact');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await apiPost(loanPath(loanId, 'return'), {
        condition,
        ...(note.trim() !== '' ? { note } : {}),
      });
      const report = typeof answer.reportId === 'string' ? answer.reportId : undefined;
      done(
        answer.position,
        report
          ? t('returnedDamage', { loanId, condition: c(condition), report })
          : t('returned', { loanId, condition: c(condition) }),
      );
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <form className="loans-form" onSubmit={(e) => void submit(e)} data-testid="return-form">
      <label>
        {t('condition')}
        <select
          value={condition}
          onChange={(e) => setCondition(e.target.value as ReturnCondition)}
          data-testid="return-condition"
        >
          {CONDITIONS.map((value) => (
            <option key={value} value={value}>
              {c(value)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('note')}
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid="return-note" />
      </label>
      <div className="loans-buttons">
        <button type="submit" className="primary" disabled={busy} data-testid="confirm-return">
          {t('confirmReturn')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}

/** 催还 — only a loan still out after its due date is reminded (B9); the service says so otherwise. */
export function ReminderForm({ loanId, onCancel }: { loanId: string; onCancel?: () => void }) {
  const t = useT(loansMessages);
  const ch = useT(channelLabels);
  const { done } = useDesk();
  const [channel, setChannel] = useState<ReminderChannel>('phone');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await apiPost(loanPath(loanId, 'reminders'), {
        channel,
        ...(note.trim() !== '' ? { note } : {}),
      });
      done(answer.position, t('remindedShort', { loanId }));
      onCancel?.();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="loans-form" onSubmit={(e) => void submit(e)} data-testid="reminder-form">
      <label>
        {t('channel')}
        <select
          value={channel}
          onChange={(e) => setChannel(e.target.value as ReminderChannel)}
          data-testid="reminder-channel"
        >
          {CHANNELS.map((value) => (
            <option key={value} value={value}>
              {ch(value)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('reminderNote')}
        <textarea
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          data-testid="reminder-note"
        />
      </label>
      <div className="loans-buttons">
        <button type="submit" className="primary" disabled={busy} data-testid="send-reminder">
          {t('sendReminder')}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        ) : null}
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
