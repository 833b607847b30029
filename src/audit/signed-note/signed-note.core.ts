import { equalBytes, fromCanonicalBase64, readUint32, utf8, type Bytes } from './bytes.core';
import type { Steps } from './crypto-steps.core';
import { isValidKeyName, keyIdHex } from './note-keys.core';

/**
 * The node-free part of C2SP signed notes (signed-note.ts): the note text and its signature lines,
 * and opening a note as steps (crypto-steps.core.ts), so the service (node:crypto) and the browser
 * verifier (Web Crypto) apply the same rules with the same messages.
 */
export type NoteErrorCode =
  /** Not a well-formed note: bad UTF-8, control characters, no signature block, bad lines … */
  | 'MALFORMED_NOTE'
  /** A signature by a known key does not verify: the text (or the signature) was changed. */
  | 'INVALID_SIGNATURE'
  /** No signature is by a key the verifier knows. */
  | 'NO_VERIFIED_SIGNATURE'
  /** Two known keys share a name and key id. */
  | 'AMBIGUOUS_KEY';

export class NoteError extends Error {
  constructor(
    readonly code: NoteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NoteError';
  }
}

/** A signature line: the key name, the key id and the signature, and the line's base64 as written. */
export interface NoteSignatureOf<B extends Uint8Array> {
  readonly name: string;
  /** The uint32 key id (hex: `keyIdHex`). */
  readonly keyId: number;
  /** The signature bytes after the key id. */
  readonly signature: B;
  /** The line's base64 as written (key id and signature). */
  readonly base64: string;
}

export interface ParsedNoteOf<S> {
  /** The signed text, its final newline included. */
  readonly text: string;
  readonly signatures: readonly S[];
}

export interface OpenedNoteOf<S> extends ParsedNoteOf<S> {
  /** Signatures by known keys, all verified. */
  readonly verified: readonly S[];
  /** Signatures by keys the verifier does not know (ignored, as the spec requires). */
  readonly unverified: readonly S[];
}

/** Verifiers MUST accept at least 16 signatures; the Go reference stops at 100. */
export const MAX_SIGNATURES = 100;
export const SIGNATURE_PREFIX = '\u2014 ';

/** ES2024's String.prototype.isWellFormed (Node 20 has it; the ES2023 lib does not declare it). */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

function toText(message: string | Uint8Array): string {
  if (typeof message === 'string') {
    if (!isWellFormed(message)) throw new NoteError('MALFORMED_NOTE', 'the note is not valid Unicode');
    return message;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(message);
  } catch {
    throw new NoteError('MALFORMED_NOTE', 'the note is not valid UTF-8');
  }
}

/** ASCII control characters other than newline (notes MUST NOT contain them). */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return true;
  }
  return false;
}

function malformed(why: string): NoteError {
  return new NoteError('MALFORMED_NOTE', `malformed note: ${why}`);
}

/** Text a note may sign: UTF-8 without control characters other than newline, ending in a newline. */
export function checkNoteText(text: string): void {
  if (!isWellFormed(text)) throw malformed('the text is not valid Unicode');
  if (hasControlCharacters(text)) throw malformed('the text holds control characters');
  if (!text.endsWith('\n')) throw malformed('the text does not end in a newline');
}

/** Split a note into its text and signature lines, without verifying anything. */
export function parseNoteText(message: string | Uint8Array): ParsedNoteOf<NoteSignatureOf<Bytes>> {
  const note = toText(message);
  if (hasControlCharacters(note)) throw malformed('control characters');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  let block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('no signature lines, or no final newline');
  const signatures: NoteSignatureOf<Bytes>[] = [];
  while (block.length > 0) {
    const end = block.indexOf('\n');
    const line = block.slice(0, end);
    block = block.slice(end + 1);
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('a signature line does not start with "— "');
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const base64 = space < 0 ? '' : rest.slice(space + 1);
    const bytes = fromCanonicalBase64(base64);
    if (!isValidKeyName(name) || base64 === '' || bytes === undefined || bytes.length < 5) {
      throw malformed(`bad signature line for ${JSON.stringify(name)}`);
    }
    if (signatures.length >= MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`);
    signatures.push({ name, keyId: readUint32(bytes), signature: bytes.subarray(4), base64 });
  }
  return { text, signatures };
}

/** A known key as openNoteSteps needs it. */
export interface KnownKey {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
}

/**
 * Open a parsed note (signed-note §Signatures): signatures by unknown keys are ignored, every
 * signature by a known key must verify (else INVALID_SIGNATURE: the text or signature was
 * changed), and at least one must (else NO_VERIFIED_SIGNATURE). Repeated identical signatures
 * count once. `verify` checks one signature with one known key.
 */
export function* openNoteSteps<S extends NoteSignatureOf<Uint8Array>, V extends KnownKey>(
  note: ParsedNoteOf<S>,
  verifiers: readonly V[],
  verify: (verifier: V, message: Bytes, signature: Uint8Array) => Steps<boolean>,
): Steps<OpenedNoteOf<S>> {
  const { text, signatures } = note;
  const bytes = utf8(text);
  const verified: S[] = [];
  const unverified: S[] = [];
  const seen = new Set<string>();
  for (const signature of signatures) {
    const key = `${signature.name}+${keyIdHex(signature.keyId)}`;
    const matching = verifiers.filter((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (matching.length > 1 && !matching.every((v) => equalBytes(v.publicKey, matching[0].publicKey))) {
      throw new NoteError('AMBIGUOUS_KEY', `ambiguous key ${key}`);
    }
    if (matching.length === 0) {
      if (!unverified.some((u) => u.name === signature.name && u.base64 === signature.base64)) {
        unverified.push(signature);
      }
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    if (!(yield* verify(matching[0], bytes, signature.signature))) {
      throw new NoteError('INVALID_SIGNATURE', `invalid signature for key ${key}`);
    }
    verified.push(signature);
  }
  if (verified.length === 0) {
    throw new NoteError('NO_VERIFIED_SIGNATURE', 'the note has no signature by a known key');
  }
  return { text, signatures, verified, unverified };
}
