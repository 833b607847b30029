import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { apiGet, apiPost, type CommandAnswer } from '../api/client';
import { hasRole } from '../api/session';
import { useApi } from '../api/use-api';
import { useFormat } from '../i18n/i18n';
import { ErrorBox, Loading } from '../shell/error-box';
import { useSession } from '../shell/session-context';
import { useCursors } from '../api/use-cursors';
import { Pager, StatusBadge, useLabels } from './common';
import { LIST_STATUSES, type DestructionList, type Page } from './types';

const PAGE_SIZE = 20;

/** 销毁清册登记簿 — `GET /destruction-lists` (D7), newest first, paged, filtered by status. */
export function RegisterPage() {
  const { t, status: statusLabel } = useLabels();
  const format = useFormat();
  const { session } = useSession();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const after = params.get('after') ?? undefined;
  const pager = useCursors();
  const register = useApi(
    () =>
      apiGet<Page<DestructionList>>('/destruction-lists', {
        status,
        limit: PAGE_SIZE,
        cursor: pager.cursor,
        after,
      }),
    [status, pager.cursor, after],
  );

  const filter = (next: string) => {
    pager.reset();
    const query = new URLSearchParams(params);
    if (next === '') query.delete('status');
    else query.set('status', next);
    setParams(query);
  };

  return (
    <div data-testid="register">
      <h2>{t('registerTitle')}</h2>
      <p className="muted">{t('registerHint')}</p>
      {hasRole(session, 'archivist') ? <DraftListForm /> : null}
      <div className="toolbar no-print">
        <label>
          {t('statusFilter')}
          <select value={status} onChange={(e) => filter(e.target.value)} data-testid="status-filter">
            <option value="">{t('allStatuses')}</option>
            {LIST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={register.reload}>
          {t('reload')}
        </button>
      </div>
      <ErrorBox error={register.error} />
      {register.loading && !register.data ? <Loading /> : null}
      {register.data ? (
        <>
          <table data-testid="register-table">
            <thead>
              <tr>
                <th>{t('colListId')}</th>
                <th>{t('colListTitle')}</th>
                <th>{t('colBusinessUnit')}</th>
                <th>{t('colStatus')}</th>
                <th className="num">{t('colItems')}</th>
                <th>{t('colDrafted')}</th>
                <th>{t('colDestroyedOn')}</th>
              </tr>
            </thead>
            <tbody>
              {register.data.items.length === 0 ? (
                <tr>
                  <td colSpan={7} className="muted">
                    {t('none')}
                  </td>
                </tr>
              ) : null}
              {register.data.items.map((list) => (
                <tr key={list.listId} data-testid="register-row" data-list-id={list.listId}>
                  <td>
                    <Link to={`/disposition/lists/${list.listId}`}>
                      <code>{list.listId}</code>
                    </Link>
                  </td>
                  <td>{list.title}</td>
                  <td>{list.businessUnit}</td>
                  <td>
                    <StatusBadge status={list.status} />
                  </td>
                  <td className="num">{format.number(list.itemCount)}</td>
                  <td>
                    {list.draftedBy.id} · {format.dateTime(list.draftedAt)}
                  </td>
                  <td>{format.date(list.destroyedOn)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager pager={pager} nextCursor={register.data.nextCursor} total={register.data.total} />
        </>
      ) : null}
    </div>
  );
}

/** 编制销毁清册 — `POST /destruction-lists` (archivist, D2, D3). */
function DraftListForm() {
  const { t } = useLabels();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [businessUnit, setBusinessUnit] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await apiPost<CommandAnswer & { listId: string }>('/destruction-lists', {
        title,
        businessUnit: businessUnit.trim().toUpperCase(),
      });
      navigate(`/disposition/lists/${answer.listId}?after=${encodeURIComponent(answer.position)}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card no-print" onSubmit={submit} data-testid="draft-form">
      <h3>{t('draftTitle')}</h3>
      <div className="toolbar">
        <label className="wide">
          {t('draftListTitle')}
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            placeholder={t('draftListTitlePlaceholder')}
            data-testid="draft-title"
          />
        </label>
        <label>
          {t('draftBusinessUnit')}
          <input
            value={businessUnit}
            onChange={(e) => setBusinessUnit(e.target.value)}
            data-testid="draft-unit"
          />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="draft-submit">
          {t('draftSubmit')}
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}
