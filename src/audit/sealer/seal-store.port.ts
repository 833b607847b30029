import type { Position } from '../../event-store/event-store.port';
import type { CompletedNode, NodeId } from '../merkle';

/**
 * Where the sealer keeps the Merkle tree, the position of every leaf, and the signed checkpoints.
 * Two adapters pass one contract suite (seal-store.contract.ts):
 *
 * - embedded (sqlite-seal-store.ts): tables in the event store's own SQLite file. Its positions are
 *   the 1-based count of the gap-free global order, so leaf i is position i + 1: it keeps that
 *   arithmetic mapping instead of a table (and refuses a batch whose positions break it).
 * - EventStoreDB deployment (mongo-seal-store.ts): MongoDB collections `seal_nodes`, `seal_state`,
 *   `seal_checkpoints` and `seal_leaves` (leaf index → position, since EventStoreDB positions are
 *   commit/prepare pairs, not counts), each batch in one multi-document transaction. Written
 *   against the driver's documentation; not run against a server here.
 *
 * The leaf index of an event always comes from the store (`leafIndexOf`), never from arithmetic
 * on its position: the sealer follows the global order and numbers the leaves itself.
 */
export interface SealProgress {
  /** Leaves in the stored tree. */
  readonly treeSize: number;
  /** Global position of the last sealed event (undefined: none yet). */
  readonly lastPosition: Position | undefined;
}

export interface StoredCheckpoint {
  /** Order of signing (several checkpoints may share a size: a rotation re-signs it with the new key). */
  readonly sequence: number;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  readonly keyName: string;
  /** 8 hex digits. */
  readonly keyId: string;
  /** The signed-note verifier key that checks `note`. */
  readonly verifierKey: string;
  /** The C2SP signed note, exactly as signed. */
  readonly note: string;
  /** When it was signed (ISO 8601, service clock). */
  readonly signedAt: string;
  /** Global position of the last event it covers (null for the empty tree). */
  readonly lastPosition: Position | null;
}

export type NewCheckpoint = Omit<StoredCheckpoint, 'sequence'>;

/** One batch of the sealer: what `appendNodes` stores in one transaction. */
export interface SealBatch {
  /** Every node the batch completed (leaves at level 0, then the parents they finish). */
  readonly nodes: readonly CompletedNode[];
  /**
   * The global position of each leaf appended, in order: leaf `progress.treeSize − leafPositions.length + i`
   * is the event at `leafPositions[i]`.
   */
  readonly leafPositions: readonly Position[];
  /** The progress after the batch (`lastPosition` is the last of `leafPositions`). */
  readonly progress: SealProgress;
}

/**
 * A write that does not follow the stored tree: the stored size is not the one the batch extends
 * (another sealer appended meanwhile), or a checkpoint of a larger tree was signed since. Nothing
 * of it was written; the sealer reloads its edge from the store and goes on from there.
 */
export class SealStoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealStoreConflictError';
  }
}

export interface SealStore {
  progress(): Promise<SealProgress>;
  /** Stored node hashes; a node that is not stored is missing from the answer. */
  readNodes(ids: readonly NodeId[]): Promise<Map<string, Buffer>>;
  /**
   * Store the batch's nodes, its leaves' positions and the new progress in ONE transaction: all of
   * it or nothing. Refused with SealStoreConflictError (nothing written) unless the stored tree has
   * exactly `progress.treeSize − leafPositions.length` leaves; a node or leaf position already
   * stored also fails the whole batch.
   */
  appendNodes(batch: SealBatch): Promise<void>;
  /**
   * Store a signed checkpoint with the next sequence number. Refused with SealStoreConflictError if
   * the latest stored checkpoint is of a larger tree (checkpoints never go back), or if the tree
   * stored has fewer leaves than the checkpoint signs.
   */
  saveCheckpoint(checkpoint: NewCheckpoint): Promise<StoredCheckpoint>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  /** Checkpoints in signing order, after `afterSequence`. */
  listCheckpoints(options: { afterSequence?: number; limit: number }): Promise<StoredCheckpoint[]>;
  /** The newest checkpoint of exactly this size, if one was signed. */
  checkpointOfSize(treeSize: number): Promise<StoredCheckpoint | undefined>;
  /** Leaf index (0-based, in the global order) of the event at `position`; undefined: not sealed (yet). */
  leafIndexOf(position: Position): Promise<number | undefined>;
  /** `leafIndexOf` for many positions at once (one round trip where the store allows it), in order. */
  leafIndexesOf(positions: readonly Position[]): Promise<(number | undefined)[]>;
  /** The global position of leaf `leafIndex`; undefined: no such leaf (yet). */
  positionOfLeaf(leafIndex: number): Promise<Position | undefined>;
  /**
   * Only for an event store whose positions are counts (the embedded one: gap-free from 1): the leaf
   * index a position must have. The sealer then refuses a gap in the global order. Absent where
   * positions are not counts (EventStoreDB).
   */
  denseLeafIndexOf?(position: Position): number;
  /** Release what the store opened itself (a MongoDB client); the embedded store's connection is not its own. */
  close(): Promise<void>;
}

export const SEAL_STORE = Symbol('SEAL_STORE');

export function nodeKey(id: NodeId): string {
  return `${id.level}/${id.index}`;
}

/** The batch is self-consistent (checked before any write, by every adapter). */
export function checkBatch({ nodes, leafPositions, progress }: SealBatch): void {
  if (!Number.isSafeInteger(progress.treeSize) || progress.treeSize < leafPositions.length) {
    throw new Error(`a batch of ${leafPositions.length} leaves cannot end at tree size ${progress.treeSize}`);
  }
  if (leafPositions.length > 0 && progress.lastPosition !== leafPositions[leafPositions.length - 1]) {
    throw new Error('the progress of a batch must end at its last leaf position');
  }
  if (leafPositions.length > 0 && nodes.filter((n) => n.level === 0).length !== leafPositions.length) {
    throw new Error('a batch stores one leaf node per leaf position');
  }
}

/** A checkpoint never goes back, and never signs more leaves than are stored. */
export function checkCheckpoint(
  checkpoint: NewCheckpoint,
  storedTreeSize: number,
  latestTreeSize: number | undefined,
): void {
  if (checkpoint.treeSize > storedTreeSize) {
    throw new SealStoreConflictError(
      `a checkpoint of ${checkpoint.treeSize} leaves, but the stored tree has ${storedTreeSize}`,
    );
  }
  if (latestTreeSize !== undefined && checkpoint.treeSize < latestTreeSize) {
    throw new SealStoreConflictError(
      `a checkpoint of ${checkpoint.treeSize} leaves, but one of ${latestTreeSize} was signed already (another sealer is running?)`,
    );
  }
}
