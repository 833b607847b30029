import type { Actor } from '../../domain-kernel/actor';
import type {
  FieldCondition,
  Filter,
  ReadDoc,
  ReadStore,
  SortDirection,
} from '../../read-store/read-store.port';
import { withoutBookkeeping } from '../catalogue/read-query';
import { visibleTo } from '../clearance';
import type { PageAnswer, PageQueryDto } from '../page-query.dto';

/** A ledger page: the items, the cursor of the next page, and how many match (visible ones only, A2). */
export interface LedgerPage<T> extends PageAnswer<T> {
  readonly total: number;
}

export const DEFAULT_PAGE_SIZE = 50;

export interface LedgerQuery {
  readonly collection: string;
  /** Who asks: their clearance goes inside the filter (A2), so pages and totals never count hidden entries. */
  readonly actor: Actor;
  readonly filter: Filter;
  readonly sort: { readonly field: string; readonly direction: SortDirection };
  readonly page: Pick<PageQueryDto, 'limit' | 'cursor'>;
}

/**
 * One page of a ledger and its total, both under the caller's clearance (A2). The clearance
 * condition is laid over the given filter, never beside it, so no filter can widen it.
 */
export async function ledgerPage<T>(
  reads: ReadStore,
  { collection, actor, filter, sort, page }: LedgerQuery,
  toItem: (doc: ReadDoc) => T = (doc) => withoutBookkeeping<T>(doc),
): Promise<LedgerPage<T>> {
  const visible: Filter = { ...filter, ...visibleTo(actor) };
  const [found, total] = await Promise.all([
    reads.find(collection, {
      filter: visible,
      sort,
      limit: page.limit ?? DEFAULT_PAGE_SIZE,
      ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
    }),
    reads.count(collection, { filter: visible }),
  ]);
  return { items: found.items.map(toItem), nextCursor: found.nextCursor ?? null, total };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A time range on an ISO timestamp field, from `from` and `to` as the query gave them: a day (UTC)
 * or a moment (ISO 8601, any offset). `from` is inclusive; `to` includes the whole day when it is a
 * day, and the moment itself otherwise. Bounds are normalised to the stored form (`toISOString`),
 * so that comparing strings compares times. Undefined when neither is given.
 */
export function timeRange(from: string | undefined, to: string | undefined): FieldCondition | undefined {
  if (from === undefined && to === undefined) return undefined;
  const range: { gte?: string; lt?: string; lte?: string } = {};
  if (from !== undefined) range.gte = instant(from);
  if (to !== undefined) {
    if (DATE_ONLY.test(to))
      range.lt = new Date(Date.parse(`${to}T00:00:00.000Z`) + 24 * 3600 * 1000).toISOString();
    else range.lte = instant(to);
  }
  return range;
}

function instant(value: string): string {
  return new Date(DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : value).toISOString();
}

/**
 * The strings that begin with `prefix`, as a range (`gte` the prefix, `lt` the prefix with its last
 * character moved one up), which both stores answer from an index.
 */
export function prefixRange(prefix: string): FieldCondition {
  const chars = Array.from(prefix);
  const last = chars.pop() as string;
  const next = String.fromCodePoint((last.codePointAt(0) as number) + 1);
  return { gte: prefix, lt: chars.join('') + next };
}
