import { isValidKeyName, type NoteVerifier } from './note-keys';
import { parseCheckpointText, verifyCheckpointSteps, type CheckpointBodyOf } from './checkpoint.core';
import { runSync } from './crypto-steps.core';
import { asBuffer, nodeCrypto, verifyWithNoteVerifier } from './node-crypto';
import { parseNote, type OpenedNote } from './signed-note';

/**
 * The checkpoint body of C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the origin
 * (the log's identity, also the signing key's name), the tree size in decimal, the base64 root
 * hash, then optional non-empty extension lines. Signed as a note. The reading rules live once,
 * node-free, in checkpoint.core.ts.
 */
export type CheckpointBody = CheckpointBodyOf<Buffer>;

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

/** Parse a checkpoint's note text (strictly: decimal size without leading zeros, canonical base64). */
export function parseCheckpoint(text: string): CheckpointBody {
  const body = parseCheckpointText(text);
  return { ...body, rootHash: asBuffer(body.rootHash) };
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
  const checkpoint = runSync(
    verifyCheckpointSteps(parseNote(signedNote), verifiers, verifyWithNoteVerifier),
    nodeCrypto,
  );
  return { ...checkpoint, rootHash: asBuffer(checkpoint.rootHash) };
}
