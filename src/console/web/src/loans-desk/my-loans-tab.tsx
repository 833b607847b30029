import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { apiPost } from '../api/client';
import { useFormat, useT } from '../i18n/i18n';
import { ErrorBox } from '../shell/error-box';
import { useSignedIn } from '../shell/session-context';
import { ModeLabel, PagedList, RecordLink, StatusBadge, useRoleLabel, usePaged } from './loan-bits';
import { MODES, loanPath, outstanding, type LoanEntry, type LoanMode } from './loans-api';
import { useDesk } from './desk-context';
import { loansMessages, modeLabels } from './messages';

/** 我的借阅 — a borrower's open loans (B14) and their request form (B1; `?request=<code>` fills it in). */
export function MyLoansTab() {
  const t = useT(loansMessages);
  const f = useFormat();
  const session = useSignedIn();
  const roleLabel = useRoleLabel();
  const { after } = useDesk();
  const list = usePaged<LoanEntry>(`/borrowers/${encodeURIComponent(session.user)}/open-loans`, {}, after);
  const [withdrawing, setWithdrawing] = useState<string | undefined>(undefined);
  return (
    <div data-testid="mine-tab">
      <RequestForm />
      <h2>{t('tabMine')}</h2>
      <p className="loans-intro">{t('mineIntro')}</p>
      <PagedList list={list} testId="mine-list">
        {(loans) => (
          <table className="loans-table">
            <thead>
              <tr>
                <th>
                  {t('archiveCode')} / {t('recordTitle')}
                </th>
                <th>{t('mode')}</th>
                <th className="num">{t('days')}</th>
                <th>{t('purpose')}</th>
                <th>{t('status')}</th>
                <th>{t('dueAt')}</th>
                <th>{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {loans.map((loan) => {
                const left = outstanding(loan);
                return (
                  <tr key={loan.loanId} data-testid="mine-row" data-loan-id={loan.loanId}>
                    <td>
                      <RecordLink code={loan.archiveCode} />
                      <div>{loan.title}</div>
                      <small className="loans-muted">{loan.loanId}</small>
                    </td>
                    <td>
                      <ModeLabel mode={loan.mode} />
                    </td>
                    <td className="num">{loan.totalDays}</td>
                    <td>{loan.purpose}</td>
                    <td>
                      <StatusBadge status={loan.status} />
                      {loan.status === 'requested' ? (
                        <div className="loans-muted">
                          {left.length > 0
                            ? t('needs', { who: left.map((r) => roleLabel(r.role, r.unit)).join('、') })
                            : t('noneNeeded')}
                        </div>
                      ) : null}
                    </td>
                    <td>{f.dateTime(loan.dueAt)}</td>
                    <td className="loans-actions">
                      {loan.status === 'out' ? null : withdrawing === loan.loanId ? (
                        <WithdrawForm loanId={loan.loanId} onCancel={() => setWithdrawing(undefined)} />
                      ) : (
                        <button
                          type="button"
                          onClick={() => setWithdrawing(loan.loanId)}
                          data-testid="withdraw-button"
                        >
                          {t('withdraw')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </PagedList>
    </div>
  );
}

function RequestForm() {
  const t = useT(loansMessages);
  const m = useT(modeLabels);
  const { done } = useDesk();
  const [params] = useSearchParams();
  const [code, setCode] = useState(params.get('request') ?? '');
  const [mode, setMode] = useState<LoanMode>('lend_out');
  const [days, setDays] = useState('');
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const archiveCode = code.trim();
      const answer = await apiPost(`/records/${encodeURIComponent(archiveCode)}/loans`, {
        mode,
        purpose,
        ...(days.trim() !== '' ? { days: Number(days) } : {}),
      });
      const loanId = typeof answer.loanId === 'string' ? answer.loanId : archiveCode;
      done(
        answer.position,
        answer.events.includes('LoanApproved')
          ? t('requestedApproved', { loanId })
          : t('requested', { loanId }),
      );
      setPurpose('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card loans-form" onSubmit={(e) => void submit(e)} data-testid="request-form">
      <h2>{t('requestTitle')}</h2>
      <div className="toolbar">
        <label>
          {t('requestCode')}
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder="Z001-WS-2024-D30-SALES-0001"
            size={32}
            required
            data-testid="request-code"
          />
        </label>
        <label>
          {t('mode')}
          <select
            value={mode}
            onChange={(e) => setMode(e.target.value as LoanMode)}
            data-testid="request-mode"
          >
            {MODES.map((value) => (
              <option key={value} value={value}>
                {m(value)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('requestDays')}
          <input
            type="number"
            min={1}
            max={365}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            data-testid="request-days"
          />
        </label>
      </div>
      <label>
        {t('requestPurpose')}
        <textarea
          rows={2}
          value={purpose}
          onChange={(e) => setPurpose(e.target.value)}
          data-testid="request-purpose"
        />
      </label>
      <div className="loans-buttons">
        <button type="submit" className="primary" disabled={busy} data-testid="submit-request">
          {t('submitRequest')}
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}

function WithdrawForm({ loanId, onCancel }: { loanId: string; onCancel: () => void }) {
  const t = useT(loansMessages);
  const { done } = useDesk();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await apiPost(loanPath(loanId, 'withdrawal'), { reason });
      done(answer.position, t('withdrawn', { loanId }));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }
  return (
    <form className="loans-form" onSubmit={(e) => void submit(e)} data-testid="withdraw-form">
      <label>
        {t('withdrawReason')}
        <textarea
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="withdraw-reason"
        />
      </label>
      <div className="loans-buttons">
        <button type="submit" disabled={busy} data-testid="confirm-withdraw">
          {t('confirmWithdraw')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
