import type Database from 'better-sqlite3';
import type { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import type { Position } from '../../event-store/event-store.port';
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

/**
 * The embedded seal store: tables in the event store's SQLite file, on its connection.
 *
 * - `seal_nodes (level, idx, hash)`: every perfect subtree node, leaves at level 0 — about 2n rows
 *   for n events. A proof reads O(log n) of them by primary key; nothing is rebuilt from leaves.
 * - `seal_state`: the tree size and the last sealed global position, written with the nodes.
 * - `seal_checkpoints`: every signed checkpoint, in signing order.
 * Nodes and checkpoints are append-only: triggers refuse UPDATE and DELETE.
 *
 * Leaf positions: leaf i is the event at global position i + 1. This store keeps that arithmetic
 * mapping instead of a leaf table because the embedded global order is gap-free from 1 (positions
 * are the count of events, assigned in the append transaction) and the sealer seals every event of
 * it in order: a table would only repeat the count. `appendNodes` checks that each batch's
 * positions are exactly the next counts, so the mapping can never silently drift.
 *
 * Every write is one synchronous transaction that never spans an await, like the read store's; the
 * stored size (and, for a checkpoint, the latest signed size) is checked inside it.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS seal_nodes (
  level INTEGER NOT NULL,
  idx   INTEGER NOT NULL,
  hash  BLOB    NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS seal_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  tree_size     INTEGER NOT NULL,
  last_position TEXT
);
CREATE TABLE IF NOT EXISTS seal_checkpoints (
  sequence      INTEGER PRIMARY KEY,
  tree_size     INTEGER NOT NULL,
  root_hash     BLOB    NOT NULL,
  key_name      TEXT    NOT NULL,
  key_id        TEXT    NOT NULL,
  verifier_key  TEXT    NOT NULL,
  note          TEXT    NOT NULL,
  signed_at     TEXT    NOT NULL,
  last_position TEXT
);
CREATE INDEX IF NOT EXISTS seal_checkpoints_by_size ON seal_checkpoints (tree_size, sequence);
CREATE TRIGGER IF NOT EXISTS seal_nodes_are_never_updated BEFORE UPDATE ON seal_nodes
BEGIN SELECT RAISE(ABORT, 'IMMUTABLE: Merkle tree nodes are never changed'); END;
CREATE TRIGGER IF NOT EXISTS seal_nodes_are_never_deleted BEFORE DELETE ON seal_nodes
BEGIN SELECT RAISE(ABORT, 'IMMUTABLE: Merkle tree nodes are never deleted'); END;
CREATE TRIGGER IF NOT EXISTS seal_checkpoints_are_never_updated BEFORE UPDATE ON seal_checkpoints
BEGIN SELECT RAISE(ABORT, 'IMMUTABLE: signed checkpoints are never changed'); END;
CREATE TRIGGER IF NOT EXISTS seal_checkpoints_are_never_deleted BEFORE DELETE ON seal_checkpoints
BEGIN SELECT RAISE(ABORT, 'IMMUTABLE: signed checkpoints are never deleted'); END;
`;

interface CheckpointRow {
  sequence: number;
  tree_size: number;
  root_hash: Buffer;
  key_name: string;
  key_id: string;
  verifier_key: string;
  note: string;
  signed_at: string;
  last_position: string | null;
}

export class SqliteSealStore implements SealStore {
  private readonly stmt;
  private readonly writeNodes: (batch: SealBatch) => void;
  private readonly writeCheckpoint: (checkpoint: NewCheckpoint) => number;

  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    this.stmt = {
      progress: db.prepare<[], { tree_size: number; last_position: string | null }>(
        'SELECT tree_size, last_position FROM seal_state WHERE id = 1',
      ),
      node: db.prepare<[number, number], { hash: Buffer }>(
        'SELECT hash FROM seal_nodes WHERE level = ? AND idx = ?',
      ),
      insertNode: db.prepare<[number, number, Buffer]>(
        'INSERT INTO seal_nodes (level, idx, hash) VALUES (?, ?, ?)',
      ),
      saveProgress: db.prepare<[number, string | null]>(
        'INSERT INTO seal_state (id, tree_size, last_position) VALUES (1, ?, ?) ' +
          'ON CONFLICT (id) DO UPDATE SET tree_size = excluded.tree_size, last_position = excluded.last_position',
      ),
      insertCheckpoint: db.prepare(
        'INSERT INTO seal_checkpoints (tree_size, root_hash, key_name, key_id, verifier_key, note, signed_at, last_position) ' +
          'VALUES (@treeSize, @rootHash, @keyName, @keyId, @verifierKey, @note, @signedAt, @lastPosition)',
      ),
      checkpointBySequence: db.prepare<[number], CheckpointRow>(
        'SELECT * FROM seal_checkpoints WHERE sequence = ?',
      ),
      latest: db.prepare<[], CheckpointRow>('SELECT * FROM seal_checkpoints ORDER BY sequence DESC LIMIT 1'),
      list: db.prepare<[number, number], CheckpointRow>(
        'SELECT * FROM seal_checkpoints WHERE sequence > ? ORDER BY sequence ASC LIMIT ?',
      ),
      ofSize: db.prepare<[number], CheckpointRow>(
        'SELECT * FROM seal_checkpoints WHERE tree_size = ? ORDER BY sequence DESC LIMIT 1',
      ),
    };
    this.writeNodes = db.transaction(({ nodes, leafPositions, progress }: SealBatch) => {
      const base = progress.treeSize - leafPositions.length;
      const stored = this.stmt.progress.get()?.tree_size ?? 0;
      if (stored !== base) {
        throw new SealStoreConflictError(
          `the batch extends a tree of ${base} leaves, but the stored tree has ${stored}`,
        );
      }
      leafPositions.forEach((position, i) => {
        if (position !== String(base + i + 1)) {
          throw new Error(
            `leaf ${base + i} would be position ${position}, but the embedded order is gap-free: it must be position ${base + i + 1}`,
          );
        }
      });
      for (const node of nodes) this.stmt.insertNode.run(node.level, node.index, node.hash);
      this.stmt.saveProgress.run(progress.treeSize, progress.lastPosition ?? null);
    });
    this.writeCheckpoint = db.transaction((checkpoint: NewCheckpoint) => {
      checkCheckpoint(
        checkpoint,
        this.stmt.progress.get()?.tree_size ?? 0,
        this.stmt.latest.get()?.tree_size,
      );
      const { lastInsertRowid } = this.stmt.insertCheckpoint.run({
        ...checkpoint,
        lastPosition: checkpoint.lastPosition ?? null,
      });
      return Number(lastInsertRowid);
    });
  }

  /** A seal store on the event store's own connection: the same file, one writer. */
  static open(eventStore: SqliteEventStore): SqliteSealStore {
    return new SqliteSealStore(eventStore.connection);
  }

  async progress(): Promise<SealProgress> {
    const row = this.stmt.progress.get();
    return { treeSize: row?.tree_size ?? 0, lastPosition: row?.last_position ?? undefined };
  }

  async readNodes(ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    for (const id of ids) {
      const row = this.stmt.node.get(id.level, id.index);
      if (row) found.set(nodeKey(id), row.hash);
    }
    return found;
  }

  async appendNodes(batch: SealBatch): Promise<void> {
    if (this.db.inTransaction) {
      throw new Error('the seal store cannot write inside another open transaction on its connection');
    }
    checkBatch(batch);
    this.writeNodes(batch);
  }

  async saveCheckpoint(checkpoint: NewCheckpoint): Promise<StoredCheckpoint> {
    if (this.db.inTransaction) {
      throw new Error('the seal store cannot write inside another open transaction on its connection');
    }
    const sequence = this.writeCheckpoint(checkpoint);
    return toCheckpoint(this.stmt.checkpointBySequence.get(sequence) as CheckpointRow);
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const row = this.stmt.latest.get();
    return row ? toCheckpoint(row) : undefined;
  }

  async listCheckpoints({ afterSequence = 0, limit }: { afterSequence?: number; limit: number }) {
    return this.stmt.list.all(afterSequence, limit).map(toCheckpoint);
  }

  async checkpointOfSize(treeSize: number): Promise<StoredCheckpoint | undefined> {
    const row = this.stmt.ofSize.get(treeSize);
    return row ? toCheckpoint(row) : undefined;
  }

  async leafIndexOf(position: Position): Promise<number | undefined> {
    return (await this.leafIndexesOf([position]))[0];
  }

  async leafIndexesOf(positions: readonly Position[]): Promise<(number | undefined)[]> {
    const treeSize = this.stmt.progress.get()?.tree_size ?? 0;
    return positions.map((position) => {
      if (!EMBEDDED_POSITION.test(position)) return undefined;
      const index = Number(position) - 1;
      return index < treeSize ? index : undefined;
    });
  }

  async positionOfLeaf(leafIndex: number): Promise<Position | undefined> {
    const treeSize = this.stmt.progress.get()?.tree_size ?? 0;
    return Number.isSafeInteger(leafIndex) && leafIndex >= 0 && leafIndex < treeSize
      ? String(leafIndex + 1)
      : undefined;
  }

  denseLeafIndexOf(position: Position): number {
    if (!EMBEDDED_POSITION.test(position)) throw new Error(`not an embedded global position: ${position}`);
    return Number(position) - 1;
  }

  /** The connection belongs to the event store, which closes it. */
  async close(): Promise<void> {}
}

const EMBEDDED_POSITION = /^[1-9]\d{0,14}$/;

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    sequence: row.sequence,
    treeSize: row.tree_size,
    rootHash: Buffer.from(row.root_hash),
    keyName: row.key_name,
    keyId: row.key_id,
    verifierKey: row.verifier_key,
    note: row.note,
    signedAt: row.signed_at,
    lastPosition: row.last_position,
  };
}
