import { createHash } from 'node:crypto';
import type { Document, IndexDescription } from 'mongodb';
import type { JsonValue } from '../../event-store/event-store.port';
import {
  InvalidQueryError,
  indexFields,
  isPartialIndex,
  type CollectionDefinition,
  type FieldCondition,
  type Filter,
  type GroupCount,
  type ReadDoc,
  type Scalar,
  type SortDirection,
} from '../read-store.port';
import { documentTokens, searchTerms, searchableText, termTokens, textValues } from '../text-search';
import {
  checkIndexes,
  decodeCursor,
  encodeCursor,
  isScalar,
  parseFieldPath,
  MAX_IN_VALUES,
  type CursorPosition,
} from '../query-checks';

/**
 * The pure half of the MongoDB read store: how a read-model document is stored, and how the port's
 * query language (read-store.port.ts, semantics pinned by read-store.contract.ts) becomes a MongoDB
 * query, sort, cursor condition, index list and group pipeline. Nothing here talks to a server, so
 * all of it is unit-tested (mongo-filter.spec.ts).
 *
 * Stored shape: `{ _id: id, ...fields, _tokens, _text }`. The `id` field lives only in `_id`
 * (restored on the way out); `_tokens` (character unigrams and bigrams, multikey-indexed) and
 * `_text` (the normalised searchable text) exist only in collections that declare `text` fields.
 * MongoDB's own text index does not segment Chinese, so search uses the n-grams (ARCHITECTURE.md).
 *
 * The contract's filter semantics are MongoDB's own (the SQLite adapter emulates them), so they
 * translate one to one: equality with null matches null or missing; `$ne` matches a missing field
 * and, on an array, means no element equals; `$exists` is about presence (null exists); a condition
 * on an array matches when any element does; ranges compare within one type (type bracketing), so
 * a number bound never matches a string and a missing field is never in range.
 */

export const ID = '_id';
export const TOKENS = '_tokens';
export const TEXT = '_text';
/** Stored fields that belong to the adapter, never to a document, and may not be queried. */
const RESERVED: ReadonlySet<string> = new Set([ID, TOKENS, TEXT]);

/**
 * A field path: identifier segments joined by dots, as the SQLite adapter accepts them. No `$` (no
 * operator injection), no empty or numeric segments (MongoDB would read those as array positions).
 */
const MAX_GROUP_FIELDS = 8;
export const MAX_LIMIT = 1000;
export const MAX_ID_LENGTH = 512;
const MAX_DEPTH = 64;

export type StoredDoc = { _id: string } & Document;

/** The MongoDB path for a port field path: `id` is `_id`; anything malformed or internal is refused. */
export function mongoPath(path: unknown, what = 'field'): string {
  const segments = parseFieldPath(path, what);
  const checked = segments.join('.');
  if (RESERVED.has(segments[0])) {
    throw new InvalidQueryError(`${what} "${checked}" is internal to the MongoDB read store`, checked);
  }
  return checked === 'id' ? ID : checked;
}

function scalar(value: unknown, path: string): Scalar {
  if (!isScalar(value)) {
    throw new InvalidQueryError(
      `the value for ${path} must be a string, a finite number, a boolean or null`,
      path,
    );
  }
  return value;
}

const RANGE = ['gt', 'gte', 'lt', 'lte'] as const;

/** One field condition as a MongoDB query value (the translation is one to one, see above). */
function condition(path: string, cond: FieldCondition): unknown {
  if (cond === null || typeof cond !== 'object') return scalar(cond, path);
  if (Array.isArray(cond)) {
    throw new InvalidQueryError(`the condition on ${path} is not a value or a condition object`, path);
  }
  const keys = Object.keys(cond);
  const single = keys.length === 1 ? keys[0] : undefined;
  if (single === 'in') {
    const values = (cond as { in: unknown }).in;
    if (!Array.isArray(values) || values.length > MAX_IN_VALUES) {
      throw new InvalidQueryError(`"in" on ${path} needs a list of at most ${MAX_IN_VALUES} values`, path);
    }
    return { $in: values.map((value) => scalar(value, path)) };
  }
  if (single === 'ne') return { $ne: scalar((cond as { ne: unknown }).ne, path) };
  if (single === 'exists') {
    const exists = (cond as { exists: unknown }).exists;
    if (typeof exists !== 'boolean')
      throw new InvalidQueryError(`"exists" on ${path} needs true or false`, path);
    return { $exists: exists };
  }
  if (keys.length === 0 || !keys.every((key) => (RANGE as readonly string[]).includes(key))) {
    throw new InvalidQueryError(
      `the condition on ${path} must be one of in, ne, exists or gt/gte/lt/lte (got ${keys.join(', ') || 'nothing'})`,
      path,
    );
  }
  // Bounds are all numbers or all strings (ISO timestamps compare as strings).
  const values = keys.map((key) => (cond as Record<string, unknown>)[key]);
  const kind = typeof values[0];
  if (!(kind === 'string' || kind === 'number') || !values.every((value) => typeof value === kind)) {
    throw new InvalidQueryError(`the bounds on ${path} must all be numbers or all be strings`, path);
  }
  if (kind === 'number' && !values.every((value) => Number.isFinite(value))) {
    throw new InvalidQueryError(`the bounds on ${path} must be finite numbers`, path);
  }
  const range: Record<string, string | number> = {};
  keys.forEach((key, i) => {
    range[`$${key}`] = values[i] as string | number;
  });
  return range;
}

/** The port's filter as a MongoDB query document (AND of the fields). */
export function mongoFilter(filter: Filter | undefined): Document {
  if (filter === undefined) return {};
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new InvalidQueryError('a filter must be an object of field conditions', 'filter');
  }
  const query: Document = {};
  for (const [path, cond] of Object.entries(filter)) {
    query[mongoPath(path)] = condition(path, cond);
  }
  return query;
}

/** Escape every regex metacharacter (PCRE: a backslash before a non-alphanumeric character makes it literal). */
export function escapeRegex(term: string): string {
  return term.replace(/[\\^$.*+?()[\]{}|/#\-\s]/g, '\\$&');
}

/** The normalised terms of a text query (none for blank text); refuses a text that is not a string. */
export function textTerms(text: unknown): string[] {
  if (text === undefined) return [];
  if (typeof text !== 'string') throw new InvalidQueryError('text must be a string', 'text');
  return searchTerms(text);
}

/**
 * Text search as query clauses (ANDed): every token of every term must be in `_tokens` (the
 * indexed, selective part: a complete pre-filter, see text-search.ts), and every term must be a
 * substring of `_text` (the match itself: the n-grams alone would also match a document holding
 * the pieces apart). Terms and `_text` are normalised alike by text-search.ts, so the regex is a
 * plain, case-sensitive substring match of a literal; `_text` joins the fields with '\n', which no
 * term holds, so a term never matches across two fields.
 */
export function textClauses(terms: readonly string[]): Document[] {
  if (terms.length === 0) return [];
  const tokens = [...new Set(terms.flatMap((term) => termTokens(term)))];
  // `$all: []` would match nothing; terms always have tokens, but stay safe.
  const clauses: Document[] = tokens.length > 0 ? [{ [TOKENS]: { $all: tokens } }] : [];
  for (const term of terms) clauses.push({ [TEXT]: { $regex: escapeRegex(term) } });
  return clauses;
}

/** AND of query parts, flat when there is only one. */
export function and(parts: readonly Document[]): Document {
  const nonEmpty = parts.filter((part) => Object.keys(part).length > 0);
  if (nonEmpty.length === 0) return {};
  if (nonEmpty.length === 1) return nonEmpty[0];
  return { $and: nonEmpty };
}

// ── sort and cursors ──

export interface Sort {
  readonly field: string;
  readonly direction: SortDirection;
}

export const DEFAULT_SORT: Sort = { field: 'id', direction: 'asc' };

export function checkSort(sort: Sort | undefined): Sort {
  if (sort === undefined) return DEFAULT_SORT;
  if (sort === null || typeof sort !== 'object')
    throw new InvalidQueryError('sort must be { field, direction }', 'sort');
  mongoPath(sort.field, 'the sort field');
  if (sort.direction !== 'asc' && sort.direction !== 'desc') {
    throw new InvalidQueryError('the sort direction must be asc or desc', 'sort');
  }
  return { field: sort.field, direction: sort.direction };
}

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidQueryError(`limit must be a whole number from 1 to ${MAX_LIMIT}`, 'limit');
  }
  return limit;
}

/** `{ field: dir, _id: dir }`: one field, then the id in the same direction. */
export function mongoSort(sort: Sort): Record<string, 1 | -1> {
  const dir = sort.direction === 'asc' ? 1 : -1;
  const path = mongoPath(sort.field);
  return path === ID ? { [ID]: dir } : { [path]: dir, [ID]: dir };
}

export { decodeCursor, encodeCursor, isScalar, type CursorPosition };

/** The value at a dotted path of a document (plain objects only); undefined when missing. */
export function valueAt(doc: ReadDoc | Document, path: string): JsonValue | undefined {
  let current: unknown = doc;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current as JsonValue | undefined;
}

/** Where the next page starts, read off the last document of this page (a port document). */
export function cursorPosition(sort: Sort, last: ReadDoc): CursorPosition {
  const value = valueAt(last, sort.field) ?? null;
  if (!isScalar(value)) {
    throw new InvalidQueryError(`cannot page by ${sort.field}: it holds an object or a list`, sort.field);
  }
  return { value, id: last.id };
}

/**
 * MongoDB's sort order across the JSON types (BSON comparison order; null and missing are equal
 * and lowest). Range operators only compare within one type, so the cursor condition adds "any
 * value of a type that sorts after (before, descending)" explicitly.
 */
const TYPE_ORDER = ['null', 'number', 'string', 'object', 'array', 'bool'] as const;

function typeRank(value: Exclude<Scalar, null>): number {
  return TYPE_ORDER.indexOf(
    typeof value === 'number' ? 'number' : typeof value === 'string' ? 'string' : 'bool',
  );
}

/**
 * The documents strictly after `position` in `sort` order: keyset pagination.
 *
 * Null ordering — the contract's, the SQLite adapter's and MongoDB's own: a missing or null sort
 * value sorts FIRST ascending and LAST descending; documents with equal values (null and missing
 * being equal) are ordered by id in the sort's direction.
 *   asc,  after v:    field > v  |  field = v and _id > id  |  field of a later type
 *   asc,  after null: field null/missing and _id > id  |  field not null
 *   desc, after v:    field < v  |  field = v and _id < id  |  field of an earlier type  |  null/missing
 *   desc, after null: field null/missing and _id < id
 * Within one type (what read models sort on: numbers, or strings such as ISO timestamps) the two
 * stores agree exactly. Across types they differ where SQLite does: MongoDB sorts booleans after
 * strings, SQLite's json_extract reads them as 1/0; paging a field that holds a list or an object
 * is refused (MongoDB sorts a list by its smallest/largest element, which no cursor can continue).
 */
export function afterCursor(sort: Sort, position: CursorPosition): Document {
  const path = mongoPath(sort.field);
  const asc = sort.direction === 'asc';
  const idAfter = { [ID]: asc ? { $gt: position.id } : { $lt: position.id } };
  if (path === ID) return idAfter;
  const { value } = position;
  if (value === null) {
    const tied = { [path]: null, ...idAfter };
    return asc ? { $or: [tied, { [path]: { $ne: null } }] } : tied;
  }
  const rank = typeRank(value);
  const branches: Document[] = [
    { [path]: asc ? { $gt: value } : { $lt: value } },
    { [path]: value, ...idAfter },
  ];
  const otherTypes = asc ? TYPE_ORDER.slice(rank + 1) : TYPE_ORDER.slice(1, rank);
  if (otherTypes.length > 0) branches.push({ [path]: { $type: [...otherTypes] } });
  if (!asc) branches.push({ [path]: null });
  return { $or: branches };
}

// ── group counts ──

export function checkGroupBy(by: unknown): string[] {
  if (!Array.isArray(by) || by.length === 0 || by.length > MAX_GROUP_FIELDS) {
    throw new InvalidQueryError(`group by one to ${MAX_GROUP_FIELDS} fields`, 'by');
  }
  by.forEach((path) => mongoPath(path, 'a group field'));
  if (new Set(by).size !== by.length) throw new InvalidQueryError('group by each field once', 'by');
  return [...(by as string[])];
}

/**
 * `$match`, then `$group` on the fields, a missing field grouping with null (`$ifNull`). The group
 * key uses positional names: a field name in an expression object may not contain a dot.
 */
export function groupPipeline(match: Document, by: readonly string[]): Document[] {
  const key: Document = {};
  checkGroupBy(by).forEach((path, i) => {
    key[`k${i}`] = { $ifNull: [`$${mongoPath(path)}`, null] };
  });
  return [{ $match: match }, { $group: { _id: key, count: { $sum: 1 } } }];
}

export function groupCountOf(by: readonly string[], row: Document): GroupCount {
  const id = (row._id ?? {}) as Document;
  const key: Record<string, Scalar> = {};
  by.forEach((path, i) => {
    key[path] = (id[`k${i}`] ?? null) as Scalar;
  });
  return { key, count: Number(row.count) };
}

/** Largest group first, then by key — the order the SQLite adapter answers in. */
export function sortGroups(groups: readonly GroupCount[]): GroupCount[] {
  const identity = (group: GroupCount) => JSON.stringify(group.key);
  return [...groups].sort(
    (a, b) => b.count - a.count || (identity(a) < identity(b) ? -1 : identity(a) > identity(b) ? 1 : 0),
  );
}

// ── collections and indexes ──

/** Lower-case words joined by single underscores, as the SQLite adapter requires. */
const COLLECTION_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const MAX_COLLECTION_NAME = 48;
export const INDEX_PREFIX = 'rm_ix_';

export function checkDefinition(
  definition: CollectionDefinition,
  reserved: readonly string[],
): CollectionDefinition {
  const name: unknown = definition.name;
  if (typeof name !== 'string' || name.length > MAX_COLLECTION_NAME || !COLLECTION_NAME.test(name)) {
    throw new Error(
      `collection name "${String(name)}" must be lower-case words joined by single underscores`,
    );
  }
  if (reserved.includes(name))
    throw new Error(`collection name "${name}" is reserved by the MongoDB read store`);
  const indexes = checkIndexes(name, definition.indexes, mongoPath);
  (definition.text ?? []).forEach((path) => mongoPath(path, `a text field of ${name}`));
  return {
    name,
    indexes,
    text: [...(definition.text ?? [])],
  };
}

/**
 * The indexes a definition asks for, each named `rm_ix_<hash of its fields>` so that the store can
 * tell its own indexes from others and drop those no longer declared. Every declared index gets
 * `_id` appended (unless it ends in `id`), as the SQLite adapter appends `id`: a sort on the field
 * with its `_id` tie-break, and the cursor seek, then run on the index. A text collection also gets
 * the multikey index on `_tokens`. `_id` alone is always indexed by MongoDB and is left out.
 *
 * A partial index gets a `partialFilterExpression` (and its condition in the hash, so a changed
 * condition is a new index): `is: { equals: v }` is `{ field: v }`, and `is: 'set'` is
 * `{ field: { $exists: true } }`, as a partial filter cannot say "not null". So in MongoDB the
 * index also holds the documents where the field is null; the SQLite adapter leaves them out.
 * Either way a query gets the same answers; only the size of the index differs.
 */
export function indexSpecs(definition: CollectionDefinition): IndexDescription[] {
  const specs = new Map<string, IndexDescription>();
  for (const index of definition.indexes) {
    const key: Record<string, 1> = {};
    for (const field of indexFields(index)) key[mongoPath(field)] = 1;
    key[ID] = 1;
    const paths = Object.keys(key);
    if (paths.length === 1) continue; // `_id` alone (a partial index never names only the id)
    const identity = isPartialIndex(index) ? { paths, only: index.only, is: index.is } : paths;
    const name = `${INDEX_PREFIX}${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 12)}`;
    const spec: IndexDescription = { key, name };
    if (isPartialIndex(index)) {
      const condition = index.is === 'set' ? { $exists: true } : index.is.equals;
      spec.partialFilterExpression = { [mongoPath(index.only)]: condition };
    }
    specs.set(name, spec);
  }
  if ((definition.text ?? []).length > 0) {
    specs.set(`${INDEX_PREFIX}tokens`, { key: { [TOKENS]: 1 }, name: `${INDEX_PREFIX}tokens` });
  }
  return [...specs.values()];
}

// ── storage shape ──

/**
 * Refuse what JSON cannot hold (BSON would store NaN, Infinity, dates and class instances), keys
 * BSON cannot hold (a NUL) and keys MongoDB reads as operators (a leading `$`).
 */
function checkJson(value: unknown, path: string, depth: number): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`${path} is not a finite number`);
      return;
    case 'object': {
      if (value === null) return;
      if (depth > MAX_DEPTH) throw new Error('a read-model document nests too deeply');
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i += 1) {
          if (!(i in value)) throw new Error(`${path} is a sparse array`);
          checkJson(value[i], path, depth + 1);
        }
        return;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null)
        throw new Error(`${path} is not a plain JSON object`);
      for (const key of Object.keys(value)) {
        if (key.startsWith('$') || key.includes('\0')) {
          throw new Error(`${path}: the key ${JSON.stringify(key)} cannot be stored in MongoDB`);
        }
        checkJson((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, depth + 1);
      }
      return;
    }
    default:
      throw new Error(`${path} holds a ${typeof value}, which JSON cannot hold`);
  }
}

/** A port document as stored: `_id` instead of `id`, plus `_tokens`/`_text` when the collection is searchable. */
export function toStored(doc: ReadDoc, textFields: readonly string[] | undefined): StoredDoc {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new Error('a read-model document must be a JSON object');
  }
  const { id, ...fields } = doc;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new Error('a read-model document needs a string id');
  }
  for (const reserved of RESERVED) {
    if (reserved in fields) throw new Error(`a read-model document may not carry the field ${reserved}`);
  }
  checkJson(fields, '', 0);
  const stored: StoredDoc = { _id: id, ...fields };
  if (textFields !== undefined && textFields.length > 0) Object.assign(stored, searchFields(doc, textFields));
  return stored;
}

/** `_tokens` and `_text` of a document for the collection's text fields. */
export function searchFields(
  doc: ReadDoc,
  textFields: readonly string[],
): { _tokens: string[]; _text: string } {
  const values = textValues(doc, textFields);
  return { [TOKENS]: documentTokens(values), [TEXT]: searchableText(values) } as {
    _tokens: string[];
    _text: string;
  };
}

/** A stored document back in the port's shape (`_tokens`/`_text` dropped, `id` restored first). */
export function fromStored(stored: Document): ReadDoc {
  const { _id, [TOKENS]: _tokens, [TEXT]: _text, ...fields } = stored;
  return { id: String(_id), ...fields } as ReadDoc;
}

/** Leave the adapter's own fields out of what a query returns. */
export const PROJECTION: Document = { [TOKENS]: 0, [TEXT]: 0 };
