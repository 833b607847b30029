import type { JsonValue, Position } from '../event-store/event-store.port';

/**
 * The read-store port: where projections keep read models and queries read them. Two adapters
 * implement it — the embedded SQLite store (default; the same file as the events) and MongoDB —
 * and both pass one contract suite (read-store.contract.ts): the same writes and the same queries
 * give the same answers.
 *
 * Documents are JSON objects with a string `id`. Fields are addressed by dotted paths
 * (`borrower.id`). The query language is deliberately small so that both adapters can answer it
 * from indexes: equality, `in`, ranges, `exists`, `ne`, AND of fields, one sort field with `id` as
 * tie-break, cursor pagination, counts and group counts, and substring text search that works for
 * Chinese (see `text` below).
 */

export type ReadDoc = { readonly id: string } & { readonly [field: string]: JsonValue };

export type Scalar = string | number | boolean | null;

/** A condition on one field. A bare scalar means equality. */
export type FieldCondition =
  | Scalar
  | { readonly in: readonly Scalar[] }
  | { readonly ne: Scalar }
  | { readonly exists: boolean }
  | { readonly gt?: Scalar; readonly gte?: Scalar; readonly lt?: Scalar; readonly lte?: Scalar };

/** Every condition must hold (AND). Keys are dotted field paths. */
export type Filter = { readonly [path: string]: FieldCondition };

/**
 * A partial index: over `fields`, holding only the documents where the field `only` (one of
 * `fields`) has a value (`is: 'set'`: present and not null) or equals a value (`is: { equals }`).
 * Smaller and cheaper to build and keep than the full index, but used only by the queries that
 * imply its condition: for `'set'` an equality with a non-null value, `in` without null, a range,
 * or `exists: true` where the field never holds null; for `equals` an equality with that value.
 * Other queries get the same answers, not from this index. Meant for fields that mostly hold null,
 * false or nothing (the month a record was destroyed, a loan's open approval round, whether a
 * record is on loan) and for lists of a few documents among many (loans out now).
 */
export interface PartialIndex {
  readonly fields: readonly string[];
  readonly only: string;
  readonly is: 'set' | { readonly equals: string | number | boolean };
}

/** One (compound) index: its field paths in order, or a partial index. */
export type IndexDefinition = readonly string[] | PartialIndex;

/** The field paths of an index, in order. */
export function indexFields(index: IndexDefinition): readonly string[] {
  return isPartialIndex(index) ? index.fields : index;
}

export function isPartialIndex(index: IndexDefinition): index is PartialIndex {
  return !Array.isArray(index);
}

/** A read model's collection: its name, the indexes the queries need, and its searchable text. */
export interface CollectionDefinition {
  /** e.g. `catalogue`; adapters may prefix it (table `rm_catalogue`, collection `catalogue`). */
  readonly name: string;
  /**
   * The indexes the queries need, each one (compound) index: its field paths, e.g.
   * `[['fonds'], ['borrower.id', 'status']]`, or a partial index (`PartialIndex`).
   */
  readonly indexes: readonly IndexDefinition[];
  /**
   * Fields (string or string-array paths) searched by `text`. A text query matches a document
   * when every whitespace-separated term of it is a substring of one of these fields (case-
   * insensitive for Latin letters). Adapters index character bigrams so that Chinese works without
   * a segmenter: `合同` finds `客户合同档案`.
   */
  readonly text?: readonly string[];
}

export type SortDirection = 'asc' | 'desc';

export interface FindQuery {
  readonly filter?: Filter;
  /** Text search over the collection's `text` fields. */
  readonly text?: string;
  /** Sort by one field, then by `id` in the same direction. Default: `id` ascending. */
  readonly sort?: { readonly field: string; readonly direction: SortDirection };
  /** 1..1000 */
  readonly limit: number;
  /** Opaque cursor from a previous page's `nextCursor`; the same filter, text and sort must be sent. */
  readonly cursor?: string;
}

export interface Page<D extends ReadDoc = ReadDoc> {
  readonly items: readonly D[];
  /** Present when more items follow. */
  readonly nextCursor?: string;
}

export interface GroupCountQuery {
  readonly filter?: Filter;
  /** Field paths to group by; documents missing a field group under null. */
  readonly by: readonly string[];
}

export interface GroupCount {
  readonly key: { readonly [path: string]: Scalar };
  readonly count: number;
}

/** What one projector batch writes, atomically with its checkpoint. */
export interface ReadModelWrite {
  readonly upserts: readonly { readonly collection: string; readonly doc: ReadDoc }[];
  readonly deletes: readonly { readonly collection: string; readonly id: string }[];
}

export interface ReadStore {
  /** Create what the collections need (tables, indexes); idempotent. Called once at start. */
  ensureCollections(definitions: readonly CollectionDefinition[]): Promise<void>;

  // ── projector side ──
  /** Write the documents and move the checkpoint of `projector`, all or nothing. */
  commit(projector: string, write: ReadModelWrite, checkpoint: Position): Promise<void>;
  /** The projector's last committed position, or undefined when it has never committed. */
  checkpoint(projector: string): Promise<Position | undefined>;
  /** Delete every document of these collections and the projector's checkpoint, all or nothing. */
  reset(projector: string, collections: readonly string[]): Promise<void>;
  /** Documents by id (those that exist), for read-modify-write in the projector. */
  getMany(collection: string, ids: readonly string[]): Promise<ReadDoc[]>;
  /** Ids of the documents matching an equality filter (fan-out of one event to many documents). */
  idsWhere(collection: string, filter: Filter): Promise<string[]>;

  // ── query side ──
  get(collection: string, id: string): Promise<ReadDoc | undefined>;
  find(collection: string, query: FindQuery): Promise<Page>;
  count(collection: string, query: { readonly filter?: Filter; readonly text?: string }): Promise<number>;
  groupCount(collection: string, query: GroupCountQuery): Promise<GroupCount[]>;

  /**
   * Optional: run a rebuild of these collections (large commits nobody is waiting for) with the
   * store tuned for it, then restore it. The collections must exist (`ensureCollections`). The
   * embedded store drops the collections' secondary indexes and builds them once at the end,
   * writes the text search's n-grams once at the end too, checkpoints its WAL less often, and
   * relaxes fsync to SQLite's WAL `NORMAL` (never corrupting; at worst the last commits are lost on
   * power loss, and a rebuild is simply run again). If the work is interrupted, `ensureCollections`
   * (run at every start) builds the missing indexes and re-indexes the text. Stores without such a
   * mode just run `work`.
   */
  withBulkLoad?<T>(definitions: readonly CollectionDefinition[], work: () => Promise<T>): Promise<T>;

  /** Cheap liveness probe for /health/ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const READ_STORE = Symbol('READ_STORE');

/** A cursor or query the adapter cannot answer (bad cursor, unknown sort field…): a 400 at the edge. */
export class InvalidQueryError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'InvalidQueryError';
  }
}
