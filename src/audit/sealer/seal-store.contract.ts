import { createHash } from 'node:crypto';
import type { Position } from '../../event-store/event-store.port';
import { CompactRange, rootFromLeafHashes, type CompletedNode } from '../merkle';
import {
  SealStoreConflictError,
  nodeKey,
  type NewCheckpoint,
  type SealBatch,
  type SealStore,
} from './seal-store.port';

/**
 * The contract every seal-store adapter passes (docs/audit.md): the same batches and checkpoints
 * give the same answers on SQLite and on MongoDB. `make` returns an empty store; `positionOf(n)`
 * is the position the adapter's event store gives its n-th event (1-based): a count on the
 * embedded store, a commit/prepare pair on EventStoreDB.
 */
export interface SealStoreFixture {
  readonly store: SealStore;
  dispose(): Promise<void>;
}

export function describeSealStoreContract(
  name: string,
  make: () => Promise<SealStoreFixture>,
  positionOf: (n: number) => Position,
): void {
  describe(`${name} — seal store contract`, () => {
    let store: SealStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await make());
    });
    afterEach(async () => {
      await dispose();
    });

    const leafHash = (n: number) => createHash('sha256').update(`leaf ${n}`).digest();

    /** The next `count` leaves after `range`'s size, as the sealer would batch them. */
    function batchOf(range: CompactRange, count: number): SealBatch {
      const nodes: CompletedNode[] = [];
      const leafPositions: Position[] = [];
      for (let i = 0; i < count; i++) {
        const n = range.size + 1;
        nodes.push(...range.append(leafHash(n)));
        leafPositions.push(positionOf(n));
      }
      return {
        nodes,
        leafPositions,
        progress: { treeSize: range.size, lastPosition: leafPositions[leafPositions.length - 1] },
      };
    }

    function checkpointOf(treeSize: number, keyId = '0a0b0c0d', signedAt = '2026-03-01T09:00:00.000Z') {
      const checkpoint: NewCheckpoint = {
        treeSize,
        rootHash: rootFromLeafHashes(Array.from({ length: treeSize }, (_, i) => leafHash(i + 1))),
        keyName: 'test/log',
        keyId,
        verifierKey: `test/log+${keyId}+AQ==`,
        note: `test/log\n${treeSize}\nroot\n\n— test/log sig${treeSize}\n`,
        signedAt,
        lastPosition: positionOf(treeSize),
      };
      return checkpoint;
    }

    /** A store holding `sizes` batches, and the range that built it. */
    async function filled(...sizes: number[]): Promise<CompactRange> {
      const range = CompactRange.empty();
      for (const size of sizes) await store.appendNodes(batchOf(range, size));
      return range;
    }

    describe('progress and nodes', () => {
      it('starts empty', async () => {
        expect(await store.progress()).toEqual({ treeSize: 0, lastPosition: undefined });
        expect((await store.readNodes([{ level: 0, index: 0 }])).size).toBe(0);
        expect(await store.latestCheckpoint()).toBeUndefined();
        expect(await store.listCheckpoints({ limit: 10 })).toEqual([]);
        expect(await store.leafIndexOf(positionOf(1))).toBeUndefined();
        expect(await store.positionOfLeaf(0)).toBeUndefined();
      });

      it('stores each batch’s nodes and progress; the stored edge rebuilds the same root', async () => {
        const range = await filled(3, 4, 1);
        expect(await store.progress()).toEqual({ treeSize: 8, lastPosition: positionOf(8) });
        const leaves = Array.from({ length: 8 }, (_, i) => ({ level: 0, index: i }));
        const stored = await store.readNodes([...leaves, { level: 3, index: 0 }, { level: 0, index: 8 }]);
        expect(stored.size).toBe(9);
        expect(stored.get('0/5')).toEqual(leafHash(6));
        expect(stored.has('0/8')).toBe(false);
        const edgeIds = CompactRange.edgeIds(8);
        const edge = await store.readNodes(edgeIds);
        const rebuilt = CompactRange.fromEdge(
          8,
          edgeIds.map((id) => edge.get(nodeKey(id)) as Buffer),
        );
        expect(rebuilt.root()).toEqual(range.root());
        expect(range.root()).toEqual(
          rootFromLeafHashes(Array.from({ length: 8 }, (_, i) => leafHash(i + 1))),
        );
      });

      it('refuses a batch that does not extend the stored tree (another sealer), writing nothing', async () => {
        const range = await filled(2);
        const stale = CompactRange.empty();
        await expect(store.appendNodes(batchOf(stale, 1))).rejects.toBeInstanceOf(SealStoreConflictError);
        expect(await store.progress()).toEqual({ treeSize: 2, lastPosition: positionOf(2) });
        await store.appendNodes(batchOf(range, 1));
        expect((await store.progress()).treeSize).toBe(3);
      });

      it('a batch that fails halfway (a node already stored) leaves nothing half-written', async () => {
        const range = await filled(2);
        const batch = batchOf(range, 1);
        // The new leaf 0/2 is written first, then the already stored 1/0 fails the batch.
        const failing: SealBatch = {
          ...batch,
          nodes: [...batch.nodes, { level: 1, index: 0, hash: Buffer.alloc(32, 7) }],
        };
        // (Not `toThrow()`: a native driver's error class may come from another jest realm.)
        await expect(store.appendNodes(failing)).rejects.toHaveProperty('message');
        expect(await store.progress()).toEqual({ treeSize: 2, lastPosition: positionOf(2) });
        expect((await store.readNodes([{ level: 0, index: 2 }])).size).toBe(0);
        expect(await store.leafIndexOf(positionOf(3))).toBeUndefined();
        expect(await store.positionOfLeaf(2)).toBeUndefined();
        const kept = await store.readNodes([{ level: 1, index: 0 }]);
        expect(kept.get('1/0')).not.toEqual(Buffer.alloc(32, 7));
        // And the same leaf goes in cleanly afterwards.
        await store.appendNodes(batch);
        expect(await store.progress()).toEqual({ treeSize: 3, lastPosition: positionOf(3) });
      });
    });

    describe('leaf positions', () => {
      it('maps every sealed position to its leaf and back, exactly; unsealed positions have none', async () => {
        await filled(3, 2);
        for (let n = 1; n <= 5; n++) {
          expect(await store.leafIndexOf(positionOf(n))).toBe(n - 1);
          expect(await store.positionOfLeaf(n - 1)).toBe(positionOf(n));
        }
        expect(await store.leafIndexOf(positionOf(6))).toBeUndefined();
        expect(await store.positionOfLeaf(5)).toBeUndefined();
        expect(await store.positionOfLeaf(-1)).toBeUndefined();
        expect(
          await store.leafIndexesOf([positionOf(4), positionOf(9), positionOf(1), positionOf(4), 'nonsense']),
        ).toEqual([3, undefined, 0, 3, undefined]);
        expect(await store.leafIndexesOf([])).toEqual([]);
      });
    });

    describe('checkpoints', () => {
      it('numbers checkpoints in signing order, finds the latest, lists after a sequence and finds one of a size', async () => {
        await filled(2, 3);
        const first = await store.saveCheckpoint(checkpointOf(2));
        const second = await store.saveCheckpoint(checkpointOf(5));
        // A rotation re-signs the same size with another key.
        const third = await store.saveCheckpoint(checkpointOf(5, '01020304', '2026-03-02T09:00:00.000Z'));
        expect(second.sequence).toBeGreaterThan(first.sequence);
        expect(third.sequence).toBeGreaterThan(second.sequence);
        expect(third).toEqual({
          ...checkpointOf(5, '01020304', '2026-03-02T09:00:00.000Z'),
          sequence: third.sequence,
        });
        expect(Buffer.isBuffer(third.rootHash)).toBe(true);
        expect(await store.latestCheckpoint()).toEqual(third);
        expect(await store.listCheckpoints({ limit: 2 })).toEqual([first, second]);
        expect(await store.listCheckpoints({ afterSequence: second.sequence, limit: 10 })).toEqual([third]);
        expect(await store.listCheckpoints({ afterSequence: third.sequence, limit: 10 })).toEqual([]);
        expect(await store.checkpointOfSize(5)).toEqual(third);
        expect(await store.checkpointOfSize(2)).toEqual(first);
        expect(await store.checkpointOfSize(3)).toBeUndefined();
      });

      it('never goes back to a smaller tree, nor signs more leaves than are stored; nothing is written', async () => {
        await filled(4);
        const latest = await store.saveCheckpoint(checkpointOf(4));
        await expect(store.saveCheckpoint(checkpointOf(3))).rejects.toBeInstanceOf(SealStoreConflictError);
        await expect(store.saveCheckpoint(checkpointOf(5))).rejects.toBeInstanceOf(SealStoreConflictError);
        expect(await store.listCheckpoints({ limit: 10 })).toEqual([latest]);
      });
    });
  });
}
