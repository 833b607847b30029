import {
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type ClientSession,
  type Collection,
  type Db,
  type Document,
} from 'mongodb';
import { connectMongo, inTransaction, supportsTransactions } from '../../mongodb/mongo-connection';
import type { Position } from '../../event-store/event-store.port';
import {
  InvalidQueryError,
  type CollectionDefinition,
  type Filter,
  type FindQuery,
  type GroupCount,
  type GroupCountQuery,
  type IndexDefinition,
  type Page,
  type ReadDoc,
  type ReadModelWrite,
  type ReadStore,
} from '../read-store.port';
import {
  INDEX_PREFIX,
  PROJECTION,
  TEXT,
  TOKENS,
  afterCursor,
  and,
  checkDefinition,
  checkGroupBy,
  checkLimit,
  checkSort,
  cursorPosition,
  decodeCursor,
  encodeCursor,
  fromStored,
  groupCountOf,
  groupPipeline,
  indexSpecs,
  mongoFilter,
  mongoSort,
  searchFields,
  sortGroups,
  textClauses,
  textTerms,
  toStored,
  type StoredDoc,
} from './mongo-query';

/** Where each projector's checkpoint lives: `{ _id: projector, position }`. */
export const CHECKPOINTS = 'projector_checkpoints';
/** Each collection's definition `{ _id: name, indexes, text }`, so any process can query it. */
export const DEFINITIONS = 'read_model_collections';
export { DEFAULT_DB_NAME, databaseInUrl } from '../../mongodb/mongo-connection';

/** NamespaceExists: another process created the collection first. */
const NAMESPACE_EXISTS = 48;
const REINDEX_BATCH = 1000;

interface StoredDefinition {
  _id: string;
  indexes: IndexDefinition[];
  text: string[];
}

/**
 * The read store on MongoDB through the official driver. One MongoDB collection per read-model
 * collection (same name); checkpoints in `projector_checkpoints`; definitions in
 * `read_model_collections`. The storage shape and the query translation are in mongo-query.ts
 * (pure, unit-tested).
 *
 * Transactions: `commit` and `reset` write the documents and the checkpoint in ONE multi-document
 * transaction (`session.withTransaction`, which retries the whole callback on a transient error and
 * the commit on an unknown commit result — every write here is an idempotent replace or delete).
 * MongoDB runs transactions only on a replica set or a sharded cluster; a single-node replica set
 * (`mongod --replSet rs0`, then `rs.initiate()`) is enough. A standalone `mongod` refuses them, and
 * this store then says so (`connect` notes the topology from `hello`) rather than writing without
 * atomicity.
 *
 * This adapter runs the read-store contract suite only when MONGODB_URL is set
 * (mongo-read-store.int.spec.ts). It was written against the driver's documentation on machines
 * without a MongoDB server: until that suite has run against a real replica set, it is untested
 * there.
 */
export class MongoReadStore implements ReadStore {
  private readonly definitions = new Map<string, CollectionDefinition>();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    /** False when the server is a standalone mongod: no transactions. */
    private readonly transactions: boolean,
  ) {}

  /**
   * Connect to `url` and use `dbName`, else the database named in the URL, else `archive_ledger`.
   * Fails when no server answers within the driver's server selection timeout.
   */
  static async connect(url: string, dbName?: string): Promise<MongoReadStore> {
    return connectMongo(
      url,
      dbName,
      async (client, db) => new MongoReadStore(client, db, await supportsTransactions(db)),
    );
  }

  /** The database this store writes to (the contract suite drops it). */
  get database(): Db {
    return this.db;
  }

  async ensureCollections(definitions: readonly CollectionDefinition[]): Promise<void> {
    const checked = definitions.map((definition) => checkDefinition(definition, [CHECKPOINTS, DEFINITIONS]));
    const names = new Set<string>();
    for (const { name } of checked) {
      if (names.has(name)) throw new Error(`collection ${name} is defined twice`);
      names.add(name);
    }
    // Collections are created up front, outside any transaction: creating one implicitly inside
    // a transaction needs MongoDB ≥ 4.4 and is restricted on sharded clusters.
    const existing = new Set(
      (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name),
    );
    for (const name of [CHECKPOINTS, DEFINITIONS, ...names]) {
      if (existing.has(name)) continue;
      try {
        await this.db.createCollection(name);
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
      }
    }
    for (const definition of checked) await this.ensureCollection(definition);
  }

  private async ensureCollection(definition: CollectionDefinition): Promise<void> {
    const collection = this.db.collection<StoredDoc>(definition.name);
    const wanted = indexSpecs(definition);
    const wantedNames = new Set(wanted.map((spec) => spec.name));
    for (const index of await collection.listIndexes().toArray()) {
      const name = String(index.name);
      if (name.startsWith(INDEX_PREFIX) && !wantedNames.has(name)) await collection.dropIndex(name);
    }
    // An index that already exists with the same name, key and options is a no-op: idempotent.
    if (wanted.length > 0) await collection.createIndexes(wanted);

    const text = [...(definition.text ?? [])];
    const previous = await this.definitionsCollection().findOne({ _id: definition.name });
    if (previous !== null && JSON.stringify(previous.text) !== JSON.stringify(text)) {
      // The text fields changed: recompute every document's search fields before recording the
      // new definition (a crash in between recomputes again at the next start).
      await this.reindexText(collection, text);
    }
    await this.definitionsCollection().replaceOne(
      { _id: definition.name },
      { indexes: [...definition.indexes], text },
      { upsert: true },
    );
    this.definitions.set(definition.name, definition);
  }

  private async reindexText(collection: Collection<StoredDoc>, text: readonly string[]): Promise<void> {
    const cursor = collection.find({}, { projection: PROJECTION });
    let batch: AnyBulkWriteOperation<StoredDoc>[] = [];
    const flush = async () => {
      if (batch.length > 0) await collection.bulkWrite(batch, { ordered: false });
      batch = [];
    };
    for await (const stored of cursor) {
      const update =
        text.length > 0
          ? { $set: searchFields(fromStored(stored), text) }
          : { $unset: { [TOKENS]: '', [TEXT]: '' } };
      batch.push({ updateOne: { filter: { _id: stored._id }, update } });
      if (batch.length >= REINDEX_BATCH) await flush();
    }
    await flush();
  }

  // ── projector side ──

  async commit(projector: string, write: ReadModelWrite, checkpoint: Position): Promise<void> {
    checkProjector(projector);
    if (typeof checkpoint !== 'string' || checkpoint.length === 0) {
      throw new Error('a checkpoint is a non-empty position string');
    }
    // Everything is checked and built before the transaction: a bad document writes nothing.
    const operations = new Map<string, AnyBulkWriteOperation<StoredDoc>[]>();
    const opsOf = (collection: string) => {
      let list = operations.get(collection);
      if (list === undefined) operations.set(collection, (list = []));
      return list;
    };
    for (const { collection, doc } of write.upserts) {
      const { _id, ...replacement } = toStored(doc, (await this.definition(collection)).text);
      opsOf(collection).push({ replaceOne: { filter: { _id }, replacement, upsert: true } });
    }
    for (const { collection, id } of write.deletes) {
      await this.definition(collection);
      opsOf(collection).push({ deleteOne: { filter: { _id: id } } });
    }
    await this.transaction(async (session) => {
      for (const [collection, list] of operations) {
        // The driver refuses an empty bulkWrite; `operations` only holds non-empty lists.
        await this.db.collection<StoredDoc>(collection).bulkWrite(list, { session, ordered: true });
      }
      await this.checkpoints().replaceOne(
        { _id: projector },
        { position: checkpoint },
        { upsert: true, session },
      );
    });
  }

  async checkpoint(projector: string): Promise<Position | undefined> {
    const found = await this.checkpoints().findOne({ _id: projector });
    return typeof found?.position === 'string' ? found.position : undefined;
  }

  async reset(projector: string, collections: readonly string[]): Promise<void> {
    checkProjector(projector);
    for (const collection of collections) await this.definition(collection);
    await this.transaction(async (session) => {
      for (const collection of collections) {
        await this.db.collection(collection).deleteMany({}, { session });
      }
      await this.checkpoints().deleteOne({ _id: projector }, { session });
    });
  }

  async getMany(collection: string, ids: readonly string[]): Promise<ReadDoc[]> {
    const target = await this.collection(collection);
    if (ids.length === 0) return [];
    const wanted = [...new Set(ids)];
    const found = await target.find({ _id: { $in: wanted } }, { projection: PROJECTION }).toArray();
    const byId = new Map(found.map((stored) => [stored._id, fromStored(stored)]));
    return wanted.flatMap((id) => byId.get(id) ?? []);
  }

  async idsWhere(collection: string, filter: Filter): Promise<string[]> {
    const target = await this.collection(collection);
    const found = await target
      .find(mongoFilter(filter), { projection: { _id: 1 }, sort: { _id: 1 } })
      .toArray();
    return found.map((stored) => stored._id);
  }

  // ── query side ──

  async get(collection: string, id: string): Promise<ReadDoc | undefined> {
    const target = await this.collection(collection);
    const found = await target.findOne({ _id: id }, { projection: PROJECTION });
    return found === null ? undefined : fromStored(found);
  }

  async find(collection: string, query: FindQuery): Promise<Page> {
    const target = await this.collection(collection);
    const limit = checkLimit(query.limit);
    const sort = checkSort(query.sort);
    const parts = [await this.match(collection, query)];
    if (query.cursor !== undefined)
      parts.push(afterCursor(sort, decodeCursor(collection, sort, query.cursor)));
    const found = await target
      .find(and(parts), { projection: PROJECTION, sort: mongoSort(sort), limit: limit + 1 })
      .toArray();
    const items = found.slice(0, limit).map(fromStored);
    if (found.length <= limit) return { items };
    return {
      items,
      nextCursor: encodeCursor(collection, sort, cursorPosition(sort, items[items.length - 1])),
    };
  }

  async count(
    collection: string,
    query: { readonly filter?: Filter; readonly text?: string },
  ): Promise<number> {
    const target = await this.collection(collection);
    return target.countDocuments(await this.match(collection, query));
  }

  async groupCount(collection: string, query: GroupCountQuery): Promise<GroupCount[]> {
    const target = await this.collection(collection);
    const by = checkGroupBy(query.by);
    const rows = await target.aggregate(groupPipeline(await this.match(collection, query), by)).toArray();
    return sortGroups(rows.map((row) => groupCountOf(by, row)));
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  // ── internals ──

  /** A collection's definition: from this process's ensureCollections, else as recorded by any process. */
  private async definition(name: string): Promise<CollectionDefinition> {
    const known = this.definitions.get(name);
    if (known !== undefined) return known;
    const stored =
      typeof name === 'string' ? await this.definitionsCollection().findOne({ _id: name }) : null;
    if (stored === null) {
      throw new Error(`read-model collection "${String(name)}" does not exist: ensureCollections first`);
    }
    const definition: CollectionDefinition = { name, indexes: stored.indexes, text: stored.text };
    this.definitions.set(name, definition);
    return definition;
  }

  private async collection(name: string): Promise<Collection<StoredDoc>> {
    await this.definition(name);
    return this.db.collection<StoredDoc>(name);
  }

  private checkpoints(): Collection<{ _id: string; position: string }> {
    return this.db.collection<{ _id: string; position: string }>(CHECKPOINTS);
  }

  private definitionsCollection(): Collection<StoredDefinition> {
    return this.db.collection<StoredDefinition>(DEFINITIONS);
  }

  /** Filter AND text, as one query document. */
  private async match(
    collection: string,
    query: { readonly filter?: Filter; readonly text?: string },
  ): Promise<Document> {
    const filter = mongoFilter(query.filter);
    const terms = textTerms(query.text);
    if (terms.length > 0 && ((await this.definition(collection)).text ?? []).length === 0) {
      throw new InvalidQueryError(`${collection} has no searchable text`, 'text');
    }
    return and([filter, ...textClauses(terms)]);
  }

  /**
   * Run `work` in one transaction. `withTransaction` may call it more than once (transient errors),
   * so it must only do idempotent writes, each given the session — an operation without it would
   * run outside the transaction.
   */
  private async transaction(work: (session: ClientSession) => Promise<void>): Promise<void> {
    await inTransaction(
      this.client,
      this.transactions,
      'MongoDB read store: read-model writes run in multi-document transactions, which need',
      work,
    );
  }
}

function checkProjector(projector: string): void {
  if (typeof projector !== 'string' || projector.length === 0) throw new Error('a projector needs a name');
}
