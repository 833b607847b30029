import { HASH_SIZE, MerkleProofError, checkHash, inclusionSides, isWhole } from './inclusion.core';
import { EMPTY_ROOT, hashChildren, largestPowerOfTwoBelow } from './rfc6962';

export { MerkleProofError } from './inclusion.core';

/**
 * Inclusion and consistency proofs of RFC 9162 §2.1.3 and §2.1.4: generation from stored tree
 * nodes, and verification with nothing but the proof (pure; the export bundle's offline verifier
 * uses these same functions).
 *
 * A stored node is a perfect subtree: `{ level, index }` covers leaves
 * [index·2^level, (index+1)·2^level). Every proof element is MTH of a range whose start is aligned
 * to a power of two at least its length, so it is the fold of at most log₂(n) perfect nodes (its
 * "compact range"): a proof costs O(log n) node reads, never a rebuild from the leaves.
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** One proof element: the perfect nodes, left to right, whose right-to-left fold is MTH of the range. */
export type ProofElementPlan = readonly NodeId[];

/** The perfect nodes covering leaves [begin, end), largest first (begin aligned as the RFC's recursion guarantees). */
export function rangeNodes(begin: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let cursor = begin;
  let remaining = end - begin;
  let size = 1;
  while (size * 2 <= remaining) size *= 2;
  for (let level = Math.log2(size); remaining > 0; size /= 2, level -= 1) {
    if (remaining >= size) {
      nodes.push({ level, index: cursor / size });
      cursor += size;
      remaining -= size;
    }
  }
  return nodes;
}

function checkSizes(condition: boolean, message: string): void {
  if (!condition) throw new MerkleProofError(message);
}

/** The nodes of PATH(m, D[n]) (RFC 9162 §2.1.3.1), leaf side first. */
export function inclusionProofPlan(leafIndex: number, treeSize: number): ProofElementPlan[] {
  checkSizes(isWhole(leafIndex) && isWhole(treeSize), 'leaf index and tree size must be whole numbers');
  checkSizes(leafIndex < treeSize, `leaf index ${leafIndex} is not in a tree of size ${treeSize}`);
  const plan: ProofElementPlan[] = [];
  const path = (m: number, begin: number, end: number): void => {
    const n = end - begin;
    if (n <= 1) return;
    const k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(m, begin, begin + k);
      plan.push(rangeNodes(begin + k, end));
    } else {
      path(m - k, begin + k, end);
      plan.push(rangeNodes(begin, begin + k));
    }
  };
  path(leafIndex, 0, treeSize);
  return plan;
}

/** The nodes of PROOF(m, D[n]) (RFC 9162 §2.1.4.1) from a tree of size m to one of size n. */
export function consistencyProofPlan(fromSize: number, toSize: number): ProofElementPlan[] {
  checkSizes(isWhole(fromSize) && isWhole(toSize), 'tree sizes must be whole numbers');
  checkSizes(
    fromSize <= toSize,
    `a tree of size ${fromSize} cannot be consistent with a smaller one (${toSize})`,
  );
  const plan: ProofElementPlan[] = [];
  if (fromSize === 0 || fromSize === toSize) return plan;
  const subproof = (m: number, begin: number, end: number, complete: boolean): void => {
    const n = end - begin;
    if (m === n) {
      if (!complete) plan.push(rangeNodes(begin, end));
      return;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, begin, begin + k, complete);
      plan.push(rangeNodes(begin + k, end));
    } else {
      subproof(m - k, begin + k, end, false);
      plan.push(rangeNodes(begin, begin + k));
    }
  };
  subproof(fromSize, 0, toSize, true);
  return plan;
}

/** Every distinct node a plan reads, so a store can fetch them in one query. */
export function planNodes(plan: readonly ProofElementPlan[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const element of plan) for (const id of element) seen.set(`${id.level}/${id.index}`, id);
  return [...seen.values()];
}

/** MTH of a range from its perfect nodes (left to right): fold from the right. */
export function foldRange(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let hash: Buffer = Buffer.from(hashes[hashes.length - 1]);
  for (let i = hashes.length - 2; i >= 0; i--) hash = hashChildren(hashes[i], hash);
  return hash;
}

/** Turn a plan into proof hashes with a node reader (synchronous: the embedded store reads in place). */
export function assembleProof(
  plan: readonly ProofElementPlan[],
  readNode: (id: NodeId) => Uint8Array,
): Buffer[] {
  return plan.map((element) => foldRange(element.map(readNode)));
}

/** MTH(D[n]) of a tree from its stored nodes: the fold of the compact range [0, n). */
export function rootFromNodes(treeSize: number, readNode: (id: NodeId) => Uint8Array): Buffer {
  return foldRange(rangeNodes(0, treeSize).map(readNode));
}

/**
 * The root an inclusion proof leads to (RFC 9162 §2.1.3.2). Throws MerkleProofError when the
 * proof cannot belong to `leafIndex` in a tree of `treeSize` (wrong length, malformed hashes).
 */
export function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer {
  const sides = inclusionSides(leafIndex, treeSize, leafHash, proof);
  let r: Buffer = Buffer.from(leafHash);
  proof.forEach((p, i) => {
    r = sides[i] ? hashChildren(p, r) : hashChildren(r, p);
  });
  return r;
}

/** Why an inclusion proof fails, or undefined when the leaf is at `leafIndex` in the tree with `root`. */
export function inclusionProblem(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): string | undefined {
  try {
    checkHash(root, 'the root');
    const computed = rootFromInclusionProof(leafIndex, treeSize, leafHash, proof);
    return computed.equals(root)
      ? undefined
      : `the inclusion proof leads to root ${computed.toString('hex')}, not ${Buffer.from(root).toString('hex')}`;
  } catch (error) {
    if (error instanceof MerkleProofError) return error.message;
    throw error;
  }
}

/** True when `leafHash` is leaf `leafIndex` of the tree of `treeSize` leaves whose root is `root`. */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  return inclusionProblem(leafIndex, treeSize, leafHash, proof, root) === undefined;
}

/**
 * Why a consistency proof fails (RFC 9162 §2.1.4.2), or undefined when the tree of `toSize`
 * leaves with `toRoot` extends the tree of `fromSize` leaves with `fromRoot`: append-only, no leaf
 * of the first changed.
 */
export function consistencyProblem(
  fromSize: number,
  toSize: number,
  proof: readonly Uint8Array[],
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
): string | undefined {
  if (!isWhole(fromSize) || !isWhole(toSize)) return 'tree sizes must be whole numbers';
  if (toSize < fromSize) return `tree size ${toSize} is smaller than ${fromSize}: a log never shrinks`;
  for (const [i, p] of proof.entries()) {
    if (!(p instanceof Uint8Array) || p.length !== HASH_SIZE)
      return `proof[${i}] is not a ${HASH_SIZE}-byte hash`;
  }
  if (fromSize === toSize) {
    if (proof.length > 0) return 'a proof between equal sizes must be empty';
    return Buffer.from(fromRoot).equals(Buffer.from(toRoot))
      ? undefined
      : `two different roots for the same tree size ${fromSize}`;
  }
  if (fromSize === 0) return proof.length > 0 ? 'a proof from the empty tree must be empty' : undefined;
  if (proof.length === 0) return 'the consistency proof is empty';
  if (fromRoot.length !== HASH_SIZE || toRoot.length !== HASH_SIZE) return 'the roots must be 32-byte hashes';

  const path = isPowerOfTwo(fromSize) ? [fromRoot, ...proof] : [...proof];
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  for (const c of path.slice(1)) {
    if (sn === 0) return 'the consistency proof is longer than the tree is high';
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return 'the consistency proof is shorter than the tree is high';
  if (!fr.equals(Buffer.from(fromRoot)))
    return `the proof does not lead to the first root (size ${fromSize})`;
  if (!sr.equals(Buffer.from(toRoot))) return `the proof does not lead to the second root (size ${toSize})`;
  return undefined;
}

/** True when the tree (`toSize`, `toRoot`) is an append-only extension of (`fromSize`, `fromRoot`). */
export function verifyConsistency(
  fromSize: number,
  toSize: number,
  proof: readonly Uint8Array[],
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
): boolean {
  return consistencyProblem(fromSize, toSize, proof, fromRoot, toRoot) === undefined;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
