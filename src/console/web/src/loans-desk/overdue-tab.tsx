import { useState } from 'react';
import { hasRole } from '../api/session';
import { useFormat, useT } from '../i18n/i18n';
import { useSignedIn } from '../shell/session-context';
import { ReminderForm } from './counter-tab';
import { LoanCells, LoansTable, PagedList, usePaged } from './loan-bits';
import { type LoanEntry } from './loans-api';
import { useDesk } from './desk-context';
import { channelLabels, loansMessages } from './messages';

/** 逾期清单 — loans out past their due date, longest overdue first, with reminders (B9). */
export function OverdueTab() {
  const t = useT(loansMessages);
  const ch = useT(channelLabels);
  const f = useFormat();
  const session = useSignedIn();
  const canRemind = hasRole(session, 'archivist');
  const { after } = useDesk();
  const list = usePaged<LoanEntry>('/loans/overdue', {}, after);
  const [open, setOpen] = useState<string | undefined>(undefined);
  return (
    <div data-testid="overdue-tab">
      <p className="loans-intro">{t('overdueIntro')}</p>
      <PagedList list={list} testId="overdue-list">
        {(loans) => (
          <LoansTable
            columns={[
              'dueAt',
              { num: 'daysOverdue' },
              'reminders',
              ...(canRemind ? (['actions'] as const) : []),
            ]}
          >
            {loans.map((loan) => (
              <tr key={loan.loanId} data-testid="overdue-row" data-loan-id={loan.loanId}>
                <LoanCells loan={loan} />
                <td>{f.dateTime(loan.dueAt)}</td>
                <td className="num">{loan.daysOverdue ?? '—'}</td>
                <td>
                  {t('remindersCount', { n: loan.reminders.count })}
                  {loan.reminders.last ? (
                    <small className="loans-muted">
                      {' '}
                      {t('lastReminder')} {f.dateTime(loan.reminders.last.sentAt)}{' '}
                      {loan.reminders.last.channel in channelLabels.zh
                        ? ch(loan.reminders.last.channel as keyof typeof channelLabels.zh)
                        : loan.reminders.last.channel}
                    </small>
                  ) : null}
                </td>
                {canRemind ? (
                  <td className="loans-actions">
                    {open === loan.loanId ? (
                      <ReminderForm loanId={loan.loanId} onCancel={() => setOpen(undefined)} />
                    ) : (
                      <button type="button" onClick={() => setOpen(loan.loanId)} data-testid="remind-button">
                        {t('remind')}
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </LoansTable>
        )}
      </PagedList>
    </div>
  );
}
