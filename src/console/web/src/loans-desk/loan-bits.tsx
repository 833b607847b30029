import type { FormEvent, ReactNode } from 'react';
import { Link } from 'react-router';
import { apiGet, type QueryParams } from '../api/client';
import { useCursors } from '../api/use-cursors';
import type { Command } from '../api/use-command';
import { useApi, type Loaded } from '../api/use-api';
import { useT } from '../i18n/i18n';
import { ErrorBox, Loading } from '../shell/error-box';
import { PAGE_SIZE, borrowerName, type Borrower, type LoanMode, type Page } from './loans-api';
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
  const cursors = useCursors(key);
  const loaded = useApi(
    () => apiGet<Page<T>>(path, { ...filters, limit: PAGE_SIZE, cursor: cursors.cursor, after }),
    [key, cursors.cursor],
  );
  const nextCursor = loaded.data?.nextCursor ?? null;
  return {
    ...loaded,
    pageNumber: cursors.pageNumber,
    next: nextCursor === null || loaded.loading ? undefined : () => cursors.next(nextCursor),
    previous: cursors.pageNumber === 1 ? undefined : cursors.previous,
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

type LoanText = keyof typeof loansMessages.zh;

/** A loan list's column after the loan's own (LoanCells), by its head's text; `num` for numbers. */
export type LoanColumn = LoanText | { readonly num: LoanText };

/**
 * A list of loans as a table: the heads of the columns every loan list begins with (see
 * LoanCells), those of its further `columns`, and its rows.
 */
export function LoansTable({
  borrower = true,
  columns,
  children,
}: {
  borrower?: boolean;
  columns: readonly LoanColumn[];
  children: ReactNode;
}) {
  const t = useT(loansMessages);
  return (
    <table className="loans-table">
      <thead>
        <tr>
          <th>
            {t('archiveCode')} / {t('recordTitle')}
          </th>
          {borrower ? <th>{t('borrower')}</th> : null}
          <th>{t('mode')}</th>
          {columns.map((column) =>
            typeof column === 'string' ? (
              <th key={column}>{t(column)}</th>
            ) : (
              <th key={column.num} className="num">
                {t(column.num)}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/**
 * The cells every loan list begins with: the record (and the loan's id), the borrower (unless the
 * list is the borrower's own), the mode; `children` follow the mode in its cell.
 */
export function LoanCells({
  loan,
  borrower = true,
  children,
}: {
  loan: { loanId: string; archiveCode: string; title: string; borrower: Borrower; mode: LoanMode };
  borrower?: boolean;
  children?: ReactNode;
}) {
  return (
    <>
      <td>
        <RecordLink code={loan.archiveCode} />
        <div>{loan.title}</div>
        <small className="loans-muted">{loan.loanId}</small>
      </td>
      {borrower ? <td>{borrowerName(loan.borrower)}</td> : null}
      <td>
        <ModeLabel mode={loan.mode} />
        {children}
      </td>
    </>
  );
}

export { useCommand, type Command } from '../api/use-command';

/** A desk form sending one command: its fields, its buttons (submit, and cancel if it can) and the refusal. */
export function CommandForm({
  command,
  onSubmit,
  testId,
  submitLabel,
  submitTestId,
  primary = true,
  onCancel,
  className = 'loans-form',
  children,
}: {
  command: Command;
  onSubmit: () => Promise<void>;
  testId: string;
  submitLabel: string;
  submitTestId: string;
  primary?: boolean;
  onCancel?: () => void;
  className?: string;
  children: ReactNode;
}) {
  const t = useT(loansMessages);
  function submit(event: FormEvent) {
    event.preventDefault();
    void command.run(onSubmit);
  }
  return (
    <form className={className} onSubmit={submit} data-testid={testId}>
      {children}
      <div className="loans-buttons">
        <button
          type="submit"
          className={primary ? 'primary' : undefined}
          disabled={command.busy}
          data-testid={submitTestId}
        >
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        ) : null}
      </div>
      <ErrorBox error={command.error} />
    </form>
  );
}

/** A labelled free-text field (an opinion, a note, a reason). */
export function NoteField({
  label,
  value,
  onChange,
  testId,
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  testId: string;
}) {
  return (
    <label>
      {label}
      <textarea rows={2} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId} />
    </label>
  );
}

/** A labelled choice among fixed values, each shown by its label. */
export function ChoiceField<V extends string>({
  label,
  value,
  values,
  labelOf,
  onChange,
  testId,
}: {
  label: ReactNode;
  value: V;
  values: readonly V[];
  labelOf: (value: V) => string;
  onChange: (value: V) => void;
  testId: string;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as V)} data-testid={testId}>
        {values.map((option) => (
          <option key={option} value={option}>
            {labelOf(option)}
          </option>
        ))}
      </select>
    </label>
  );
}
