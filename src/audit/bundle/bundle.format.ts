/**
 * The export bundle (docs/audit.md, "Export bundles and certificates"): everything an auditor needs
 * to prove, offline, that a record's history (and, for a destruction certificate, its destruction
 * list's) is what the log signed. Plain JSON, version 1.
 *
 * Nothing in it is trusted but the verifier key the auditor pins: every event's hash is recomputed
 * from its stored bytes, each event's place is proven by an inclusion proof against the signed
 * checkpoint, and the checkpoint's signature is checked with the key.
 *
 * Versions:
 * - 2 (written now): each event carries its `leafIndex`, the index of its leaf in the log's tree,
 *   because a position is a count only on the embedded store (EventStoreDB positions are
 *   commit/prepare pairs). The inclusion proof proves the leaf index.
 * - 1 (still read): no `leafIndex`; the event is leaf `position − 1` (embedded positions only).
 */
export const BUNDLE_FORMAT = 'archive-ledger/audit-bundle';
export const BUNDLE_VERSION = 2;
/** Versions the offline verifier reads. */
export const BUNDLE_VERSIONS_READ = [1, 2] as const;
export type BundleVersion = (typeof BUNDLE_VERSIONS_READ)[number];

export type BundleKind = 'record-export' | 'destruction-certificate';

/** One stored event, exactly as hashed. */
export interface BundleEvent {
  /**
   * Global position as the event store reports it: "42" on the embedded store (gap-free from 1),
   * "<commit>/<prepare>" on EventStoreDB.
   */
  readonly position: string;
  /**
   * Index of the event's leaf in the log's tree (version 2; proven by `inclusionProof`). Version 1
   * has none: there the event is leaf `position − 1`.
   */
  readonly leafIndex?: number;
  readonly stream: string;
  readonly revision: number;
  /** Hex SHA-256 of the domain tag and the canonical bytes. */
  readonly hash: string;
  /** Base64 of the stored RFC 8785 bytes. Absent only when `withheld`. */
  readonly canonical?: string;
  /**
   * Why the content is not in the bundle (a destruction list line about a record above the
   * caller's clearance, A2). Its hash is still proven in the chain and the tree. Never on the
   * record's own stream.
   */
  readonly withheld?: string;
  /** RFC 9162 inclusion proof of the leaf in the checkpoint's tree (hex, leaf side first). */
  readonly inclusionProof: readonly string[];
}

export interface BundleCheckpoint {
  /** The C2SP signed note, exactly as the sealer signed it. */
  readonly note: string;
  /** The tree size the note signs (repeated for readers; the verifier checks it against the note). */
  readonly treeSize: number;
  /** The signed-note verifier key that signed it: `<name>+<key id>+<base64(0x01 ‖ public key)>`. */
  readonly verifierKey: string;
}

/**
 * Every field is proven or checked: there is no unsigned "generated at/by" (who exported is in the
 * access register when A1 applies), so any edit of a field makes the bundle fail.
 */
export interface AuditBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: BundleVersion;
  readonly kind: BundleKind;
  /** 档号 of the record. */
  readonly archiveCode: string;
  /** The destruction list (certificates only). */
  readonly listId?: string;
  readonly checkpoint: BundleCheckpoint;
  /** The record's stream from revision 0, then (certificates) the list's stream from revision 0. */
  readonly events: readonly BundleEvent[];
}

export const BUNDLE_FIELDS = [
  'format',
  'version',
  'kind',
  'archiveCode',
  'listId',
  'checkpoint',
  'events',
] as const;
export const CHECKPOINT_FIELDS = ['note', 'treeSize', 'verifierKey'] as const;
export const EVENT_FIELDS = [
  'position',
  'leafIndex',
  'stream',
  'revision',
  'hash',
  'canonical',
  'withheld',
  'inclusionProof',
] as const;

export function recordStreamOf(archiveCode: string): string {
  return `record-${archiveCode}`;
}

export function destructionStreamOf(listId: string): string {
  return `destruction-${listId}`;
}

/** Version 1 event fields: no leafIndex. */
export const EVENT_FIELDS_V1 = EVENT_FIELDS.filter((field) => field !== 'leafIndex');

/**
 * Version 1 bundles only: the leaf index of an embedded global position (the embedded log's order
 * is gap-free from position 1). Never used for a version 2 bundle, whose events carry `leafIndex`.
 */
export function leafIndexOfPosition(position: string): number {
  return Number(position) - 1;
}
