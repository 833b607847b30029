import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { UnreadableEventError } from './event-store.errors';
import type { EventMetadata, JsonObject, ProposedEvent, RecordedEvent } from './event-store.port';

/**
 * The audit-grade envelope: every stored event is hashed over a domain tag and the RFC 8785 (JCS)
 * canonical bytes of `{ stream, revision, eventId, type, data, metadata }` (metadata without the hash),
 * and chained to the previous event of its stream through `metadata.prevHash`.
 * The canonical bytes are stored exactly as hashed; verification hashes the stored bytes.
 */
export const EVENT_HASH_DOMAIN_TAG = 'archive-ledger/event/v1\n';
export const GENESIS_HASH = '0'.repeat(64);
export const ENVELOPE_SCHEMA_VERSION = 1;

/** The document whose canonical bytes are hashed. */
export interface HashedDocument {
  readonly stream: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

export interface SealedEvent {
  readonly document: HashedDocument;
  readonly canonical: Buffer;
  readonly hash: string;
}

const tag = Buffer.from(EVENT_HASH_DOMAIN_TAG, 'utf8');

export function hashCanonical(canonical: Uint8Array): string {
  return createHash('sha256').update(tag).update(canonical).digest('hex');
}

export function canonicalBytes(value: unknown): Buffer {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value cannot be canonicalised');
  return Buffer.from(text, 'utf8');
}

/** Seal a proposed event at its place in the stream. */
export function sealEvent(
  stream: string,
  revision: number,
  prevHash: string,
  event: ProposedEvent,
  recordedAt: string,
): SealedEvent {
  const document: HashedDocument = {
    stream,
    revision,
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata, recordedAt, prevHash },
  };
  const canonical = canonicalBytes(document);
  return { document, canonical, hash: hashCanonical(canonical) };
}

/**
 * Events whose stream, revision and metadata were read from their own canonical bytes (by
 * `recordedFromCanonical`), so `verifyChain` need not parse those bytes a second time.
 */
const decodedFromBytes = new WeakSet<RecordedEvent>();

/** Rebuild a RecordedEvent from stored canonical bytes (what both adapters store). */
export function recordedFromCanonical(canonical: Uint8Array, hash: string, position: string): RecordedEvent {
  const document = parsed(utf8Text(canonical), position);
  const event: RecordedEvent = {
    eventId: document.eventId,
    stream: document.stream,
    revision: document.revision,
    position,
    type: document.type,
    data: document.data,
    metadata: document.metadata,
    hash,
    canonical,
  };
  decodedFromBytes.add(event);
  return event;
}

/**
 * A RecordedEvent from its canonical JSON as text (the projection worker's input, read by
 * `SqliteEventStore.readAllEncoded`). Projections read the decoded fields only; `canonical` is the
 * text encoded again on demand, which equals the stored bytes for every event the store sealed (it
 * stores valid UTF-8). Verification never takes this path: it hashes the stored bytes.
 */
export function recordedFromText(text: string, hash: string, position: string): RecordedEvent {
  return new EventFromText(parsed(text, position), hash, position, text);
}

/**
 * An event decoded from text, `canonical` computed on use. A class with the getter on its
 * prototype, so every such event has the same fast shape (a getter on the object itself, defined
 * afterwards or written in its literal, makes each event a dictionary). The text is a private
 * field: not a property, so not seen by spreads, JSON or comparisons.
 */
class EventFromText implements RecordedEvent {
  readonly eventId: string;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
  readonly #text: string;

  constructor(
    document: HashedDocument,
    readonly hash: string,
    readonly position: string,
    text: string,
  ) {
    this.eventId = document.eventId;
    this.stream = document.stream;
    this.revision = document.revision;
    this.type = document.type;
    this.data = document.data;
    this.metadata = document.metadata;
    this.#text = text;
  }

  get canonical(): Uint8Array {
    return Buffer.from(this.#text, 'utf8');
  }
}

/** The stored document in `text` (an event's canonical JSON), or UnreadableEventError. */
function parsed(text: string, position: string): HashedDocument {
  try {
    return JSON.parse(text) as HashedDocument;
  } catch {
    throw new UnreadableEventError(position, 'its stored bytes are not valid JSON');
  }
}

const UTF8 = new TextDecoder('utf-8');

/** The bytes as text, without copying them first (a Buffer decodes itself; any other view through one decoder). */
function utf8Text(bytes: Uint8Array): string {
  return Buffer.isBuffer(bytes) ? bytes.toString('utf8') : UTF8.decode(bytes);
}

/** What is wrong with a stream's chain, at the first event where it goes wrong. */
export interface ChainFault {
  readonly stream: string;
  readonly revision: number;
  readonly problem: string;
}

/**
 * Verify events of one stream read in order from `startRevision` (default 0), chaining from
 * `startPrevHash` (default genesis). Returns the first fault, or undefined when all is well.
 * Checks: each hash matches its stored bytes; the bytes name this stream and this revision
 * (no moved or reordered rows); revisions have no gaps; prevHash links to the previous hash.
 */
export function verifyChain(
  stream: string,
  events: readonly RecordedEvent[],
  startRevision = 0,
  startPrevHash = GENESIS_HASH,
): ChainFault | undefined {
  let expectedRevision = startRevision;
  let prevHash = startPrevHash;
  for (const event of events) {
    const at = (problem: string): ChainFault => ({ stream, revision: expectedRevision, problem });
    if (hashCanonical(event.canonical) !== event.hash) {
      return at(`stored bytes do not match the stored hash (event ${event.eventId})`);
    }
    let document: Pick<HashedDocument, 'stream' | 'revision' | 'metadata'>;
    if (decodedFromBytes.has(event)) {
      document = event; // its fields were parsed from these very bytes, just hashed
    } else {
      try {
        document = JSON.parse(utf8Text(event.canonical)) as HashedDocument;
      } catch {
        return at('stored bytes are not valid JSON');
      }
    }
    if (document.stream !== stream) return at(`event belongs to stream ${document.stream}`);
    if (document.revision !== expectedRevision) {
      return at(
        `expected revision ${expectedRevision}, found revision ${document.revision} (missing or reordered event)`,
      );
    }
    if (document.metadata?.prevHash !== prevHash) {
      return at(
        `prevHash ${document.metadata?.prevHash} does not link to the previous event's hash ${prevHash}`,
      );
    }
    prevHash = event.hash;
    expectedRevision += 1;
  }
  return undefined;
}
