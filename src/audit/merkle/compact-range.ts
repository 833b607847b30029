import { rangeNodes, type NodeId } from './proofs';
import { EMPTY_ROOT, hashChildren } from './rfc6962';

/** A node the appender completed: persist it to answer proofs later. */
export interface CompletedNode extends NodeId {
  readonly hash: Buffer;
}

/**
 * The right edge of the tree (its "compact range" [0, size)): one perfect subtree root per set bit
 * of the size, largest first. Appending a leaf costs O(log n) hashes and completes the nodes it
 * closes (the leaf itself at level 0, then every parent whose right child it finishes); the root
 * is the right-to-left fold of the edge. Restarting needs only the edge, read back from the stored
 * nodes (`CompactRange.edgeIds`).
 */
export class CompactRange {
  private constructor(
    private treeSize: number,
    /** Perfect subtree roots, left (largest) to right (smallest). */
    private readonly edge: Buffer[],
  ) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** The stored nodes that make up the edge of a tree of `size` leaves, left to right. */
  static edgeIds(size: number): NodeId[] {
    return rangeNodes(0, size);
  }

  /** Resume from the edge nodes (as read for `edgeIds(size)`, in that order). */
  static fromEdge(size: number, edge: readonly Uint8Array[]): CompactRange {
    const expected = CompactRange.edgeIds(size).length;
    if (edge.length !== expected) {
      throw new Error(`a tree of ${size} leaves has ${expected} edge nodes, not ${edge.length}`);
    }
    return new CompactRange(
      size,
      edge.map((hash) => Buffer.from(hash)),
    );
  }

  get size(): number {
    return this.treeSize;
  }

  /** Append one leaf hash; returns the nodes it completed, the leaf first. */
  append(leafHash: Uint8Array): CompletedNode[] {
    const index = this.treeSize;
    let hash: Buffer = Buffer.from(leafHash);
    const completed: CompletedNode[] = [{ level: 0, index, hash }];
    let level = 0;
    let position = index;
    // Each trailing 1 bit of the old size is a left sibling waiting for this right child.
    while (position % 2 === 1) {
      const left = this.edge.pop() as Buffer;
      hash = hashChildren(left, hash);
      level += 1;
      position = (position - 1) / 2;
      completed.push({ level, index: position, hash });
    }
    this.edge.push(hash);
    this.treeSize += 1;
    return completed;
  }

  /** MTH of the tree so far. */
  root(): Buffer {
    if (this.edge.length === 0) return EMPTY_ROOT;
    let hash = this.edge[this.edge.length - 1];
    for (let i = this.edge.length - 2; i >= 0; i--) hash = hashChildren(this.edge[i], hash);
    return hash;
  }

  /** The edge nodes, left to right (copies). */
  edgeHashes(): Buffer[] {
    return this.edge.map((hash) => Buffer.from(hash));
  }
}
