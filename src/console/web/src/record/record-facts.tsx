import type { ReactNode } from 'react';
import { useFormat, useT } from '../i18n/i18n';
import { useWords } from '../catalogue/use-words';
import { recordMessages } from './messages';
import { useMoment } from './time';
import type { RecordDetail } from './types';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

/** 著录信息: the record's current metadata as the catalogue holds it (corrections applied). */
export function RecordMetadata({ record }: { record: RecordDetail }) {
  const t = useT(recordMessages);
  const word = useWords();
  const format = useFormat();
  const moment = useMoment();
  return (
    <section className="card" data-testid="record-metadata">
      <h2>{t('metadata')}</h2>
      <dl className="facts">
        <Fact label={t('archiveCode')}>
          <code>{record.archiveCode}</code>
        </Fact>
        <Fact label={t('fonds')}>{record.fonds}</Fact>
        <Fact label={t('category')}>{record.category}</Fact>
        <Fact label={t('year')}>{record.year}</Fact>
        <Fact label={t('organisationalUnit')}>{record.organisationalUnit}</Fact>
        <Fact label={t('responsibleParty')}>{record.responsibleParty}</Fact>
        <Fact label={t('documentNumber')}>{record.documentNumber ?? '—'}</Fact>
        <Fact label={t('dateFormed')}>{format.date(record.dateFormed)}</Fact>
        <Fact label={t('carrier')}>{word('carrier', record.carrier)}</Fact>
        <Fact label={t('itemCount')}>{record.itemCount}</Fact>
        <Fact label={t('pageCount')}>{record.pageCount ?? '—'}</Fact>
        <Fact label={t('classification')} testId="record-classification">
          {word('classification', record.classification)}
        </Fact>
        <Fact label={t('retentionClass')}>{word('retention', record.retentionClass)}</Fact>
        <Fact label={t('retentionDueOn')} testId="record-retention-due">
          {record.retentionDueOn ? format.date(record.retentionDueOn) : t('permanent')}
        </Fact>
        <Fact label={t('custodianDepartment')}>{record.custodianDepartment}</Fact>
        <Fact label={t('shelfLocation')}>{record.shelfLocation}</Fact>
        <Fact label={t('counterparty')}>{record.counterparty ?? '—'}</Fact>
        <Fact label={t('keywords')}>{record.keywords.length > 0 ? record.keywords.join('、') : '—'}</Fact>
        <Fact label={t('original')}>
          {record.isOriginal ? t('isOriginal') : t('isCopy', { reason: record.copyReason ?? '' })}
        </Fact>
        <Fact label={t('filedAt')}>
          {moment(record.filedAt)}
          {record.lateFiling ? <span className="badge late_filing">{t('lateFiling')}</span> : null}
        </Fact>
        <Fact label={t('filingDeadline')}>{format.date(record.filingDeadline)}</Fact>
        <Fact label={t('corrections')}>{record.corrections}</Fact>
      </dl>
    </section>
  );
}

/** 借阅与冻结: the loans out now (B11), the active holds (R6) and damage or loss reported (B10). */
export function RecordLoansAndHolds({ record }: { record: RecordDetail }) {
  const t = useT(recordMessages);
  const word = useWords();
  const moment = useMoment();
  return (
    <section className="card" data-testid="record-loans">
      <h2>{t('loansTitle')}</h2>
      {record.loansOut.length === 0 ? (
        <p data-testid="record-no-loan">{t('noLoan')}</p>
      ) : (
        <table data-testid="record-current-loans">
          <thead>
            <tr>
              <th>{t('onLoanNow')}</th>
              <th>{t('borrower')}</th>
              <th>{t('mode')}</th>
              <th>{t('handedOverAt')}</th>
              <th>{t('dueAt')}</th>
            </tr>
          </thead>
          <tbody>
            {record.loansOut.map((loan) => (
              <tr key={loan.loanId}>
                <td>
                  <code>{loan.loanId}</code>
                </td>
                <td>{loan.borrower}</td>
                <td>{word('mode', loan.mode)}</td>
                <td>{moment(loan.handedOverAt)}</td>
                <td>{moment(loan.dueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted">{t('loanCount', { count: record.loanCount })}</p>
      <h3>{t('holds')}</h3>
      {record.holds.length === 0 ? (
        <p>{t('noHolds')}</p>
      ) : (
        <ul data-testid="record-holds">
          {record.holds.map((hold) => (
            <li key={hold.holdId}>
              <span className="badge held">{word('hold', hold.kind)}</span> <code>{hold.holdId}</code>{' '}
              {hold.reason}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('damage')}</h3>
      {record.damage.length === 0 ? (
        <p>{t('noDamage')}</p>
      ) : (
        <ul data-testid="record-damage">
          {record.damage.map((report) => (
            <li key={report.reportId}>
              <span className={`badge ${report.condition === 'lost' ? 'missing' : 'held'}`}>
                {word('condition', report.condition)}
              </span>{' '}
              <code>{report.reportId}</code>
              {report.loanId ? (
                <>
                  {' '}
                  (<code>{report.loanId}</code>)
                </>
              ) : null}{' '}
              {report.description}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
