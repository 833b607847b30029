import { fromCanonicalBase64, type Bytes } from './bytes.core';
import type { Steps } from './crypto-steps.core';
import {
  NoteError,
  openNoteSteps,
  type KnownKey,
  type NoteSignatureOf,
  type OpenedNoteOf,
  type ParsedNoteOf,
} from './signed-note.core';

/**
 * The node-free part of C2SP tlog checkpoints (checkpoint.ts): reading the body, and verifying a
 * signed checkpoint as steps (crypto-steps.core.ts).
 */
export interface CheckpointBodyOf<B extends Uint8Array> {
  readonly origin: string;
  readonly treeSize: number;
  /** The 32-byte RFC 6962 root hash. */
  readonly rootHash: B;
  readonly extensions: readonly string[];
}

function malformed(why: string): NoteError {
  return new NoteError('MALFORMED_NOTE', `malformed checkpoint: ${why}`);
}

/** Parse a checkpoint's note text (strictly: decimal size without leading zeros, canonical base64). */
export function parseCheckpointText(text: string): CheckpointBodyOf<Bytes> {
  if (!text.endsWith('\n')) throw malformed('the text does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('fewer than three lines');
  const [origin, size, root, ...extensions] = lines;
  if (origin === '') throw malformed('empty origin');
  if (!/^(0|[1-9]\d*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw malformed(`tree size ${JSON.stringify(size)} is not a decimal number`);
  }
  const rootHash = fromCanonicalBase64(root);
  if (rootHash === undefined || rootHash.length !== 32) {
    throw malformed('the root hash is not the base64 of 32 bytes');
  }
  if (extensions.some((line) => line === '')) throw malformed('an empty extension line');
  return { origin, treeSize: Number(size), rootHash, extensions };
}

/**
 * Open a parsed signed checkpoint with the known keys and parse its body. The origin must equal
 * the name of a key that verified it (the log signs with its own name).
 */
export function* verifyCheckpointSteps<S extends NoteSignatureOf<Uint8Array>, V extends KnownKey>(
  note: ParsedNoteOf<S>,
  verifiers: readonly V[],
  verify: (verifier: V, message: Bytes, signature: Uint8Array) => Steps<boolean>,
): Steps<CheckpointBodyOf<Bytes> & { readonly note: OpenedNoteOf<S> }> {
  const opened = yield* openNoteSteps(note, verifiers, verify);
  const body = parseCheckpointText(opened.text);
  if (!opened.verified.some((signature) => signature.name === body.origin)) {
    throw new NoteError(
      'NO_VERIFIED_SIGNATURE',
      `the checkpoint of ${body.origin} is not signed by a known key of that name`,
    );
  }
  return { ...body, note: opened };
}
