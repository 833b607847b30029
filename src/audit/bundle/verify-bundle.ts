import { createHash } from 'node:crypto';
import { runSync } from '../signed-note/crypto-steps.core';
import { nodeCrypto } from '../signed-note/node-crypto';
import type { NoteVerifier } from '../signed-note';
import { verifyBundleSteps, type BundleVerdict, type VerifyOptions } from './shared/verify-steps';

export { describeProblem, type BundleProblem } from './bundle-problem';
export type { BundleVerdict, VerifiedKey } from './shared/verify-steps';

/**
 * The command line's offline verifier of export bundles and destruction certificates
 * (`archive-ledger verify`): the checks of shared/verify-steps.ts, written once for this verifier
 * and the browser's (web/verify-bundle.web.ts), run synchronously with node:crypto. No Nest, no
 * database, no clock.
 */

export function keyFingerprint(verifier: NoteVerifier): string {
  return createHash('sha256').update(verifier.publicKey).digest('hex');
}

/** Verify a parsed bundle (the JSON value). Never throws for a bad bundle: the verdict says why. */
export function verifyBundle(input: unknown, options: VerifyOptions = {}): BundleVerdict {
  return runSync(verifyBundleSteps(input, options), nodeCrypto);
}
