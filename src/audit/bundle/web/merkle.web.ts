import { fromHex, sha256, toHex, type Bytes } from './bytes';

/**
 * RFC 6962 / RFC 9162 inclusion proofs with Web Crypto: the browser twin of
 * src/audit/merkle/rfc6962.ts, event-leaf.ts and `rootFromInclusionProof` / `inclusionProblem` of
 * proofs.ts, with the same messages (verify-bundle.web.spec.ts checks both give the same verdicts).
 */
const HASH_SIZE = 32;
const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

export function hashLeaf(input: Uint8Array): Promise<Bytes> {
  return sha256(LEAF_PREFIX, input);
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  return sha256(NODE_PREFIX, left, right);
}

/** Leaf hash of an event: SHA-256(0x00 ‖ the 32 bytes of its hex hash). */
export function eventLeafHash(eventHashHex: string): Promise<Bytes> {
  if (!/^[0-9a-f]{64}$/.test(eventHashHex)) {
    throw new Error(`an event hash is 64 lowercase hex digits, not ${JSON.stringify(eventHashHex)}`);
  }
  return hashLeaf(fromHex(eventHashHex));
}

class MerkleProofError extends Error {}

function isWhole(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function checkHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new MerkleProofError(`${what} is not a ${HASH_SIZE}-byte hash`);
  }
}

/** The root an inclusion proof leads to (RFC 9162 §2.1.3.2). */
async function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<Uint8Array> {
  if (!(isWhole(leafIndex) && isWhole(treeSize))) {
    throw new MerkleProofError('leaf index and tree size must be whole numbers');
  }
  if (!(leafIndex < treeSize))
    throw new MerkleProofError(`leaf index ${leafIndex} is beyond tree size ${treeSize}`);
  checkHash(leafHash, 'the leaf hash');
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`));
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new MerkleProofError('the inclusion proof is longer than the tree is high');
    if (fn % 2 === 1 || fn === sn) {
      r = await hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new MerkleProofError('the inclusion proof is shorter than the tree is high');
  return r;
}

/** Why an inclusion proof fails, or undefined when the leaf is at `leafIndex` in the tree with `root`. */
export async function inclusionProblem(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<string | undefined> {
  try {
    checkHash(root, 'the root');
    const computed = await rootFromInclusionProof(leafIndex, treeSize, leafHash, proof);
    return toHex(computed) === toHex(root)
      ? undefined
      : `the inclusion proof leads to root ${toHex(computed)}, not ${toHex(root)}`;
  } catch (error) {
    if (error instanceof MerkleProofError) return error.message;
    throw error;
  }
}
