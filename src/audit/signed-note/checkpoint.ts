import { isValidKeyName, type NoteVerifier } from './note-keys';
import { NoteError, openNote, type OpenedNote } from './signed-note';

/**
 * The checkpoint body of C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the origin
 * (the log's identity, also the signing key's name), the tree size in decimal, the base64 root
 * hash, then optional non-empty extension lines. Signed as a note.
 */
export interface CheckpointBody {
  readonly origin: string;
  readonly treeSize: number;
  /** The 32-byte RFC 6962 root hash. */
  readonly rootHash: Buffer;
  readonly extensions: readonly string[];
}

export function formatCheckpoint(body: CheckpointBody): string {
  if (!isValidKeyName(body.origin))
    throw new Error(`invalid checkpoint origin ${JSON.stringify(body.origin)}`);
  if (!Number.isSafeInteger(body.treeSize) || body.treeSize < 0) throw new Error('invalid tree size');
  if (body.rootHash.length !== 32) throw new Error('a root hash is 32 bytes');
  for (const line of body.extensions) {
    if (line === '' || line.includes('\n')) throw new Error('extension lines are non-empty single lines');
  }
  return [body.origin, String(body.treeSize), body.rootHash.toString('base64'), ...body.extensions]
    .map((line) => `${line}\n`)
    .join('');
}

function malformed(why: string): NoteError {
  return new NoteError('MALFORMED_NOTE', `malformed checkpoint: ${why}`);
}

/** Parse a checkpoint's note text (strictly: decimal size without leading zeros, canonical base64). */
export function parseCheckpoint(text: string): CheckpointBody {
  if (!text.endsWith('\n')) throw malformed('the text does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('fewer than three lines');
  const [origin, size, root, ...extensions] = lines;
  if (origin === '') throw malformed('empty origin');
  if (!/^(0|[1-9]\d*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw malformed(`tree size ${JSON.stringify(size)} is not a decimal number`);
  }
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root) {
    throw malformed('the root hash is not the base64 of 32 bytes');
  }
  if (extensions.some((line) => line === '')) throw malformed('an empty extension line');
  return { origin, treeSize: Number(size), rootHash, extensions };
}

export interface VerifiedCheckpoint extends CheckpointBody {
  readonly note: OpenedNote;
}

/**
 * Open a signed checkpoint with the known keys and parse its body. The origin must equal the
 * name of a key that verified it (the log signs with its own name).
 */
export function verifyCheckpoint(
  signedNote: string | Uint8Array,
  verifiers: readonly NoteVerifier[],
): VerifiedCheckpoint {
  const note = openNote(signedNote, verifiers);
  const body = parseCheckpoint(note.text);
  if (!note.verified.some((signature) => signature.name === body.origin)) {
    throw new NoteError(
      'NO_VERIFIED_SIGNATURE',
      `the checkpoint of ${body.origin} is not signed by a known key of that name`,
    );
  }
  return { ...body, note };
}
