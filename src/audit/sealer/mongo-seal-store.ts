import { Binary, MongoClient, MongoServerError, type ClientSession, type Collection, type Db } from 'mongodb';
import type { Position } from '../../event-store/event-store.port';
import { connectMongo, inTransaction, supportsTransactions } from '../../mongodb/mongo-connection';
import type { NodeId } from '../merkle';
import {
  SealStoreConflictError,
  checkBatch,
  checkCheckpoint,
  nodeKey,
  type NewCheckpoint,
  type SealBatch,
  type SealProgress,
  type SealStore,
  type StoredCheckpoint,
} from './seal-store.port';

/** `{ _id: "level/index", hash }`: every perfect-subtree node, leaves at level 0 (about 2n for n events). */
export const SEAL_NODES = 'seal_nodes';
/** `{ _id: leafIndex, position }`: the global position of each leaf; unique index on `position`. */
export const SEAL_LEAVES = 'seal_leaves';
/** One document `{ _id: "tree", treeSize, lastPosition }`, written with each batch. */
export const SEAL_STATE = 'seal_state';
/** Every signed checkpoint `{ sequence, treeSize, rootHash, keyName, keyId, verifierKey, note, signedAt, lastPosition }`. */
export const SEAL_CHECKPOINTS = 'seal_checkpoints';

const STATE_ID = 'tree';
const NAMESPACE_EXISTS = 48;

interface NodeDoc {
  _id: string;
  hash: Binary;
}
interface LeafDoc {
  _id: number;
  position: string;
}
interface StateDoc {
  _id: string;
  treeSize: number;
  lastPosition: string | null;
}
interface CheckpointDoc {
  sequence: number;
  treeSize: number;
  rootHash: Binary;
  keyName: string;
  keyId: string;
  verifierKey: string;
  note: string;
  signedAt: string;
  lastPosition: string | null;
}

/**
 * The seal store of the EventStoreDB deployment, on MongoDB through the official driver (the same
 * server as the read store; its own client). Collections `seal_nodes`, `seal_leaves`, `seal_state`
 * and `seal_checkpoints` (see the constants above).
 *
 * - **Leaf positions.** EventStoreDB positions are `"<commit>/<prepare>"` pairs of unsigned 64-bit
 *   numbers, not counts, so each leaf's position is stored (`seal_leaves`). Positions are kept as
 *   the exact token strings the event store issued and never converted to numbers (a commit
 *   position passes 2^53 long before 2^64): a lookup is an exact string match on a unique index,
 *   and the order is the leaf index, which is the global order the sealer followed.
 * - **One transaction per batch.** `appendNodes` writes the nodes, the leaves and the progress in
 *   one multi-document transaction, after checking inside it that the stored size is the one the
 *   batch extends (a second sealer loses the race and writes nothing). Nodes and leaves are only
 *   ever inserted: a node or position already stored fails the whole batch (duplicate key).
 *   Transactions need a replica set (one node is enough) or a sharded cluster, as for the read
 *   store; a standalone mongod is refused with a message saying so.
 * - **Checkpoints** get the next sequence inside a transaction that also checks that they never
 *   go back and never sign more leaves than are stored; a unique index on `sequence` backs it.
 *
 * Written against the driver's documentation and NOT run against a MongoDB server here: the
 * contract suite (seal-store.contract.ts) runs on it only when MONGODB_URL is set
 * (mongo-seal-store.int.spec.ts). Unlike the embedded tables, nothing on the server refuses an
 * update or delete of these collections: protect them with database roles (the service needs
 * only insert, find and update on `seal_state`).
 */
export class MongoSealStore implements SealStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly transactions: boolean,
  ) {}

  /** Connect to `url` and use `dbName`, else the database named in the URL, else `archive_ledger`. */
  static async connect(url: string, dbName?: string): Promise<MongoSealStore> {
    return connectMongo(url, dbName, async (client, db) => {
      const store = new MongoSealStore(client, db, await supportsTransactions(db));
      await store.ensureSchema();
      return store;
    });
  }

  /** The database this store writes to (the contract suite drops it). */
  get database(): Db {
    return this.db;
  }

  /** Collections and indexes, created up front (outside any transaction); idempotent. */
  private async ensureSchema(): Promise<void> {
    const existing = new Set(
      (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name),
    );
    for (const name of [SEAL_NODES, SEAL_LEAVES, SEAL_STATE, SEAL_CHECKPOINTS]) {
      if (existing.has(name)) continue;
      try {
        await this.db.createCollection(name);
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
      }
    }
    await this.leaves().createIndex({ position: 1 }, { unique: true, name: 'seal_leaves_by_position' });
    await this.checkpoints().createIndex(
      { sequence: 1 },
      { unique: true, name: 'seal_checkpoints_by_sequence' },
    );
    await this.checkpoints().createIndex({ treeSize: 1, sequence: -1 }, { name: 'seal_checkpoints_by_size' });
  }

  async progress(): Promise<SealProgress> {
    const state = await this.state().findOne({ _id: STATE_ID });
    return { treeSize: state?.treeSize ?? 0, lastPosition: state?.lastPosition ?? undefined };
  }

  async readNodes(ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    if (ids.length === 0) return found;
    const keys = [...new Set(ids.map(nodeKey))];
    for (const doc of await this.nodes()
      .find({ _id: { $in: keys } })
      .toArray()) {
      found.set(doc._id, Buffer.from(doc.hash.value()));
    }
    return found;
  }

  async appendNodes(batch: SealBatch): Promise<void> {
    checkBatch(batch);
    const { nodes, leafPositions, progress } = batch;
    const base = progress.treeSize - leafPositions.length;
    // Built before the transaction; withTransaction may run the callback again (transient errors).
    const nodeDocs: NodeDoc[] = nodes.map((node) => ({
      _id: nodeKey(node),
      hash: new Binary(node.hash),
    }));
    const leafDocs: LeafDoc[] = leafPositions.map((position, i) => ({ _id: base + i, position }));
    await this.transaction(async (session) => {
      const state = await this.state().findOne({ _id: STATE_ID }, { session });
      const stored = state?.treeSize ?? 0;
      if (stored !== base) {
        throw new SealStoreConflictError(
          `the batch extends a tree of ${base} leaves, but the stored tree has ${stored}`,
        );
      }
      if (nodeDocs.length > 0) await this.nodes().insertMany(nodeDocs, { session, ordered: true });
      if (leafDocs.length > 0) await this.leaves().insertMany(leafDocs, { session, ordered: true });
      await this.state().replaceOne(
        { _id: STATE_ID },
        { treeSize: progress.treeSize, lastPosition: progress.lastPosition ?? null },
        { session, upsert: true },
      );
    });
  }

  async saveCheckpoint(checkpoint: NewCheckpoint): Promise<StoredCheckpoint> {
    let saved: CheckpointDoc | undefined;
    await this.transaction(async (session) => {
      const state = await this.state().findOne({ _id: STATE_ID }, { session });
      const latest = await this.checkpoints().findOne({}, { session, sort: { sequence: -1 } });
      checkCheckpoint(checkpoint, state?.treeSize ?? 0, latest?.treeSize);
      const doc: CheckpointDoc = {
        sequence: (latest?.sequence ?? 0) + 1,
        treeSize: checkpoint.treeSize,
        rootHash: new Binary(checkpoint.rootHash),
        keyName: checkpoint.keyName,
        keyId: checkpoint.keyId,
        verifierKey: checkpoint.verifierKey,
        note: checkpoint.note,
        signedAt: checkpoint.signedAt,
        lastPosition: checkpoint.lastPosition ?? null,
      };
      // A copy: insertOne adds an _id to the document it is given.
      await this.checkpoints().insertOne({ ...doc }, { session });
      saved = doc;
    });
    return toCheckpoint(saved as CheckpointDoc);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const doc = await this.checkpoints().findOne({}, { sort: { sequence: -1 } });
    return doc ? toCheckpoint(doc) : undefined;
  }

  async listCheckpoints({
    afterSequence = 0,
    limit,
  }: {
    afterSequence?: number;
    limit: number;
  }): Promise<StoredCheckpoint[]> {
    const docs = await this.checkpoints()
      .find({ sequence: { $gt: afterSequence } })
      .sort({ sequence: 1 })
      .limit(limit)
      .toArray();
    return docs.map(toCheckpoint);
  }

  async checkpointOfSize(treeSize: number): Promise<StoredCheckpoint | undefined> {
    const doc = await this.checkpoints().findOne({ treeSize }, { sort: { sequence: -1 } });
    return doc ? toCheckpoint(doc) : undefined;
  }

  async leafIndexOf(position: Position): Promise<number | undefined> {
    if (typeof position !== 'string') return undefined;
    const doc = await this.leaves().findOne({ position });
    return doc ? Number(doc._id) : undefined;
  }

  async leafIndexesOf(positions: readonly Position[]): Promise<(number | undefined)[]> {
    const wanted = [...new Set(positions.filter((p) => typeof p === 'string'))];
    if (wanted.length === 0) return positions.map(() => undefined);
    const found = new Map<string, number>();
    for (const doc of await this.leaves()
      .find({ position: { $in: wanted } })
      .toArray()) {
      found.set(doc.position, Number(doc._id));
    }
    return positions.map((position) => found.get(position));
  }

  async positionOfLeaf(leafIndex: number): Promise<Position | undefined> {
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0) return undefined;
    const doc = await this.leaves().findOne({ _id: leafIndex });
    return doc?.position;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private nodes(): Collection<NodeDoc> {
    return this.db.collection<NodeDoc>(SEAL_NODES);
  }

  private leaves(): Collection<LeafDoc> {
    return this.db.collection<LeafDoc>(SEAL_LEAVES);
  }

  private state(): Collection<StateDoc> {
    return this.db.collection<StateDoc>(SEAL_STATE);
  }

  private checkpoints(): Collection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>(SEAL_CHECKPOINTS);
  }

  /**
   * Run `work` in one transaction (snapshot reads, majority writes). `withTransaction` retries the
   * whole callback on a transient error (e.g. a write conflict with another sealer), so the callback
   * re-reads what it checks each time; any other error aborts the transaction: nothing is written.
   */
  private async transaction(work: (session: ClientSession) => Promise<void>): Promise<void> {
    await inTransaction(
      this.client,
      this.transactions,
      'MongoDB seal store: each sealed batch is written in one multi-document transaction, which needs',
      work,
    );
  }
}

function toCheckpoint(doc: CheckpointDoc): StoredCheckpoint {
  return {
    sequence: Number(doc.sequence),
    treeSize: Number(doc.treeSize),
    rootHash: Buffer.from(doc.rootHash.value()),
    keyName: doc.keyName,
    keyId: doc.keyId,
    verifierKey: doc.verifierKey,
    note: doc.note,
    signedAt: doc.signedAt,
    lastPosition: doc.lastPosition ?? null,
  };
}
