import { fromCanonicalBase64, type Bytes } from '../../signed-note/bytes.core';
import {
  BUNDLE_FIELDS,
  BUNDLE_FORMAT,
  BUNDLE_VERSIONS_READ,
  CHECKPOINT_FIELDS,
  EVENT_FIELDS,
  EVENT_FIELDS_V1,
  leafIndexOfPosition,
  type AuditBundle,
  type BundleEvent,
} from '../bundle.format';
import { fault, type ProvenDocument } from '../bundle-problem';

/**
 * The checks of the bundle verifier that need no cryptography, node-free (Uint8Array only): the
 * bundle's shape, fields and version, where each event sits in the log (leaf index and position
 * rules) and the event envelope in the stored bytes. verify-steps.ts runs them, with the hashing
 * and signature checks, for both the command line (node:crypto) and the browser (Web Crypto).
 */

const HEX64 = /^[0-9a-f]{64}$/;
/** An embedded global position: the count of events, gap-free from 1. */
const EMBEDDED_POSITION = /^[1-9]\d{0,14}$/;
/** An EventStoreDB position: "<commit>/<prepare>", unsigned 64-bit decimals without leading zeros. */
const COMMIT_PREPARE = /^(0|[1-9]\d{0,19})\/(0|[1-9]\d{0,19})$/;
const MAX_U64 = (1n << 64n) - 1n;

/** The commit and prepare parts of an EventStoreDB position, or undefined for any other text. */
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

export function isObject(value: unknown): value is Record<string, unknown> {
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

export function checkShape(input: unknown): AuditBundle {
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

/** The stored bytes of an event: canonical base64 only, so no other text passes for the same bytes. */
export function decodeCanonical(text: string, at: string): Bytes {
  const bytes = fromCanonicalBase64(text);
  if (bytes === undefined) return fault(at, 'canonical', 'is not canonical base64');
  return bytes;
}

export function parseDocument(bytes: Uint8Array, at: string): ProvenDocument {
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
 * The event's leaf index, and its position checked against it. Version 1: leaf `position − 1`.
 * Version 2: the stated `leafIndex` (which the inclusion proof then proves); an embedded position
 * must be leaf `position − 1` (its order is gap-free from 1); EventStoreDB positions must increase
 * with the leaf index across the bundle. An EventStoreDB position is otherwise not proven by
 * anything signed: it locates the event, the leaf index places it.
 */
export function placeOf(
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

/** The EventStoreDB places seen so far, sorted by leaf index, to check that positions follow it. */
export class LeafOrder {
  kind: 'embedded' | 'eventstoredb' | undefined;
  private readonly sorted: { leafIndex: number; at: [bigint, bigint]; position: string }[] = [];

  /** Insert; answers a neighbour whose position contradicts the leaf order, if any. */
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
