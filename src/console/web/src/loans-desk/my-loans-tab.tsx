import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { apiPost } from '../api/client';
import { useFormat, useT } from '../i18n/i18n';
import { useSignedIn } from '../shell/session-context';
import {
  ChoiceField,
  CommandForm,
  LoanCells,
  LoansTable,
  NoteField,
  PagedList,
  StatusBadge,
  useCommand,
  useRoleLabel,
  usePaged,
} from './loan-bits';
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
          <LoansTable borrower={false} columns={[{ num: 'days' }, 'purpose', 'status', 'dueAt', 'actions']}>
            {loans.map((loan) => {
              const left = outstanding(loan);
              return (
                <tr key={loan.loanId} data-testid="mine-row" data-loan-id={loan.loanId}>
                  <LoanCells loan={loan} borrower={false} />
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
          </LoansTable>
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
  const command = useCommand();

  async function submit() {
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
  }

  return (
    <CommandForm
      command={command}
      onSubmit={submit}
      testId="request-form"
      className="card loans-form"
      submitLabel={t('submitRequest')}
      submitTestId="submit-request"
    >
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
        <ChoiceField
          label={t('mode')}
          value={mode}
          values={MODES}
          labelOf={m}
          onChange={setMode}
          testId="request-mode"
        />
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
      <NoteField label={t('requestPurpose')} value={purpose} onChange={setPurpose} testId="request-purpose" />
    </CommandForm>
  );
}

function WithdrawForm({ loanId, onCancel }: { loanId: string; onCancel: () => void }) {
  const t = useT(loansMessages);
  const { done } = useDesk();
  const [reason, setReason] = useState('');
  const command = useCommand({ staysBusy: true });
  async function submit() {
    const answer = await apiPost(loanPath(loanId, 'withdrawal'), { reason });
    done(answer.position, t('withdrawn', { loanId }));
  }
  return (
    <CommandForm
      command={command}
      onSubmit={submit}
      testId="withdraw-form"
      submitLabel={t('confirmWithdraw')}
      submitTestId="confirm-withdraw"
      primary={false}
      onCancel={onCancel}
    >
      <NoteField label={t('withdrawReason')} value={reason} onChange={setReason} testId="withdraw-reason" />
    </CommandForm>
  );
}
