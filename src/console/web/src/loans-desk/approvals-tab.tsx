import { useState, type FormEvent } from 'react';
import { apiPost } from '../api/client';
import { hasRole } from '../api/session';
import { useFormat, useT } from '../i18n/i18n';
import { ErrorBox } from '../shell/error-box';
import { useSignedIn } from '../shell/session-context';
import { ModeLabel, PagedList, RecordLink, useRoleLabel, usePaged } from './loan-bits';
import {
  APPROVER_ROLES,
  borrowerName,
  loanPath,
  mine,
  outstanding,
  type LoanEntry,
  type Requirement,
} from './loans-api';
import { useDesk } from './desk-context';
import { loansMessages } from './messages';

/** Who may read the loan ledger (GET /loans) among the approvers: the service lists it to no other approver. */
const LEDGER_READERS = ['archive_department_head'];

/** 待我审批 — requested loans with the approvals each still needs; approve or refuse with an opinion (B3). */
export function ApprovalsTab() {
  const t = useT(loansMessages);
  const session = useSignedIn();
  const canList = hasRole(session, ...LEDGER_READERS);
  return (
    <div data-testid="approvals-tab">
      <p className="loans-intro">{t('approvalsIntro')}</p>
      {canList ? <RequestedLoans /> : <p className="warning">{t('approvalsNoList')}</p>}
      <ApproveById />
    </div>
  );
}

function RequestedLoans() {
  const t = useT(loansMessages);
  const f = useFormat();
  const session = useSignedIn();
  const roleLabel = useRoleLabel();
  const { after } = useDesk();
  const list = usePaged<LoanEntry>('/loans', { status: 'requested' }, after);
  return (
    <PagedList list={list} testId="approvals-list">
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
              <th>{t('purpose')}</th>
              <th>{t('requestedAt')}</th>
              <th>{t('approvals')}</th>
            </tr>
          </thead>
          <tbody>
            {loans.map((loan) => {
              const left = outstanding(loan);
              // Separation of duties (B3): the borrower and whoever registered the loan never approve it.
              const own = loan.borrowerKey === session.user || loan.requestedBy.id === session.user;
              const yours = own ? [] : mine(left, session);
              return (
                <tr key={loan.loanId} data-testid="approval-row" data-loan-id={loan.loanId}>
                  <td>
                    <RecordLink code={loan.archiveCode} />
                    <div>{loan.title}</div>
                    <small className="loans-muted">{loan.loanId}</small>
                  </td>
                  <td>{borrowerName(loan.borrower)}</td>
                  <td>
                    <ModeLabel mode={loan.mode} />
                  </td>
                  <td className="num">{loan.days}</td>
                  <td>{loan.purpose}</td>
                  <td>{f.dateTime(loan.requestedAt)}</td>
                  <td>
                    <ul className="loans-approvals">
                      {loan.approvals.map((given) => (
                        <li key={`${given.role}-${given.approver.id}`} className="given">
                          ✓ {roleLabel(given.role, given.unit)} —{' '}
                          {t('approvalGiven', { who: given.approver.id })}
                          {given.opinion ? <q>{given.opinion}</q> : null}
                        </li>
                      ))}
                      {left.map((required) => (
                        <li key={`${required.role}-${required.unit ?? ''}`} className="outstanding">
                          ○ {roleLabel(required.role, required.unit)} — {t('approvalOutstanding')}
                          {yours.includes(required) ? (
                            <span className="badge due">{t('yourTurn')}</span>
                          ) : null}
                          <small className="loans-muted">
                            {' '}
                            {t('because')} {required.because.join(', ')}
                          </small>
                        </li>
                      ))}
                    </ul>
                    {own ? <p className="loans-muted">{t('ownRequest')}</p> : null}
                    {yours.length > 0 ? <DecisionForm loanId={loan.loanId} choices={yours} /> : null}
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

/** Approve or refuse one loan; `choices` are the outstanding requirements the person could fill. */
function DecisionForm({ loanId, choices }: { loanId: string; choices: readonly Requirement[] }) {
  const t = useT(loansMessages);
  const roleLabel = useRoleLabel();
  const { done } = useDesk();
  const roles = [...new Set(choices.map((choice) => choice.role))];
  const [opinion, setOpinion] = useState('');
  const [role, setRole] = useState(roles[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  async function decide(decision: 'approve' | 'refuse') {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await apiPost(loanPath(loanId, 'approvals'), {
        decision,
        ...(roles.length > 1 ? { role } : {}),
        ...(opinion.trim() !== '' ? { opinion } : {}),
      });
      const message = answer.events.includes('LoanRefused')
        ? t('refused', { loanId })
        : answer.events.includes('LoanApproved')
          ? t('approvedFully', { loanId })
          : t('approved', { loanId });
      done(answer.position, message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="loans-decision" data-testid="decision-form">
      {roles.length > 1 ? (
        <label>
          {t('approveAs')}
          <select value={role} onChange={(e) => setRole(e.target.value)} data-testid="approval-role">
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        {t('opinion')} <small>（{t('opinionHint')}）</small>
        <textarea
          rows={2}
          value={opinion}
          onChange={(e) => setOpinion(e.target.value)}
          data-testid="approval-opinion"
        />
      </label>
      <div className="loans-buttons">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void decide('approve')}
          data-testid="approve-button"
        >
          {t('approve')}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void decide('refuse')}
          data-testid="refuse-button"
        >
          {t('refuse')}
        </button>
      </div>
      <ErrorBox error={error} />
    </div>
  );
}

/** For approvers the service lists no ledger to (department heads, deputy GM, general manager). */
function ApproveById() {
  const t = useT(loansMessages);
  const session = useSignedIn();
  const choices: Requirement[] = APPROVER_ROLES.filter((role) => session.roles.includes(role)).map(
    (role) => ({
      role,
      because: [],
    }),
  );
  const [loanId, setLoanId] = useState('');
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  function submit(event: FormEvent) {
    event.preventDefault();
    setChosen(loanId.trim() === '' ? undefined : loanId.trim());
  }
  return (
    <details className="card loans-by-id" open={!hasRole(session, ...LEDGER_READERS)}>
      <summary>{t('byIdTitle')}</summary>
      <form className="toolbar" onSubmit={submit}>
        <label>
          {t('loanId')}
          <input
            value={loanId}
            onChange={(e) => setLoanId(e.target.value)}
            placeholder="Z001-WS-2024-D30-SALES-0001.L1"
            size={36}
            data-testid="approval-loan-id"
          />
        </label>
        <button type="submit">{t('find')}</button>
      </form>
      {chosen !== undefined ? <DecisionForm key={chosen} loanId={chosen} choices={choices} /> : null}
    </details>
  );
}
