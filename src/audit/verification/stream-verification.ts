import { verifyChain, type ChainFault } from '../../event-store/envelope';
import type { RecordedEvent } from '../../event-store/event-store.port';
import { eventLeafHash, inclusionProblem } from '../merkle';
import { NoteError, verifyCheckpoint, type NoteVerifier } from '../signed-note';

/**
 * Verification of one stream (pure, apart from the proofs it is handed): the hash chain from the
 * stored bytes, then each sealed event's inclusion in the signed checkpoint. The first fault wins,
 * named by stream, revision and what is wrong. Events after the checkpoint are reported as not
 * sealed yet, which is not a fault.
 */
export interface StreamVerification {
  readonly stream: string;
  /** True when the chain holds and every sealed event is in the checkpoint's tree. */
  readonly verified: boolean;
  readonly events: number;
  readonly sealedEvents: number;
  /** Events newer than the checkpoint: not a fault, just not covered yet. */
  readonly unsealedEvents: number;
  readonly unsealedFromRevision: number | null;
  readonly checkpoint: {
    readonly treeSize: number;
    readonly rootHash: string;
    readonly keyId: string;
    readonly signedAt: string;
  } | null;
  readonly fault: ChainFault | null;
}

export interface CheckpointForVerification {
  readonly treeSize: number;
  readonly keyId: string;
  readonly signedAt: string;
  /** The signed note: its root is used only after its signature verified. */
  readonly note: string;
}

export interface VerificationInputs {
  readonly stream: string;
  readonly events: readonly RecordedEvent[];
  readonly checkpoint: CheckpointForVerification | undefined;
  readonly verifiers: readonly NoteVerifier[];
  /** Leaf index of each event, from the seal store (undefined: not sealed yet), in order. */
  readonly leafIndexesOf: (events: readonly RecordedEvent[]) => Promise<readonly (number | undefined)[]>;
  /**
   * Whether the sealer has passed the event's position in the global order. An event it passed
   * without making it a leaf is a fault (it was not there when the sealer went by).
   */
  readonly passedBySealer: (event: RecordedEvent) => boolean;
  /** Inclusion proof of a leaf in the checkpoint's tree. */
  readonly inclusionProof: (leafIndex: number, treeSize: number) => Promise<readonly Uint8Array[]>;
}

export async function verifyStream(input: VerificationInputs): Promise<StreamVerification> {
  const { stream, events } = input;
  const chainFault = verifyChain(stream, events);
  let fault: ChainFault | undefined;
  let root: Buffer | undefined;
  let treeSize = 0;
  if (input.checkpoint) {
    try {
      const opened = verifyCheckpoint(input.checkpoint.note, input.verifiers);
      root = opened.rootHash;
      treeSize = opened.treeSize;
      if (treeSize !== input.checkpoint.treeSize)
        throw new NoteError('MALFORMED_NOTE', 'its size differs from the stored one');
    } catch (error) {
      if (!(error instanceof NoteError)) throw error;
      fault = {
        stream,
        revision: events[0]?.revision ?? 0,
        problem: `the latest checkpoint (size ${input.checkpoint.treeSize}, key ${input.checkpoint.keyId}) does not verify: ${error.message}`,
      };
    }
  }
  let sealedEvents = 0;
  let unsealedFromRevision: number | null = null;
  if (!fault && root) {
    const leafIndexes = await input.leafIndexesOf(events);
    for (const [i, event] of events.entries()) {
      if (chainFault && event.revision >= chainFault.revision) break;
      const leafIndex = leafIndexes[i];
      if (leafIndex === undefined && input.passedBySealer(event)) {
        fault = {
          stream,
          revision: event.revision,
          problem: `the event (hash ${event.hash}, position ${event.position}) is not a leaf of the sealed tree, though the sealer has passed its position: it was not in the global order when the sealer went by`,
        };
        break;
      }
      if (leafIndex === undefined || leafIndex >= treeSize) {
        unsealedFromRevision ??= event.revision;
        continue;
      }
      const proof = await input.inclusionProof(leafIndex, treeSize);
      const problem = inclusionProblem(leafIndex, treeSize, eventLeafHash(event.hash), proof, root);
      if (problem) {
        fault = {
          stream,
          revision: event.revision,
          problem: `the event (hash ${event.hash}, leaf ${leafIndex}) is not in the signed checkpoint of size ${treeSize}: ${problem}`,
        };
        break;
      }
      sealedEvents += 1;
    }
  } else if (!fault) {
    unsealedFromRevision = events[0]?.revision ?? null;
  }
  const first = fault ?? chainFault;
  const unsealed =
    unsealedFromRevision === null ? 0 : events.filter((e) => e.revision >= unsealedFromRevision).length;
  return {
    stream,
    verified: first === undefined,
    events: events.length,
    sealedEvents,
    unsealedEvents: unsealed,
    unsealedFromRevision,
    checkpoint: input.checkpoint
      ? {
          treeSize: input.checkpoint.treeSize,
          rootHash: root?.toString('hex') ?? '',
          keyId: input.checkpoint.keyId,
          signedAt: input.checkpoint.signedAt,
        }
      : null,
    fault: first ?? null,
  };
}
