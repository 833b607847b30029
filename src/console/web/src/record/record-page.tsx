import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, apiGet } from '../api/client';
import { hasRole } from '../api/session';
import { useApi } from '../api/use-api';
import { useT } from '../i18n/i18n';
import { StatusBadges } from '../catalogue/status-badges';
import { useWords } from '../catalogue/use-words';
import { ErrorBox, Loading } from '../shell/error-box';
import { useSignedIn } from '../shell/session-context';
import { recordMessages } from './messages';
import { RecordActions } from './record-actions';
import { RecordLoansAndHolds, RecordMetadata } from './record-facts';
import { StateAt, type AsOf } from './state-at';
import { Timeline } from './timeline';
import type { HistoryEntry, RecordDetail, RecordHistory } from './types';

/** Who may replay a record's history and past states (src/history/record-history.controller.ts). */
const HISTORY_READERS = [
  'compliance_officer',
  'auditor',
  'archivist',
  'archive_department_head',
  'security_officer',
];

const needsPurpose = (error: unknown) =>
  error instanceof ApiError && error.problem.error === 'PURPOSE_REQUIRED';

/** The past state the address asks for: `?at=…&by=…` or `?revision=…`. */
function asOfIn(params: URLSearchParams): AsOf | undefined {
  const revision = params.get('revision');
  if (revision !== null && /^\d+$/.test(revision)) return { kind: 'revision', revision: Number(revision) };
  const at = params.get('at');
  if (at) return { kind: 'time', at, by: params.get('by') === 'occurred' ? 'occurred' : 'recorded' };
  return undefined;
}

/** A1: a SECRET-or-above record is shown only once the reader says why (the view is registered). */
function PurposeForm({
  classification,
  onSubmit,
}: {
  classification: string;
  onSubmit: (purpose: string) => void;
}) {
  const t = useT(recordMessages);
  const word = useWords();
  const [purpose, setPurpose] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (purpose.trim() !== '') onSubmit(purpose.trim());
  };
  return (
    <form className="card purpose" data-testid="purpose-form" onSubmit={submit}>
      <h2>{t('purposeTitle')}</h2>
      <p>{t('purposeHint', { classification: word('classification', classification) })}</p>
      <div className="toolbar">
        <label className="grow">
          {t('purposeLabel')}
          <input
            data-testid="purpose-input"
            value={purpose}
            maxLength={500}
            onChange={(e) => setPurpose(e.target.value)}
          />
        </label>
        <button
          type="submit"
          className="primary"
          data-testid="purpose-submit"
          disabled={purpose.trim() === ''}
        >
          {t('purposeSubmit')}
        </button>
      </div>
    </form>
  );
}

/**
 * 档案详情: a record's metadata, its loans and holds, its full history as a timeline, its state at
 * any past moment, and verify / export. Every part is what the service answers for this reader.
 */
export function RecordPage() {
  const t = useT(recordMessages);
  const session = useSignedIn();
  const code = useParams().code ?? '';
  const [params, setParams] = useSearchParams();
  const [purpose, setPurpose] = useState<string>();
  useEffect(() => setPurpose(undefined), [code]);
  const readsHistory = hasRole(session, ...HISTORY_READERS);

  const detail = useApi(
    () => apiGet<RecordDetail>(`/records/${encodeURIComponent(code)}`, { purpose }),
    [code, purpose],
  );
  const history = useApi(
    async () =>
      readsHistory
        ? apiGet<RecordHistory>(`/records/${encodeURIComponent(code)}/history`, { purpose })
        : undefined,
    [code, purpose, readsHistory],
  );
  const [more, setMore] = useState<{ entries: HistoryEntry[]; nextRevision: number | null }>();
  const [moreError, setMoreError] = useState<unknown>();
  useEffect(() => setMore(undefined), [history.data]);
  const entries = [...(history.data?.entries ?? []), ...(more?.entries ?? [])];
  const nextRevision = more ? more.nextRevision : (history.data?.nextRevision ?? null);
  const loadMore = async () => {
    if (nextRevision === null) return;
    try {
      const page = await apiGet<RecordHistory>(`/records/${encodeURIComponent(code)}/history`, {
        purpose,
        fromRevision: nextRevision,
      });
      setMore({ entries: [...(more?.entries ?? []), ...page.entries], nextRevision: page.nextRevision });
    } catch (error) {
      setMoreError(error);
    }
  };

  const asOf = asOfIn(params);
  const showAsOf = (next: AsOf, replace = false) => {
    const query = new URLSearchParams();
    if (next.kind === 'revision') query.set('revision', String(next.revision));
    else {
      query.set('at', next.at);
      query.set('by', next.by);
    }
    setParams(query, { replace });
  };

  const purposeAsked = needsPurpose(detail.error) || needsPurpose(history.error);
  const record = detail.data;
  return (
    <article className="record-page" data-testid="record-page">
      <p>
        <Link to="/">{t('backToCatalogue')}</Link>
      </p>
      <h1 data-testid="record-title">
        {record ? record.title : <code>{code}</code>}
        {record ? (
          <>
            {' '}
            <StatusBadges entry={record} />
          </>
        ) : null}
      </h1>
      {record ? (
        <p className="muted">
          <code data-testid="record-code">{record.archiveCode}</code>
        </p>
      ) : null}
      {purposeAsked ? (
        <PurposeForm
          classification={record?.classification ?? history.data?.highestClassification ?? 'SECRET'}
          onSubmit={setPurpose}
        />
      ) : null}
      {!needsPurpose(detail.error) ? <ErrorBox error={detail.error} /> : null}
      {detail.loading && record === undefined ? <Loading /> : null}
      {record?.viewRegistered ? (
        <p className="muted small">{t('purposeRegistered', { stream: record.viewRegistered.stream })}</p>
      ) : null}
      {record ? (
        <>
          <RecordActions record={record} purpose={purpose} />
          <div className="record-columns">
            <div>
              <RecordMetadata record={record} />
              <RecordLoansAndHolds record={record} />
            </div>
            <div>
              {readsHistory && !purposeAsked ? (
                <>
                  <StateAt code={code} purpose={purpose} entries={entries} asOf={asOf} onChange={showAsOf} />
                  <section className="card">
                    <h2>
                      {t('timeline')}{' '}
                      {history.data ? (
                        <small className="muted">
                          {t('eventCount', { count: history.data.eventsInStream })}
                        </small>
                      ) : null}
                    </h2>
                    <ErrorBox error={history.error} />
                    {history.loading && history.data === undefined ? <Loading /> : null}
                    <Timeline
                      entries={entries}
                      selectedRevision={asOf?.kind === 'revision' ? asOf.revision : undefined}
                      onPick={(revision) => showAsOf({ kind: 'revision', revision })}
                    />
                    {nextRevision !== null ? (
                      <button type="button" onClick={loadMore}>
                        {t('moreHistory', { from: nextRevision })}
                      </button>
                    ) : null}
                    <ErrorBox error={moreError} />
                  </section>
                </>
              ) : null}
              {!readsHistory ? <p className="card muted">{t('historyNotAllowed')}</p> : null}
            </div>
          </div>
        </>
      ) : null}
    </article>
  );
}
