import { runAsync } from '../../signed-note/crypto-steps.core';
import {
  hashCanonicalSteps,
  keyFingerprintSteps,
  verifyBundleSteps,
  type BundleVerdict,
  type VerifyOptions,
} from '../shared/verify-steps';
import type { WebNoteVerifier } from './signed-note.web';
import { webCryptoSteps } from './web-crypto';

export { describeProblem, type BundleProblem } from '../bundle-problem';
export type { CertificateFacts, RecordFacts } from '../bundle-facts';
export {
  EVENT_HASH_DOMAIN_TAG,
  GENESIS_HASH,
  type BundleVerdict,
  type VerifiedKey,
} from '../shared/verify-steps';
export { NoEd25519Error } from './signed-note.web';

/**
 * The offline verifier of export bundles and destruction certificates, for the browser: the checks
 * of ../shared/verify-steps.ts — the very ones the command line's `verifyBundle`
 * (../verify-bundle.ts) runs with node:crypto — run with Web Crypto (SHA-256, Ed25519), so the
 * verdicts are the same and nothing leaves the page. verify-bundle.web.spec.ts runs both verifiers
 * over the same valid and tampered bundles and expects the same verdicts.
 *
 * It trusts nothing in the bundle but the verifier key: the one the auditor pins, or (said so in
 * the verdict) the one the bundle carries.
 */

/** Hex SHA-256 of the domain tag and the stored canonical bytes (envelope.ts `hashCanonical`). */
export function hashCanonical(canonical: Uint8Array): Promise<string> {
  return runAsync(hashCanonicalSteps(canonical), webCryptoSteps);
}

export function keyFingerprint(verifier: WebNoteVerifier): Promise<string> {
  return runAsync(keyFingerprintSteps(verifier.publicKey), webCryptoSteps);
}

/**
 * Verify a parsed bundle (the JSON value) in the browser. Never rejects for a bad bundle: the
 * verdict says why. Rejects only when the browser itself cannot verify (no Web Crypto Ed25519).
 */
export async function verifyBundleWeb(input: unknown, options: VerifyOptions = {}): Promise<BundleVerdict> {
  return runAsync(verifyBundleSteps(input, options), webCryptoSteps);
}
