/**
 * What the embedded read store learns about a collection's documents while it writes them: which
 * JSON kinds each field path has held (MongoDB-style paths: array elements are walked into without
 * an index, so `parties.name` covers `parties: [{ name }]`).
 *
 * Queries use it to stay exact *and* fast: SQLite's `json_extract` returns 1/0 for true/false and
 * JSON text for arrays and objects, so a condition needs a type guard or an array walk only on paths
 * that have ever held a boolean, an array or an object. Paths that only hold strings, numbers and
 * null compile to plain comparisons that the expression indexes answer alone. The record only
 * grows (a superset is always correct); `reset` empties it with the documents.
 */

export const KIND = {
  string: 1,
  number: 2,
  boolean: 4,
  null: 8,
  array: 16,
  object: 32,
} as const;

/** Past this many distinct paths a collection is treated as untyped: every guard on (still exact). */
export const MAX_TRACKED_PATHS = 2000;
const MAX_DEPTH = 64;

export class InvalidDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDocumentError';
  }
}

export class PathKinds {
  private constructor(
    private readonly kinds: Map<string, number>,
    private untyped: boolean,
  ) {}

  static empty(): PathKinds {
    return new PathKinds(new Map(), false);
  }

  static parse(json: string): PathKinds {
    const stored = JSON.parse(json) as { untyped?: boolean; paths?: Record<string, number> };
    return new PathKinds(new Map(Object.entries(stored.paths ?? {})), stored.untyped === true);
  }

  serialise(): string {
    return JSON.stringify({ untyped: this.untyped, paths: Object.fromEntries(this.kinds) });
  }

  clone(): PathKinds {
    return new PathKinds(new Map(this.kinds), this.untyped);
  }

  /** Add every kind `other` has recorded; answers whether anything new was added. */
  merge(other: PathKinds): boolean {
    if (this.untyped) return false;
    if (other.untyped) {
      this.untyped = true;
      this.kinds.clear();
      return true;
    }
    let changed = false;
    for (const [path, kind] of other.kinds) {
      const known = this.kinds.get(path) ?? 0;
      if ((known & kind) === kind) continue;
      this.kinds.set(path, known | kind);
      changed = true;
    }
    if (this.kinds.size > MAX_TRACKED_PATHS) {
      this.untyped = true;
      this.kinds.clear();
    }
    return changed;
  }

  /** The kinds a path may hold: every kind when the collection is untyped. */
  of(path: string): number {
    return this.untyped ? 0xff : (this.kinds.get(path) ?? 0);
  }

  /**
   * Check that `doc` is a plain JSON object (finite numbers, no undefined, functions, dates, class
   * instances or cycles) and record the kinds of its paths. Answers whether anything new was
   * recorded. Throws InvalidDocumentError, having possibly recorded part of the document: callers
   * work on a clone inside the transaction that the error rolls back.
   */
  record(doc: unknown): boolean {
    if (!isPlainObject(doc)) throw new InvalidDocumentError('a read-model document must be a JSON object');
    const before = this.kinds.size;
    let changed = false;
    const note = (path: string, kind: number) => {
      if (this.untyped) return;
      const known = this.kinds.get(path) ?? 0;
      if ((known & kind) === kind) return;
      this.kinds.set(path, known | kind);
      changed = true;
    };
    const walkObject = (object: Record<string, unknown>, prefix: string, depth: number) => {
      if (depth > MAX_DEPTH) throw new InvalidDocumentError('a read-model document nests too deeply');
      for (const key of Object.keys(object)) {
        walkValue(object[key], prefix === '' ? key : childPath(prefix, key), depth + 1);
      }
    };
    const walkValue = (value: unknown, path: string, depth: number): void => {
      switch (typeof value) {
        case 'string':
          return note(path, KIND.string);
        case 'number':
          if (!Number.isFinite(value)) throw new InvalidDocumentError(`${path} is not a finite number`);
          return note(path, KIND.number);
        case 'boolean':
          return note(path, KIND.boolean);
        case 'object':
          if (value === null) return note(path, KIND.null);
          if (depth > MAX_DEPTH) throw new InvalidDocumentError('a read-model document nests too deeply');
          if (Array.isArray(value)) {
            note(path, KIND.array);
            for (let i = 0; i < value.length; i += 1) {
              if (!(i in value)) throw new InvalidDocumentError(`${path} is a sparse array`);
              walkValue(value[i], path, depth + 1);
            }
            return;
          }
          if (!isPlainObject(value)) throw new InvalidDocumentError(`${path} is not a plain JSON object`);
          note(path, KIND.object);
          return walkObject(value, path, depth);
        default:
          throw new InvalidDocumentError(`${path} holds a ${typeof value}, which JSON cannot hold`);
      }
    };
    walkObject(doc, '', 0);
    if (!this.untyped && this.kinds.size > MAX_TRACKED_PATHS) {
      this.untyped = true;
      this.kinds.clear();
      return true;
    }
    return changed || this.kinds.size !== before;
  }
}

/** `prefix.key`, the same string each time (documents of a collection repeat their paths). */
const childPaths = new Map<string, Map<string, string>>();
const MAX_CACHED_PATHS = 10_000;
let cachedPaths = 0;

function childPath(prefix: string, key: string): string {
  let children = childPaths.get(prefix);
  if (children === undefined) childPaths.set(prefix, (children = new Map()));
  let path = children.get(key);
  if (path === undefined) {
    path = `${prefix}.${key}`;
    if (cachedPaths >= MAX_CACHED_PATHS) {
      childPaths.clear();
      cachedPaths = 0;
      childPaths.set(prefix, (children = new Map()));
    }
    children.set(key, path);
    cachedPaths += 1;
  }
  return path;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  // Object.prototype of any realm (objects made by structuredClone or a vm are plain too), or none.
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
