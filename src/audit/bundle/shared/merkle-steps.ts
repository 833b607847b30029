import { MerkleProofError, checkHash, inclusionSides } from '../../merkle/inclusion.core';
import { fromHex, toHex } from '../../signed-note/bytes.core';
import { sha256, type Steps } from '../../signed-note/crypto-steps.core';

/**
 * RFC 6962 hashing and inclusion proofs as steps (crypto-steps.core.ts), for the bundle verifiers:
 * the same path (merkle/inclusion.core.ts) and the same messages as src/audit/merkle/proofs.ts,
 * the hashing done by node:crypto or Web Crypto.
 */
const LEAF_PREFIX = new Uint8Array([0x00]);
const NODE_PREFIX = new Uint8Array([0x01]);

export function hashLeafSteps(input: Uint8Array): Steps<Uint8Array> {
  return sha256(LEAF_PREFIX, input);
}

export function hashChildrenSteps(left: Uint8Array, right: Uint8Array): Steps<Uint8Array> {
  return sha256(NODE_PREFIX, left, right);
}

/** Leaf hash of an event: SHA-256(0x00 ‖ the 32 bytes of its hex hash) (merkle/event-leaf.ts). */
export function eventLeafHashSteps(eventHashHex: string): Steps<Uint8Array> {
  if (!/^[0-9a-f]{64}$/.test(eventHashHex)) {
    throw new Error(`an event hash is 64 lowercase hex digits, not ${JSON.stringify(eventHashHex)}`);
  }
  return hashLeafSteps(fromHex(eventHashHex));
}

/** Why an inclusion proof fails, or undefined when the leaf is at `leafIndex` in the tree with `root`. */
export function* inclusionProblemSteps(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Steps<string | undefined> {
  let sides: boolean[];
  try {
    checkHash(root, 'the root');
    sides = inclusionSides(leafIndex, treeSize, leafHash, proof);
  } catch (error) {
    if (error instanceof MerkleProofError) return error.message;
    throw error;
  }
  let hash = leafHash;
  for (const [i, p] of proof.entries()) {
    hash = sides[i] ? yield* hashChildrenSteps(p, hash) : yield* hashChildrenSteps(hash, p);
  }
  return toHex(hash) === toHex(root)
    ? undefined
    : `the inclusion proof leads to root ${toHex(hash)}, not ${toHex(root)}`;
}
