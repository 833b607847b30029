import { runSync } from './crypto-steps.core';
import { asBuffer, nodeCrypto, verifyWithNoteVerifier } from './node-crypto';
import type { NoteSigner, NoteVerifier } from './note-keys';
import {
  SIGNATURE_PREFIX,
  checkNoteText,
  openNoteSteps,
  parseNoteText,
  type NoteSignatureOf,
  type OpenedNoteOf,
  type ParsedNoteOf,
} from './signed-note.core';

export { MAX_SIGNATURES, NoteError, checkNoteText, type NoteErrorCode } from './signed-note.core';

/**
 * C2SP signed notes (https://c2sp.org/signed-note), as golang.org/x/mod/sumdb/note reads and writes
 * them: a text ending in a newline, a blank line, then one or more lines
 * `— <key name> <base64(4-byte big-endian key id ‖ signature)>`. The reading rules live once,
 * node-free, in signed-note.core.ts (the browser verifier runs them too); this file signs, and
 * opens notes with node:crypto.
 */
export type NoteSignature = NoteSignatureOf<Buffer>;
export type ParsedNote = ParsedNoteOf<NoteSignature>;
export type OpenedNote = OpenedNoteOf<NoteSignature>;

/** Split a note into its text and signature lines, without verifying anything. */
export function parseNote(message: string | Uint8Array): ParsedNote {
  const { text, signatures } = parseNoteText(message);
  return { text, signatures: signatures.map((s) => ({ ...s, signature: asBuffer(s.signature) })) };
}

/** Sign `text` with each signer: the note text, a blank line, one signature line per signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkNoteText(text);
  if (signers.length === 0) throw new Error('a note needs at least one signer');
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map((signer) => {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(signer.keyId);
    const signature = Buffer.concat([id, signer.sign(message)]).toString('base64');
    return `${SIGNATURE_PREFIX}${signer.name} ${signature}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/**
 * Open a note (signed-note §Signatures): signatures by unknown keys are ignored, every signature by
 * a known key must verify (else INVALID_SIGNATURE: the text or signature was changed), and at
 * least one must (else NO_VERIFIED_SIGNATURE). Repeated identical signatures count once.
 */
export function openNote(message: string | Uint8Array, verifiers: readonly NoteVerifier[]): OpenedNote {
  return runSync(openNoteSteps(parseNote(message), verifiers, verifyWithNoteVerifier), nodeCrypto);
}
