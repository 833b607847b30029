import { runAsync } from '../../signed-note/crypto-steps.core';
import {
  eventLeafHashSteps,
  hashChildrenSteps,
  hashLeafSteps,
  inclusionProblemSteps,
} from '../shared/merkle-steps';
import { webCryptoSteps } from './web-crypto';

/**
 * RFC 6962 / RFC 9162 hashing and inclusion proofs with Web Crypto: the steps of
 * ../shared/merkle-steps.ts (the same path and messages as src/audit/merkle/proofs.ts) run
 * asynchronously.
 */
export function hashLeaf(input: Uint8Array): Promise<Uint8Array> {
  return runAsync(hashLeafSteps(input), webCryptoSteps);
}

export function hashChildren(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return runAsync(hashChildrenSteps(left, right), webCryptoSteps);
}

/** Leaf hash of an event: SHA-256(0x00 ‖ the 32 bytes of its hex hash). */
export function eventLeafHash(eventHashHex: string): Promise<Uint8Array> {
  return runAsync(eventLeafHashSteps(eventHashHex), webCryptoSteps);
}

/** Why an inclusion proof fails, or undefined when the leaf is at `leafIndex` in the tree with `root`. */
export function inclusionProblem(
  ...args: Parameters<typeof inclusionProblemSteps>
): Promise<string | undefined> {
  return runAsync(inclusionProblemSteps(...args), webCryptoSteps);
}
