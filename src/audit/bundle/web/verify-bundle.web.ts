import { certificateFacts, recordFacts, type CertificateFacts, type RecordFacts } from '../bundle-facts';
import {
  BundleFault,
  fault,
  type BundleProblem,
  type ProvenDocument,
  type ProvenEvent,
} from '../bundle-problem';
import {
  BUNDLE_FIELDS,
  BUNDLE_FORMAT,
  BUNDLE_VERSIONS_READ,
  CHECKPOINT_FIELDS,
  EVENT_FIELDS,
  EVENT_FIELDS_V1,
  destructionStreamOf,
  leafIndexOfPosition,
  recordStreamOf,
  type AuditBundle,
  type BundleEvent,
} from '../bundle.format';
import { fromCanonicalBase64, fromHex, sha256, toHex, utf8, type Bytes } from './bytes';
import { eventLeafHash, inclusionProblem } from './merkle.web';
import {
  NoEd25519Error,
  NoteError,
  NoteKeyError,
  keyIdHex,
  parseVerifierKey,
  verifyCheckpoint,
  type WebNoteVerifier,
} from './signed-note.web';

export { describeProblem, type BundleProblem } from '../bundle-problem';
export type { CertificateFacts, RecordFacts } from '../bundle-facts';
export { NoEd25519Error } from './signed-note.web';

/**
 * The offline verifier of export bundles and destruction certificates, for the browser: the same
 * checks, in the same order, with the same messages and the same verdict as the command line's
 * `verifyBundle` (src/audit/bundle/verify-bundle.ts), but with Web Crypto (SHA-256, Ed25519) and
 * Uint8Array instead of node:crypto and Buffer, so nothing leaves the page. It reuses the pure
 * parts unchanged: the format (bundle.format.ts), the faults (bundle-problem.ts) and the facts a
 * verified bundle proves (bundle-facts.ts). verify-bundle.web.spec.ts runs both verifiers over the
 * same valid and tampered bundles and expects the same verdicts.
 *
 * It trusts nothing in the bundle but the verifier key: the one the auditor pins, or (said so in
 * the verdict) the one the bundle carries.
 */

/** The event hash domain tag and genesis hash of src/event-store/envelope.ts (the spec checks they agree). */
export const EVENT_HASH_DOMAIN_TAG = 'archive-ledger/event/v1\n';
export const GENESIS_HASH = '0'.repeat(64);

export interface VerifiedKey {
  readonly verifierKey: string;
  readonly name: string;
  readonly keyId: string;
  readonly fingerprint: string;
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

const DOMAIN_TAG = utf8(EVENT_HASH_DOMAIN_TAG);

/** Hex SHA-256 of the domain tag and the stored canonical bytes (envelope.ts `hashCanonical`). */
export async function hashCanonical(canonical: Uint8Array): Promise<string> {
  return toHex(await sha256(DOMAIN_TAG, canonical));
}

export async function keyFingerprint(verifier: WebNoteVerifier): Promise<string> {
  return toHex(await sha256(verifier.publicKey));
}

const HEX64 = /^[0-9a-f]{64}$/;
const EMBEDDED_POSITION = /^[1-9]\d{0,14}$/;
const COMMIT_PREPARE = /^(0|[1-9]\d{0,19})\/(0|[1-9]\d{0,19})$/;
const MAX_U64 = (1n << 64n) - 1n;

function commitPrepare(position: string): [bigint, bigint] | undefined {
  const match = COMMIT_PREPARE.exec(position);
  if (!match) return undefined;
  const parts: [bigint, bigint] = [BigInt(match[1]), BigInt(match[2])];
  return parts[0] <= MAX_U64 && parts[1] <= MAX_U64 ? parts : undefined;
}

function comparePositions(a: [bigint, bigint], b: [bigint, bigint]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyFields(
  value: Record<string, unknown>,
  allowed: readonly string[],
  at: string,
  version: number,
): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fault(at, key, `is not a field of bundle format v${version}`);
  }
}

function checkShape(input: unknown): AuditBundle {
  if (!isObject(input)) fault('bundle', '(root)', 'is not a JSON object');
  if (input.format !== BUNDLE_FORMAT) {
    fault('bundle', 'format', `is ${JSON.stringify(input.format)}, not "${BUNDLE_FORMAT}"`);
  }
  if (!(BUNDLE_VERSIONS_READ as readonly unknown[]).includes(input.version)) {
    fault(
      'bundle',
      'version',
      `is ${JSON.stringify(input.version)}; this verifier reads versions ${BUNDLE_VERSIONS_READ.join(' and ')}`,
    );
  }
  const version = input.version as number;
  onlyFields(input, BUNDLE_FIELDS, 'bundle', version);
  if (input.kind !== 'record-export' && input.kind !== 'destruction-certificate') {
    fault(
      'bundle',
      'kind',
      `is ${JSON.stringify(input.kind)}, not "record-export" or "destruction-certificate"`,
    );
  }
  if (typeof input.archiveCode !== 'string' || input.archiveCode === '') {
    fault('bundle', 'archiveCode', 'is missing or not a string');
  }
  if (input.kind === 'destruction-certificate') {
    if (typeof input.listId !== 'string' || input.listId === '') fault('bundle', 'listId', 'is missing');
  } else if (input.listId !== undefined) {
    fault('bundle', 'listId', 'belongs to destruction certificates only');
  }
  const cp = input.checkpoint;
  if (!isObject(cp)) fault('bundle', 'checkpoint', 'is missing or not an object');
  onlyFields(cp, CHECKPOINT_FIELDS, 'checkpoint', version);
  if (typeof cp.note !== 'string') fault('checkpoint', 'note', 'is missing or not a string');
  if (!Number.isSafeInteger(cp.treeSize) || (cp.treeSize as number) < 1) {
    fault('checkpoint', 'treeSize', 'is not a positive whole number');
  }
  if (typeof cp.verifierKey !== 'string') fault('checkpoint', 'verifierKey', 'is missing or not a string');
  if (!Array.isArray(input.events) || input.events.length === 0) {
    fault('bundle', 'events', 'is missing or empty');
  }
  input.events.forEach((event: unknown, i: number) => {
    const at = `events[${i}]`;
    if (!isObject(event)) fault(at, '(event)', 'is not an object');
    onlyFields(event, version === 1 ? EVENT_FIELDS_V1 : EVENT_FIELDS, at, version);
    if (version === 1) {
      if (typeof event.position !== 'string' || !EMBEDDED_POSITION.test(event.position)) {
        fault(at, 'position', `is ${JSON.stringify(event.position)}, not a global position such as "42"`);
      }
    } else {
      if (
        typeof event.position !== 'string' ||
        !(EMBEDDED_POSITION.test(event.position) || commitPrepare(event.position))
      ) {
        fault(
          at,
          'position',
          `is ${JSON.stringify(event.position)}, not a global position such as "42" (embedded) or "1234/1234" (EventStoreDB)`,
        );
      }
      if (!Number.isSafeInteger(event.leafIndex) || (event.leafIndex as number) < 0) {
        fault(
          at,
          'leafIndex',
          `is ${JSON.stringify(event.leafIndex)}, not a leaf index (a whole number from 0)`,
        );
      }
    }
    if (typeof event.stream !== 'string' || event.stream === '') fault(at, 'stream', 'is missing');
    if (!Number.isSafeInteger(event.revision) || (event.revision as number) < 0) {
      fault(at, 'revision', 'is not a whole number');
    }
    if (typeof event.hash !== 'string' || !HEX64.test(event.hash)) {
      fault(at, 'hash', 'is not 64 lowercase hex digits');
    }
    if (event.withheld !== undefined) {
      if (typeof event.withheld !== 'string' || event.withheld === '')
        fault(at, 'withheld', 'is not a reason');
      if (event.canonical !== undefined) fault(at, 'canonical', 'is present on a withheld event');
    } else if (typeof event.canonical !== 'string') {
      fault(at, 'canonical', 'is missing (the stored bytes, base64)');
    }
    if (!Array.isArray(event.inclusionProof)) fault(at, 'inclusionProof', 'is not an array of hashes');
    event.inclusionProof.forEach((p: unknown, j: number) => {
      if (typeof p !== 'string' || !HEX64.test(p))
        fault(at, `inclusionProof[${j}]`, 'is not a 64-digit hex hash');
    });
  });
  return input as unknown as AuditBundle;
}

async function openKey(
  bundle: AuditBundle,
  pinnedKey: string | undefined,
): Promise<{ verifier: WebNoteVerifier; key: VerifiedKey }> {
  let carried: WebNoteVerifier;
  try {
    carried = await parseVerifierKey(bundle.checkpoint.verifierKey);
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
    let pinned: WebNoteVerifier;
    try {
      pinned = await parseVerifierKey(pinnedKey.trim());
    } catch (error) {
      if (error instanceof NoteKeyError) fault('--key', '(pinned key)', error.message);
      throw error;
    }
    if (toHex(pinned.publicKey) !== toHex(carried.publicKey) || pinned.name !== carried.name) {
      fault(
        'checkpoint',
        'verifierKey',
        `key mismatch: the bundle names key ${carried.name}+${keyIdHex(carried.keyId)} (fingerprint ${await keyFingerprint(carried)}), not the pinned key ${pinned.name}+${keyIdHex(pinned.keyId)} (fingerprint ${await keyFingerprint(pinned)})`,
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
      fingerprint: await keyFingerprint(verifier),
      source,
    },
  };
}

function decodeBase64(text: string, at: string): Bytes {
  const bytes = fromCanonicalBase64(text);
  if (bytes === undefined) return fault(at, 'canonical', 'is not canonical base64');
  return bytes;
}

function parseDocument(bytes: Uint8Array, at: string): ProvenDocument {
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return fault(at, 'canonical', 'the bytes are not UTF-8 JSON');
  }
  if (!isObject(document) || !isObject(document.metadata) || !isObject(document.data)) {
    fault(at, 'canonical', 'the bytes are not an event envelope { stream, revision, type, data, metadata }');
  }
  return document as unknown as ProvenDocument;
}

/**
 * Verify a parsed bundle (the JSON value) in the browser. Never rejects for a bad bundle: the
 * verdict says why. Rejects only when the browser itself cannot verify (no Web Crypto Ed25519).
 */
export async function verifyBundleWeb(
  input: unknown,
  options: { readonly pinnedKey?: string } = {},
): Promise<BundleVerdict> {
  let key: VerifiedKey | null = null;
  let checkpoint: BundleVerdict['checkpoint'] = null;
  try {
    const bundle = checkShape(input);
    const opened = await openKey(bundle, options.pinnedKey);
    key = opened.key;
    let signed;
    try {
      signed = await verifyCheckpoint(bundle.checkpoint.note, [opened.verifier]);
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
    const events = await proveEvents(bundle, signed.treeSize, signed.rootHash);
    const facts =
      bundle.kind === 'record-export' ? recordFacts(bundle, events) : certificateFacts(bundle, events);
    return { verified: true, problem: null, key, checkpoint, facts };
  } catch (error) {
    if (!(error instanceof BundleFault)) throw error;
    return { verified: false, problem: error.problem, key, checkpoint, facts: null };
  }
}

/** The event's leaf index, and its position checked against it (verify-bundle.ts `placeOf`). */
function placeOf(
  bundle: AuditBundle,
  event: BundleEvent,
  at: string,
  treeSize: number,
  places: LeafOrder,
): number {
  const embedded = EMBEDDED_POSITION.test(event.position);
  const beyond = () =>
    fault(
      at,
      'position',
      `is beyond the signed tree: the checkpoint's tree size ${treeSize} is smaller than position ${event.position}`,
    );
  if (bundle.version === 1) {
    const leafIndex = leafIndexOfPosition(event.position);
    if (leafIndex >= treeSize) beyond();
    return leafIndex;
  }
  const leafIndex = event.leafIndex as number;
  if (leafIndex >= treeSize) {
    fault(
      at,
      'leafIndex',
      `is beyond the signed tree: leaf ${leafIndex} is not in the checkpoint's tree of size ${treeSize}`,
    );
  }
  if (places.kind !== undefined && places.kind !== (embedded ? 'embedded' : 'eventstoredb')) {
    fault(at, 'position', 'mixes embedded and EventStoreDB positions in one bundle');
  }
  places.kind = embedded ? 'embedded' : 'eventstoredb';
  if (embedded) {
    const implied = leafIndexOfPosition(event.position);
    if (implied >= treeSize) beyond();
    if (implied !== leafIndex) {
      fault(
        at,
        'leafIndex',
        `is ${leafIndex}, but position ${event.position} is leaf ${implied}: embedded positions are gap-free from 1 (the position or the leaf index was edited)`,
      );
    }
  } else {
    const clash = places.add(leafIndex, commitPrepare(event.position) as [bigint, bigint], event.position);
    if (clash) {
      fault(
        at,
        'leafIndex',
        `is ${leafIndex} at position ${event.position}, but leaf ${clash.leafIndex} is at position ${clash.position}: positions must increase with the leaf index (the position or the leaf index was edited)`,
      );
    }
  }
  return leafIndex;
}

class LeafOrder {
  kind: 'embedded' | 'eventstoredb' | undefined;
  private readonly sorted: { leafIndex: number; at: [bigint, bigint]; position: string }[] = [];

  add(
    leafIndex: number,
    at: [bigint, bigint],
    position: string,
  ): { leafIndex: number; position: string } | undefined {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid].leafIndex < leafIndex) lo = mid + 1;
      else hi = mid;
    }
    const before = this.sorted[lo - 1];
    const after = this.sorted[lo];
    if (before && comparePositions(before.at, at) >= 0) return before;
    if (after && comparePositions(after.at, at) <= 0) return after;
    this.sorted.splice(lo, 0, { leafIndex, at, position });
    return undefined;
  }
}

/** Hash, bytes, chain and inclusion of every event; the streams the kind requires, each from revision 0. */
async function proveEvents(bundle: AuditBundle, treeSize: number, root: Bytes): Promise<ProvenEvent[]> {
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
      const bytes = decodeBase64(event.canonical as string, at);
      const computed = await hashCanonical(bytes);
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

    const problem = await inclusionProblem(
      leafIndex,
      treeSize,
      await eventLeafHash(event.hash),
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
