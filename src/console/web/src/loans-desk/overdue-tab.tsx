import { useState } from 'react';
import { hasRole } from '../api/session';
import { useFormat, useT } from '../i18n/i18n';
import { useSignedIn } from '../shell/session-context';
import { ReminderForm } from './counter-tab';
import { ModeLabel, PagedList, RecordLink, usePaged } from './loan-bits';
import { borrowerName, type LoanEntry } from './loans-api';
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
          <table className="loans-table">
            <thead>
              <tr>
                <th>
                  {t('archiveCode')} / {t('recordTitle')}
                </th>
                <th>{t('borrower')}</th>
                <th>{t('mode')}</th>
                <th>{t('dueAt')}</th>
                <th className="num">{t('daysOverdue')}</th>
                <th>{t('reminders')}</th>
                {canRemind ? <th>{t('actions')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {loans.map((loan) => (
                <tr key={loan.loanId} data-testid="overdue-row" data-loan-id={loan.loanId}>
                  <td>
                    <RecordLink code={loan.archiveCode} />
                    <div>{loan.title}</div>
                    <small className="loans-muted">{loan.loanId}</small>
                  </td>
                  <td>{borrowerName(loan.borrower)}</td>
                  <td>
                    <ModeLabel mode={loan.mode} />
                  </td>
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
                        <button
                          type="button"
                          onClick={() => setOpen(loan.loanId)}
                          data-testid="remind-button"
                        >
                          {t('remind')}
                        </button>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedList>
    </div>
  );
}
