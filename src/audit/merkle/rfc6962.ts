import { createHash } from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 §2.1.1 hashing with SHA-256, the hash every Certificate Transparency and
 * C2SP tlog tool uses: a leaf is SHA-256(0x00 ‖ input), an interior node SHA-256(0x01 ‖ left ‖ right),
 * and the empty tree SHA-256(""). The distinct prefixes keep a leaf from posing as a node.
 */
export { HASH_SIZE } from './inclusion.core';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function hashLeaf(input: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(input).digest();
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) = SHA-256(""). */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** The largest power of two strictly smaller than `n` (n ≥ 2). Arithmetic, not bit operators: sizes may pass 2^31. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) from the leaf hashes, bottom-up (RFC 9162 §2.1.1), for tests and whole-tree recomputation. */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return EMPTY_ROOT;
  let level: Uint8Array[] = [...leafHashes];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    // Pairs from the left; an odd last node is promoted unchanged, which is exactly the RFC's
    // split at the largest power of two.
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return Buffer.from(level[0]);
}
