import { useState } from 'react';
import { apiPost } from '../api/client';
import { useFormat, useT } from '../i18n/i18n';
import { ErrorBox } from '../shell/error-box';
import {
  ChoiceField,
  LoanCells,
  LoansTable,
  NoteField,
  PagedList,
  useCommand,
  useRoleLabel,
  usePaged,
} from './loan-bits';
import { loanPath, type AwaitingEntry } from './loans-api';
import { useDesk } from './desk-context';
import { loansMessages } from './messages';

/**
 * 待我审批 — the loans and renewals waiting for an approval the signed-in person could give, as the
 * service answers them (GET /loans/awaiting-my-approval: the person's roles and unit, never their
 * own request, never one they already approved, only records they are cleared for); approve or
 * refuse each with an opinion (B3, B8).
 */
export function ApprovalsTab() {
  const t = useT(loansMessages);
  const f = useFormat();
  const roleLabel = useRoleLabel();
  const { after } = useDesk();
  const list = usePaged<AwaitingEntry>('/loans/awaiting-my-approval', {}, after);
  return (
    <div data-testid="approvals-tab">
      <p className="loans-intro">{t('approvalsIntro')}</p>
      <PagedList list={list} testId="approvals-list">
        {(loans) => (
          <LoansTable columns={[{ num: 'days' }, 'purpose', 'requestedAt', 'approvals']}>
            {loans.map((loan) => (
              <tr
                key={`${loan.loanId}-${loan.renewal?.renewal ?? 0}`}
                data-testid="approval-row"
                data-loan-id={loan.loanId}
                data-renewal={loan.renewal?.renewal ?? ''}
              >
                <LoanCells loan={loan}>
                  {loan.renewal ? (
                    <div>
                      <span className="badge loan-renewal" data-testid="renewal-badge">
                        {t('renewalBadge', { n: loan.renewal.renewal })}
                      </span>
                    </div>
                  ) : null}
                </LoanCells>
                <td className="num">{loan.renewal ? loan.renewal.totalDays : loan.days}</td>
                <td>
                  {loan.purpose}
                  {loan.renewal ? (
                    <p className="loans-muted" data-testid="renewal-details">
                      {t('renewalDetails', {
                        extra: loan.renewal.extraDays,
                        due: f.dateTime(loan.renewal.dueAt),
                      })}
                      <q>{loan.renewal.reason}</q>
                    </p>
                  ) : null}
                </td>
                <td>{f.dateTime(loan.awaitingSince)}</td>
                <td>
                  <ul className="loans-approvals">
                    {loan.approvals.map((given) => (
                      <li key={`${given.role}-${given.approver.id}`} className="given">
                        ✓ {roleLabel(given.role, given.unit)} —{' '}
                        {t('approvalGiven', { who: given.approver.id })}
                        {given.opinion ? <q>{given.opinion}</q> : null}
                      </li>
                    ))}
                    {loan.outstanding.map((required) => (
                      <li key={`${required.role}-${required.unit ?? ''}`} className="outstanding">
                        ○ {roleLabel(required.role, required.unit)} — {t('approvalOutstanding')}
                        {required.yours ? <span className="badge due">{t('yourTurn')}</span> : null}
                        <small className="loans-muted">
                          {' '}
                          {t('because')} {required.because.join(', ')}
                        </small>
                      </li>
                    ))}
                  </ul>
                  <DecisionForm loanId={loan.loanId} roles={loan.yourRoles} renewal={loan.renewal !== null} />
                </td>
              </tr>
            ))}
          </LoansTable>
        )}
      </PagedList>
    </div>
  );
}

/** Approve or refuse one loan (or its pending renewal); `roles` are those the person could approve as. */
function DecisionForm({
  loanId,
  roles,
  renewal,
}: {
  loanId: string;
  roles: readonly string[];
  renewal: boolean;
}) {
  const t = useT(loansMessages);
  const roleLabel = useRoleLabel();
  const { done } = useDesk();
  const [opinion, setOpinion] = useState('');
  const [role, setRole] = useState(roles[0] ?? '');
  const command = useCommand();

  async function decide(decision: 'approve' | 'refuse') {
    const answer = await apiPost(loanPath(loanId, 'approvals'), {
      decision,
      ...(roles.length > 1 ? { role } : {}),
      ...(opinion.trim() !== '' ? { opinion } : {}),
    });
    const message = answer.events.includes('LoanRefused')
      ? t('refused', { loanId })
      : answer.events.includes('LoanRenewalRefused')
        ? t('renewalRefused', { loanId })
        : answer.events.includes('LoanApproved')
          ? t('approvedFully', { loanId })
          : answer.events.includes('LoanRenewed')
            ? t('renewalGranted', { loanId })
            : renewal
              ? t('renewalApproved', { loanId })
              : t('approved', { loanId });
    done(answer.position, message);
  }

  return (
    <div className="loans-decision" data-testid="decision-form">
      {roles.length > 1 ? (
        <ChoiceField
          label={t('approveAs')}
          value={role}
          values={roles}
          labelOf={(r) => roleLabel(r)}
          onChange={setRole}
          testId="approval-role"
        />
      ) : null}
      <NoteField
        label={
          <>
            {t('opinion')} <small>（{t('opinionHint')}）</small>
          </>
        }
        value={opinion}
        onChange={setOpinion}
        testId="approval-opinion"
      />
      <div className="loans-buttons">
        <button
          type="button"
          className="primary"
          disabled={command.busy}
          onClick={() => void command.run(() => decide('approve'))}
          data-testid="approve-button"
        >
          {t('approve')}
        </button>
        <button
          type="button"
          disabled={command.busy}
          onClick={() => void command.run(() => decide('refuse'))}
          data-testid="refuse-button"
        >
          {t('refuse')}
        </button>
      </div>
      <ErrorBox error={command.error} />
    </div>
  );
}
