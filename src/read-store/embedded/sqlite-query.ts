import {
  InvalidQueryError,
  indexFields,
  isPartialIndex,
  type FieldCondition,
  type Filter,
  type IndexDefinition,
  type Scalar,
  type SortDirection,
} from '../read-store.port';
import {
  decodeCursor as decodeSharedCursor,
  encodeCursor,
  isScalar,
  MAX_IN_VALUES,
  parseFieldPath,
  type CursorPosition as SharedCursorPosition,
} from '../query-checks';
import { KIND, type PathKinds } from './document-shape';

/**
 * Compiles the read-store query language to parameterised SQL over each field's value: the stored
 * key column `d."k:path"` (`json_extract(doc, '$.path')`, computed when the document is written)
 * for a path some index of the collection names, so SQLite answers from that index, and
 * `json_extract(d.doc, '$.path')` for any other path. Values are always bound parameters; field
 * paths are checked against a strict pattern and only then written into the SQL as column names
 * and JSON-path literals.
 *
 * Semantics (shared with the MongoDB adapter through the contract suite):
 * - A bare scalar is equality; `null` matches a field that is null or missing.
 * - On an array field a condition matches when any element matches (MongoDB's rule): `{ tags: 'x' }`
 *   finds `tags: ['x', 'y']`; `ne` matches when no element equals; each range bound may be met by
 *   a different element. Paths walk into arrays of objects (`parties.name`).
 * - `exists: true` matches a present field, null included; `ne` also matches a missing field.
 * - Ranges compare numbers with numbers and strings with strings (ISO timestamps sort as strings);
 *   a bound of another type is refused.
 * - Types are told apart: `true` never equals 1, `'1'` never equals 1.
 */

export const ID_PATH = 'id';

/** The segments of a dotted field path, or InvalidQueryError. */
export const parsePath = parseFieldPath;

/** `json_extract(<src>, '$.a.b')`; `src` is `d.doc` or an element alias's value. */
export function jsonPath(segments: readonly string[]): string {
  return `'$.${segments.join('.')}'`;
}

/**
 * The paths of a collection that have a key column: every path its indexes name but `id`. A key
 * column holds exactly what `json_extract(doc, '$.path')` gives, stored with the document.
 */
export type KeyPaths = ReadonlySet<string>;

/** The key paths of a collection with these indexes. */
export function keyPathsOf(indexes: readonly IndexDefinition[]): string[] {
  return [...new Set(indexes.flatMap(indexFields))].filter((path) => path !== ID_PATH).sort();
}

/** The name of the key column of `path`, quoted for SQL (paths hold only letters, digits, _ and dots). */
export function keyColumn(path: string): string {
  return `"k:${path}"`;
}

/**
 * What follows `CREATE INDEX … ON table`: the key columns (then `id`, the tie-break of every sort
 * and cursor), and for a partial index its WHERE clause: `is: 'set'` is `IS NOT NULL`, and
 * `{ equals: v }` is `= v` (json_extract reads true as 1). SQLite uses a partial index for a query
 * whose WHERE terms imply that clause, which the compiler's conditions on key columns do:
 * `"k:x" = @p0` implies `"k:x" IS NOT NULL`, and with 'out' bound it implies `"k:x" = 'out'` (SQLite
 * compares the bound value, and prepares the statement again when it changes).
 */
export function indexSql(index: IndexDefinition): string {
  const paths = indexFields(index);
  const columns = paths.map((path) => (path === ID_PATH ? 'id' : keyColumn(path)));
  if (paths[paths.length - 1] !== ID_PATH) columns.push('id');
  if (!isPartialIndex(index)) return `(${columns.join(', ')})`;
  const where = index.is === 'set' ? 'IS NOT NULL' : `= ${sqlLiteral(index.is.equals)}`;
  return `(${columns.join(', ')}) WHERE ${keyColumn(index.only)} ${where}`;
}

/**
 * A checked value (query-checks.ts: no NUL, finite) as an SQL literal, as json_extract gives it: a
 * string quoted, a boolean as 1 or 0. Only for a partial index's condition, which cannot be bound.
 */
function sqlLiteral(value: string | number | boolean): string {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** The SQL value of a document's field: its id, its key column, or json_extract on the document. */
export function valueSql(path: string, keys: KeyPaths): string {
  if (path === ID_PATH) return 'd.id';
  return keys.has(path) ? `d.${keyColumn(path)}` : `json_extract(d.doc, ${jsonPath(path.split('.'))})`;
}

/** Collects named parameters (`@p0`, `@p1` …) so SQL text and values never mix. */
export class Params {
  readonly values: Record<string, unknown> = {};
  private next = 0;

  add(value: Scalar | bigint): string {
    const name = `p${this.next}`;
    this.next += 1;
    this.values[name] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    return `@${name}`;
  }
}

type Context = 'field' | 'element';

interface Leaf {
  /** The SQL condition on one value: `v` its SQL value, `t` its JSON type (`json_type(…)` or `e.type`). */
  (v: string, t: string, context: Context, kinds: number): string;
}

/** The WHERE terms of a filter (ANDed by the caller). */
export function compileFilter(
  filter: Filter | undefined,
  kinds: PathKinds,
  params: Params,
  keys: KeyPaths,
): string[] {
  if (filter === undefined) return [];
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new InvalidQueryError('a filter must be an object of field conditions', 'filter');
  }
  return Object.keys(filter).map((path) => compileCondition(path, filter[path], { kinds, keys }, params));
}

/** What the compiler knows of a collection: the JSON kinds its paths have held, and its key columns. */
interface Shape {
  readonly kinds: PathKinds;
  readonly keys: KeyPaths;
}

function compileCondition(path: string, condition: FieldCondition, shape: Shape, params: Params): string {
  const segments = parsePath(path);
  if (isScalar(condition)) return onPath(segments, shape, eqLeaf(condition, params, path), true);
  if (typeof condition !== 'object' || Array.isArray(condition)) {
    throw new InvalidQueryError(`the condition on ${path} is not a value or a condition object`, path);
  }
  const keys = Object.keys(condition);
  if (keys.length === 1 && keys[0] === 'in') {
    const values = (condition as { in: unknown }).in;
    if (!Array.isArray(values) || values.length > MAX_IN_VALUES || !values.every(isScalar)) {
      throw new InvalidQueryError(`"in" on ${path} needs a list of at most ${MAX_IN_VALUES} values`, path);
    }
    if (values.length === 0) return '0';
    return onPath(segments, shape, inLeaf(values, params, path), true);
  }
  if (keys.length === 1 && keys[0] === 'ne') {
    const value = (condition as { ne: unknown }).ne;
    if (!isScalar(value)) throw new InvalidQueryError(`"ne" on ${path} needs a value`, path);
    return `NOT coalesce(${onPath(segments, shape, eqLeaf(value, params, path), true)}, 0)`;
  }
  if (keys.length === 1 && keys[0] === 'exists') {
    const exists = (condition as { exists: unknown }).exists;
    if (typeof exists !== 'boolean')
      throw new InvalidQueryError(`"exists" on ${path} needs true or false`, path);
    if (path === ID_PATH) return exists ? '1' : '0';
    const present = onPath(segments, shape, existsLeaf, false);
    return exists ? present : `NOT coalesce(${present}, 0)`;
  }
  const bounds = keys.filter((key) => key === 'gt' || key === 'gte' || key === 'lt' || key === 'lte');
  if (bounds.length === 0 || bounds.length !== keys.length) {
    throw new InvalidQueryError(
      `the condition on ${path} must be one of in, ne, exists or gt/gte/lt/lte (got ${keys.join(', ') || 'nothing'})`,
      path,
    );
  }
  const values = bounds.map((key) => (condition as Record<string, unknown>)[key]);
  const kind = typeof values[0];
  if (!values.every((value) => typeof value === kind) || !(kind === 'string' || kind === 'number')) {
    throw new InvalidQueryError(`the bounds on ${path} must all be numbers or all be strings`, path);
  }
  if (kind === 'number' && !values.every((value) => Number.isFinite(value))) {
    throw new InvalidQueryError(`the bounds on ${path} must be finite numbers`, path);
  }
  // Each bound on its own: on an array field, each may be met by a different element (MongoDB).
  return bounds
    .map((op, i) => onPath(segments, shape, rangeLeaf(op, values[i] as string | number, params), true))
    .join(' AND ');
}

/**
 * The condition `leaf` on the value(s) at `segments`. Where a path prefix has held an array, the
 * array is walked with json_each (any element); elsewhere the value is read with json_extract.
 * `eachElement` false: the leaf is about the field itself (exists), not its elements.
 */
function onPath(segments: readonly string[], shape: Shape, leaf: Leaf, eachElement: boolean): string {
  if (segments.length === 1 && segments[0] === ID_PATH) return leaf('d.id', `'text'`, 'field', KIND.string);
  const build = (src: string, relative: readonly string[], index: number): string => {
    const absolute = segments.slice(0, index + 1).join('.');
    const here = [...relative, segments[index]];
    const last = index === segments.length - 1;
    const kindsHere = shape.kinds.of(absolute);
    const plain = (kindsWithoutArray: number): string =>
      last
        ? leaf(
            src === 'd.doc' ? valueSql(absolute, shape.keys) : `json_extract(${src}, ${jsonPath(here)})`,
            `json_type(${src}, ${jsonPath(here)})`,
            'field',
            kindsWithoutArray,
          )
        : build(src, here, index + 1);
    if ((kindsHere & KIND.array) === 0 || (last && !eachElement)) return plain(kindsHere);
    const alias = `e${index}`;
    const inner = last
      ? leaf(`${alias}.value`, `${alias}.type`, 'element', kindsHere)
      : `CASE WHEN ${alias}.type = 'object' THEN ${build(`${alias}.value`, [], index + 1)} ELSE 0 END`;
    const path = jsonPath(here);
    return (
      `(CASE WHEN json_type(${src}, ${path}) = 'array' ` +
      `THEN EXISTS (SELECT 1 FROM json_each(${src}, ${path}) AS ${alias} WHERE ${inner}) ` +
      `ELSE ${plain(kindsHere & ~KIND.array)} END)`
    );
  };
  return build('d.doc', [], 0);
}

/** Whether equality with `value` needs the JSON type checked, not just the SQL value. */
function eqNeedsType(value: Scalar, context: Context, kinds: number): boolean {
  if (typeof value === 'string') return value.startsWith('[') || value.startsWith('{');
  if (typeof value === 'number') {
    return (value === 0 || value === 1) && (context === 'element' || (kinds & KIND.boolean) !== 0);
  }
  if (typeof value === 'boolean') return context === 'element' || (kinds & KIND.number) !== 0;
  return false;
}

function typeTest(value: Scalar, t: string): string {
  if (typeof value === 'string') return `${t} = 'text'`;
  if (typeof value === 'number') return `${t} IN ('integer', 'real')`;
  return `${t} = '${value ? 'true' : 'false'}'`;
}

function eqLeaf(value: Scalar, params: Params, path: string): Leaf {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new InvalidQueryError(`the value for ${path} must be a finite number`, path);
  }
  return (v, t, context, kinds) => {
    if (value === null) return `${v} IS NULL`;
    const equal = `${v} = ${params.add(value)}`;
    return eqNeedsType(value, context, kinds) ? `(${equal} AND ${typeTest(value, t)})` : equal;
  };
}

function inLeaf(values: readonly Scalar[], params: Params, path: string): Leaf {
  for (const value of values) eqLeaf(value, params, path); // validates
  return (v, t, context, kinds) => {
    const plain = values.filter((value) => value !== null && !eqNeedsType(value, context, kinds));
    const terms: string[] = [];
    if (plain.length > 0) terms.push(`${v} IN (${plain.map((value) => params.add(value)).join(', ')})`);
    if (values.includes(null)) terms.push(`${v} IS NULL`);
    for (const value of values) {
      if (value !== null && eqNeedsType(value, context, kinds)) {
        terms.push(`(${v} = ${params.add(value)} AND ${typeTest(value, t)})`);
      }
    }
    return terms.length === 1 ? terms[0] : `(${terms.join(' OR ')})`;
  };
}

const existsLeaf: Leaf = (v, t, _context, kinds) =>
  // A field that never held null is present exactly when json_extract is not NULL (index-only).
  (kinds & KIND.null) === 0 ? `${v} IS NOT NULL` : `${t} IS NOT NULL`;

const OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function rangeLeaf(op: keyof typeof OPERATORS, bound: string | number, params: Params): Leaf {
  return (v, t, context, kinds) => {
    const terms = [`${v} ${OPERATORS[op]} ${params.add(bound)}`];
    if (context === 'element') {
      terms.push(typeof bound === 'number' ? `${t} IN ('integer', 'real')` : `${t} = 'text'`);
    } else if (typeof bound === 'number') {
      // SQLite orders every number before every string: keep strings out of a number range.
      if ((kinds & (KIND.string | KIND.array | KIND.object)) !== 0)
        terms.push(`typeof(${v}) IN ('integer', 'real')`);
      // json_extract reads true/false as 1/0: keep booleans out where the field has held one.
      if ((kinds & KIND.boolean) !== 0) terms.push(`${t} IN ('integer', 'real')`);
    } else {
      if ((kinds & (KIND.number | KIND.boolean)) !== 0) terms.push(`typeof(${v}) = 'text'`);
      if ((kinds & (KIND.array | KIND.object)) !== 0) terms.push(`${t} = 'text'`);
    }
    return terms.length === 1 ? terms[0] : `(${terms.join(' AND ')})`;
  };
}

// ── sort and cursor ──

export interface Sort {
  readonly field: string;
  readonly direction: SortDirection;
  /** The SQL sort expression (`d.id`, a key column or json_extract). */
  readonly expression: string;
}

export function compileSort(
  sort: { field: string; direction: SortDirection } | undefined,
  keys: KeyPaths,
): Sort {
  if (sort === undefined) return { field: ID_PATH, direction: 'asc', expression: 'd.id' };
  if (sort === null || typeof sort !== 'object')
    throw new InvalidQueryError('sort must be { field, direction }', 'sort');
  parsePath(sort.field, 'the sort field');
  if (sort.direction !== 'asc' && sort.direction !== 'desc') {
    throw new InvalidQueryError('the sort direction must be asc or desc', 'sort');
  }
  return { field: sort.field, direction: sort.direction, expression: valueSql(sort.field, keys) };
}

export function orderBy(sort: Sort): string {
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  return sort.expression === 'd.id'
    ? `ORDER BY d.id ${direction}`
    : `ORDER BY ${sort.expression} ${direction}, d.id ${direction}`;
}

/** Where the previous page ended: the last item's sort value (as SQL saw it: never a boolean) and id. */
export type CursorPosition = SharedCursorPosition<string | number | null>;

export { encodeCursor };

export function decodeCursor(collection: string, sort: Sort, cursor: unknown): CursorPosition {
  return decodeSharedCursor(
    collection,
    sort,
    cursor,
    (value): value is string | number | null => typeof value !== 'boolean',
  );
}

/**
 * The rest of the order after `position`, as one or two index-friendly segments (SQLite puts NULL
 * first ascending and last descending; a range condition never matches NULL, so the NULL run is
 * queried on its own rather than with an OR that would defeat the index).
 */
export function afterCursor(sort: Sort, position: CursorPosition, params: Params): string[] {
  const s = sort.expression;
  const asc = sort.direction === 'asc';
  const id = params.add(position.id);
  if (s === 'd.id') return [`d.id ${asc ? '>' : '<'} ${id}`];
  if (position.value === null) {
    const inNullRun = `${s} IS NULL AND d.id ${asc ? '>' : '<'} ${id}`;
    return asc ? [inNullRun, `${s} IS NOT NULL`] : [inNullRun];
  }
  const v = params.add(position.value);
  const rest = asc
    ? `${s} >= ${v} AND (${s} > ${v} OR d.id > ${id})`
    : `${s} <= ${v} AND (${s} < ${v} OR d.id < ${id})`;
  return asc ? [rest] : [rest, `${s} IS NULL`];
}
