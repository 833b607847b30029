import { fromCanonicalBase64, sha256, utf8, webCrypto, type Bytes } from './bytes';

/**
 * C2SP signed notes and tlog checkpoints, verified with Web Crypto (Ed25519): the browser twin of
 * src/audit/signed-note/ (note-keys.ts `parseVerifierKey`, signed-note.ts `openNote`, checkpoint.ts
 * `verifyCheckpoint`), verifying only, with the same rules and messages. Tested against the same
 * published vectors (golang.org/x/mod/sumdb/note) in verify-bundle.web.spec.ts.
 */
const ED25519_SIGNATURE_TYPE = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
export const MAX_SIGNATURES = 100;

export class NoteKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteKeyError';
  }
}

export type NoteErrorCode =
  'MALFORMED_NOTE' | 'INVALID_SIGNATURE' | 'NO_VERIFIED_SIGNATURE' | 'AMBIGUOUS_KEY';

export class NoteError extends Error {
  constructor(
    readonly code: NoteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NoteError';
  }
}

export interface WebNoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Bytes;
  verify(message: Bytes, signature: Bytes): Promise<boolean>;
}

export function isValidKeyName(name: string): boolean {
  return (
    name.length > 0 &&
    !/[\s+]/u.test(name) &&
    ![...name].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')
  );
}

export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function readUint32(bytes: Uint8Array): number {
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}

/** key id = first 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). */
export async function noteKeyId(name: string, publicKey: Uint8Array): Promise<number> {
  return readUint32(await sha256(utf8(`${name}\n`), new Uint8Array([ED25519_SIGNATURE_TYPE]), publicKey));
}

/** Web Crypto refuses the algorithm (an old browser): say so instead of failing the bundle. */
export class NoEd25519Error extends Error {
  constructor(cause: unknown) {
    super(
      `this browser cannot verify Ed25519 signatures with Web Crypto (${(cause as Error)?.message ?? String(cause)}); use a current browser or the command line: archive-ledger verify`,
    );
    this.name = 'NoEd25519Error';
  }
}

export async function createVerifier(name: string, publicKey: Bytes): Promise<WebNoteVerifier> {
  if (!isValidKeyName(name)) throw new NoteKeyError(`invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new NoteKeyError('an Ed25519 public key is 32 bytes');
  let key: Awaited<ReturnType<ReturnType<typeof webCrypto>['subtle']['importKey']>>;
  try {
    key = await webCrypto().subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch (error) {
    if ((error as Error)?.name === 'NotSupportedError') throw new NoEd25519Error(error);
    throw new NoteKeyError(`not an Ed25519 public key: ${(error as Error)?.message ?? String(error)}`);
  }
  return {
    name,
    keyId: await noteKeyId(name, publicKey),
    publicKey,
    verify: async (message, signature) =>
      signature.length === 64 && webCrypto().subtle.verify({ name: 'Ed25519' }, key, signature, message),
  };
}

function splitKey(text: string, parts: number, what: string): string[] {
  const fields: string[] = [];
  let rest = text;
  for (let i = 0; i < parts - 1; i++) {
    const at = rest.indexOf('+');
    if (at < 0) throw new NoteKeyError(`malformed ${what}`);
    fields.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  fields.push(rest);
  return fields;
}

/** Parse a verifier key `<name>+<hex key id>+<base64(0x01 ‖ public key)>`; the key id must match. */
export async function parseVerifierKey(text: string): Promise<WebNoteVerifier> {
  const what = 'verifier key';
  const [name, idHex, material] = splitKey(text, 3, what);
  if (!isValidKeyName(name)) throw new NoteKeyError(`malformed ${what}: bad key name`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteKeyError(`malformed ${what}: bad key id`);
  const bytes = fromCanonicalBase64(material);
  if (bytes === undefined) throw new NoteKeyError(`malformed ${what}: bad base64`);
  if (bytes.length !== 33 || bytes[0] !== ED25519_SIGNATURE_TYPE) {
    throw new NoteKeyError(`malformed ${what}: not an Ed25519 key`);
  }
  const verifier = await createVerifier(name, bytes.slice(1));
  if (keyIdHex(verifier.keyId) !== idHex)
    throw new NoteKeyError('malformed verifier key: key id does not match');
  return verifier;
}

export interface WebNoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Bytes;
  readonly base64: string;
}

export interface WebOpenedNote {
  readonly text: string;
  readonly signatures: readonly WebNoteSignature[];
  readonly verified: readonly WebNoteSignature[];
  readonly unverified: readonly WebNoteSignature[];
}

function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

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

export function parseNote(message: string | Uint8Array): { text: string; signatures: WebNoteSignature[] } {
  const note = toText(message);
  if (hasControlCharacters(note)) throw malformed('control characters');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  let block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('no signature lines, or no final newline');
  const signatures: WebNoteSignature[] = [];
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
    signatures.push({ name, keyId: readUint32(bytes), signature: bytes.slice(4), base64 });
  }
  return { text, signatures };
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Open a note: unknown keys ignored, every known key's signature must verify, at least one must. */
export async function openNote(
  message: string | Uint8Array,
  verifiers: readonly WebNoteVerifier[],
): Promise<WebOpenedNote> {
  const { text, signatures } = parseNote(message);
  const bytes = utf8(text);
  const verified: WebNoteSignature[] = [];
  const unverified: WebNoteSignature[] = [];
  const seen = new Set<string>();
  for (const signature of signatures) {
    const key = `${signature.name}+${keyIdHex(signature.keyId)}`;
    const matching = verifiers.filter((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (matching.length > 1 && !matching.every((v) => sameKey(v.publicKey, matching[0].publicKey))) {
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
    if (!(await matching[0].verify(bytes, signature.signature))) {
      throw new NoteError('INVALID_SIGNATURE', `invalid signature for key ${key}`);
    }
    verified.push(signature);
  }
  if (verified.length === 0) {
    throw new NoteError('NO_VERIFIED_SIGNATURE', 'the note has no signature by a known key');
  }
  return { text, signatures, verified, unverified };
}

export interface WebCheckpoint {
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Bytes;
  readonly extensions: readonly string[];
}

function malformedCheckpoint(why: string): NoteError {
  return new NoteError('MALFORMED_NOTE', `malformed checkpoint: ${why}`);
}

export function parseCheckpoint(text: string): WebCheckpoint {
  if (!text.endsWith('\n')) throw malformedCheckpoint('the text does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformedCheckpoint('fewer than three lines');
  const [origin, size, root, ...extensions] = lines;
  if (origin === '') throw malformedCheckpoint('empty origin');
  if (!/^(0|[1-9]\d*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw malformedCheckpoint(`tree size ${JSON.stringify(size)} is not a decimal number`);
  }
  const rootHash = fromCanonicalBase64(root);
  if (rootHash === undefined || rootHash.length !== 32) {
    throw malformedCheckpoint('the root hash is not the base64 of 32 bytes');
  }
  if (extensions.some((line) => line === '')) throw malformedCheckpoint('an empty extension line');
  return { origin, treeSize: Number(size), rootHash, extensions };
}

/** Open a signed checkpoint with the known keys; its origin must be the name of a key that verified it. */
export async function verifyCheckpoint(
  signedNote: string | Uint8Array,
  verifiers: readonly WebNoteVerifier[],
): Promise<WebCheckpoint & { readonly note: WebOpenedNote }> {
  const note = await openNote(signedNote, verifiers);
  const body = parseCheckpoint(note.text);
  if (!note.verified.some((signature) => signature.name === body.origin)) {
    throw new NoteError(
      'NO_VERIFIED_SIGNATURE',
      `the checkpoint of ${body.origin} is not signed by a known key of that name`,
    );
  }
  return { ...body, note };
}
