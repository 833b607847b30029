import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { apiGet, type QueryParams } from '../api/client';
import { useApi, type Loaded } from '../api/use-api';
import { useT } from '../i18n/i18n';
import { ErrorBox, Loading } from '../shell/error-box';
import { PAGE_SIZE, type Page } from './loans-api';
import { loansMessages, modeLabels, roleLabels, statusLabels } from './messages';

export interface Paged<T> extends Loaded<Page<T>> {
  readonly pageNumber: number;
  readonly next: (() => void) | undefined;
  readonly previous: (() => void) | undefined;
}

/**
 * One page of a list the service pages with `cursor`/`limit` (never the whole list). `after` is
 * the position of the desk's last command: the list waits for it (read your own writes) and goes
 * back to its first page, as does any change of `filters`.
 */
export function usePaged<T>(path: string, filters: QueryParams, after: string | undefined): Paged<T> {
  const key = JSON.stringify([path, filters, after ?? null]);
  const [paging, setPaging] = useState<{ key: string; cursors: readonly string[] }>({ key, cursors: [] });
  const cursors = paging.key === key ? paging.cursors : [];
  useEffect(() => {
    if (paging.key !== key) setPaging({ key, cursors: [] });
  }, [key, paging.key]);
  const cursor = cursors.length > 0 ? cursors[cursors.length - 1] : undefined;
  const loaded = useApi(
    () => apiGet<Page<T>>(path, { ...filters, limit: PAGE_SIZE, cursor, after }),
    [key, cursor],
  );
  const nextCursor = loaded.data?.nextCursor ?? null;
  return {
    ...loaded,
    pageNumber: cursors.length + 1,
    next:
      nextCursor === null || loaded.loading
        ? undefined
        : () => setPaging({ key, cursors: [...cursors, nextCursor] }),
    previous: cursors.length === 0 ? undefined : () => setPaging({ key, cursors: cursors.slice(0, -1) }),
  };
}

/** A paged list: its error, loading state, total and pager around the rows. */
export function PagedList<T>({
  list,
  testId,
  children,
}: {
  list: Paged<T>;
  testId: string;
  children: (items: readonly T[]) => ReactNode;
}) {
  const t = useT(loansMessages);
  if (list.error) return <ErrorBox error={list.error} />;
  if (list.data === undefined) return <Loading />;
  return (
    <div data-testid={testId} data-loading={list.loading ? 'true' : 'false'}>
      {list.data.items.length === 0 ? <p className="loans-empty">{t('empty')}</p> : children(list.data.items)}
      <div className="pager">
        <button type="button" onClick={list.previous} disabled={list.previous === undefined}>
          {t('previous')}
        </button>
        <span>{t('page', { n: list.pageNumber })}</span>
        <button type="button" onClick={list.next} disabled={list.next === undefined}>
          {t('next')}
        </button>
        <span className="loans-total">{t('total', { n: list.data.total })}</span>
        <button type="button" onClick={list.reload}>
          {t('refresh')}
        </button>
      </div>
    </div>
  );
}

export function RecordLink({ code }: { code: string }) {
  return (
    <Link to={`/records/${encodeURIComponent(code)}`}>
      <code>{code}</code>
    </Link>
  );
}

export function ModeLabel({ mode }: { mode: string }) {
  const t = useT(modeLabels);
  return <>{mode in modeLabels.zh ? t(mode as keyof typeof modeLabels.zh) : mode}</>;
}

export function StatusBadge({ status }: { status: string }) {
  const t = useT(statusLabels);
  return (
    <span className={`badge loan-${status}`} data-testid="loan-status">
      {status in statusLabels.zh ? t(status as keyof typeof statusLabels.zh) : status}
    </span>
  );
}

export function useRoleLabel(): (role: string, unit?: string) => string {
  const t = useT(roleLabels);
  return (role, unit) => {
    const name = role in roleLabels.zh ? t(role as keyof typeof roleLabels.zh) : role;
    return unit ? `${name}（${unit}）` : name;
  };
}

/** A command's outcome shown at the top of a tab. */
export function OkBox({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <div className="ok-box" role="status" data-testid="command-ok">
      {text}
    </div>
  );
}
