import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { EMBEDDED_STORE_FILE } from '../../event-store/embedded/sqlite-event-store';
import { EVENT_HASH_DOMAIN_TAG, GENESIS_HASH } from '../../event-store/envelope';
import { StoreLockedError } from '../../event-store/event-store.errors';
import { assembleProof, consistencyProblem, consistencyProofPlan, planNodes, type NodeId } from '../merkle';
import { NoteError, keyIdHex, parseVerifierKey, verifyCheckpoint, type NoteVerifier } from '../signed-note';
import { SEALING_KEYS_STREAM } from '../sealer/sealing-keys.events';

/**
 * `archive-ledger audit verify-all`: the whole embedded store checked read-only, in one pass over the
 * global order. Every stream's chain (hash recomputed from the stored bytes, revision and prevHash
 * links, the row's columns against its hashed bytes), the gap-free order, the Merkle tree
 * recomputed from the events and compared with every signed checkpoint (each signature checked with
 * the keys on record, rotated ones included, or the keys the auditor pins), consistency between
 * consecutive checkpoints from the stored nodes, and a tail no shorter than any checkpoint. The
 * first fault is reported with stream, revision, position and what is wrong.
 *
 * Built for speed: rows are read in batches as arrays (no row objects), hashed with one-shot
 * SHA-256 into preallocated buffers, and the canonical bytes are not parsed when their tail and
 * prevHash can be read in place (RFC 8785 sorts keys: `…,"revision":r,"stream":"s","type":"t"}`).
 */

export interface VerifyAllFault {
  readonly stream: string | null;
  readonly revision: number | null;
  readonly position: string | null;
  readonly problem: string;
}

export interface VerifiedCheckpointSummary {
  readonly label: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly keyId: string;
  readonly signedAt: string | null;
}

export interface VerifyAllReport {
  readonly verified: boolean;
  /** The store checked: the embedded file, or (through the ports) a description of the event and seal stores. */
  readonly file: string;
  readonly events: number;
  readonly streams: number;
  /** The last position read: a count on the embedded store, an opaque token through the ports (EventStoreDB). */
  readonly headPosition: number | string;
  /** Leaves of the stored Merkle tree (seal_state). */
  readonly storedTreeSize: number;
  readonly checkpointsVerified: number;
  readonly latestCheckpoint: VerifiedCheckpointSummary | null;
  /** Events after the latest checkpoint: chained, but not yet covered by a signature. */
  readonly unsealedEvents: number;
  readonly keys: { readonly source: 'pinned' | 'store'; readonly keyIds: readonly string[] };
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly fault: VerifyAllFault | null;
}

export interface VerifyAllOptions {
  /** Verifier keys to trust instead of the keys on record in the store. */
  readonly pinnedKeys?: readonly string[];
  /** Signed checkpoints kept outside the store (e.g. an earlier `GET /audit/checkpoint?format=note`). */
  readonly externalCheckpoints?: readonly { readonly label: string; readonly note: string }[];
  readonly batchSize?: number;
  readonly onProgress?: (position: number, head: number) => void;
}

/** The store cannot be read: missing, locked by the running service, or not an archive-ledger store. */
export class VerifyAllUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyAllUnavailableError';
  }
}

/** Open the embedded store's file read-only (never written: no schema, no journal change). */
export function openStoreReadOnly(dataDir: string): Database.Database {
  const file = path.join(dataDir, EMBEDDED_STORE_FILE);
  if (!fs.existsSync(file)) throw new VerifyAllUnavailableError(`no event store at ${file} (check DATA_DIR)`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 250 });
    db.pragma('query_only = 1');
    // Read through a memory map: one pass over the whole file, no page cache copies (read-only, safe).
    db.pragma('mmap_size = 4294967296');
    db.prepare('SELECT count(*) FROM events WHERE global_position = 1').get();
    return db;
  } catch (error) {
    db?.close();
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_LOCKED') {
      throw new StoreLockedError(file);
    }
    throw new VerifyAllUnavailableError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

// ── hashing without per-event buffers ────────────────────────────────────────────────────────────
//
// One-shot SHA-256 (`crypto.hash`, Node ≥ 20.12) answering a string: a digest as a Buffer costs a
// new backing store per hash (three per event), a string is an ordinary heap object. Event hashes
// are hex (as stored); tree hashes are 32-character latin1 strings (one character per byte).

type Digest = (algorithm: string, data: Uint8Array, encoding: 'hex' | 'latin1') => string;
const oneShot = (crypto as unknown as { hash?: Digest }).hash;
const sha256 = oneShot
  ? (data: Uint8Array, encoding: 'hex' | 'latin1'): string => oneShot('sha256', data, encoding)
  : (data: Uint8Array, encoding: 'hex' | 'latin1'): string =>
      crypto
        .createHash('sha256')
        .update(data)
        .digest(encoding === 'latin1' ? 'binary' : 'hex');

const TAG = Buffer.from(EVENT_HASH_DOMAIN_TAG, 'utf8');
const LEAF = Buffer.alloc(33);
const NODE = Buffer.alloc(65);
LEAF[0] = 0x00;
NODE[0] = 0x01;
let scratch = Buffer.alloc(64 * 1024);
TAG.copy(scratch, 0);

/** The event's hash (hex) over the domain tag and its stored bytes. */
export function eventDigest(canonical: Buffer): string {
  const needed = TAG.length + canonical.length;
  if (needed > scratch.length) {
    scratch = Buffer.alloc(needed * 2);
    TAG.copy(scratch, 0);
  }
  canonical.copy(scratch, TAG.length);
  return sha256(scratch.subarray(0, needed), 'hex');
}

/** RFC 9162 leaf hash of an event (its hash's 32 bytes as the leaf input), latin1. */
export function leafOf(eventHashHex: string): string {
  LEAF.write(eventHashHex, 1, 32, 'hex');
  return sha256(LEAF, 'latin1');
}

function nodeOf(left: string, right: string): string {
  NODE.write(left, 1, 32, 'latin1');
  NODE.write(right, 33, 32, 'latin1');
  return sha256(NODE, 'latin1');
}

export const asBytes = (hash: string): Buffer => Buffer.from(hash, 'latin1');

/** The right edge of the recomputed tree: O(log n) memory, two hashes per leaf on average. */
export class Edge {
  private readonly nodes: string[] = [];
  size = 0;
  append(leaf: string): void {
    let hash = leaf;
    let n = this.size;
    while (n % 2 === 1) {
      hash = nodeOf(this.nodes.pop() as string, hash);
      n = (n - 1) / 2;
    }
    this.nodes.push(hash);
    this.size += 1;
  }
  root(): Buffer {
    if (this.nodes.length === 0) return crypto.createHash('sha256').digest();
    let hash = this.nodes[this.nodes.length - 1];
    for (let i = this.nodes.length - 2; i >= 0; i--) hash = nodeOf(this.nodes[i], hash);
    return asBytes(hash);
  }
}

// ── reading the canonical bytes in place ───────────────────────────────────────────────────────────

const PREV_NEEDLE = Buffer.from('"prevHash":"', 'utf8');
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

interface Envelope {
  readonly stream: unknown;
  readonly revision: unknown;
  readonly type: unknown;
  readonly prevHash: unknown;
}

/** stream, revision, type and prevHash as the hashed bytes state them; undefined when the fast path cannot tell. */
function readInPlace(canonical: Buffer, stream: string, revision: number, type: string): string | undefined {
  const tail = `,"revision":${revision},"stream":${JSON.stringify(stream)},"type":${JSON.stringify(type)}}`;
  const tailBytes = Buffer.byteLength(tail, 'utf8');
  const tailStart = canonical.length - tailBytes;
  if (tailStart <= 0 || canonical.toString('utf8', tailStart) !== tail) return undefined;
  const at = canonical.lastIndexOf(PREV_NEEDLE, tailStart);
  if (at < 0) return undefined;
  const valueStart = at + PREV_NEEDLE.length;
  if (canonical[valueStart + 64] !== 0x22) return undefined;
  // Nothing nested may follow metadata.prevHash (canonical metadata has only strings and numbers after it).
  for (let i = valueStart + 65; i < tailStart; i++) {
    const byte = canonical[i];
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) return undefined;
  }
  return canonical.toString('latin1', valueStart, valueStart + 64);
}

function parseEnvelope(canonical: Buffer): Envelope | undefined {
  try {
    const doc = JSON.parse(canonical.toString('utf8')) as {
      stream?: unknown;
      revision?: unknown;
      type?: unknown;
      metadata?: { prevHash?: unknown };
    };
    return { stream: doc.stream, revision: doc.revision, type: doc.type, prevHash: doc.metadata?.prevHash };
  } catch {
    return undefined;
  }
}

// ── the check ──────────────────────────────────────────────────────────────────────────────────────

export interface SignedHead {
  readonly label: string;
  readonly treeSize: number;
  readonly root: Buffer;
  readonly keyId: string;
  readonly signedAt: string | null;
}

export class Found extends Error {
  constructor(readonly fault: VerifyAllFault) {
    super(fault.problem);
  }
}

export function found(
  stream: string | null,
  revision: number | null,
  position: number | string | null,
  problem: string,
): never {
  throw new Found({ stream, revision, position: position === null ? null : String(position), problem });
}

/** An event missing from the global order: where, and what to say (both paths check the chains on to name it). */
export interface Deletion {
  readonly position: number | string;
  readonly message: string;
}

/**
 * The event links to its stream's head (next revision, prevHash the head's hash; genesis first) and
 * becomes the head. Called for every event by both scans: it allocates nothing but a new stream's
 * head. After a `deletion`, an event whose revision skips is named as the deleted one's successor.
 */
export function extendChain(
  heads: Map<string, { revision: number; hash: string }>,
  stream: string,
  revision: number,
  prevHash: unknown,
  hash: string,
  position: number | string,
  deletion: Deletion | undefined,
): void {
  const streamHead = heads.get(stream);
  const expected = streamHead ? streamHead.revision + 1 : 0;
  if (revision !== expected || prevHash !== (streamHead?.hash ?? GENESIS_HASH)) {
    if (deletion && revision > expected) {
      found(
        stream,
        expected,
        deletion.position,
        `${deletion.message}, and ${stream} has no revision ${expected}: revision ${revision} at position ${position} links to a hash no stored event has`,
      );
    }
    found(
      stream,
      expected,
      position,
      revision !== expected
        ? `expected revision ${expected}, found revision ${revision} (missing or reordered event)`
        : `prevHash ${String(prevHash)} does not link to the previous event's hash ${streamHead?.hash ?? GENESIS_HASH}`,
    );
  }
  if (streamHead) {
    streamHead.revision = revision;
    streamHead.hash = hash;
  } else {
    heads.set(stream, { revision, hash });
  }
}

/** What a scan found so far, as its report says it (once, at its end). */
export interface ScanState extends Pick<
  VerifyAllReport,
  'file' | 'events' | 'streams' | 'headPosition' | 'storedTreeSize' | 'checkpointsVerified' | 'keys'
> {
  readonly started: bigint;
  readonly lastVerified: SignedHead | null;
}

export function reportOf(scan: ScanState, fault: VerifyAllFault | null): VerifyAllReport {
  const seconds = Number(process.hrtime.bigint() - scan.started) / 1e9;
  const { lastVerified, events } = scan;
  return {
    verified: fault === null,
    file: scan.file,
    events,
    streams: scan.streams,
    headPosition: scan.headPosition,
    storedTreeSize: scan.storedTreeSize,
    checkpointsVerified: scan.checkpointsVerified,
    latestCheckpoint: lastVerified
      ? {
          label: lastVerified.label,
          treeSize: lastVerified.treeSize,
          rootHash: lastVerified.root.toString('hex'),
          keyId: lastVerified.keyId,
          signedAt: lastVerified.signedAt,
        }
      : null,
    unsealedEvents: Math.max(0, events - (lastVerified?.treeSize ?? 0)),
    keys: scan.keys,
    seconds: Math.round(seconds * 1000) / 1000,
    eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : 0,
    fault,
  };
}

function tableExists(db: Database.Database, name: string): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
}

export interface CheckpointRow {
  sequence: number;
  tree_size: number;
  root_hash: Buffer;
  key_id: string;
  verifier_key: string;
  note: string;
  signed_at: string;
}

/** Keys to trust: pinned, or every key on record (rotations in `sealer-keys`, else the first checkpoint's). */
function trustedKeys(
  db: Database.Database,
  checkpoints: readonly CheckpointRow[],
  pinned: readonly string[] | undefined,
): { verifiers: NoteVerifier[]; source: 'pinned' | 'store' } {
  const rotations =
    pinned && pinned.length > 0
      ? []
      : db
          .prepare<[string], { canonical: Buffer }>(
            'SELECT canonical FROM events WHERE stream = ? ORDER BY revision',
          )
          .all(SEALING_KEYS_STREAM)
          .map((row) => row.canonical);
  return trustedKeysOf(rotations, checkpoints, pinned);
}

/**
 * Keys to trust: the pinned ones, or every key on record — both keys of every `SealingKeyRotated`
 * (the canonical bytes of stream `sealer-keys`, in order), else the first checkpoint's key.
 */
export function trustedKeysOf(
  rotations: readonly Uint8Array[],
  checkpoints: readonly CheckpointRow[],
  pinned: readonly string[] | undefined,
): { verifiers: NoteVerifier[]; source: 'pinned' | 'store' } {
  if (pinned && pinned.length > 0) {
    return {
      verifiers: pinned.map((key) => {
        try {
          return parseVerifierKey(key.trim());
        } catch (error) {
          throw new VerifyAllUnavailableError(`--key ${key}: ${(error as Error).message}`);
        }
      }),
      source: 'pinned',
    };
  }
  const keys = new Set<string>();
  for (const canonical of rotations) {
    const doc = JSON.parse(Buffer.from(canonical).toString('utf8')) as {
      data?: { previous?: { verifierKey?: string }; next?: { verifierKey?: string } };
    };
    if (doc.data?.previous?.verifierKey) keys.add(doc.data.previous.verifierKey);
    if (doc.data?.next?.verifierKey) keys.add(doc.data.next.verifierKey);
  }
  if (keys.size === 0 && checkpoints.length > 0) keys.add(checkpoints[0].verifier_key);
  return { verifiers: [...keys].map((k) => parseVerifierKey(k)), source: 'store' };
}

/** Every stored checkpoint (and external one) opened with the trusted keys; their columns against their notes. */
export function signedHeads(
  rows: readonly CheckpointRow[],
  verifiers: readonly NoteVerifier[],
  external: VerifyAllOptions['externalCheckpoints'],
): SignedHead[] {
  const heads: SignedHead[] = [];
  const open = (label: string, note: string) => {
    try {
      return verifyCheckpoint(note, verifiers);
    } catch (error) {
      if (!(error instanceof NoteError)) throw error;
      const why =
        error.code === 'NO_VERIFIED_SIGNATURE'
          ? `it is not signed by a trusted key (${verifiers.map((v) => keyIdHex(v.keyId)).join(', ') || 'none on record'})`
          : error.code === 'INVALID_SIGNATURE'
            ? 'its signature does not verify: the note or its signature was changed'
            : error.message;
      return found(null, null, null, `${label}: the signed note does not verify: ${why}`);
    }
  };
  for (const row of rows) {
    const label = `checkpoint #${row.sequence} (signed ${row.signed_at})`;
    const signed = open(label, row.note);
    if (signed.treeSize !== row.tree_size || !signed.rootHash.equals(row.root_hash)) {
      found(
        null,
        null,
        null,
        `${label}: its stored tree size ${row.tree_size} / root ${Buffer.from(row.root_hash).toString('hex')} differ from its signed note (size ${signed.treeSize}, root ${signed.rootHash.toString('hex')})`,
      );
    }
    const keyId = keyIdHex(signed.note.verified[0].keyId);
    if (keyId !== row.key_id) {
      found(null, null, null, `${label}: stored key id ${row.key_id}, but it was signed by key ${keyId}`);
    }
    heads.push({ label, treeSize: signed.treeSize, root: signed.rootHash, keyId, signedAt: row.signed_at });
  }
  for (const { label, note } of external ?? []) {
    const signed = open(label, note);
    heads.push({
      label,
      treeSize: signed.treeSize,
      root: signed.rootHash,
      keyId: keyIdHex(signed.note.verified[0].keyId),
      signedAt: null,
    });
  }
  heads.sort((a, b) => a.treeSize - b.treeSize);
  // Two signed heads of one size with different roots: the log forked.
  for (let i = 1; i < heads.length; i++) {
    if (heads[i].treeSize === heads[i - 1].treeSize && !heads[i].root.equals(heads[i - 1].root)) {
      found(
        null,
        null,
        null,
        `${heads[i - 1].label} and ${heads[i].label} sign different roots for tree size ${heads[i].treeSize}`,
      );
    }
  }
  return heads;
}

/** Consecutive signed heads are consistent (RFC 9162 proofs from the stored tree's nodes). */
function checkConsistency(db: Database.Database, heads: readonly SignedHead[], storedTreeSize: number): void {
  const node = db.prepare<[number, number], { hash: Buffer }>(
    'SELECT hash FROM seal_nodes WHERE level = ? AND idx = ?',
  );
  for (let i = 1; i < heads.length; i++) {
    const [from, to] = [heads[i - 1], heads[i]];
    if (from.treeSize === to.treeSize || to.treeSize > storedTreeSize) continue;
    const plan = consistencyProofPlan(from.treeSize, to.treeSize);
    const nodes = new Map<string, Buffer>();
    for (const id of planNodes(plan)) {
      const row = node.get(id.level, id.index);
      if (!row)
        found(null, null, null, `the stored Merkle tree misses node ${id.level}/${id.index} (deleted?)`);
      nodes.set(`${id.level}/${id.index}`, row.hash);
    }
    const proof = assembleProof(plan, (id: NodeId) => nodes.get(`${id.level}/${id.index}`) as Buffer);
    const problem = consistencyProblem(from.treeSize, to.treeSize, proof, from.root, to.root);
    if (problem) {
      found(
        null,
        null,
        null,
        `${to.label} is not consistent with ${from.label} through the stored tree: ${problem}`,
      );
    }
  }
}

export function verifyAll(db: Database.Database, options: VerifyAllOptions = {}): VerifyAllReport {
  const started = process.hrtime.bigint();
  const file = db.name;
  const sealed = tableExists(db, 'seal_checkpoints');
  const checkpointRows = sealed
    ? db.prepare<[], CheckpointRow>('SELECT * FROM seal_checkpoints ORDER BY sequence').all()
    : [];
  const storedTreeSize = sealed
    ? (db.prepare<[], { tree_size: number }>('SELECT tree_size FROM seal_state WHERE id = 1').get()
        ?.tree_size ?? 0)
    : 0;
  const head =
    db.prepare<[], { p: number | null }>('SELECT max(global_position) AS p FROM events').get()?.p ?? 0;
  const heads = new Map<string, { revision: number; hash: string }>();
  let keys: VerifyAllReport['keys'] = { source: 'store', keyIds: [] };
  let signed: SignedHead[] = [];
  let verifiedHeads = 0;
  let lastVerified: SignedHead | null = null;
  let events = 0;
  let position = 0;

  const report = (fault: VerifyAllFault | null): VerifyAllReport =>
    reportOf(
      {
        started,
        file,
        events,
        streams: heads.size,
        headPosition: head,
        storedTreeSize,
        checkpointsVerified: verifiedHeads,
        lastVerified,
        keys,
      },
      fault,
    );

  try {
    const trusted = trustedKeys(db, checkpointRows, options.pinnedKeys);
    keys = { source: trusted.source, keyIds: trusted.verifiers.map((v) => keyIdHex(v.keyId)) };
    signed = signedHeads(checkpointRows, trusted.verifiers, options.externalCheckpoints);
    if (sealed) checkConsistency(db, signed, storedTreeSize);

    const batchSize = options.batchSize ?? 5000;
    const read = db
      .prepare<[number, number], unknown[]>(
        'SELECT global_position, stream, revision, type, prev_hash, hash, canonical FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?',
      )
      .raw(true);
    const leafRead = sealed
      ? db.prepare<[number, number], { idx: number; hash: Buffer }>(
          'SELECT idx, hash FROM seal_nodes WHERE level = 0 AND idx >= ? AND idx < ? ORDER BY idx',
        )
      : undefined;
    const edge = new Edge();
    let nextHead = 0;
    while (nextHead < signed.length && signed[nextHead].treeSize === 0) nextHead += 1;
    // Leaves since the last verified checkpoint start here: a mismatching root is pinpointed by
    // reading those events again (only then), rather than keeping every leaf in between.
    let pendingFrom = 0;
    let gap: Deletion | undefined;
    // The last event read (no object per event: these two are enough for the messages).
    let lastStream: string | undefined;
    let lastRevision = -1;

    const checkRoot = () => {
      while (nextHead < signed.length && signed[nextHead].treeSize === edge.size) {
        const target = signed[nextHead];
        const root = edge.root();
        if (!root.equals(target.root)) pinpoint(target, root);
        verifiedHeads += 1;
        lastVerified = target;
        pendingFrom = edge.size;
        nextHead += 1;
      }
    };
    const pinpoint = (target: SignedHead, root: Buffer): never => {
      const from = pendingFrom;
      const stored = leafRead ? leafRead.all(from, edge.size) : [];
      // Leaf i is the event at position i + 1, whose hash matched its bytes when it was read.
      const events = db
        .prepare<[number, number], { stream: string; revision: number; hash: string }>(
          'SELECT stream, revision, hash FROM events WHERE global_position > ? AND global_position <= ? ORDER BY global_position',
        )
        .all(from, edge.size);
      for (let i = 0; i < events.length; i++) {
        const storedLeaf = stored[i];
        const leaf = asBytes(leafOf(events[i].hash));
        if (!storedLeaf || storedLeaf.idx !== from + i || !storedLeaf.hash.equals(leaf)) {
          const { stream, revision } = events[i];
          found(
            stream,
            revision,
            from + i + 1,
            `the event at position ${from + i + 1} is not the one the signed tree holds at leaf ${from + i} (${target.label}, tree size ${target.treeSize}): it was replaced, moved or forged after it was sealed (its leaf ${leaf.toString('hex')}, the stored tree's ${storedLeaf?.hash.toString('hex') ?? 'missing'})`,
          );
        }
      }
      return found(
        null,
        null,
        from + 1,
        `the events at positions ${from + 1}–${edge.size} recompute to root ${root.toString('hex')}, but ${target.label} signed ${target.root.toString('hex')} for tree size ${target.treeSize}; the stored tree was rebuilt to match, so the changed leaf cannot be named more closely`,
      );
    };

    for (;;) {
      const rows = read.all(position, batchSize) as [
        number,
        string,
        number,
        string,
        string,
        string,
        Buffer,
      ][];
      if (rows.length === 0) break;
      for (const [pos, stream, revision, type, prevHashColumn, hashColumn, canonical] of rows) {
        if (pos !== position + 1 && !gap) {
          const [from, to] = [position + 1, pos - 1];
          gap = {
            position: from,
            message: `event deleted: position${to > from ? `s ${from}–${to} are` : ` ${from} is`} missing from the global order (between ${lastStream !== undefined ? `${lastStream}@${lastRevision}` : 'the start'} and ${stream}@${revision})`,
          };
        }
        position = pos;
        events += 1;
        const hash = eventDigest(canonical);
        if (hash !== hashColumn) {
          found(
            stream,
            revision,
            pos,
            `stored bytes do not match the stored hash (they hash to ${hash}, the row says ${hashColumn})`,
          );
        }
        let prevHash = readInPlace(canonical, stream, revision, type);
        let atStream = stream;
        let atRevision = revision;
        if (prevHash === undefined) {
          const envelope = parseEnvelope(canonical);
          if (!envelope) found(stream, revision, pos, 'stored bytes are not valid JSON');
          atStream = String(envelope.stream);
          atRevision = Number(envelope.revision);
          if (envelope.stream !== stream || envelope.revision !== revision || envelope.type !== type) {
            found(
              atStream,
              atRevision,
              pos,
              `the row's columns (stream ${stream}, revision ${revision}, type ${type}) disagree with its hashed bytes (stream ${String(envelope.stream)}, revision ${String(envelope.revision)}, type ${String(envelope.type)})`,
            );
          }
          prevHash = String(envelope.prevHash);
        }
        if (prevHash !== prevHashColumn) {
          found(
            stream,
            revision,
            pos,
            `the row's prev_hash ${prevHashColumn} disagrees with the hashed bytes' prevHash ${prevHash}`,
          );
        }
        extendChain(heads, stream, revision, prevHash, hash, pos, gap);
        lastStream = stream;
        lastRevision = revision;
        if (!gap) {
          edge.append(leafOf(hash));
          if (nextHead < signed.length && signed[nextHead].treeSize === edge.size) checkRoot();
        }
      }
      options.onProgress?.(position, head);
    }
    if (gap) found(null, null, gap.position, `${gap.message}; the deleted event was the last of its stream`);
    const longest = signed[signed.length - 1];
    const covered = Math.max(longest?.treeSize ?? 0, storedTreeSize);
    if (covered > events) {
      const by = longest && longest.treeSize >= storedTreeSize ? longest.label : 'the stored Merkle tree';
      found(
        lastStream ?? null,
        lastStream !== undefined ? lastRevision : null,
        events + 1,
        `truncated: the store ends at position ${events}${lastStream !== undefined ? ` (${lastStream}@${lastRevision})` : ''}, but ${by} covers ${covered} events: positions ${events + 1}–${covered} were deleted`,
      );
    }
    return report(null);
  } catch (error) {
    if (error instanceof Found) return report(error.fault);
    throw error;
  }
}
