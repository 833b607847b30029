import type { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  Position,
  ProposedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../../event-store/event-store.port';
import type { NodeId } from '../merkle';
import {
  checkBatch,
  checkCheckpoint,
  nodeKey,
  type NewCheckpoint,
  type SealBatch,
  type SealProgress,
  type SealStore,
  type StoredCheckpoint,
  SealStoreConflictError,
} from './seal-store.port';

/**
 * Test support only: a seal store in memory that, like the MongoDB adapter, records each leaf's
 * position (it does not assume positions are counts), and an event store whose positions look like
 * EventStoreDB's (commit/prepare pairs with gaps, beyond 2^53) over the embedded store. Together they
 * let the sealer, the proofs and stream verification run here with positions that are not counts.
 * Not a production adapter.
 */
export class MemorySealStore implements SealStore {
  private readonly nodes = new Map<string, Buffer>();
  private readonly leaves: Position[] = [];
  private readonly leafOf = new Map<Position, number>();
  private readonly checkpoints: StoredCheckpoint[] = [];
  private state: SealProgress = { treeSize: 0, lastPosition: undefined };

  async progress(): Promise<SealProgress> {
    return this.state;
  }

  async readNodes(ids: readonly NodeId[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    for (const id of ids) {
      const hash = this.nodes.get(nodeKey(id));
      if (hash) found.set(nodeKey(id), hash);
    }
    return found;
  }

  async appendNodes(batch: SealBatch): Promise<void> {
    checkBatch(batch);
    const base = batch.progress.treeSize - batch.leafPositions.length;
    if (this.state.treeSize !== base) {
      throw new SealStoreConflictError(
        `the batch extends a tree of ${base} leaves, but the stored tree has ${this.state.treeSize}`,
      );
    }
    // Everything checked before anything is written: all or nothing.
    const keys = batch.nodes.map((n) => nodeKey(n));
    if (keys.some((k) => this.nodes.has(k)) || new Set(keys).size !== keys.length) {
      throw new Error('duplicate key: a node of the batch is already stored');
    }
    if (batch.leafPositions.some((p) => this.leafOf.has(p))) {
      throw new Error('duplicate key: a leaf position of the batch is already stored');
    }
    batch.nodes.forEach((node, i) => this.nodes.set(keys[i], Buffer.from(node.hash)));
    batch.leafPositions.forEach((position, i) => {
      this.leaves.push(position);
      this.leafOf.set(position, base + i);
    });
    this.state = batch.progress;
  }

  async saveCheckpoint(checkpoint: NewCheckpoint): Promise<StoredCheckpoint> {
    const latest = this.checkpoints[this.checkpoints.length - 1];
    checkCheckpoint(checkpoint, this.state.treeSize, latest?.treeSize);
    const stored = { ...checkpoint, sequence: (latest?.sequence ?? 0) + 1 };
    this.checkpoints.push(stored);
    return stored;
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    return this.checkpoints[this.checkpoints.length - 1];
  }

  async listCheckpoints({ afterSequence = 0, limit }: { afterSequence?: number; limit: number }) {
    return this.checkpoints.filter((c) => c.sequence > afterSequence).slice(0, limit);
  }

  async checkpointOfSize(treeSize: number): Promise<StoredCheckpoint | undefined> {
    return [...this.checkpoints].reverse().find((c) => c.treeSize === treeSize);
  }

  async leafIndexOf(position: Position): Promise<number | undefined> {
    return this.leafOf.get(position);
  }

  async leafIndexesOf(positions: readonly Position[]): Promise<(number | undefined)[]> {
    return positions.map((p) => this.leafOf.get(p));
  }

  async positionOfLeaf(leafIndex: number): Promise<Position | undefined> {
    return this.leaves[leafIndex];
  }

  async close(): Promise<void> {}
}

const BASE = 18_446_744_000_000_000_000n;

/** The EventStoreDB-like position of the embedded store's n-th event. */
export function sparsePosition(count: string | number): Position {
  const at = BASE + BigInt(count) * 4_096n;
  return `${at}/${at}`;
}

function countOf(position: Position): string {
  const match = /^(\d+)\/\1$/.exec(position);
  if (!match) throw new Error(`not a position of this store: ${position}`);
  return String((BigInt(match[1]) - BASE) / 4_096n);
}

/** The embedded store, seen through positions that are not counts. */
export class SparsePositionEventStore implements EventStore {
  constructor(readonly inner: SqliteEventStore) {}

  private map(event: RecordedEvent): RecordedEvent {
    return { ...event, position: sparsePosition(event.position) };
  }

  async append(
    stream: string,
    events: readonly ProposedEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const result = await this.inner.append(stream, events, options);
    return { ...result, position: sparsePosition(result.position) };
  }

  async readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(stream, options)).map((e) => this.map(e));
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const after = options.after === undefined ? undefined : countOf(options.after);
    return (await this.inner.readAll({ ...options, after })).map((e) => this.map(e));
  }

  async *subscribeToAll(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    const after = options.after === undefined ? undefined : countOf(options.after);
    for await (const event of this.inner.subscribeToAll({ ...options, after })) yield this.map(event);
  }

  async headPosition(): Promise<Position | undefined> {
    const head = await this.inner.headPosition();
    return head === undefined ? undefined : sparsePosition(head);
  }

  comparePositions(a: Position, b: Position): number {
    const x = BigInt(a.split('/')[0]);
    const y = BigInt(b.split('/')[0]);
    return x === y ? 0 : x < y ? -1 : 1;
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
