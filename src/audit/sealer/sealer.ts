import type { Clock } from '../../clock/clock';
import { followInBatches } from '../../event-store/follow-in-batches';
import { invalid } from '../../domain-kernel/domain-error';
import { hashCanonical } from '../../event-store/envelope';
import type { EventStore, Position, RecordedEvent } from '../../event-store/event-store.port';
import {
  CompactRange,
  assembleProof,
  consistencyProofPlan,
  eventLeafHash,
  inclusionProofPlan,
  planNodes,
  type NodeId,
  type ProofElementPlan,
} from '../merkle';
import { formatCheckpoint, formatVerifierKey, keyIdHex, signNote, type NoteSigner } from '../signed-note';
import {
  SealStoreConflictError,
  nodeKey,
  type NewCheckpoint,
  type SealStore,
  type StoredCheckpoint,
} from './seal-store.port';

export interface SealerOptions {
  /** The log's origin line; the signer's key name must equal it. */
  readonly origin: string;
  /** Events appended to the tree per committed batch. */
  readonly batchSize: number;
  /** Sign a checkpoint once this many leaves are unsigned. */
  readonly everyEvents: number;
}

/** The sealer found stored history it must not seal (an event whose bytes do not match its hash, a gap, a reordering). */
export class SealIntegrityError extends Error {
  constructor(
    readonly position: Position,
    message: string,
  ) {
    super(message);
    this.name = 'SealIntegrityError';
  }
}

/** A proof was asked of a tree the sealer has not built (yet), or of a leaf outside it: 400. */
function outOfRange(message: string) {
  return invalid('TREE_SIZE_OUT_OF_RANGE', message);
}

/**
 * The sealer: follows the global order from its stored progress (like the projector), appends each
 * event's hash as the next leaf of the RFC 6962 tree (the right edge is kept in memory: O(log n)
 * hashes per event), stores the completed nodes with its progress in one transaction per batch,
 * and signs a C2SP checkpoint every `everyEvents` leaves (and, driven by the service's timer,
 * every T seconds while any leaf is unsigned). Framework-free: the Nest service runs it.
 */
export class Sealer {
  private range = CompactRange.empty();
  private committedSize = 0;
  private committedRoot = CompactRange.empty().root();
  private lastPosition: Position | undefined;
  private latest: StoredCheckpoint | undefined;
  private signing: Promise<StoredCheckpoint | undefined> | undefined;
  /**
   * False on an instance that does not hold the sealer lease: it serves proofs and checkpoints from
   * the stored tree (refreshed with `init()`), and never appends or signs.
   */
  private writing = true;

  constructor(
    private readonly events: EventStore,
    private readonly store: SealStore,
    private signer: NoteSigner,
    private readonly clock: Clock,
    private readonly options: SealerOptions,
  ) {
    if (signer.name !== options.origin) throw new Error('the checkpoint key must be named after the origin');
  }

  /** Load the stored progress and rebuild the right edge from O(log n) stored nodes. */
  async init(): Promise<void> {
    const progress = await this.store.progress();
    const ids = CompactRange.edgeIds(progress.treeSize);
    const found = await this.store.readNodes(ids);
    const edge = ids.map((id) => {
      const hash = found.get(nodeKey(id));
      if (!hash) throw new Error(`the stored tree misses node ${nodeKey(id)} of its right edge`);
      return hash;
    });
    this.range = CompactRange.fromEdge(progress.treeSize, edge);
    this.committedSize = progress.treeSize;
    this.committedRoot = this.range.root();
    this.lastPosition = progress.lastPosition;
    this.latest = await this.store.latestCheckpoint();
    const same = await this.store.checkpointOfSize(this.committedSize);
    if (same && !same.rootHash.equals(this.committedRoot)) {
      throw new Error(
        `the stored tree of ${this.committedSize} leaves has root ${this.committedRoot.toString('hex')}, but checkpoint ${same.sequence} signed ${same.rootHash.toString('hex')}`,
      );
    }
  }

  /** Stop writing (the lease is held elsewhere): appends are refused, `checkpoint()` only refreshes. */
  standBy(): void {
    this.writing = false;
  }

  /** Write again (this instance took the lease), from the stored tree as it is now. */
  async lead(): Promise<void> {
    await this.init();
    this.writing = true;
  }

  get writable(): boolean {
    return this.writing;
  }

  get treeSize(): number {
    return this.committedSize;
  }

  get position(): Position | undefined {
    return this.lastPosition;
  }

  get latestCheckpoint(): StoredCheckpoint | undefined {
    return this.latest;
  }

  get keyName(): string {
    return this.signer.name;
  }

  /** The signer in force (after a rotation, the new one). */
  get currentSigner(): NoteSigner {
    return this.signer;
  }

  /** Leaves appended but not yet covered by a signed checkpoint. */
  get unsignedLeaves(): number {
    return Math.max(0, this.committedSize - (this.latest?.treeSize ?? 0));
  }

  /** Follow the global order until `signal` aborts (catch up, then live), batch by batch. */
  async follow(signal: AbortSignal): Promise<void> {
    await followInBatches(this.events, this.lastPosition, signal, this.options.batchSize, (batch) =>
      this.apply(batch),
    );
  }

  /** Seal every event up to the store's head as it is now; returns how many were appended. */
  async catchUp(): Promise<number> {
    if (!this.writing) {
      await this.init();
      return 0;
    }
    let appended = 0;
    for (;;) {
      const batch = await this.events.readAll({ after: this.lastPosition, limit: this.options.batchSize });
      if (batch.length === 0) return appended;
      await this.apply(batch);
      appended += batch.length;
    }
  }

  /**
   * Append one batch (the next events of the global order) and commit it; sign if N are unsigned.
   * The sealer numbers the leaves itself: the next event of the global order is the next leaf, and
   * the store records each leaf's position with the nodes. Positions must increase (the order the
   * event store reports); where positions are counts (embedded store) a gap is refused too.
   */
  async apply(batch: readonly RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    if (!this.writing) throw new Error('this sealer stands by: another instance holds the sealer lease');
    const nodes = [];
    const leafPositions: Position[] = [];
    try {
      let previous = this.lastPosition;
      for (const event of batch) {
        const leafIndex = this.range.size;
        if (previous !== undefined && this.events.comparePositions(event.position, previous) <= 0) {
          throw new SealIntegrityError(
            event.position,
            `the event at position ${event.position} does not come after position ${previous}, the last one sealed (a reordering in the global order)`,
          );
        }
        const dense = this.store.denseLeafIndexOf?.(event.position);
        if (dense !== undefined && dense !== leafIndex) {
          throw new SealIntegrityError(
            event.position,
            `the event at position ${event.position} would be leaf ${dense}, but the tree expects leaf ${leafIndex} (a gap or reordering in the global order)`,
          );
        }
        if (hashCanonical(event.canonical) !== event.hash) {
          throw new SealIntegrityError(
            event.position,
            `the stored bytes of ${event.stream}@${event.revision} (position ${event.position}) do not match its stored hash; it is not sealed`,
          );
        }
        nodes.push(...this.range.append(eventLeafHash(event.hash)));
        leafPositions.push(event.position);
        previous = event.position;
      }
      const lastPosition = batch[batch.length - 1].position;
      await this.store.appendNodes({
        nodes,
        leafPositions,
        progress: { treeSize: this.range.size, lastPosition },
      });
      this.committedSize = this.range.size;
      this.committedRoot = this.range.root();
      this.lastPosition = lastPosition;
    } catch (error) {
      // Nothing of this batch is stored: go back to the stored edge (which another sealer may have moved).
      await this.init();
      throw error;
    }
    if (this.unsignedLeaves >= this.options.everyEvents) await this.checkpoint();
  }

  /**
   * Sign a checkpoint of the committed tree, unless the newest one already covers it with the key in
   * force. Signing is serialised: a timer tick and a batch never sign twice at once.
   */
  async checkpoint(): Promise<StoredCheckpoint | undefined> {
    if (!this.writing) {
      // Standing by: the holder signs; this instance only catches up with what it stored.
      await this.init();
      return this.latest;
    }
    while (this.signing) await this.signing;
    this.signing = this.signNow().finally(() => (this.signing = undefined));
    return this.signing;
  }

  private async signNow(): Promise<StoredCheckpoint | undefined> {
    const size = this.committedSize;
    const keyId = keyIdHex(this.signer.keyId);
    if (this.latest && this.latest.treeSize === size && this.latest.keyId === keyId) return this.latest;
    if (size === 0) return undefined;
    const rootHash = this.committedRoot;
    const text = formatCheckpoint({ origin: this.options.origin, treeSize: size, rootHash, extensions: [] });
    try {
      this.latest = await this.store.saveCheckpoint(this.checkpointOf(size, rootHash, keyId, text));
    } catch (error) {
      if (!(error instanceof SealStoreConflictError)) throw error;
      // Another sealer signed a larger tree meanwhile: that checkpoint is the latest.
      this.latest = await this.store.latestCheckpoint();
    }
    return this.latest;
  }

  private checkpointOf(size: number, rootHash: Buffer, keyId: string, text: string): NewCheckpoint {
    return {
      treeSize: size,
      rootHash,
      keyName: this.signer.name,
      keyId,
      verifierKey: formatVerifierKey(this.signer.name, this.signer.publicKey),
      note: signNote(text, [this.signer]),
      signedAt: this.clock.now().toISOString(),
      lastPosition: this.lastPosition ?? null,
    };
  }

  /** Sign with the new key from now on (after the rotation is recorded), re-signing the current size. */
  async useSigner(signer: NoteSigner): Promise<StoredCheckpoint | undefined> {
    if (signer.name !== this.options.origin)
      throw new Error('the checkpoint key must be named after the origin');
    if (!this.writing) throw new Error('this sealer stands by: another instance holds the sealer lease');
    while (this.signing) await this.signing;
    this.signer = signer;
    return this.checkpoint();
  }

  /** Inclusion proof of leaf `leafIndex` in the tree of `treeSize` leaves: O(log n) node reads. */
  async inclusionProof(leafIndex: number, treeSize: number): Promise<Buffer[]> {
    this.checkBuilt(treeSize);
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize) {
      throw outOfRange(`leaf ${leafIndex} is not in the tree of ${treeSize} leaves`);
    }
    return this.assemble(inclusionProofPlan(leafIndex, treeSize));
  }

  /** Consistency proof from the tree of `fromSize` leaves to that of `toSize`. */
  async consistencyProof(fromSize: number, toSize: number): Promise<Buffer[]> {
    this.checkBuilt(toSize);
    if (!Number.isSafeInteger(fromSize) || fromSize < 0 || fromSize > toSize) {
      throw outOfRange(`tree size ${fromSize} is not between 0 and ${toSize}`);
    }
    return this.assemble(consistencyProofPlan(fromSize, toSize));
  }

  /** The root of the stored tree at any size up to the committed one. */
  async rootAt(treeSize: number): Promise<Buffer> {
    this.checkBuilt(treeSize);
    if (treeSize === this.committedSize) return this.committedRoot;
    const [root] = await this.assemble([CompactRange.edgeIds(treeSize)]);
    return root;
  }

  private checkBuilt(treeSize: number): void {
    if (!Number.isSafeInteger(treeSize) || treeSize < 0 || treeSize > this.committedSize) {
      throw outOfRange(`the tree has ${this.committedSize} leaves; there is no tree of ${treeSize}`);
    }
  }

  private async assemble(plan: readonly ProofElementPlan[]): Promise<Buffer[]> {
    const found = await this.store.readNodes(planNodes(plan));
    return assembleProof(plan, (id: NodeId) => {
      const hash = found.get(nodeKey(id));
      if (!hash) throw new Error(`the stored tree misses node ${nodeKey(id)}`);
      return hash;
    });
  }
}
