/**
 * The node-free part of RFC 9162 inclusion proofs (§2.1.3.2): which side each proof element is
 * on. Pure arithmetic on the leaf index and tree size, no hashing, so the service (node:crypto,
 * proofs.ts) and the bundle verifiers (src/audit/bundle/shared/merkle-steps.ts, node:crypto or
 * Web Crypto) fold the same path with the same refusals.
 */
export const HASH_SIZE = 32;

export class MerkleProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MerkleProofError';
  }
}

export function isWhole(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

export function checkHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new MerkleProofError(`${what} is not a ${HASH_SIZE}-byte hash`);
  }
}

/**
 * For each element of an inclusion proof of `leafIndex` in a tree of `treeSize` leaves, in order:
 * true when it is the left sibling (the next hash is H(element ‖ hash so far)), false when it is
 * the right one (H(hash so far ‖ element)). Throws MerkleProofError when the proof cannot belong to
 * that leaf (wrong length, malformed hashes).
 */
export function inclusionSides(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): boolean[] {
  if (!(isWhole(leafIndex) && isWhole(treeSize))) {
    throw new MerkleProofError('leaf index and tree size must be whole numbers');
  }
  if (!(leafIndex < treeSize)) {
    throw new MerkleProofError(`leaf index ${leafIndex} is beyond tree size ${treeSize}`);
  }
  checkHash(leafHash, 'the leaf hash');
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`));
  const sides: boolean[] = [];
  let fn = leafIndex;
  let sn = treeSize - 1;
  for (let i = 0; i < proof.length; i++) {
    if (sn === 0) throw new MerkleProofError('the inclusion proof is longer than the tree is high');
    if (fn % 2 === 1 || fn === sn) {
      sides.push(true);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sides.push(false);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new MerkleProofError('the inclusion proof is shorter than the tree is high');
  return sides;
}
