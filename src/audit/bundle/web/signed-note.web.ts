import type { Bytes } from '../../signed-note/bytes.core';
import {
  parseCheckpointText,
  verifyCheckpointSteps,
  type CheckpointBodyOf,
} from '../../signed-note/checkpoint.core';
import { runAsync, verifyEd25519 } from '../../signed-note/crypto-steps.core';
import {
  createVerifierSteps,
  noteKeyIdSteps,
  parseVerifierKeySteps,
  type StepVerifier,
} from '../../signed-note/note-keys.core';
import {
  openNoteSteps,
  parseNoteText,
  type NoteSignatureOf,
  type OpenedNoteOf,
} from '../../signed-note/signed-note.core';
import { webCryptoSteps } from './web-crypto';

export { NoEd25519Error } from '../../signed-note/crypto-steps.core';
export { NoteKeyError, isValidKeyName, keyIdHex } from '../../signed-note/note-keys.core';
export { MAX_SIGNATURES, NoteError, type NoteErrorCode } from '../../signed-note/signed-note.core';

/**
 * C2SP signed notes and tlog checkpoints, verified with Web Crypto (Ed25519): the node-free rules
 * of src/audit/signed-note/*.core.ts (the ones the service and the command line use), run
 * asynchronously. Verifying only. Tested against the published vectors (golang.org/x/mod/sumdb/note)
 * in verify-bundle.web.spec.ts.
 */
export type WebNoteVerifier = StepVerifier;
export type WebNoteSignature = NoteSignatureOf<Bytes>;
export type WebOpenedNote = OpenedNoteOf<WebNoteSignature>;
export type WebCheckpoint = CheckpointBodyOf<Bytes>;

/** key id = first 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). */
export function noteKeyId(name: string, publicKey: Uint8Array): Promise<number> {
  return runAsync(noteKeyIdSteps(name, publicKey), webCryptoSteps);
}

export function createVerifier(name: string, publicKey: Uint8Array): Promise<WebNoteVerifier> {
  return runAsync(createVerifierSteps(name, publicKey), webCryptoSteps);
}

/** Parse a verifier key `<name>+<hex key id>+<base64(0x01 ‖ public key)>`; the key id must match. */
export function parseVerifierKey(text: string): Promise<WebNoteVerifier> {
  return runAsync(parseVerifierKeySteps(text), webCryptoSteps);
}

export const parseNote = parseNoteText;
export const parseCheckpoint = parseCheckpointText;

function verifyWithKey(verifier: WebNoteVerifier, message: Uint8Array, signature: Uint8Array) {
  return verifyEd25519(verifier.key, message, signature);
}

/** Open a note: unknown keys ignored, every known key's signature must verify, at least one must. */
export async function openNote(
  message: string | Uint8Array,
  verifiers: readonly WebNoteVerifier[],
): Promise<WebOpenedNote> {
  return runAsync(openNoteSteps(parseNote(message), verifiers, verifyWithKey), webCryptoSteps);
}

/** Open a signed checkpoint with the known keys; its origin must be the name of a key that verified it. */
export async function verifyCheckpoint(
  signedNote: string | Uint8Array,
  verifiers: readonly WebNoteVerifier[],
): Promise<WebCheckpoint & { readonly note: WebOpenedNote }> {
  return runAsync(verifyCheckpointSteps(parseNote(signedNote), verifiers, verifyWithKey), webCryptoSteps);
}
