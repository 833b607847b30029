import { createHash, createPublicKey, verify as ed25519Verify, type KeyObject } from 'node:crypto';
import { known, type Steps, type SyncCrypto } from './crypto-steps.core';
import type { NoteVerifier } from './note-keys';
import { NoteKeyError } from './note-keys.core';

/**
 * The node:crypto back-end of the verification steps (crypto-steps.core.ts): the service and the
 * command line run the shared signed-note and bundle checks with it, synchronously.
 */

/** The DER prefix of an Ed25519 SPKI public key, before the 32 raw bytes. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519PublicKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new NoteKeyError('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export const nodeCrypto: SyncCrypto = {
  sha256(parts) {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    return hash.digest();
  },
  importEd25519: (publicKey) => ed25519PublicKeyObject(publicKey),
  verifyEd25519: (key, message, signature) => ed25519Verify(null, message, key as KeyObject, signature),
};

/** A node Buffer over the same memory (the node APIs promise Buffers). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** One signature checked by a node verifier itself (it asks the back-end nothing). */
export function verifyWithNoteVerifier(
  verifier: NoteVerifier,
  message: Uint8Array,
  signature: Uint8Array,
): Steps<boolean> {
  return known(verifier.verify(message, signature));
}
