import { useState } from 'react';
import { Link } from 'react-router';
import { apiGet, downloadFile, withQuery } from '../api/client';
import { hasRole } from '../api/session';
import { useT } from '../i18n/i18n';
import { ErrorBox } from '../shell/error-box';
import { useSignedIn } from '../shell/session-context';
import { recordMessages } from './messages';
import { useMoment } from './time';
import type { RecordDetail, StreamVerification } from './types';

/** Who may use each action, as the service's routes allow (docs/security.md). */
const VERIFIERS = ['auditor', 'compliance_officer'];
const EXPORTERS = ['compliance_officer', 'auditor', 'archivist'];
const CERTIFICATE_READERS = ['auditor', 'compliance_officer'];
const LOANS_DESK = [
  'archivist',
  'department_head',
  'archive_department_head',
  'deputy_gm',
  'general_manager',
  'security_officer',
  'borrower',
];

function VerificationResult({ result }: { result: StreamVerification }) {
  const t = useT(recordMessages);
  const moment = useMoment();
  if (!result.verified && result.fault) {
    return (
      <div className="error-box" role="alert" data-testid="verify-result" data-verified="false">
        <strong>
          {t('verifyFailed', {
            stream: result.fault.stream,
            revision: result.fault.revision,
            problem: result.fault.problem,
          })}
        </strong>
      </div>
    );
  }
  return (
    <div
      className={result.verified ? 'ok-box' : 'error-box'}
      data-testid="verify-result"
      data-verified={String(result.verified)}
    >
      <strong>{t('verifiedOk', { sealed: result.sealedEvents, events: result.events })}</strong>
      {result.unsealedEvents > 0 ? (
        <p>
          {t('verifiedUnsealed', { count: result.unsealedEvents, from: result.unsealedFromRevision ?? '' })}
        </p>
      ) : null}
      <p>
        {result.checkpoint
          ? t('verifiedCheckpoint', {
              size: result.checkpoint.treeSize,
              key: result.checkpoint.keyId,
              at: moment(result.checkpoint.signedAt),
            })
          : t('verifiedNoCheckpoint')}
      </p>
    </div>
  );
}

/**
 * The record's actions: verify its chain and inclusion (GET /audit/verify), export its bundle,
 * download the destruction certificate of a destroyed record, and a link to the loans desk.
 */
export function RecordActions({ record, purpose }: { record: RecordDetail; purpose: string | undefined }) {
  const t = useT(recordMessages);
  const session = useSignedIn();
  const code = record.archiveCode;
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<StreamVerification>();
  const [error, setError] = useState<unknown>();
  const [downloaded, setDownloaded] = useState<string>();

  const verify = async () => {
    setVerifying(true);
    setError(undefined);
    setVerification(undefined);
    try {
      setVerification(await apiGet<StreamVerification>('/audit/verify', { stream: `record-${code}` }));
    } catch (failure) {
      setError(failure);
    } finally {
      setVerifying(false);
    }
  };
  const download = async (what: 'export' | 'destruction-certificate', file: string) => {
    setError(undefined);
    setDownloaded(undefined);
    try {
      await downloadFile(withQuery(`/records/${encodeURIComponent(code)}/${what}`, { purpose }), file);
      setDownloaded(file);
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <section className="card record-actions" data-testid="record-actions">
      <div className="toolbar">
        {hasRole(session, ...VERIFIERS) ? (
          <button
            type="button"
            className="primary"
            data-testid="verify-button"
            disabled={verifying}
            onClick={verify}
          >
            {verifying ? t('verifying') : t('verify')}
          </button>
        ) : null}
        {hasRole(session, ...EXPORTERS) ? (
          <button
            type="button"
            data-testid="export-button"
            onClick={() => download('export', `${code}.bundle.json`)}
          >
            {t('exportBundle')}
          </button>
        ) : null}
        {record.custody === 'destroyed' && hasRole(session, ...CERTIFICATE_READERS) ? (
          <button
            type="button"
            data-testid="certificate-button"
            onClick={() => download('destruction-certificate', `${code}.destruction-certificate.json`)}
          >
            {t('exportCertificate')}
          </button>
        ) : null}
        {hasRole(session, ...LOANS_DESK) && record.custody === 'in_custody' ? (
          <Link to={`/loans?request=${encodeURIComponent(code)}`} data-testid="loans-desk-link">
            {t('loansDeskLink')}
          </Link>
        ) : null}
      </div>
      {verification ? <VerificationResult result={verification} /> : null}
      {downloaded ? (
        <p className="ok-box" data-testid="download-done">
          {t('exported', { file: downloaded })}
        </p>
      ) : null}
      <ErrorBox error={error} />
    </section>
  );
}
