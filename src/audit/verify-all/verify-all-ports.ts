import { StreamNotFoundError, UnreadableEventError } from '../../event-store/event-store.errors';
import type { EventStore, Position, RecordedEvent } from '../../event-store/event-store.port';
import { assembleProof, consistencyProblem, consistencyProofPlan, planNodes, type NodeId } from '../merkle';
import { keyIdHex } from '../signed-note';
import { nodeKey, type SealStore, type StoredCheckpoint } from '../sealer/seal-store.port';
import { SEALING_KEYS_STREAM } from '../sealer/sealing-keys.events';
import {
  Edge,
  Found,
  asBytes,
  eventDigest,
  extendChain,
  found,
  leafOf,
  reportOf,
  signedHeads,
  trustedKeysOf,
  type CheckpointRow,
  type Deletion,
  type SignedHead,
  type VerifyAllFault,
  type VerifyAllOptions,
  type VerifyAllReport,
} from './verify-all';

/**
 * `audit verify-all` through the ports: the same checks as the embedded scan (verify-all.ts), for an
 * event store that is not a SQLite file — EventStoreDB with the MongoDB seal store — and, in tests,
 * for the embedded store too. It reads every event of the global order with `EventStore.readAll`,
 * in batches (memory: one batch, one head per stream, the tree's right edge), and the tree, the
 * leaf positions and the checkpoints with the `SealStore` port:
 *
 * - every hash recomputed from the stored bytes; every stream's revisions and `prevHash` links from
 *   genesis (stream, revision and prevHash as the hashed bytes state them);
 * - positions strictly increasing in the order the store reports (its own `comparePositions`);
 * - leaf i of the sealed tree is the i-th event read: its position is the one the seal store
 *   recorded for leaf i (`leafIndexesOf`, one round trip per batch; `positionOfLeaf` only to name a
 *   fault). An event missing from the order, or one the order holds but the tree does not, is
 *   found there; where positions are counts (embedded) a gap beyond the tree is refused too;
 * - the Merkle tree recomputed from the events, its root compared with every signed checkpoint
 *   (signatures checked with the pinned keys or the keys on record), consistency proofs between
 *   consecutive checkpoints from the stored nodes, and no checkpoint or stored tree larger than the
 *   events read.
 *
 * Not expressible through the port (the embedded scan checks them on the file): the row's own
 * columns against its bytes (the port rebuilds the event from its bytes), and naming the stream of
 * an event whose bytes are no longer JSON (the store's reader refuses it; the fault names its
 * position).
 *
 * A live store may be checked: events appended during the scan are read too; the checkpoints and
 * the stored tree size are those loaded at the start.
 */
export interface PortVerifyAllOptions extends VerifyAllOptions {
  /** What the report calls the store (e.g. `EventStoreDB kurrentdb://… + MongoDB seal store`). */
  readonly description: string;
  /** Called after each batch with the events read and an estimate of the total. */
  readonly onEvents?: (read: number, estimatedTotal: number) => void;
}

async function allCheckpoints(seals: SealStore): Promise<StoredCheckpoint[]> {
  const all: StoredCheckpoint[] = [];
  for (let after = 0; ;) {
    const page = await seals.listCheckpoints({ afterSequence: after, limit: 500 });
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1].sequence;
  }
}

function rowOf(c: StoredCheckpoint): CheckpointRow {
  return {
    sequence: c.sequence,
    tree_size: c.treeSize,
    root_hash: c.rootHash,
    key_id: c.keyId,
    verifier_key: c.verifierKey,
    note: c.note,
    signed_at: c.signedAt,
  };
}

async function rotationBytes(events: EventStore): Promise<Uint8Array[]> {
  try {
    return (await events.readStream(SEALING_KEYS_STREAM)).map((e) => e.canonical);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

async function checkConsistency(
  seals: SealStore,
  heads: readonly SignedHead[],
  storedTreeSize: number,
): Promise<void> {
  for (let i = 1; i < heads.length; i++) {
    const [from, to] = [heads[i - 1], heads[i]];
    if (from.treeSize === to.treeSize || to.treeSize > storedTreeSize) continue;
    const plan = consistencyProofPlan(from.treeSize, to.treeSize);
    const ids = planNodes(plan);
    const nodes = await seals.readNodes(ids);
    for (const id of ids) {
      if (!nodes.has(nodeKey(id))) {
        found(null, null, null, `the stored Merkle tree misses node ${nodeKey(id)} (deleted?)`);
      }
    }
    const proof = assembleProof(plan, (id: NodeId) => nodes.get(nodeKey(id)) as Buffer);
    const problem = consistencyProblem(from.treeSize, to.treeSize, proof, from.root, to.root);
    if (problem) {
      found(
        null,
        null,
        null,
        `${to.label} is not consistent with ${from.label} through the stored tree: ${problem}`,
      );
    }
  }
}

export async function verifyAllThroughPorts(
  events: EventStore,
  seals: SealStore,
  options: PortVerifyAllOptions,
): Promise<VerifyAllReport> {
  const started = process.hrtime.bigint();
  const batchSize = options.batchSize ?? 2000;
  const checkpoints = await allCheckpoints(seals);
  const { treeSize: storedTreeSize } = await seals.progress();
  const dense = seals.denseLeafIndexOf?.bind(seals);
  /** The position the seal store recorded for a leaf; where positions are counts, the count. */
  const positionOfLeaf = async (leaf: number): Promise<Position | undefined> =>
    (await seals.positionOfLeaf(leaf)) ?? (dense ? String(leaf + 1) : undefined);
  const heads = new Map<string, { revision: number; hash: string }>();
  let keys: VerifyAllReport['keys'] = { source: 'store', keyIds: [] };
  let verifiedHeads = 0;
  let lastVerified: SignedHead | null = null;
  let count = 0;
  let lastPosition: Position | undefined;

  const report = (fault: VerifyAllFault | null): VerifyAllReport =>
    reportOf(
      {
        started,
        file: options.description,
        events: count,
        streams: heads.size,
        headPosition: lastPosition ?? '0',
        storedTreeSize,
        checkpointsVerified: verifiedHeads,
        lastVerified,
        keys,
      },
      fault,
    );

  try {
    const rows = checkpoints.map(rowOf);
    const pinned = options.pinnedKeys && options.pinnedKeys.length > 0;
    const trusted = trustedKeysOf(pinned ? [] : await rotationBytes(events), rows, options.pinnedKeys);
    keys = { source: trusted.source, keyIds: trusted.verifiers.map((v) => keyIdHex(v.keyId)) };
    const signed = signedHeads(rows, trusted.verifiers, options.externalCheckpoints);
    await checkConsistency(seals, signed, storedTreeSize);

    const edge = new Edge();
    let nextHead = 0;
    while (nextHead < signed.length && signed[nextHead].treeSize === 0) nextHead += 1;
    // Where the leaves since the last verified checkpoint start (leaf index, and the position just
    // before them): a root that does not match is pinpointed by reading those events again.
    let pendingFrom = 0;
    let pendingAfter: Position | undefined;
    // An event missing from the order: the chains are still checked to name it, the tree is not.
    let gap: Deletion | undefined;
    let lastStream: string | undefined;
    let lastRevision = -1;

    const pinpoint = async (target: SignedHead, root: Buffer): Promise<never> => {
      let after = pendingAfter;
      let leaf = pendingFrom;
      while (leaf < edge.size) {
        const batch = await events.readAll({ after, limit: Math.min(batchSize, edge.size - leaf) });
        if (batch.length === 0) break;
        const ids = batch.map((_, i) => ({ level: 0, index: leaf + i }));
        const stored = await seals.readNodes(ids);
        for (const event of batch) {
          const mine = asBytes(leafOf(event.hash));
          const theirs = stored.get(nodeKey({ level: 0, index: leaf }));
          if (!theirs || !theirs.equals(mine)) {
            found(
              event.stream,
              event.revision,
              event.position,
              `the event at position ${event.position} is not the one the signed tree holds at leaf ${leaf} (${target.label}, tree size ${target.treeSize}): it was replaced, moved or forged after it was sealed (its leaf ${mine.toString('hex')}, the stored tree's ${theirs?.toString('hex') ?? 'missing'})`,
            );
          }
          leaf += 1;
          after = event.position;
        }
      }
      return found(
        null,
        null,
        (await positionOfLeaf(pendingFrom)) ?? null,
        `the events of leaves ${pendingFrom}–${edge.size - 1} recompute to root ${root.toString('hex')}, but ${target.label} signed ${target.root.toString('hex')} for tree size ${target.treeSize}; the stored tree was rebuilt to match, so the changed leaf cannot be named more closely`,
      );
    };

    const checkRoots = async () => {
      while (nextHead < signed.length && signed[nextHead].treeSize === edge.size) {
        const target = signed[nextHead];
        const root = edge.root();
        if (!root.equals(target.root)) await pinpoint(target, root);
        verifiedHeads += 1;
        lastVerified = target;
        pendingFrom = edge.size;
        pendingAfter = lastPosition;
        nextHead += 1;
      }
    };

    for (;;) {
      let batch: RecordedEvent[];
      try {
        batch = await events.readAll({ after: lastPosition, limit: batchSize });
      } catch (error) {
        if (error instanceof UnreadableEventError) {
          found(null, null, error.position, `the stored bytes cannot be read as an event: ${error.problem}`);
        }
        throw error;
      }
      if (batch.length === 0) break;
      const sealedInBatch = Math.max(0, Math.min(batch.length, storedTreeSize - count));
      const leaves =
        gap || sealedInBatch === 0 ? [] : await seals.leafIndexesOf(batch.map((e) => e.position));
      for (let i = 0; i < batch.length; i++) {
        const event = batch[i];
        const { stream, revision, position } = event;
        if (lastPosition !== undefined && events.comparePositions(position, lastPosition) <= 0) {
          found(
            stream,
            revision,
            position,
            `position ${position} does not come after position ${lastPosition}: the global order is not increasing`,
          );
        }
        const leafIndex = count;
        const hash = eventDigest(asBuffer(event.canonical));
        if (hash !== event.hash) {
          found(
            stream,
            revision,
            position,
            `stored bytes do not match the stored hash (they hash to ${hash}, the store says ${event.hash})`,
          );
        }
        if (!gap) {
          // Leaf `leafIndex` must be this event: the seal store recorded its position, or (dense
          // positions) its position is that count.
          const recorded = i < sealedInBatch ? leaves[i] : undefined;
          const misplaced =
            (i < sealedInBatch && recorded !== leafIndex) ||
            (i >= sealedInBatch && dense !== undefined && dense(position) !== leafIndex);
          if (misplaced) {
            const leafPosition = await positionOfLeaf(leafIndex);
            if (leafPosition !== undefined && events.comparePositions(leafPosition, position) < 0) {
              gap = {
                position: leafPosition,
                message: `event deleted: position ${leafPosition} (leaf ${leafIndex}) is missing from the global order (between ${lastStream !== undefined ? `${lastStream}@${lastRevision}` : 'the start'} and ${stream}@${revision})`,
              };
            } else {
              found(
                stream,
                revision,
                position,
                recorded === undefined
                  ? `the event at position ${position} is not a leaf of the sealed tree, though the sealer has passed its position (leaf ${leafIndex} is position ${leafPosition ?? 'unknown'}): it was inserted into the order after it was sealed`
                  : `the event at position ${position} is leaf ${recorded} of the sealed tree, but it is the event number ${leafIndex} of the global order (moved?)`,
              );
            }
          }
        }
        extendChain(heads, stream, revision, event.metadata.prevHash, hash, position, gap);
        lastStream = stream;
        lastRevision = revision;
        lastPosition = position;
        count += 1;
        if (!gap) {
          edge.append(leafOf(hash));
          if (nextHead < signed.length && signed[nextHead].treeSize === edge.size) await checkRoots();
        }
      }
      options.onEvents?.(
        count,
        Math.max(count, storedTreeSize, dense && lastPosition ? dense(lastPosition) + 1 : 0),
      );
    }
    if (gap) {
      found(null, null, gap.position, `${gap.message}; the deleted event was the last of its stream`);
    }
    const longest = signed[signed.length - 1];
    const covered = Math.max(longest?.treeSize ?? 0, storedTreeSize);
    if (covered > count) {
      const by = longest && longest.treeSize >= storedTreeSize ? longest.label : 'the stored Merkle tree';
      const firstMissing = (await positionOfLeaf(count)) ?? `leaf ${count}`;
      const lastMissing = (await positionOfLeaf(covered - 1)) ?? `leaf ${covered - 1}`;
      found(
        lastStream ?? null,
        lastStream !== undefined ? lastRevision : null,
        firstMissing,
        `truncated: the store ends at position ${lastPosition ?? 'none'}${lastStream !== undefined ? ` (${lastStream}@${lastRevision})` : ''} after ${count} events, but ${by} covers ${covered} events: positions ${firstMissing}–${lastMissing} were deleted`,
      );
    }
    return report(null);
  } catch (error) {
    if (error instanceof Found) return report(error.fault);
    throw error;
  }
}
