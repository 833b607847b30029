import { equalBytes, fromHex, toHex, utf8, type Bytes } from '../../signed-note/bytes.core';
import { verifyCheckpointSteps } from '../../signed-note/checkpoint.core';
import { NoEd25519Error, sha256, verifyEd25519, type Steps } from '../../signed-note/crypto-steps.core';
import {
  NoteKeyError,
  keyIdHex,
  parseVerifierKeySteps,
  type StepVerifier,
} from '../../signed-note/note-keys.core';
import { NoteError, parseNoteText } from '../../signed-note/signed-note.core';
import { certificateFacts, recordFacts, type CertificateFacts, type RecordFacts } from '../bundle-facts';
import { destructionStreamOf, recordStreamOf, type AuditBundle } from '../bundle.format';
import {
  BundleFault,
  fault,
  type BundleProblem,
  type ProvenDocument,
  type ProvenEvent,
} from '../bundle-problem';
import { LeafOrder, checkShape, decodeCanonical, parseDocument, placeOf } from './bundle-shape';
import { eventLeafHashSteps, inclusionProblemSteps } from './merkle-steps';

/**
 * The offline verifier of export bundles and destruction certificates, written once as steps
 * (src/audit/signed-note/crypto-steps.core.ts): every check, in order, with its message, and the
 * verdict. It asks a back-end for SHA-256 and Ed25519 and nothing else, so the command line's
 * `verifyBundle` (../verify-bundle.ts) runs it synchronously with node:crypto and the browser's
 * `verifyBundleWeb` (../web/verify-bundle.web.ts) asynchronously with Web Crypto. Node-free.
 *
 * It trusts nothing in the bundle but the verifier key: the one the auditor pins, or (said so in the
 * verdict) the one the bundle carries. The first problem found fails the bundle, named precisely.
 */

/** The event hash domain tag and genesis hash of src/event-store/envelope.ts (a spec checks they agree). */
export const EVENT_HASH_DOMAIN_TAG = 'archive-ledger/event/v1\n';
export const GENESIS_HASH = '0'.repeat(64);

export interface VerifiedKey {
  readonly verifierKey: string;
  readonly name: string;
  /** 8 hex digits (signed-note key id). */
  readonly keyId: string;
  /** SHA-256 of the raw 32-byte Ed25519 public key, hex. */
  readonly fingerprint: string;
  /** `pinned`: the key the auditor gave; `bundle`: the key the bundle carries (proves only self-consistency). */
  readonly source: 'pinned' | 'bundle';
}

export interface BundleVerdict {
  readonly verified: boolean;
  readonly problem: BundleProblem | null;
  readonly key: VerifiedKey | null;
  readonly checkpoint: {
    readonly origin: string;
    readonly treeSize: number;
    readonly rootHash: string;
  } | null;
  readonly facts: RecordFacts | CertificateFacts | null;
}

export interface VerifyOptions {
  readonly pinnedKey?: string;
}

const DOMAIN_TAG = utf8(EVENT_HASH_DOMAIN_TAG);

/** Hex SHA-256 of the domain tag and the stored canonical bytes (envelope.ts `hashCanonical`). */
export function* hashCanonicalSteps(canonical: Uint8Array): Steps<string> {
  return toHex(yield* sha256(DOMAIN_TAG, canonical));
}

/** SHA-256 of the raw 32-byte Ed25519 public key, hex. */
export function* keyFingerprintSteps(publicKey: Uint8Array): Steps<string> {
  return toHex(yield* sha256(publicKey));
}

function verifyWithKey(verifier: StepVerifier, message: Bytes, signature: Uint8Array): Steps<boolean> {
  return verifyEd25519(verifier.key, message, signature);
}

function* openKey(
  bundle: AuditBundle,
  pinnedKey: string | undefined,
): Steps<{ verifier: StepVerifier; key: VerifiedKey }> {
  let carried: StepVerifier;
  try {
    carried = yield* parseVerifierKeySteps(bundle.checkpoint.verifierKey);
  } catch (error) {
    if (error instanceof NoEd25519Error) throw error;
    return fault(
      'checkpoint',
      'verifierKey',
      `is not a signed-note verifier key: ${(error as Error).message}`,
    );
  }
  let verifier = carried;
  let source: VerifiedKey['source'] = 'bundle';
  if (pinnedKey !== undefined) {
    let pinned: StepVerifier;
    try {
      pinned = yield* parseVerifierKeySteps(pinnedKey.trim());
    } catch (error) {
      if (error instanceof NoteKeyError) fault('--key', '(pinned key)', error.message);
      throw error;
    }
    if (!equalBytes(pinned.publicKey, carried.publicKey) || pinned.name !== carried.name) {
      fault(
        'checkpoint',
        'verifierKey',
        `key mismatch: the bundle names key ${carried.name}+${keyIdHex(carried.keyId)} (fingerprint ${yield* keyFingerprintSteps(carried.publicKey)}), not the pinned key ${pinned.name}+${keyIdHex(pinned.keyId)} (fingerprint ${yield* keyFingerprintSteps(pinned.publicKey)})`,
      );
    }
    verifier = pinned;
    source = 'pinned';
  }
  return {
    verifier,
    key: {
      verifierKey: pinnedKey?.trim() ?? bundle.checkpoint.verifierKey,
      name: verifier.name,
      keyId: keyIdHex(verifier.keyId),
      fingerprint: yield* keyFingerprintSteps(verifier.publicKey),
      source,
    },
  };
}

/** Verify a parsed bundle (the JSON value). Never fails for a bad bundle: the verdict says why. */
export function* verifyBundleSteps(input: unknown, options: VerifyOptions = {}): Steps<BundleVerdict> {
  let key: VerifiedKey | null = null;
  let checkpoint: BundleVerdict['checkpoint'] = null;
  try {
    const bundle = checkShape(input);
    const opened = yield* openKey(bundle, options.pinnedKey);
    key = opened.key;
    let signed;
    try {
      signed = yield* verifyCheckpointSteps(
        parseNoteText(bundle.checkpoint.note),
        [opened.verifier],
        verifyWithKey,
      );
    } catch (error) {
      if (!(error instanceof NoteError)) throw error;
      const why =
        error.code === 'NO_VERIFIED_SIGNATURE'
          ? `it carries no signature by key ${key.name}+${key.keyId}`
          : error.code === 'INVALID_SIGNATURE'
            ? 'the signature does not verify: the note text or its signature was changed'
            : error.message;
      return fault('checkpoint', 'note', `the checkpoint signature is invalid: ${why}`);
    }
    checkpoint = { origin: signed.origin, treeSize: signed.treeSize, rootHash: toHex(signed.rootHash) };
    if (signed.treeSize !== bundle.checkpoint.treeSize) {
      fault(
        'checkpoint',
        'treeSize',
        `is ${bundle.checkpoint.treeSize}, but the signed note is of tree size ${signed.treeSize}`,
      );
    }
    const events = yield* proveEvents(bundle, signed.treeSize, signed.rootHash);
    const facts =
      bundle.kind === 'record-export' ? recordFacts(bundle, events) : certificateFacts(bundle, events);
    return { verified: true, problem: null, key, checkpoint, facts };
  } catch (error) {
    if (!(error instanceof BundleFault)) throw error;
    return { verified: false, problem: error.problem, key, checkpoint, facts: null };
  }
}

/** Hash, bytes, chain and inclusion of every event; the streams the kind requires, each from revision 0. */
function* proveEvents(bundle: AuditBundle, treeSize: number, root: Uint8Array): Steps<ProvenEvent[]> {
  const recordStream = recordStreamOf(bundle.archiveCode);
  const expectedStreams =
    bundle.kind === 'record-export'
      ? [recordStream]
      : [recordStream, destructionStreamOf(bundle.listId as string)];
  const heads = new Map<string, { revision: number; hash: string; withheld: boolean }>();
  const positions = new Set<string>();
  const leaves = new Set<number>();
  const places = new LeafOrder();
  const proven: ProvenEvent[] = [];
  let streamIndex = 0;
  for (const [i, event] of bundle.events.entries()) {
    const at = `events[${i}] (${event.stream}@${event.revision}, position ${event.position})`;
    // Streams in the bundle's order: the record's, then (certificates) the list's.
    if (event.stream !== expectedStreams[streamIndex]) {
      if (event.stream === expectedStreams[streamIndex + 1] && heads.has(expectedStreams[streamIndex])) {
        streamIndex += 1;
      } else {
        fault(
          at,
          'stream',
          `is not expected here: a ${bundle.kind} holds ${expectedStreams.join(' then ')}, each from revision 0`,
        );
      }
    }
    if (positions.has(event.position)) fault(at, 'position', 'appears twice in the bundle');
    positions.add(event.position);
    const leafIndex = placeOf(bundle, event, at, treeSize, places);
    if (leaves.has(leafIndex)) fault(at, 'leafIndex', `leaf ${leafIndex} appears twice in the bundle`);
    leaves.add(leafIndex);

    let document: ProvenDocument | null = null;
    if (event.withheld !== undefined) {
      if (event.stream === recordStream) {
        fault(at, 'withheld', 'the record’s own events are never withheld: its bytes are missing');
      }
    } else {
      const bytes = decodeCanonical(event.canonical as string, at);
      const computed = yield* hashCanonicalSteps(bytes);
      if (computed !== event.hash) {
        fault(
          at,
          'hash',
          `the canonical bytes hash to ${computed}, not the stated hash ${event.hash} (the bytes or the hash were edited)`,
        );
      }
      document = parseDocument(bytes, at);
      if (document.stream !== event.stream) {
        fault(at, 'stream', `the hashed bytes name stream ${JSON.stringify(document.stream)}`);
      }
      if (document.revision !== event.revision) {
        fault(at, 'revision', `the hashed bytes name revision ${JSON.stringify(document.revision)}`);
      }
    }

    // The chain: revisions 0, 1, 2 … with each prevHash the previous event's hash.
    const head = heads.get(event.stream);
    const expectedRevision = head ? head.revision + 1 : 0;
    if (event.revision !== expectedRevision) {
      fault(
        at,
        'revision',
        head
          ? `expected revision ${expectedRevision} after ${head.revision}: an event is missing or out of order`
          : `the stream must start at revision 0 (genesis); it starts at ${event.revision}`,
      );
    }
    if (document) {
      const expectedPrev = head ? head.hash : GENESIS_HASH;
      if (document.metadata.prevHash !== expectedPrev) {
        fault(
          at,
          'metadata.prevHash',
          `broken link: the bytes' prevHash ${String(document.metadata.prevHash)} is not ${head ? `the hash of revision ${head.revision}` : 'the genesis hash'} (${expectedPrev})`,
        );
      }
    }

    const problem = yield* inclusionProblemSteps(
      leafIndex,
      treeSize,
      yield* eventLeafHashSteps(event.hash),
      event.inclusionProof.map((p) => fromHex(p)),
      root,
    );
    if (problem) {
      fault(
        at,
        'inclusionProof',
        `the proof fails: leaf ${leafIndex} is not proven in the signed tree of size ${treeSize} (${problem})`,
      );
    }
    heads.set(event.stream, {
      revision: event.revision,
      hash: event.hash,
      withheld: event.withheld !== undefined,
    });
    proven.push({
      position: event.position,
      leafIndex,
      stream: event.stream,
      revision: event.revision,
      hash: event.hash,
      document,
      withheld: event.withheld ?? null,
    });
  }
  for (const stream of expectedStreams) {
    if (!heads.has(stream)) fault('bundle', 'events', `holds no event of ${stream}`);
  }
  return proven;
}
