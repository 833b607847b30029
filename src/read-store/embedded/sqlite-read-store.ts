import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type Database from 'better-sqlite3';
import type { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import type { Position } from '../../event-store/event-store.port';
import {
  InvalidQueryError,
  type CollectionDefinition,
  type FindQuery,
  type GroupCount,
  type GroupCountQuery,
  type Filter,
  type IndexDefinition,
  type Page,
  type ReadDoc,
  type ReadModelWrite,
  type ReadStore,
  type Scalar,
} from '../read-store.port';
import { checkIndexes } from '../query-checks';
import { searchableText, searchTerms, textValues } from '../text-search';
import { KIND, PathKinds } from './document-shape';
import { FTS_TOKENIZER_VERSION, ftsDocument, ftsQuery } from './fts-tokens';
import { prepareWrite, type PreparedBatch, type PreparedWrite } from './prepared-write';
import {
  Params,
  afterCursor,
  compileFilter,
  compileSort,
  decodeCursor,
  indexSql,
  encodeCursor,
  keyColumn,
  keyPathsOf,
  orderBy,
  parsePath,
  valueSql,
  type KeyPaths,
} from './sqlite-query';

/**
 * The embedded read store: read models as tables in the same SQLite file (and connection) as the
 * events, so a projector's documents and its checkpoint commit in one local transaction.
 *
 * Layout, per collection `c`:
 * - `rm_c (rid INTEGER PRIMARY KEY, id TEXT UNIQUE, "k:a" …, doc BLOB, text TEXT)`: the document as
 *   SQLite JSONB (json_extract reads it without re-parsing text: about twice as fast on unindexed
 *   conditions; documents come back through `json()` unchanged), for collections with `text`
 *   fields its normalised searchable text (text-search.ts) for the substring check, and one stored
 *   generated **key column** per path the indexes name (`"k:a" AS (json_extract(doc, '$.a'))
 *   STORED`, before the document in each row): computed when a document is written, so an index
 *   build at the end of a rebuild reads stored values instead of evaluating json_extract on every
 *   document once per index (about a third less time in all), and queries name the column
 *   (sqlite-query.ts). A definition whose indexes name other paths rebuilds the table (rids kept).
 * - one index per declared index: `("k:a", …, id)` — `id` last, so a sort on the indexed field
 *   with its `id` tie-break, and the cursor seek, run on the index.
 * - `rm_c__tokens`: an FTS5 table (contentless, no positions) holding each document's n-grams under
 *   its `rid` — the text pre-filter (fts-tokens.ts). `rid` is an INTEGER PRIMARY KEY: it survives
 *   VACUUM, so the two stay joined.
 * Shared: `rm_checkpoints (projector, position)`, and `rm_collections` (each definition and the
 * JSON kinds its paths have held — document-shape.ts).
 *
 * Transactions: better-sqlite3 is synchronous and every method here runs its transaction to the
 * end within one call, as the event store runs its group commit, so on the shared connection the
 * two never interleave; a write refuses to start inside a transaction someone else left open
 * rather than silently becoming its savepoint.
 */

const COLLECTION_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
const MAX_COLLECTION_NAME = 48;
const MAX_LIMIT = 1000;
const STATEMENT_CACHE_SIZE = 500;
const REINDEX_BATCH = 1000;
/** A text search matching fewer documents than this pages by sorting its matches (see `find`). */
const MANY_MATCHES = 1000;
const FILL_BATCH = 10_000;
/**
 * During a bulk load, checkpoint the WAL every this many pages (SQLite's default is 1000): a
 * page rewritten by many commits is then copied into the file once per checkpoint, not once per
 * commit. The WAL grows to about this size (4 KiB pages) before each checkpoint.
 */
const BULK_WAL_AUTOCHECKPOINT = 10_000;
/** At most this many helper threads sort index keys when a bulk load builds its indexes. */
const BULK_SORT_THREADS = 4;
/**
 * The page cache while a bulk load builds its indexes (KiB). SQLite's sorter gathers index keys in
 * runs the size of the page cache and hands each full run to a helper thread to sort while the
 * main thread reads on. With the connection's 64 MiB cache, the keys of one index over 200,000
 * loans (about 14 MB) made one run, sorted on the main thread once the table was read; in 2 MiB
 * runs the 13 loan-ledger indexes took 1.7 s instead of 2.3–2.4 s, and the catalogue's about the
 * same as before (scratch measurements on the rebuilt 100,000-record store).
 */
const BULK_SORT_CACHE_KIB = 2 * 1024;
/**
 * How much of the file the end of a bulk load (the n-grams, then the index builds) reads through a
 * memory map. The SQLite that better-sqlite3 builds maps at most 2 GiB (SQLITE_MAX_MMAP_SIZE), from
 * the start of the file; past that, pages are read as usual. Only reads are mapped (writes go
 * through the WAL), and only at the end of a bulk load.
 */
const BULK_FINISH_MMAP_BYTES = 2 ** 31;
/** Page cache the shared connection gets at least (SQLite's default is 2 MiB). */
const DEFAULT_CACHE_KIB = 64 * 1024;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rm_checkpoints (projector TEXT PRIMARY KEY, position TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rm_collections (
  name       TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  paths      TEXT NOT NULL
);
`;

interface Collection {
  readonly name: string;
  readonly table: string;
  readonly tokens: string;
  readonly text: readonly string[];
  /** The paths with a key column. */
  readonly keys: KeyPaths;
}

interface StoredDefinition {
  readonly indexes: readonly IndexDefinition[];
  readonly text: readonly string[];
  /** FTS_TOKENIZER_VERSION when the n-grams were written. */
  readonly tokenizer?: number;
}

export interface SqliteReadStoreOptions {
  /** Raise the connection's page cache to at least this many KiB (default 64 MiB). */
  readonly cacheKiB?: number;
  /**
   * During a bulk load, keep the n-gram words of at most this many documents per collection until
   * its end (default 250,000: about 100 MB); the words of any other document are computed from its
   * stored text at the end, as before.
   */
  readonly bulkWordsKept?: number;
}

/** See SqliteReadStoreOptions.bulkWordsKept. */
const BULK_WORDS_KEPT = 250_000;

export class SqliteReadStore implements ReadStore {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly collections = new Map<string, Collection>();
  private readonly kindsCache = new Map<string, { json: string; kinds: PathKinds }>();
  /**
   * Collections in a bulk load whose n-grams are written at its end (withBulkLoad), by name, each
   * with the FTS words of every document written during the load (id → words). The words are
   * computed as each document is written, while the main thread of a rebuild mostly waits for its
   * projection worker, so fillTokens need not compute them at the end.
   */
  private readonly deferredTokens = new Map<string, Map<string, string>>();
  /** What the transaction running now changes in deferredTokens, applied once it has committed. */
  private readonly afterCommit: (() => void)[] = [];
  private readonly bulkWordsKept: number;
  /** The projector's per-document statements, by collection then purpose (no SQL text built per write). */
  private readonly writeStatements = new Map<string, Map<string, Database.Statement>>();
  private readonly transaction: (work: () => void) => void;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    options: SqliteReadStoreOptions = {},
  ) {
    raiseCache(db, options.cacheKiB ?? DEFAULT_CACHE_KIB);
    this.bulkWordsKept = options.bulkWordsKept ?? BULK_WORDS_KEPT;
    db.exec(SCHEMA);
    this.transaction = db.transaction((work: () => void) => work());
  }

  /** A read store on the event store's own connection: the same file, one writer. */
  static open(eventStore: SqliteEventStore, options?: SqliteReadStoreOptions): SqliteReadStore {
    return new SqliteReadStore(eventStore.connection, options);
  }

  async ensureCollections(definitions: readonly CollectionDefinition[]): Promise<void> {
    this.checkOpen();
    const checked = definitions.map(checkDefinition);
    const names = new Set<string>();
    for (const definition of checked) {
      if (names.has(definition.name)) throw new Error(`collection ${definition.name} is defined twice`);
      names.add(definition.name);
    }
    this.inOwnTransaction(() => {
      for (const definition of checked) this.ensureCollection(definition);
    });
    for (const definition of checked) {
      this.collections.set(definition.name, collectionOf(definition.name, definition));
    }
  }

  async withBulkLoad<T>(definitions: readonly CollectionDefinition[], work: () => Promise<T>): Promise<T> {
    this.checkOpen();
    const checked = definitions.map(checkDefinition);
    const collections = checked.map(({ name }) => this.collection(name));
    const synchronous = this.db.pragma('synchronous', { simple: true }) as number;
    const autocheckpoint = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    this.inOwnTransaction(() => {
      for (const { name } of checked) {
        const indexes = this.db
          .prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?`)
          .all(`rm_${name}`) as { name: string }[];
        for (const index of indexes) {
          if (index.name.startsWith(`rm_${name}__ix_`)) this.db.exec(`DROP INDEX "${index.name}"`);
        }
      }
      // The n-grams are written once at the end (fillTokens). Until then the stored definition
      // names no tokenizer, so that if the load is interrupted the next ensureCollections
      // re-indexes the text of every document (reindexText) instead of trusting partial n-grams.
      for (const collection of collections) {
        if (collection.text.length === 0) continue;
        this.run(
          `UPDATE rm_collections SET definition = json_remove(definition, '$.tokenizer') WHERE name = ?`,
          collection.name,
        );
        this.deferredTokens.set(collection.name, new Map());
      }
    });
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`wal_autocheckpoint = ${BULK_WAL_AUTOCHECKPOINT}`);
    try {
      return await work();
    } finally {
      if (this.db.open) {
        this.db.pragma(`synchronous = ${synchronous}`);
        this.db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
        // The n-grams read every searchable text, and each index build scans its table: through a
        // memory map instead of a read() per page, about half the time reading the texts and a fifth
        // less building the indexes. SQLite sorts the index keys on helper threads where there is a
        // core to spare, in runs of the page cache's size (BULK_SORT_CACHE_KIB).
        const threads = this.db.pragma('threads', { simple: true }) as number;
        const mmap = this.db.pragma('mmap_size', { simple: true }) as number;
        const cache = this.db.pragma('cache_size', { simple: true }) as number;
        this.db.pragma(`mmap_size = ${BULK_FINISH_MMAP_BYTES}`);
        try {
          for (const collection of collections) {
            const words = this.deferredTokens.get(collection.name);
            if (words === undefined) continue;
            this.deferredTokens.delete(collection.name);
            this.fillTokens(collection, words);
          }
          this.db.pragma(`threads = ${Math.min(BULK_SORT_THREADS, availableParallelism() - 1)}`);
          this.db.pragma(`cache_size = -${BULK_SORT_CACHE_KIB}`);
          await this.ensureCollections(definitions);
        } finally {
          this.db.pragma(`threads = ${threads}`);
          this.db.pragma(`mmap_size = ${mmap}`);
          this.db.pragma(`cache_size = ${cache}`);
        }
      }
    }
  }

  /**
   * The end of a bulk load: every document's n-grams, in one transaction (FTS5 writes them as a few
   * large segments), and the definition's tokenizer back. The words of a document written during
   * the load are those computed as it was written (`words`, by id); any other document's are
   * computed from its stored searchable text.
   */
  private fillTokens(collection: Collection, words: ReadonlyMap<string, string>): void {
    const page = this.db.prepare(
      `SELECT rid, id FROM ${collection.table} WHERE rid > ? AND text IS NOT NULL ORDER BY rid LIMIT ?`,
    );
    const textOf = this.db.prepare(`SELECT text FROM ${collection.table} WHERE rid = ?`).pluck();
    const addTokens = this.db.prepare(`INSERT INTO ${collection.tokens} (rowid, tokens) VALUES (?, ?)`);
    this.inOwnTransaction(() => {
      this.db.exec(`INSERT INTO ${collection.tokens} (${collection.tokens}) VALUES ('delete-all')`);
      let after = 0;
      for (;;) {
        const rows = page.all(after, FILL_BATCH) as { rid: number; id: string }[];
        for (const { rid, id } of rows) {
          addTokens.run(rid, words.get(id) ?? ftsDocument(textOf.get(rid) as string));
        }
        if (rows.length < FILL_BATCH) break;
        after = rows[rows.length - 1].rid;
      }
      this.run(
        `UPDATE rm_collections SET definition = json_set(definition, '$.tokenizer', ?) WHERE name = ?`,
        FTS_TOKENIZER_VERSION,
        collection.name,
      );
    });
  }

  private ensureCollection(definition: CollectionDefinition): void {
    const { table, tokens } = collectionOf(definition.name, {});
    this.ensureTable(definition.name, keyPathsOf(definition.indexes));
    this.db.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS ${tokens} USING fts5(tokens, content='', detail=none, tokenize='ascii');`,
    );
    const wanted = new Map<string, IndexDefinition>();
    for (const index of definition.indexes) {
      const hash = createHash('sha256').update(JSON.stringify(index)).digest('hex').slice(0, 12);
      wanted.set(`rm_${definition.name}__ix_${hash}`, index);
    }
    const existing = this.db
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ?`)
      .all(`rm_${definition.name}`) as { name: string }[];
    for (const { name } of existing) {
      if (name.startsWith(`rm_${definition.name}__ix_`) && !wanted.has(name))
        this.db.exec(`DROP INDEX "${name}"`);
    }
    for (const [name, index] of wanted) {
      this.db.exec(`CREATE INDEX IF NOT EXISTS "${name}" ON ${table} ${indexSql(index)}`);
    }
    const stored: StoredDefinition = {
      indexes: definition.indexes,
      text: definition.text ?? [],
      tokenizer: FTS_TOKENIZER_VERSION,
    };
    const previous = this.db
      .prepare('SELECT definition FROM rm_collections WHERE name = ?')
      .get(definition.name) as { definition: string } | undefined;
    if (previous === undefined) {
      this.db
        .prepare('INSERT INTO rm_collections (name, definition, paths) VALUES (?, ?, ?)')
        .run(definition.name, JSON.stringify(stored), PathKinds.empty().serialise());
      return;
    }
    const before = JSON.parse(previous.definition) as StoredDefinition;
    if (JSON.stringify(before) === JSON.stringify(stored)) return;
    this.db
      .prepare('UPDATE rm_collections SET definition = ? WHERE name = ?')
      .run(JSON.stringify(stored), definition.name);
    if (
      JSON.stringify(before.text) !== JSON.stringify(stored.text) ||
      before.tokenizer !== stored.tokenizer
    ) {
      this.reindexText(collectionOf(definition.name, definition));
    }
  }

  /**
   * The collection's table with a key column for each of `keys`: created, or rebuilt when its key
   * columns are not these (a store from before key columns, or indexes on other paths). A rebuild
   * copies every row with its rid (the n-grams stay joined) and drops the old table's indexes,
   * which ensureCollection then builds.
   */
  private ensureTable(name: string, keys: readonly string[]): void {
    const table = `rm_${name}`;
    const columns = this.db.pragma(`table_xinfo("${table}")`) as { name: string }[];
    if (columns.length > 0) {
      const current = columns.map((column) => column.name).filter((column) => column.startsWith('k:'));
      if (JSON.stringify(current.sort()) === JSON.stringify(keys.map((path) => `k:${path}`))) return;
      const next = `${table}__relayout`;
      this.db.exec(
        `DROP TABLE IF EXISTS "${next}";` +
          `CREATE TABLE "${next}" (${tableColumns(keys)});` +
          `INSERT INTO "${next}" (rid, id, doc, text) SELECT rid, id, doc, text FROM "${table}";` +
          `DROP TABLE "${table}";` +
          `ALTER TABLE "${next}" RENAME TO "${table}";`,
      );
      this.writeStatements.delete(name);
      this.statements.clear();
      return;
    }
    this.db.exec(`CREATE TABLE "${table}" (${tableColumns(keys)})`);
  }

  /** The text fields changed: recompute every document's searchable text and tokens. */
  private reindexText(collection: Collection): void {
    this.db.exec(`INSERT INTO ${collection.tokens} (${collection.tokens}) VALUES ('delete-all')`);
    const page = this.db.prepare(
      `SELECT rid, json(doc) AS doc FROM ${collection.table} WHERE rid > ? ORDER BY rid LIMIT ?`,
    );
    const setText = this.db.prepare(`UPDATE ${collection.table} SET text = ? WHERE rid = ?`);
    const addTokens = this.db.prepare(`INSERT INTO ${collection.tokens} (rowid, tokens) VALUES (?, ?)`);
    let after = 0;
    for (;;) {
      const rows = page.all(after, REINDEX_BATCH) as { rid: number; doc: string }[];
      for (const row of rows) {
        const text =
          collection.text.length > 0
            ? searchableText(textValues(JSON.parse(row.doc), collection.text))
            : null;
        setText.run(text, row.rid);
        if (text !== null) addTokens.run(row.rid, ftsDocument(text));
      }
      if (rows.length < REINDEX_BATCH) return;
      after = rows[rows.length - 1].rid;
    }
  }

  // ── projector side ──

  async commit(projector: string, write: ReadModelWrite, checkpoint: Position): Promise<void> {
    this.checkOpen();
    checkProjector(projector);
    checkCheckpoint(checkpoint);
    this.inOwnTransaction(() => {
      // The stored record of each collection's paths, extended on a copy: an invalid document
      // rolls the transaction back and leaves the cached record as it was.
      const kinds = new Map<string, PathKinds>();
      const prepared = prepareWrite(
        write,
        (name) => this.collection(name).text,
        (name) => {
          let known = kinds.get(name);
          if (known === undefined) kinds.set(name, (known = this.kindsOf(this.collection(name)).clone()));
          return known;
        },
      );
      for (const name of prepared.extended) this.saveKinds(name, kinds.get(name) as PathKinds);
      this.writePrepared(prepared);
      this.saveCheckpoint(projector, checkpoint);
    });
  }

  /**
   * Commit writes prepared elsewhere (`prepareWrite`, on the rebuild's projection worker), one after
   * the other, with the checkpoint after the last, in one transaction. Each batch's record of paths
   * is merged into the stored one.
   */
  async commitPrepared(
    projector: string,
    batches: readonly PreparedBatch[],
    checkpoint: Position,
  ): Promise<void> {
    this.checkOpen();
    checkProjector(projector);
    checkCheckpoint(checkpoint);
    this.inOwnTransaction(() => {
      const extended = new Map<string, PathKinds>();
      for (const { kinds } of batches) {
        for (const [name, serialised] of kinds) {
          let stored = extended.get(name);
          if (stored === undefined) stored = this.kindsOf(this.collection(name)).clone();
          if (stored.merge(PathKinds.parse(serialised))) extended.set(name, stored);
        }
      }
      for (const [name, kinds] of extended) this.saveKinds(name, kinds);
      for (const { write } of batches) this.writePrepared(write);
      this.saveCheckpoint(projector, checkpoint);
    });
  }

  private saveKinds(name: string, kinds: PathKinds): void {
    this.run('UPDATE rm_collections SET paths = ? WHERE name = ?', kinds.serialise(), name);
  }

  private writePrepared(prepared: PreparedWrite): void {
    for (const [name, id, json, text] of prepared.upserts) this.upsert(this.collection(name), id, json, text);
    for (const [name, id] of prepared.deletes) this.delete(this.collection(name), id);
  }

  private saveCheckpoint(projector: string, checkpoint: Position): void {
    this.run(
      'INSERT INTO rm_checkpoints (projector, position) VALUES (?, ?) ' +
        'ON CONFLICT (projector) DO UPDATE SET position = excluded.position',
      projector,
      checkpoint,
    );
  }

  private upsert(collection: Collection, id: string, json: string, text: string | null): void {
    if (text === null) {
      this.write(
        collection,
        'upsert',
        (c) =>
          `INSERT INTO ${c.table} (id, doc) VALUES (?, jsonb(?)) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
      ).run(id, json);
      return;
    }
    const deferred = this.deferredTokens.get(collection.name);
    if (deferred !== undefined) {
      // Bulk load: only the text; fillTokens writes every document's n-grams at the end.
      this.write(
        collection,
        'upsertText',
        (c) =>
          `INSERT INTO ${c.table} (id, doc, text) VALUES (?, jsonb(?), ?) ` +
          'ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, text = excluded.text',
      ).run(id, json, text);
      // Past the limit, only the documents already kept have their words kept up to date; the
      // others' are computed at the end. The map changes only once a transaction has committed, so
      // every write of an id within one transaction gets the same decision.
      if (deferred.size < this.bulkWordsKept || deferred.has(id)) {
        const words = ftsDocument(text);
        this.afterCommit.push(() => deferred.set(id, words));
      }
      return;
    }
    const old = this.write(collection, 'old', (c) => `SELECT rid, text FROM ${c.table} WHERE id = ?`).get(
      id,
    ) as { rid: number; text: string | null } | undefined;
    if (old === undefined) {
      const { lastInsertRowid } = this.write(
        collection,
        'insert',
        (c) => `INSERT INTO ${c.table} (id, doc, text) VALUES (?, jsonb(?), ?)`,
      ).run(id, json, text);
      this.addTokens(collection, lastInsertRowid, text);
      return;
    }
    if (old.text === text) {
      this.write(collection, 'updateDoc', (c) => `UPDATE ${c.table} SET doc = jsonb(?) WHERE rid = ?`).run(
        json,
        old.rid,
      );
      return;
    }
    this.write(
      collection,
      'updateDocText',
      (c) => `UPDATE ${c.table} SET doc = jsonb(?), text = ? WHERE rid = ?`,
    ).run(json, text, old.rid);
    this.removeTokens(collection, old.rid, old.text);
    this.addTokens(collection, old.rid, text);
  }

  private addTokens(collection: Collection, rid: number | bigint, text: string): void {
    this.write(collection, 'addTokens', (c) => `INSERT INTO ${c.tokens} (rowid, tokens) VALUES (?, ?)`).run(
      rid,
      ftsDocument(text),
    );
  }

  /**
   * A contentless FTS5 table forgets a document through its 'delete' command, given exactly the
   * tokens it was indexed under — recomputed from the stored text (the tokenizer version in the
   * definition forces a re-index should the tokenisation ever change).
   */
  private removeTokens(collection: Collection, rid: number, text: string | null): void {
    this.write(
      collection,
      'removeTokens',
      (c) => `INSERT INTO ${c.tokens} (${c.tokens}, rowid, tokens) VALUES ('delete', ?, ?)`,
    ).run(rid, ftsDocument(text ?? ''));
  }

  private delete(collection: Collection, id: string): void {
    const deferred = this.deferredTokens.get(collection.name);
    if (collection.text.length === 0 || deferred !== undefined) {
      this.write(collection, 'delete', (c) => `DELETE FROM ${c.table} WHERE id = ?`).run(id);
      if (deferred !== undefined) this.afterCommit.push(() => deferred.delete(id));
      return;
    }
    const old = this.write(collection, 'old', (c) => `SELECT rid, text FROM ${c.table} WHERE id = ?`).get(
      id,
    ) as { rid: number; text: string | null } | undefined;
    if (old === undefined) return;
    this.removeTokens(collection, old.rid, old.text);
    this.write(collection, 'deleteRid', (c) => `DELETE FROM ${c.table} WHERE rid = ?`).run(old.rid);
  }

  async checkpoint(projector: string): Promise<Position | undefined> {
    this.checkOpen();
    return this.get1<{ position: string }>(
      'SELECT position FROM rm_checkpoints WHERE projector = ?',
      projector,
    )?.position;
  }

  async reset(projector: string, collections: readonly string[]): Promise<void> {
    this.checkOpen();
    checkProjector(projector);
    const targets = collections.map((name) => this.collection(name));
    this.inOwnTransaction(() => {
      for (const collection of targets) {
        this.run(`INSERT INTO ${collection.tokens} (${collection.tokens}) VALUES ('delete-all')`);
        this.run(`DELETE FROM ${collection.table}`);
        const deferred = this.deferredTokens.get(collection.name);
        if (deferred !== undefined) this.afterCommit.push(() => deferred.clear());
        // No documents left: nothing is known about their shape any more.
        this.run(
          'UPDATE rm_collections SET paths = ? WHERE name = ?',
          PathKinds.empty().serialise(),
          collection.name,
        );
      }
      this.run('DELETE FROM rm_checkpoints WHERE projector = ?', projector);
    });
  }

  async getMany(collection: string, ids: readonly string[]): Promise<ReadDoc[]> {
    this.checkOpen();
    const { table } = this.collection(collection);
    if (ids.length === 0) return [];
    const rows = this.all<{ id: string; doc: string }>(
      `SELECT id, json(doc) AS doc FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`,
      JSON.stringify(ids),
    );
    const byId = new Map(rows.map((row) => [row.id, row.doc]));
    const docs: ReadDoc[] = [];
    for (const id of new Set(ids)) {
      const doc = byId.get(id);
      if (doc !== undefined) docs.push(JSON.parse(doc) as ReadDoc);
    }
    return docs;
  }

  async idsWhere(collection: string, filter: Filter): Promise<string[]> {
    this.checkOpen();
    const target = this.collection(collection);
    const params = new Params();
    const where = compileFilter(filter, this.kindsOf(target), params, target.keys);
    return this.all<{ id: string }>(
      `SELECT d.id AS id FROM ${target.table} AS d ${whereClause(where)} ORDER BY d.id`,
      params.values,
    ).map((row) => row.id);
  }

  // ── query side ──

  async get(collection: string, id: string): Promise<ReadDoc | undefined> {
    this.checkOpen();
    const row = this.get1<{ doc: string }>(
      `SELECT json(doc) AS doc FROM ${this.collection(collection).table} WHERE id = ?`,
      id,
    );
    return row === undefined ? undefined : (JSON.parse(row.doc) as ReadDoc);
  }

  async find(collection: string, query: FindQuery): Promise<Page> {
    this.checkOpen();
    const target = this.collection(collection);
    const limit = query.limit;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidQueryError(`limit must be a whole number from 1 to ${MAX_LIMIT}`, 'limit');
    }
    const sort = compileSort(query.sort, target.keys);
    const params = new Params();
    // In id order with a text search matching many documents, walk the id index and test each
    // document against the search (a page fills within its first few hundred) instead of sorting
    // every match; with few matches, sorting them is the cheaper way.
    const walkInOrder = sort.expression === 'd.id' && this.matchesMany(target, query.text);
    const where = this.compileWhere(target, query, params, walkInOrder);
    const segments =
      query.cursor === undefined
        ? [undefined]
        : afterCursor(sort, decodeCursor(collection, sort, query.cursor), params);
    type Row = { doc: string; id: string; sv: string | number | null };
    const rows: Row[] = [];
    for (const segment of segments) {
      const terms = segment === undefined ? where : [...where, segment];
      const sql =
        `SELECT json(d.doc) AS doc, d.id AS id, ${sort.expression} AS sv FROM ${target.table} AS d ` +
        `${whereClause(terms)} ${orderBy(sort)} LIMIT @limit`;
      rows.push(...this.all<Row>(sql, { ...params.values, limit: limit + 1 - rows.length }));
      if (rows.length > limit) break;
    }
    const items = rows.slice(0, limit).map((row) => JSON.parse(row.doc) as ReadDoc);
    if (rows.length <= limit) return { items };
    const last = rows[limit - 1];
    return { items, nextCursor: encodeCursor(collection, sort, { value: last.sv, id: last.id }) };
  }

  async count(
    collection: string,
    query: { readonly filter?: Filter; readonly text?: string },
  ): Promise<number> {
    this.checkOpen();
    const target = this.collection(collection);
    const params = new Params();
    const where = this.compileWhere(target, query, params);
    return (
      this.get1<{ n: number }>(
        `SELECT count(*) AS n FROM ${target.table} AS d ${whereClause(where)}`,
        params.values,
      )?.n ?? 0
    );
  }

  async groupCount(collection: string, query: GroupCountQuery): Promise<GroupCount[]> {
    this.checkOpen();
    const target = this.collection(collection);
    if (!Array.isArray(query.by) || query.by.length === 0 || query.by.length > 8) {
      throw new InvalidQueryError('group by one to eight fields', 'by');
    }
    const by = [...query.by];
    by.forEach((path) => parsePath(path, 'a group field'));
    if (new Set(by).size !== by.length) throw new InvalidQueryError('group by each field once', 'by');
    const kinds = this.kindsOf(target);
    const params = new Params();
    const where = compileFilter(query.filter, kinds, params, target.keys);
    // The field's value (its key column where it has one) is the key; where a field has held
    // booleans, arrays or objects, its JSON type comes along so that true is not 1 and an array is
    // not a string.
    const typed = by.map((path) => (kinds.of(path) & (KIND.boolean | KIND.array | KIND.object)) !== 0);
    const columns: string[] = [];
    by.forEach((path, i) => {
      columns.push(`${valueSql(path, target.keys)} AS k${i}`);
      if (typed[i]) columns.push(`json_type(d.doc, '$.${path}') AS t${i}`);
    });
    const groups = columns.map((_, i) => i + 1).join(', ');
    const rows = this.all<Record<string, unknown>>(
      `SELECT ${columns.join(', ')}, count(*) AS n FROM ${target.table} AS d ${whereClause(where)} GROUP BY ${groups}`,
      params.values,
    );
    const merged = new Map<string, GroupCount>();
    for (const row of rows) {
      const key: Record<string, Scalar> = {};
      by.forEach((path, i) => {
        key[path] = typed[i] ? fromTyped(row[`k${i}`], row[`t${i}`]) : ((row[`k${i}`] ?? null) as Scalar);
      });
      // JSON null and a missing field are one group.
      const identity = JSON.stringify(by.map((path) => key[path]));
      const previous = merged.get(identity);
      merged.set(identity, { key, count: (previous?.count ?? 0) + (row.n as number) });
    }
    return [...merged.values()].sort(
      (a, b) => b.count - a.count || compareStrings(JSON.stringify(a.key), JSON.stringify(b.key)),
    );
  }

  async ping(): Promise<void> {
    this.checkOpen();
    this.get1('SELECT 1 AS ok FROM rm_checkpoints LIMIT 1');
  }

  /** Stops this store; the connection belongs to the event store, which closes it. */
  async close(): Promise<void> {
    this.closed = true;
    this.statements.clear();
    this.writeStatements.clear();
  }

  // ── helpers ──

  private compileWhere(
    target: Collection,
    query: { readonly filter?: Filter; readonly text?: string },
    params: Params,
    walkInOrder = false,
  ): string[] {
    const where = compileFilter(query.filter, this.kindsOf(target), params, target.keys);
    if (query.text === undefined) return where;
    if (typeof query.text !== 'string') throw new InvalidQueryError('text must be a string', 'text');
    const terms = searchTerms(query.text);
    if (terms.length === 0) return where;
    if (target.text.length === 0) {
      throw new InvalidQueryError(`${target.name} has no searchable text`, 'text');
    }
    const match = ftsQuery(terms) as string;
    // The n-grams are a complete pre-filter (FTS5); the substring test is the match itself.
    const substrings =
      terms.length === 1
        ? `instr(d.text, ${params.add(terms[0])}) > 0`
        : `NOT EXISTS (SELECT 1 FROM json_each(${params.add(JSON.stringify(terms))}) AS term WHERE instr(d.text, term.value) = 0)`;
    // `+` keeps SQLite from driving the query from the n-gram matches (walkInOrder).
    return [
      ...where,
      `${walkInOrder ? '+' : ''}d.rid IN (SELECT rowid FROM ${target.tokens} WHERE ${target.tokens} MATCH ${params.add(match)})`,
      substrings,
    ];
  }

  /**
   * Whether a text search's n-grams match at least a sixteenth of the collection (and at least
   * MANY_MATCHES documents): counted by FTS5 alone, well under a millisecond.
   */
  private matchesMany(target: Collection, text: string | undefined): boolean {
    if (typeof text !== 'string' || target.text.length === 0) return false;
    const match = ftsQuery(searchTerms(text));
    if (match === undefined) return false;
    const candidates =
      this.get1<{ n: number }>(
        `SELECT count(*) AS n FROM ${target.tokens} WHERE ${target.tokens} MATCH ?`,
        match,
      )?.n ?? 0;
    if (candidates < MANY_MATCHES) return false;
    // The largest rid bounds the number of documents (deleted ones leave gaps): an estimate.
    const size = this.get1<{ n: number }>(`SELECT coalesce(max(rid), 0) AS n FROM ${target.table}`)?.n ?? 0;
    return candidates * 16 >= size;
  }

  private collection(name: string): Collection {
    const known = this.collections.get(name);
    if (known !== undefined) return known;
    const stored = this.get1<{ definition: string }>(
      'SELECT definition FROM rm_collections WHERE name = ?',
      name,
    );
    if (stored === undefined) {
      throw new Error(`read-model collection "${name}" does not exist: ensureCollections first`);
    }
    const collection = collectionOf(name, JSON.parse(stored.definition) as StoredDefinition);
    this.collections.set(name, collection);
    return collection;
  }

  /** What the file says about the collection's paths (read each time: another instance may write). */
  private kindsOf(collection: Collection): PathKinds {
    const row = this.get1<{ paths: string }>(
      'SELECT paths FROM rm_collections WHERE name = ?',
      collection.name,
    );
    const json = row?.paths ?? PathKinds.empty().serialise();
    const cached = this.kindsCache.get(collection.name);
    if (cached !== undefined && cached.json === json) return cached.kinds;
    const kinds = PathKinds.parse(json);
    this.kindsCache.set(collection.name, { json, kinds });
    return kinds;
  }

  private inOwnTransaction(work: () => void): void {
    if (this.db.inTransaction) {
      // Never become a savepoint of a transaction someone else opened (the event store's group commit).
      throw new Error('the read store cannot write inside another open transaction on its connection');
    }
    try {
      this.transaction(work);
      for (const change of this.afterCommit) change();
    } finally {
      this.afterCommit.length = 0;
    }
  }

  /** One of the projector's per-document statements of a collection, prepared on first use. */
  private write(collection: Collection, purpose: string, sql: (c: Collection) => string): Database.Statement {
    let statements = this.writeStatements.get(collection.name);
    if (statements === undefined) this.writeStatements.set(collection.name, (statements = new Map()));
    let statement = statements.get(purpose);
    if (statement === undefined) statements.set(purpose, (statement = this.db.prepare(sql(collection))));
    return statement;
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.statement(sql).run(...params);
  }

  private get1<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  private all<T>(sql: string, ...params: unknown[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the read store is closed');
  }
}

function collectionOf(
  name: string,
  definition: { readonly text?: readonly string[]; readonly indexes?: readonly IndexDefinition[] },
): Collection {
  return {
    name,
    table: `"rm_${name}"`,
    tokens: `"rm_${name}__tokens"`,
    text: definition.text ?? [],
    keys: new Set(keyPathsOf(definition.indexes ?? [])),
  };
}

/** The columns of a collection's table (generated key columns before the document). */
function tableColumns(keys: readonly string[]): string {
  const generated = keys.map((path) => `${keyColumn(path)} AS (json_extract(doc, '$.${path}')) STORED`);
  return [
    'rid INTEGER PRIMARY KEY',
    'id TEXT NOT NULL UNIQUE',
    ...generated,
    'doc BLOB NOT NULL',
    'text TEXT',
  ].join(', ');
}

function checkDefinition(definition: CollectionDefinition): CollectionDefinition {
  const name = definition.name;
  if (typeof name !== 'string' || name.length > MAX_COLLECTION_NAME || !COLLECTION_NAME.test(name)) {
    throw new Error(
      `collection name "${String(name)}" must be lower-case words joined by single underscores`,
    );
  }
  const indexes = checkIndexes(name, definition.indexes, parsePath);
  (definition.text ?? []).forEach((path) => parsePath(path, `a text field of ${name}`));
  return {
    name,
    indexes,
    text: definition.text === undefined ? [] : [...definition.text],
  };
}

function checkProjector(projector: string): void {
  if (typeof projector !== 'string' || projector.length === 0) throw new Error('a projector needs a name');
}

function checkCheckpoint(checkpoint: unknown): void {
  if (typeof checkpoint !== 'string' || checkpoint.length === 0) {
    throw new Error('a checkpoint is a non-empty position string');
  }
}

/** The connection's page cache, raised to `kib` when smaller (negative cache_size is KiB). */
function raiseCache(db: Database.Database, kib: number): void {
  const current = db.pragma('cache_size', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const currentKiB = current < 0 ? -current : (current * pageSize) / 1024;
  if (currentKiB < kib) db.pragma(`cache_size = -${Math.floor(kib)}`);
}

function whereClause(terms: readonly string[]): string {
  return terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`;
}

function fromTyped(value: unknown, type: unknown): Scalar {
  switch (type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'array':
    case 'object':
      // json_extract gives containers as JSON text.
      return JSON.parse(value as string) as Scalar;
    default:
      return (value ?? null) as Scalar;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
