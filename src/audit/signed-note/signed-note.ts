import { isValidKeyName, keyIdHex, type NoteSigner, type NoteVerifier } from './note-keys';

/**
 * C2SP signed notes (https://c2sp.org/signed-note), as golang.org/x/mod/sumdb/note reads and writes
 * them: a text ending in a newline, a blank line, then one or more lines
 * `— <key name> <base64(4-byte big-endian key id ‖ signature)>`. Pure functions: the offline
 * verifier uses them unchanged.
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

export interface NoteSignature {
  readonly name: string;
  /** The uint32 key id (hex: `keyIdHex`). */
  readonly keyId: number;
  /** The signature bytes after the key id. */
  readonly signature: Buffer;
  /** The line's base64 as written (key id and signature). */
  readonly base64: string;
}

export interface ParsedNote {
  /** The signed text, its final newline included. */
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

export interface OpenedNote extends ParsedNote {
  /** Signatures by known keys, all verified. */
  readonly verified: readonly NoteSignature[];
  /** Signatures by keys the verifier does not know (ignored, as the spec requires). */
  readonly unverified: readonly NoteSignature[];
}

/** Verifiers MUST accept at least 16 signatures; the Go reference stops at 100. */
export const MAX_SIGNATURES = 100;
const SIGNATURE_PREFIX = '\u2014 ';

const utf8 = new TextDecoder('utf-8', { fatal: true });

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
    return utf8.decode(message);
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
export function parseNote(message: string | Uint8Array): ParsedNote {
  const note = toText(message);
  if (hasControlCharacters(note)) throw malformed('control characters');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  let block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('no signature lines, or no final newline');
  const signatures: NoteSignature[] = [];
  while (block.length > 0) {
    const end = block.indexOf('\n');
    const line = block.slice(0, end);
    block = block.slice(end + 1);
    if (!line.startsWith(SIGNATURE_PREFIX)) throw malformed('a signature line does not start with "— "');
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const base64 = space < 0 ? '' : rest.slice(space + 1);
    const bytes = Buffer.from(base64, 'base64');
    if (!isValidKeyName(name) || base64 === '' || bytes.toString('base64') !== base64 || bytes.length < 5) {
      throw malformed(`bad signature line for ${JSON.stringify(name)}`);
    }
    if (signatures.length >= MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`);
    signatures.push({ name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), base64 });
  }
  return { text, signatures };
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
  const { text, signatures } = parseNote(message);
  const bytes = Buffer.from(text, 'utf8');
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const signature of signatures) {
    const key = `${signature.name}+${keyIdHex(signature.keyId)}`;
    const matching = verifiers.filter((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (matching.length > 1 && !matching.every((v) => v.publicKey.equals(matching[0].publicKey))) {
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
    if (!matching[0].verify(bytes, signature.signature)) {
      throw new NoteError('INVALID_SIGNATURE', `invalid signature for key ${key}`);
    }
    verified.push(signature);
  }
  if (verified.length === 0) {
    throw new NoteError('NO_VERIFIED_SIGNATURE', 'the note has no signature by a known key');
  }
  return { text, signatures, verified, unverified };
}
