import type { Position } from '../../event-store/event-store.port';
import type { CompletedNode, NodeId } from '../merkle';

/**
 * Where the sealer keeps the Merkle tree and its checkpoints. The embedded adapter
 * (sqlite-seal-store.ts) uses tables in the event store's own SQLite file. For the
 * EventStoreDB/MongoDB deployment the same port would be a MongoDB adapter (collections
 * `seal_nodes`, `seal_state`, `seal_checkpoints`, and a leaf → position map, since EventStoreDB
 * positions are not counts); it is NOT built: with STORE=eventstoredb the sealer is off.
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

export interface SealStore {
  progress(): Promise<SealProgress>;
  /** Stored node hashes; a node that is not stored is missing from the answer. */
  readNodes(ids: readonly NodeId[]): Promise<Map<string, Buffer>>;
  /** Store completed nodes and the new progress in one transaction. */
  appendNodes(nodes: readonly CompletedNode[], progress: SealProgress): Promise<void>;
  saveCheckpoint(checkpoint: NewCheckpoint): Promise<StoredCheckpoint>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  /** Checkpoints in signing order, after `afterSequence`. */
  listCheckpoints(options: { afterSequence?: number; limit: number }): Promise<StoredCheckpoint[]>;
  /** The newest checkpoint of exactly this size, if one was signed. */
  checkpointOfSize(treeSize: number): Promise<StoredCheckpoint | undefined>;
  /** Leaf index of the event at `position` (0-based index in the global order). */
  leafIndexOf(position: Position): number;
}

export const SEAL_STORE = Symbol('SEAL_STORE');

export function nodeKey(id: NodeId): string {
  return `${id.level}/${id.index}`;
}
