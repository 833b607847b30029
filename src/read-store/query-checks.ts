import { createHash } from 'node:crypto';
import {
  InvalidQueryError,
  isPartialIndex,
  type IndexDefinition,
  type Scalar,
  type SortDirection,
} from './read-store.port';

/**
 * What both read-store adapters check the same way: field paths, scalar values, the opaque cursor
 * that continues a page, and a collection's index definitions.
 */

const SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_PATH_LENGTH = 200;
const MAX_SEGMENTS = 16;
/** The most values an `in` condition may list. */
export const MAX_IN_VALUES = 1000;

/** The segments of a dotted field path, or InvalidQueryError. Only such paths reach SQL or a MongoDB query. */
export function parseFieldPath(path: unknown, what = 'field'): string[] {
  if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_LENGTH) {
    throw new InvalidQueryError(`${what} must be a dotted field path`, String(path));
  }
  const segments = path.split('.');
  if (segments.length > MAX_SEGMENTS || !segments.every((segment) => SEGMENT.test(segment))) {
    throw new InvalidQueryError(
      `${what} "${path}" is not a field path (letters, digits and _ separated by dots)`,
      path,
    );
  }
  return segments;
}

/** A string, a finite number, a boolean or null. */
export function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Where the previous page ended: the last item's sort value and id. */
export interface CursorPosition<Value extends Scalar = Scalar> {
  readonly value: Value;
  readonly id: string;
}

interface SortOrder {
  readonly field: string;
  readonly direction: SortDirection;
}

/** Ties a cursor to the collection and sort it came from. */
function sortTag(collection: string, sort: SortOrder): string {
  return createHash('sha256')
    .update(`${collection}\n${sort.field}\n${sort.direction}`)
    .digest('base64url')
    .slice(0, 12);
}

/** base64url of the JSON `[sortValue, id, sortTag]`. */
export function encodeCursor(collection: string, sort: SortOrder, position: CursorPosition): string {
  return Buffer.from(
    JSON.stringify([position.value, position.id, sortTag(collection, sort)]),
    'utf8',
  ).toString('base64url');
}

/**
 * The position a cursor continues from, or InvalidQueryError when it is not one this service issued
 * for this collection and sort. `acceptsValue` narrows the sort values an adapter can have issued.
 */
export function decodeCursor<Value extends Scalar = Scalar>(
  collection: string,
  sort: SortOrder,
  cursor: unknown,
  acceptsValue: (value: Scalar) => value is Value = (_value): _value is Value => true,
): CursorPosition<Value> {
  const invalid = (why: string) => new InvalidQueryError(`the cursor ${why}`, 'cursor');
  if (
    typeof cursor !== 'string' ||
    cursor.length === 0 ||
    cursor.length > 4000 ||
    !/^[A-Za-z0-9_-]+$/.test(cursor)
  ) {
    throw invalid('is not one this service issued');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not one this service issued');
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw invalid('is not one this service issued');
  const [value, id, tag] = decoded as unknown[];
  if (!isScalar(value) || !acceptsValue(value) || typeof id !== 'string' || typeof tag !== 'string') {
    throw invalid('is not one this service issued');
  }
  if (tag !== sortTag(collection, sort)) {
    throw invalid('belongs to another sort order: send the sort of the page it came from');
  }
  return { value, id };
}

/**
 * A collection's index definitions, checked and copied: each names at least one field, each path
 * passes `checkPath`, and a partial index is partial on one of its own fields (not the id), which
 * is `'set'` or equals a string (without NUL), a finite number or a boolean. Throws otherwise: a
 * read model's definition is wrong, not a query.
 */
export function checkIndexes(
  collection: string,
  indexes: readonly IndexDefinition[],
  checkPath: (path: string, what: string) => unknown,
): IndexDefinition[] {
  return indexes.map((index) => {
    const fields = isPartialIndex(index) ? index.fields : index;
    if (!Array.isArray(fields) || fields.length === 0) {
      throw new Error(`an index of ${collection} names no field`);
    }
    fields.forEach((path) => checkPath(path, `an index field of ${collection}`));
    if (!isPartialIndex(index)) return [...fields];
    const { only, is } = index;
    if (only === 'id' || typeof only !== 'string' || !fields.includes(only)) {
      throw new Error(`a partial index of ${collection} must be partial on one of its fields other than id`);
    }
    if (is === 'set') return { fields: [...fields], only, is };
    const equals: unknown = typeof is === 'object' && is !== null ? is.equals : undefined;
    if (!isScalar(equals) || equals === null || (typeof equals === 'string' && equals.includes('\0'))) {
      throw new Error(
        `a partial index of ${collection} needs is: 'set' or { equals: a string, number or boolean }`,
      );
    }
    return { fields: [...fields], only, is: { equals } };
  });
}
