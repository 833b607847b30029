import { useState } from 'react';
import { apiGet, apiPost } from '../api/client';
import { useFormat, useT } from '../i18n/i18n';
import { ErrorBox } from '../shell/error-box';
import {
  ChoiceField,
  CommandForm,
  LoanCells,
  LoansTable,
  NoteField,
  PagedList,
  useCommand,
  usePaged,
} from './loan-bits';
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
        <LoansTable columns={[{ num: 'days' }, 'shelf', 'approvals', 'actions']}>
          {loans.map((loan) => (
            <tr key={loan.loanId} data-testid="ready-row" data-loan-id={loan.loanId}>
              <LoanCells loan={loan} />
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
        </LoansTable>
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
        <LoansTable columns={['shelf', 'handedOverAt', 'dueAt', 'actions']}>
          {loans.map((loan) => {
            const late = loan.dueAt !== null && Date.parse(loan.dueAt) < now;
            const action = open?.loanId === loan.loanId ? open.kind : undefined;
            return (
              <tr key={loan.loanId} data-testid="out-row" data-loan-id={loan.loanId}>
                <LoanCells loan={loan} />
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
        </LoansTable>
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
  const command = useCommand({ staysBusy: true });

  async function submit() {
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
  }

  return (
    <CommandForm
      command={command}
      onSubmit={submit}
      testId="return-form"
      submitLabel={t('confirmReturn')}
      submitTestId="confirm-return"
      onCancel={onCancel}
    >
      <ChoiceField
        label={t('condition')}
        value={condition}
        values={CONDITIONS}
        labelOf={c}
        onChange={setCondition}
        testId="return-condition"
      />
      <NoteField label={t('note')} value={note} onChange={setNote} testId="return-note" />
    </CommandForm>
  );
}

/** 催还 — only a loan still out after its due date is reminded (B9); the service says so otherwise. */
export function ReminderForm({ loanId, onCancel }: { loanId: string; onCancel?: () => void }) {
  const t = useT(loansMessages);
  const ch = useT(channelLabels);
  const { done } = useDesk();
  const [channel, setChannel] = useState<ReminderChannel>('phone');
  const [note, setNote] = useState('');
  const command = useCommand();

  async function submit() {
    const answer = await apiPost(loanPath(loanId, 'reminders'), {
      channel,
      ...(note.trim() !== '' ? { note } : {}),
    });
    done(answer.position, t('remindedShort', { loanId }));
    onCancel?.();
  }

  return (
    <CommandForm
      command={command}
      onSubmit={submit}
      testId="reminder-form"
      submitLabel={t('sendReminder')}
      submitTestId="send-reminder"
      onCancel={onCancel}
    >
      <ChoiceField
        label={t('channel')}
        value={channel}
        values={CHANNELS}
        labelOf={ch}
        onChange={setChannel}
        testId="reminder-channel"
      />
      <NoteField label={t('reminderNote')} value={note} onChange={setNote} testId="reminder-note" />
    </CommandForm>
  );
}
