import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiGet } from '../api/client';
import { useApi } from '../api/use-api';
import { useFormat, useT } from '../i18n/i18n';
import { ErrorBox, Loading } from '../shell/error-box';
import { useSignedIn } from '../shell/session-context';
import { catalogueMessages } from './messages';
import { StatusBadges } from './status-badges';
import { CLASSIFICATIONS, RETENTION_CLASSES, SORTS, STATUSES, type CataloguePage as Page } from './types';
import { useWords } from './use-words';

/** The filters of `GET /records` the page offers; all of them live in the address bar. */
const FILTERS = [
  'q',
  'fonds',
  'category',
  'year',
  'retentionClass',
  'classification',
  'status',
  'unit',
  'location',
  'counterparty',
  'sort',
  'direction',
  'limit',
] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Partial<Record<Filter, string>>;

/** Rows a page; `?limit=` (1–200, as the API allows) overrides it. */
const PAGE_SIZE = 25;

function filtersOf(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value !== null && value !== '') filters[name] = value;
  }
  return filters;
}

/** The search as an address: filters, then the cursors of the pages walked through (`cursor`, repeated). */
function paramsOf(filters: Filters, cursors: readonly string[] = []): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = filters[name]?.trim();
    if (value) params.set(name, value);
  }
  for (const cursor of cursors) params.append('cursor', cursor);
  return params;
}

/**
 * 档案目录: Chinese full-text search and filters over `GET /records`, a page at a time with the
 * service's cursor. The search is the address (bookmark it; the back button undoes a step). The
 * service leaves out everything above the reader's clearance, from the rows and the count alike (A2).
 */
export function CataloguePage() {
  const t = useT(catalogueMessages);
  const word = useWords();
  const format = useFormat();
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  const filters = filtersOf(params);
  const cursors = params.getAll('cursor');
  const [draft, setDraft] = useState<Filters>(filters);
  // The address changed (back button, a bookmark, a link): show its filters in the form.
  useEffect(() => setDraft(filtersOf(new URLSearchParams(key))), [key]);

  // Each answer carries the page number it is for, so an older page still shown while the next
  // one loads is never labelled with the new number.
  const page = useApi(async () => {
    const current = new URLSearchParams(key);
    const trail = current.getAll('cursor');
    const answer = await apiGet<Page>('/records', {
      limit: PAGE_SIZE,
      ...filtersOf(current),
      cursor: trail.length > 0 ? trail[trail.length - 1] : undefined,
    });
    return { ...answer, pageNumber: trail.length + 1 };
  }, [key]);

  const search = (next: Filters) => setParams(paramsOf(next));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    search(draft);
  };
  const choose = (name: Filter) => (value: string) => {
    const next = { ...draft, [name]: value };
    setDraft(next);
    search(next);
  };
  const text = (name: Filter) => ({
    value: draft[name] ?? '',
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }),
  });

  const select = (name: Filter, label: string, values: readonly string[], kind?: string, none = t('any')) => (
    <label>
      {label}
      <select
        data-testid={`filter-${name}`}
        value={draft[name] ?? ''}
        onChange={(event) => choose(name)(event.target.value)}
      >
        <option value="">{none}</option>
        {values.map((value) => (
          <option key={value} value={value}>
            {kind ? word(kind, value) : value}
          </option>
        ))}
      </select>
    </label>
  );

  const data = page.data;
  return (
    <section className="catalogue" aria-busy={page.loading}>
      <h1>{t('title')}</h1>
      <form className="card catalogue-search" onSubmit={submit} role="search">
        <div className="toolbar">
          <label className="grow">
            {t('searchLabel')}
            <input
              type="search"
              data-testid="catalogue-q"
              placeholder={t('searchPlaceholder')}
              {...text('q')}
            />
          </label>
          <button type="submit" className="primary" data-testid="catalogue-search">
            {t('search')}
          </button>
          <button type="button" onClick={() => search({})}>
            {t('clear')}
          </button>
        </div>
        <div className="grid">
          {select('status', t('status'), STATUSES, 'status')}
          {select('classification', t('classification'), CLASSIFICATIONS, 'classification')}
          {select('retentionClass', t('retentionClass'), RETENTION_CLASSES, 'retention')}
          <label>
            {t('year')}
            <input type="number" min={1900} max={2999} data-testid="filter-year" {...text('year')} />
          </label>
          <label>
            {t('fonds')}
            <input data-testid="filter-fonds" placeholder="Z001" {...text('fonds')} />
          </label>
          <label>
            {t('category')}
            <input data-testid="filter-category" placeholder="WS" {...text('category')} />
          </label>
          <label>
            {t('unit')}
            <input data-testid="filter-unit" placeholder="SALES" {...text('unit')} />
          </label>
          <label>
            {t('location')}
            <input data-testid="filter-location" placeholder="A-03" {...text('location')} />
          </label>
          <label>
            {t('counterparty')}
            <input data-testid="filter-counterparty" {...text('counterparty')} />
          </label>
          {select(
            'sort',
            t('sort'),
            SORTS.slice(1),
            'sort',
            t('byDefault', { name: word('sort', SORTS[0]) }),
          )}
          {select('direction', t('direction'), ['desc'], 'direction', t('asc'))}
        </div>
      </form>

      <p className="muted">{t('clearanceNote', { clearance: word('classification', session.clearance) })}</p>
      <ErrorBox error={page.error} />
      {page.loading && data === undefined ? <Loading /> : null}
      {data ? (
        <>
          <p className="result-count" data-testid="catalogue-total">
            {t('total', { total: format.number(data.total) })}
            {data.pageNumber > 1 ? ` · ${t('page', { page: data.pageNumber })}` : ''}
          </p>
          {data.items.length === 0 ? (
            <p data-testid="catalogue-empty">{t('none')}</p>
          ) : (
            <table className="catalogue-table" data-testid="catalogue-results">
              <thead>
                <tr>
                  <th>{t('archiveCode')}</th>
                  <th>{t('recordTitle')}</th>
                  <th>{t('year')}</th>
                  <th>{t('retentionClass')}</th>
                  <th>{t('classification')}</th>
                  <th>{t('unit')}</th>
                  <th>{t('location')}</th>
                  <th>{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((entry) => (
                  <tr key={entry.archiveCode} data-testid="catalogue-row" data-code={entry.archiveCode}>
                    <td>
                      <Link to={`/records/${encodeURIComponent(entry.archiveCode)}`}>
                        <code>{entry.archiveCode}</code>
                      </Link>
                    </td>
                    <td>
                      <Link to={`/records/${encodeURIComponent(entry.archiveCode)}`}>{entry.title}</Link>
                      {entry.documentNumber ? (
                        <div className="muted small">{entry.documentNumber}</div>
                      ) : null}
                    </td>
                    <td>{entry.year}</td>
                    <td>
                      {word('retention', entry.retentionClass)}
                      {entry.retentionDueOn ? (
                        <div className="muted small">
                          {t('retentionDueOn')} {format.date(entry.retentionDueOn)}
                        </div>
                      ) : null}
                    </td>
                    <td>{word('classification', entry.classification)}</td>
                    <td>{entry.organisationalUnit}</td>
                    <td>{entry.shelfLocation}</td>
                    <td>
                      <StatusBadges entry={entry} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav className="pager" aria-label={t('page', { page: data.pageNumber })}>
            <button
              type="button"
              data-testid="catalogue-previous"
              disabled={cursors.length === 0}
              onClick={() => setParams(paramsOf(filters, cursors.slice(0, -1)))}
            >
              {t('previous')}
            </button>
            <span>{t('page', { page: data.pageNumber })}</span>
            <button
              type="button"
              data-testid="catalogue-next"
              disabled={data.nextCursor === null}
              onClick={() => data.nextCursor && setParams(paramsOf(filters, [...cursors, data.nextCursor]))}
            >
              {t('next')}
            </button>
          </nav>
        </>
      ) : null}
    </section>
  );
}
