import { Inject, Injectable } from '@nestjs/common';
import { classificationRank, type Actor } from '../domain-kernel/actor';
import { notFound } from '../domain-kernel/domain-error';
import { StreamNotFoundError, UnreadableEventError } from '../event-store/event-store.errors';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../event-store/event-store.port';
import { recordStream } from '../records/archive-code';
import type { RecordEvent } from '../records/record.events';
import { evolveRecord, type RecordState } from '../records/record.state';
import { eventLeafHash } from './merkle';
import { SEAL_STORE, type SealStore, type StoredCheckpoint } from './sealer/seal-store.port';
import { SealerService } from './sealer/sealer.service';
import { verifyStream, type StreamVerification } from './verification/stream-verification';

const TOP_SECRET_RANK = 4;

/**
 * The audit queries: checkpoints, proofs, keys and stream verification, over the running sealer.
 * Streams about a record (`record-…`, `access-…`) above the caller's clearance do not exist to
 * them (A2: 404), as in the catalogue.
 */
@Injectable()
export class AuditService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(SealerService) private readonly sealer: SealerService,
    @Inject(SEAL_STORE) private readonly store: SealStore | null,
  ) {}

  latestCheckpoint(): StoredCheckpoint {
    const latest = this.sealer.running().latestCheckpoint;
    if (!latest) throw notFound('NO_CHECKPOINT_YET', 'No checkpoint has been signed yet: nothing was sealed');
    return latest;
  }

  async listCheckpoints(afterSequence: number | undefined, limit: number) {
    this.sealer.running();
    const items = await (this.store as SealStore).listCheckpoints({ afterSequence, limit: limit + 1 });
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? String(page[page.length - 1].sequence) : null };
  }

  /** The tree size a proof is asked against: the given one, or the latest checkpoint's. */
  private proofTreeSize(treeSize: number | undefined): number {
    if (treeSize !== undefined) return treeSize;
    return this.latestCheckpoint().treeSize;
  }

  async inclusion(position: string, treeSizeAsked: number | undefined, actor: Actor) {
    const sealer = this.sealer.running();
    const store = this.store as SealStore;
    const treeSize = this.proofTreeSize(treeSizeAsked);
    const leafIndex = await store.leafIndexOf(position);
    if (leafIndex === undefined) {
      throw notFound(
        'EVENT_NOT_FOUND',
        `No sealed event at position ${position} (the tree has ${sealer.treeSize} leaves, up to position ${sealer.position ?? 'none'})`,
      );
    }
    // The event at the leaf: the one right after the previous leaf's position in the global order.
    const previous = leafIndex === 0 ? undefined : await store.positionOfLeaf(leafIndex - 1);
    const [event] = await this.events.readAll({ after: previous, limit: 1 });
    if (!event || event.position !== position) {
      throw new UnreadableEventError(
        position,
        `the seal store records it as leaf ${leafIndex}, but the event store's global order has ${event ? `position ${event.position}` : 'no event'} there`,
      );
    }
    if (!(await this.visible(event.stream, actor))) {
      throw notFound('EVENT_NOT_FOUND', `No event at position ${position}`);
    }
    const proof = await sealer.inclusionProof(leafIndex, treeSize);
    const checkpoint = (await store.checkpointOfSize(treeSize)) ?? null;
    return {
      position,
      stream: event.stream,
      revision: event.revision,
      leafIndex,
      treeSize,
      eventHash: event.hash,
      leafHash: eventLeafHash(event.hash).toString('hex'),
      proof: proof.map((h) => h.toString('hex')),
      rootHash: (await sealer.rootAt(treeSize)).toString('hex'),
      checkpoint,
    };
  }

  async consistency(from: number, toAsked: number | undefined) {
    const sealer = this.sealer.running();
    const to = this.proofTreeSize(toAsked);
    const proof = await sealer.consistencyProof(from, to);
    return {
      from,
      to,
      fromRootHash: (await sealer.rootAt(from)).toString('hex'),
      toRootHash: (await sealer.rootAt(to)).toString('hex'),
      proof: proof.map((h) => h.toString('hex')),
    };
  }

  async publicKeys() {
    const keys = await this.sealer.keys();
    return { keyName: this.sealer.running().keyName, current: keys[keys.length - 1], keys };
  }

  /** `GET /audit/verify`: the stream's chain and each sealed event's inclusion in the latest checkpoint. */
  async verify(stream: string, actor: Actor): Promise<StreamVerification> {
    const sealer = this.sealer.running();
    let events: RecordedEvent[];
    try {
      events = await this.events.readStream(stream);
    } catch (error) {
      if (error instanceof StreamNotFoundError) throw notFound('STREAM_NOT_FOUND', `No stream ${stream}`);
      throw error;
    }
    if (!(await this.visible(stream, actor, events)))
      throw notFound('STREAM_NOT_FOUND', `No stream ${stream}`);
    const latest = sealer.latestCheckpoint;
    // Taken before the leaves are looked up: every event up to here is a leaf by then.
    const sealedThrough = sealer.position;
    return verifyStream({
      stream,
      events,
      checkpoint: latest,
      verifiers: latest ? await this.sealer.verifiers() : [],
      leafIndexesOf: (list) => (this.store as SealStore).leafIndexesOf(list.map((e) => e.position)),
      passedBySealer: (event) =>
        sealedThrough !== undefined && this.events.comparePositions(event.position, sealedThrough) <= 0,
      inclusionProof: (leafIndex, treeSize) => sealer.inclusionProof(leafIndex, treeSize),
    });
  }

  /** A2 for streams about one record: hidden when the record is above the caller's clearance. */
  private async visible(
    stream: string,
    actor: Actor,
    streamEvents?: readonly RecordedEvent[],
  ): Promise<boolean> {
    const match = /^(record|access)-(.+)$/.exec(stream);
    if (!match) return true;
    const recordStreamName = recordStream(match[2]);
    let history: readonly RecordedEvent[];
    if (match[1] === 'record' && streamEvents) history = streamEvents;
    else {
      try {
        history = await this.events.readStream(recordStreamName);
      } catch (error) {
        if (error instanceof StreamNotFoundError) return true;
        throw error;
      }
    }
    return recordRank(history) <= classificationRank(actor.clearance);
  }
}

/** The record's current classification rank; the most restrictive when its history cannot be folded. */
function recordRank(history: readonly RecordedEvent[]): number {
  try {
    const state = history.reduce(
      (s: RecordState, e) => evolveRecord(s, { type: e.type, data: e.data } as unknown as RecordEvent),
      { status: 'not_filed' } as RecordState,
    );
    return state.status === 'filed' ? classificationRank(state.metadata.classification) : -1;
  } catch {
    return TOP_SECRET_RANK;
  }
}
