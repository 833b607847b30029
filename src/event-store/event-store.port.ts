/**
 * The event store port. Two adapters implement it: the embedded SQLite store (default) and
 * EventStoreDB/KurrentDB. Both pass the same contract suite (event-store.contract.ts).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * Opaque, ordered position in the global order. The embedded store uses decimal integers
 * ("42"); EventStoreDB uses commit/prepare pairs. Compare with `EventStore.comparePositions`.
 */
export type Position = string;

/** Expected state of the stream when appending (optimistic concurrency). A number is an exact revision. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

/** Who did it, as stored in the envelope. */
export interface EnvelopeActor {
  readonly id: string;
  readonly roles: readonly string[];
  readonly unit: string;
}

/** Metadata the writer supplies; the store adds `recordedAt`, `prevHash` and the hash. */
export interface ProposedMetadata {
  readonly actor: EnvelopeActor;
  readonly reason?: string;
  /** When it happened, as stated by the actor (ISO 8601). */
  readonly occurredAt: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly policyVersion?: number;
  readonly schemaVersion: number;
  /** Digest of the command that produced the event, so an Idempotency-Key reused for another command is caught. */
  readonly commandDigest?: string;
}

export interface ProposedEvent {
  /** A UUID. Appending the same ids again to the same stream is an idempotent no-op. */
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: ProposedMetadata;
}

export interface EventMetadata extends ProposedMetadata {
  /** When the store recorded it (ISO 8601, store clock). */
  readonly recordedAt: string;
  /** Hash of the previous event in the same stream; 64 zeros for the first. */
  readonly prevHash: string;
}

export interface RecordedEvent {
  readonly eventId: string;
  readonly stream: string;
  /** 0-based revision within the stream. */
  readonly revision: number;
  readonly position: Position;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
  /** Hex SHA-256 over the domain tag and `canonical`. */
  readonly hash: string;
  /** The exact RFC 8785 bytes that were hashed, as stored. Never re-serialise to verify. */
  readonly canonical: Uint8Array;
}

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
  /**
   * Hash of the stream head the caller based its decision on. If the stream's head hash differs
   * the append is refused with ChainMismatchError: the chain must follow the head the writer saw.
   */
  readonly expectedHeadHash?: string;
}

export interface AppendResult {
  /** Revision of the last event appended (the stream's new head). */
  readonly nextRevision: number;
  /** Global position of the last event appended. */
  readonly position: Position;
  /** True when these event ids were already stored: nothing was appended, the original result is returned. */
  readonly replayed: boolean;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive starting revision; defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly limit?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Omitted: from the beginning. */
  readonly after?: Position;
  readonly limit: number;
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: deliver events strictly after it. Omitted: from the beginning. */
  readonly after?: Position;
  /** Ends the iteration. */
  readonly signal?: AbortSignal;
}

export interface EventStore {
  append(stream: string, events: readonly ProposedEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Throws StreamNotFoundError if the stream has no events. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** One batch of the global order (system events excluded). */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch up from the checkpoint, then deliver live events as they are appended. */
  subscribeToAll(options?: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** Position of the newest event, or undefined for an empty store. */
  headPosition(): Promise<Position | undefined>;
  comparePositions(a: Position, b: Position): number;
  /** Cheap liveness probe for /health/ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');
