import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiGet, apiPost, type CommandAnswer } from '../api/client';
import { hasRole } from '../api/session';
import { useApi } from '../api/use-api';
import { useFormat } from '../i18n/i18n';
import { ErrorBox, Loading } from '../shell/error-box';
import { useSession } from '../shell/session-context';
import { AppraisalForm } from './appraisal-form';
import { useCursors } from '../api/use-cursors';
import { Pager, useLabels } from './common';
import { today, type DueRecord, type Page } from './types';

const PAGE_SIZE = 50;

/** 到期鉴定 — `GET /retention-due?date=` (R4), paged; the committee appraises from a row (R5). */
export function RetentionDuePage() {
  const { t, retention, classification } = useLabels();
  const format = useFormat();
  const { session } = useSession();
  const [params, setParams] = useSearchParams();
  const date = params.get('date') ?? today();
  /** Set when an archivist came from a draft list to choose its items. */
  const pickingFor = params.get('list');
  const [dateInput, setDateInput] = useState(date);
  const pager = useCursors();
  const [after, setAfter] = useState<string | undefined>();
  const [appraising, setAppraising] = useState<DueRecord | undefined>();
  const [appraised, setAppraised] = useState<Readonly<Record<string, { id: string; decision: string }>>>({});
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  /** Where the last item added reached: the list page reads it back with `?after=`. */
  const [listPosition, setListPosition] = useState<string | undefined>();
  const isCommittee = hasRole(session, 'appraisal_committee');
  const isArchivist = hasRole(session, 'archivist');

  const due = useApi(
    () => apiGet<Page<DueRecord>>('/retention-due', { date, limit: PAGE_SIZE, cursor: pager.cursor, after }),
    [date, pager.cursor, after],
  );

  const show = (event: FormEvent) => {
    event.preventDefault();
    pager.reset();
    const next = new URLSearchParams(params);
    next.set('date', dateInput);
    setParams(next);
  };

  const addToList = async (code: string) => {
    if (!pickingFor) return;
    setError(undefined);
    setMessage(undefined);
    try {
      const answer = await apiPost(`/destruction-lists/${pickingFor}/items`, { archiveCode: code });
      setListPosition(answer.position);
      setMessage(t('added', { code }));
    } catch (e) {
      setError(e);
    }
  };

  const onAppraised = (record: DueRecord, answer: CommandAnswer, decision: string) => {
    setAppraising(undefined);
    const id = String(answer.appraisalId ?? '');
    setAppraised((map) => ({ ...map, [record.archiveCode]: { id, decision } }));
    setMessage(t(decision === 'keep' ? 'appraisedKeep' : 'appraisedRelease', { id }));
    setAfter(answer.position);
  };

  return (
    <div data-testid="retention-due">
      <h2>{t('dueTitle')}</h2>
      <p className="muted">{t('dueHint')}</p>
      {pickingFor ? (
        <p className="ok-box" data-testid="picking-for">
          {t('pickingFor', { listId: pickingFor })}{' '}
          <Link
            to={`/disposition/lists/${pickingFor}${listPosition ? `?after=${encodeURIComponent(listPosition)}` : ''}`}
            data-testid="back-to-list"
          >
            {t('backToList')}
          </Link>
        </p>
      ) : null}
      <form className="toolbar" onSubmit={show}>
        <label>
          {t('dueDate')}
          <input
            type="date"
            value={dateInput}
            onChange={(e) => setDateInput(e.target.value)}
            data-testid="due-date"
            required
          />
        </label>
        <button type="submit">{t('show')}</button>
      </form>
      {message ? (
        <p className="ok-box" role="status" data-testid="due-message">
          {message}
        </p>
      ) : null}
      <ErrorBox error={error} />
      <ErrorBox error={due.error} />
      {due.loading && !due.data ? <Loading /> : null}
      {due.data ? (
        <>
          <table data-testid="due-table">
            <thead>
              <tr>
                <th>{t('colCode')}</th>
                <th>{t('colTitle')}</th>
                <th>{t('colResponsible')}</th>
                <th>{t('colDateFormed')}</th>
                <th>{t('colRetention')}</th>
                <th>{t('colDueOn')}</th>
                <th>{t('colClassification')}</th>
                <th>{t('colState')}</th>
                <th className="no-print">{t('colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {due.data.items.length === 0 ? (
                <tr>
                  <td colSpan={9} className="muted">
                    {t('none')}
                  </td>
                </tr>
              ) : null}
              {due.data.items.map((record) => {
                const done = appraised[record.archiveCode];
                return (
                  <tr key={record.archiveCode} data-testid="due-row" data-code={record.archiveCode}>
                    <td>
                      <Link to={`/records/${encodeURIComponent(record.archiveCode)}`}>
                        <code>{record.archiveCode}</code>
                      </Link>
                    </td>
                    <td>{record.title}</td>
                    <td>{record.responsibleParty}</td>
                    <td>{format.date(record.dateFormed)}</td>
                    <td>{retention(record.retentionClass)}</td>
                    <td>{format.date(record.retentionDueOn)}</td>
                    <td>{classification(record.classification)}</td>
                    <td>
                      {record.held ? <span className="badge held">{t('held')}</span> : null}
                      {record.onLoan ? <span className="badge on_loan">{t('onLoan')}</span> : null}
                      {record.missing ? <span className="badge missing">{t('missing')}</span> : null}
                      {done ? (
                        <span className="badge due" data-testid="appraised">
                          {done.id} {t(done.decision === 'keep' ? 'keep' : 'release')}
                        </span>
                      ) : null}
                    </td>
                    <td className="no-print actions">
                      {isCommittee ? (
                        <button type="button" onClick={() => setAppraising(record)} data-testid="appraise">
                          {t('appraise')}
                        </button>
                      ) : null}
                      {isArchivist && pickingFor ? (
                        <button
                          type="button"
                          onClick={() => void addToList(record.archiveCode)}
                          data-testid="add-to-list"
                        >
                          {t('addToList', { listId: pickingFor })}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager pager={pager} nextCursor={due.data.nextCursor} total={due.data.total} />
        </>
      ) : null}
      {appraising ? (
        <AppraisalForm
          key={appraising.archiveCode}
          record={appraising}
          onDone={(answer, decision) => onAppraised(appraising, answer, decision)}
          onCancel={() => setAppraising(undefined)}
        />
      ) : null}
    </div>
  );
}
