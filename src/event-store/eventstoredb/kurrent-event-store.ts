import {
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError as KurrentStreamNotFoundError,
  WrongExpectedVersionError as KurrentWrongExpectedVersionError,
  binaryEvent,
  excludeSystemEvents,
} from '@kurrent/kurrentdb-client';
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  Direction,
  EventData,
  Position as KurrentPosition,
  ReadRevision,
  ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import type { Clock } from '../../clock/clock';
import { recordedFromCanonical } from '../envelope';
import {
  DuplicateEventIdError,
  InvalidPositionError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
import { sealAppend, type StreamHead } from '../seal-append';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  Position,
  ProposedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port';

/** Version of the storage format: a binary event holding the canonical bytes, `{hash, envelope}` in metadata. */
export const KURRENT_ENVELOPE_FORMAT = 1;

/** How many times an append with expectedRevision 'any' / 'stream_exists' re-reads the head after losing a race. */
const MAX_APPEND_ATTEMPTS = 10;
/** How many events beyond the proposed ones an append reads back to recognise an idempotent retry. */
const IDEMPOTENCY_LOOKBACK = 32;
/** Page size for scans of $all (readAll top-ups, headPosition). */
const SCAN_PAGE = 64;
/** Keep-alives applied unless the connection string sets its own (milliseconds; the client's minimum advice is 10 s). */
const KEEP_ALIVE_INTERVAL_MS = 10_000;
const KEEP_ALIVE_TIMEOUT_MS = 10_000;
/** Resubscription back-off after a dropped subscription. */
const RESUBSCRIBE_MIN_DELAY_MS = 250;
const RESUBSCRIBE_MAX_DELAY_MS = 5_000;
/** A ping slower than this counts as a failure. */
const PING_TIMEOUT_MS = 5_000;
const MAX_U64 = (1n << 64n) - 1n;

export interface KurrentEventStoreLogger {
  warn(message: string, ...details: unknown[]): void;
}

export interface KurrentEventStoreOptions {
  /** e.g. `kurrentdb://localhost:2113?tls=false` (the older `esdb://` scheme still works, with a deprecation warning). */
  readonly connectionString: string;
  readonly clock: Clock;
  /** Where dropped-subscription warnings go; defaults to the console. */
  readonly logger?: KurrentEventStoreLogger;
}

interface StreamTail {
  readonly head?: StreamHead;
  /** Our events among the newest ones, oldest first. */
  readonly recent: RecordedEvent[];
}

/**
 * The EventStoreDB / KurrentDB adapter of the event store port, over the official gRPC client
 * (`@kurrent/kurrentdb-client`).
 *
 * Storage format: every event is a *binary* event whose data is the exact RFC 8785 canonical bytes
 * produced by `sealEvent` (so the bytes come back exactly as they were hashed), whose type is the
 * domain event type and whose id is the proposed event id; its metadata is the JSON
 * `{"hash": <hex sha-256>, "envelope": 1}`. Reading rebuilds the event from the stored bytes with
 * `recordedFromCanonical`: the canonical bytes are never re-serialised.
 *
 * Positions are opaque tokens `"<commit>/<prepare>"` (decimal, unsigned 64-bit), compared as
 * bigints (commit first, then prepare); they are never converted to JS numbers.
 *
 * Record streams are permanent: this adapter NEVER deletes, tombstones or truncates a stream, never
 * sets `$maxAge` / `$maxCount` / `$tb` stream metadata, and never starts a scavenge. Do not add such
 * calls here; retention and destruction are modelled as events, not as storage deletes.
 */
export class KurrentEventStore implements EventStore {
  private closed = false;
  private readonly subscriptions = new Set<AllStreamSubscription>();
  private readonly closing = new AbortController();

  private constructor(
    private readonly client: KurrentDBClient,
    private readonly clock: Clock,
    private readonly logger: KurrentEventStoreLogger,
  ) {}

  /**
   * Create the client. The gRPC channel is opened lazily by the client: this does not contact the
   * server, so a server that is down shows up on the first call (use `ping()` for readiness).
   */
  static async connect(options: KurrentEventStoreOptions): Promise<KurrentEventStore> {
    const client = KurrentDBClient.connectionString(withKeepAlive(options.connectionString));
    return new KurrentEventStore(client, options.clock, options.logger ?? console);
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  async append(
    stream: string,
    events: readonly ProposedEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.assertOpen();
    if (events.length === 0) throw new Error('append needs at least one event');
    const expected = options.expectedRevision;
    // 'any' and 'stream_exists' accept whatever head there is: after losing a race, read the new head and chain onto it.
    const followsAnyHead = expected === 'any' || expected === 'stream_exists';

    for (let attempt = 1; ; attempt++) {
      const tail = await this.readTail(stream, events.length + IDEMPOTENCY_LOOKBACK);

      const replayed = await this.previousAppendOf(stream, events, tail, expected);
      if (replayed) return replayed;

      const head = tail.head;
      const sealedEvents = sealAppend(stream, head, events, options, this.clock.now().toISOString());
      const data: EventData[] = sealedEvents.map(({ event, sealed }) =>
        binaryEvent({
          id: event.eventId,
          type: event.type,
          data: sealed.canonical,
          metadata: { hash: sealed.hash, envelope: KURRENT_ENVELOPE_FORMAT },
        }),
      );

      try {
        // The server checks the head we chained onto: a concurrent writer makes this append fail.
        const result = await this.client.appendToStream(stream, data, {
          streamState: head ? BigInt(head.revision) : NO_STREAM,
        });
        if (result.success) {
          const nextRevision = Number(result.nextExpectedRevision);
          const position = validPosition(result.position)
            ? encodePosition(result.position)
            : await this.positionOfRevision(stream, nextRevision);
          return { nextRevision, position, replayed: false };
        }
        // success=false only when the connection string sets throwOnAppendFailure=false: a conflict.
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
      }

      // Lost a race with another writer.
      if (!followsAnyHead || attempt >= MAX_APPEND_ATTEMPTS) {
        // The winner may have been this very append sent twice at once: that is still a no-op.
        const now = await this.readTail(stream, events.length + IDEMPOTENCY_LOOKBACK);
        const winner = await this.previousAppendOf(stream, events, now, expected);
        if (winner) return winner;
        throw new WrongExpectedRevisionError(stream, expected, now.head ? now.head.revision : 'no_stream');
      }
    }
  }

  /**
   * Idempotent retry: the proposed ids are already the stream's events, in order, at consecutive
   * revisions. Returns the original result; throws DuplicateEventIdError for a partial overlap.
   * EventStoreDB has no global index of event ids, so this looks at the newest events of the
   * stream and, for an exact expected revision, at the events right after it.
   */
  private async previousAppendOf(
    stream: string,
    events: readonly ProposedEvent[],
    tail: StreamTail,
    expected: ExpectedRevision,
  ): Promise<AppendResult | undefined> {
    const ids = events.map((event) => event.eventId);
    let candidates = tail.recent;
    let index = candidates.findIndex((event) => event.eventId === ids[0]);

    if (index < 0 && tail.head !== undefined && (typeof expected === 'number' || expected === 'no_stream')) {
      const after = expected === 'no_stream' ? -1 : expected;
      const oldestRecent = candidates[0]?.revision ?? Number.POSITIVE_INFINITY;
      if (tail.head.revision > after && oldestRecent > after + 1) {
        const following = (await this.readRecorded(stream, FORWARDS, BigInt(after + 1), ids.length)) ?? [];
        if (following[0]?.eventId === ids[0]) {
          candidates = following;
          index = 0;
        }
      }
    }

    if (index < 0) {
      const proposedIds = new Set(ids);
      const clash = tail.recent.find((event) => proposedIds.has(event.eventId));
      if (clash) throw new DuplicateEventIdError(clash.eventId);
      return undefined;
    }

    const first = candidates[index];
    for (const [offset, id] of ids.entries()) {
      const stored = candidates[index + offset];
      if (!stored || stored.eventId !== id || stored.revision !== first.revision + offset) {
        throw new DuplicateEventIdError(id);
      }
    }
    const last = candidates[index + ids.length - 1];
    return { nextRevision: last.revision, position: last.position, replayed: true };
  }

  /** The stream's head (revision and hash) and our newest `count` events. */
  private async readTail(stream: string, count: number): Promise<StreamTail> {
    const raw = await this.readRaw(stream, BACKWARDS, END, count);
    if (raw === undefined || raw.length === 0) return { recent: [] };
    const newest = raw[0].event;
    if (!newest) throw new Error(`Stream ${stream}: the head could not be read`);
    const hash = hashOf(newest);
    if (hash === undefined) {
      throw new Error(
        `Stream ${stream} ends with an event archive-ledger did not write (type ${newest.type}, id ${newest.id}): refusing to chain onto it`,
      );
    }
    const recent: RecordedEvent[] = [];
    for (const resolved of raw) {
      const recorded = toRecorded(resolved);
      if (recorded) recent.push(recorded);
    }
    return { head: { revision: Number(newest.revision), hash }, recent: recent.reverse() };
  }

  /** Fallback when the append result carries no position (e.g. a server-side idempotent write). */
  private async positionOfRevision(stream: string, revision: number): Promise<Position> {
    const [event] = (await this.readRecorded(stream, FORWARDS, BigInt(revision), 1)) ?? [];
    if (!event)
      throw new Error(`Stream ${stream}: revision ${revision} was appended but cannot be read back`);
    return event.position;
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const direction: Direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    const from: ReadRevision =
      options.fromRevision !== undefined
        ? BigInt(options.fromRevision)
        : direction === BACKWARDS
          ? END
          : START;
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    // The server does not take a count of 0: read one to learn whether the stream exists.
    const events = await this.readRecorded(stream, direction, from, Math.max(limit, 1));
    if (events === undefined) throw new StreamNotFoundError(stream);
    return limit <= 0 ? [] : events;
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.limit;
    if (limit <= 0) return [];
    let cursor = options.after;
    const out: RecordedEvent[] = [];
    // Top up when foreign (non archive-ledger) events were skipped, so a short batch means "caught up".
    while (out.length < limit) {
      const want = limit - out.length + 1; // +1: reading from a position includes the event at it
      let count = 0;
      let last: Position | undefined;
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition: cursor === undefined ? START : decodePosition(cursor),
        maxCount: want,
        filter: excludeSystemEvents(),
      })) {
        count += 1;
        const position = allPositionOf(resolved);
        if (position === undefined) continue;
        if (cursor !== undefined && this.comparePositions(position, cursor) <= 0) continue;
        last = position;
        const recorded = toRecorded(resolved, position);
        if (recorded && out.length < limit) out.push(recorded);
      }
      if (count < want || last === undefined) break; // end of $all (or no progress)
      cursor = last;
    }
    return out;
  }

  async headPosition(): Promise<Position | undefined> {
    this.assertOpen();
    let cursor: Position | undefined;
    for (;;) {
      let count = 0;
      let last: Position | undefined;
      for await (const resolved of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: cursor === undefined ? END : decodePosition(cursor),
        maxCount: SCAN_PAGE,
        filter: excludeSystemEvents(),
      })) {
        count += 1;
        const position = allPositionOf(resolved);
        if (position === undefined) continue;
        if (cursor !== undefined && this.comparePositions(position, cursor) >= 0) continue;
        if (toRecorded(resolved, position)) return position;
        last = position;
      }
      if (count < SCAN_PAGE || last === undefined) return undefined;
      cursor = last;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Subscribing

  async *subscribeToAll(options: SubscribeOptions = {}): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const signal = options.signal;
    const stopped = () => this.closed || signal?.aborted === true;
    let checkpoint = options.after;
    let delay = RESUBSCRIBE_MIN_DELAY_MS;

    while (!stopped()) {
      const subscription = this.client.subscribeToAll({
        fromPosition: checkpoint === undefined ? START : decodePosition(checkpoint),
        filter: excludeSystemEvents(),
      });
      this.subscriptions.add(subscription);
      const onAbort = () => endSubscription(subscription);
      signal?.addEventListener('abort', onAbort, { once: true });
      let failure: unknown;
      try {
        for await (const resolved of subscription) {
          if (stopped()) return;
          const position = allPositionOf(resolved);
          if (position === undefined) continue;
          // Exclusive checkpoint; also drops anything delivered twice after a resubscription.
          if (checkpoint !== undefined && this.comparePositions(position, checkpoint) <= 0) continue;
          const recorded = toRecorded(resolved, position);
          if (recorded) {
            yield recorded;
            if (stopped()) return;
            delay = RESUBSCRIBE_MIN_DELAY_MS;
          }
          checkpoint = position;
        }
      } catch (error) {
        failure = error;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        this.subscriptions.delete(subscription);
        endSubscription(subscription);
      }
      if (stopped()) return;
      this.logger.warn(
        `KurrentDB subscription to $all ${failure === undefined ? 'ended' : 'failed'}; resubscribing from ${checkpoint ?? 'the start'} in ${delay} ms`,
        ...(failure === undefined ? [] : [failure]),
      );
      await sleep(delay, [signal, this.closing.signal]);
      delay = Math.min(delay * 2, RESUBSCRIBE_MAX_DELAY_MS);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Positions, health, lifecycle

  comparePositions(a: Position, b: Position): number {
    const x = decodePosition(a);
    const y = decodePosition(b);
    if (x.commit !== y.commit) return x.commit < y.commit ? -1 : 1;
    if (x.prepare !== y.prepare) return x.prepare < y.prepare ? -1 : 1;
    return 0;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    const probe = (async () => {
      for await (const _event of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 1,
      })) {
        // One event (or none, on an empty database) is enough: the server answered.
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`KurrentDB did not answer within ${PING_TIMEOUT_MS} ms`)),
        PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
      probe.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    for (const subscription of this.subscriptions) endSubscription(subscription);
    this.subscriptions.clear();
    await this.client.dispose();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }

  /** Raw events of a stream, or undefined when the stream does not exist. */
  private async readRaw(
    stream: string,
    direction: Direction,
    fromRevision: ReadRevision,
    maxCount: number,
  ): Promise<ResolvedEvent[] | undefined> {
    const events: ResolvedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, { direction, fromRevision, maxCount })) {
        events.push(resolved);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return undefined;
      throw error;
    }
    return events;
  }

  /** Our events of a stream (foreign events skipped), or undefined when the stream does not exist. */
  private async readRecorded(
    stream: string,
    direction: Direction,
    fromRevision: ReadRevision,
    maxCount: number,
  ): Promise<RecordedEvent[] | undefined> {
    const raw = await this.readRaw(stream, direction, fromRevision, maxCount);
    if (raw === undefined) return undefined;
    const events: RecordedEvent[] = [];
    for (const resolved of raw) {
      const recorded = toRecorded(resolved);
      if (recorded) events.push(recorded);
    }
    return events;
  }
}

// -----------------------------------------------------------------------------------------------
// Conversions

type KurrentRecorded = NonNullable<ResolvedEvent['event']> | NonNullable<AllStreamResolvedEvent['event']>;

/** The hash our adapter stored in the metadata, or undefined for an event we did not write. */
function hashOf(event: KurrentRecorded): string | undefined {
  if (event.type.startsWith('$') || event.isJson || !(event.data instanceof Uint8Array)) return undefined;
  const metadata: unknown = event.metadata;
  if (typeof metadata !== 'object' || metadata === null || metadata instanceof Uint8Array) return undefined;
  const { hash, envelope } = metadata as { hash?: unknown; envelope?: unknown };
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return undefined;
  if (envelope !== KURRENT_ENVELOPE_FORMAT) return undefined;
  return hash;
}

/**
 * Rebuild a port event from the stored canonical bytes, or undefined for an event archive-ledger
 * did not write (system events, links, other applications' events).
 */
function toRecorded(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
  knownPosition?: Position,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const hash = hashOf(event);
  if (hash === undefined) return undefined;
  const position = knownPosition ?? eventPosition(event);
  return recordedFromCanonical(Buffer.from(event.data as Uint8Array), hash, position);
}

function eventPosition(event: KurrentRecorded): Position {
  if (!validPosition(event.position)) {
    throw new Error(
      `KurrentDB returned no log position for event ${event.id} of ${event.streamId}: a server that reports positions on stream reads (EventStoreDB 22.10 or later, or KurrentDB) is required`,
    );
  }
  return encodePosition(event.position);
}

function allPositionOf(resolved: AllStreamResolvedEvent): Position | undefined {
  const position = resolved.event?.position;
  return validPosition(position) ? encodePosition(position) : undefined;
}

function validPosition(position: KurrentPosition | undefined): position is KurrentPosition {
  return (
    position !== undefined &&
    position.commit >= 0n &&
    position.prepare >= 0n &&
    position.commit < MAX_U64 &&
    position.prepare < MAX_U64
  );
}

/** The opaque position token: `"<commit>/<prepare>"` in decimal. */
export function encodePosition(position: KurrentPosition): Position {
  return `${position.commit.toString(10)}/${position.prepare.toString(10)}`;
}

export function decodePosition(token: Position): KurrentPosition {
  const match = /^(\d{1,20})\/(\d{1,20})$/.exec(token);
  if (match) {
    const commit = BigInt(match[1]);
    const prepare = BigInt(match[2]);
    if (commit <= MAX_U64 && prepare <= MAX_U64) return { commit, prepare };
  }
  throw new InvalidPositionError(token, '"<commit>/<prepare>" in decimal');
}

// -----------------------------------------------------------------------------------------------
// Client plumbing

/** Add keep-alive settings to the connection string unless it sets them itself. */
export function withKeepAlive(connectionString: string): string {
  let result = connectionString.trim();
  if (!result.includes('?')) result = result.replace(/\/+$/, '');
  const has = (key: string) => new RegExp(`[?&]${key}=`, 'i').test(result.replace(/[-_]/g, ''));
  const add = (key: string, value: number) => {
    result += `${result.includes('?') ? '&' : '?'}${key}=${value}`;
  };
  if (!has('keepaliveinterval')) add('keepAliveInterval', KEEP_ALIVE_INTERVAL_MS);
  if (!has('keepalivetimeout')) add('keepAliveTimeout', KEEP_ALIVE_TIMEOUT_MS);
  return result;
}

function isWrongExpectedVersion(error: unknown): boolean {
  return (
    error instanceof KurrentWrongExpectedVersionError ||
    (error as { type?: unknown } | null)?.type === ErrorType.WRONG_EXPECTED_VERSION
  );
}

function isStreamNotFound(error: unknown): boolean {
  return (
    error instanceof KurrentStreamNotFoundError ||
    (error as { type?: unknown } | null)?.type === ErrorType.STREAM_NOT_FOUND
  );
}

/** Cancel the gRPC call and end the readable, so a pending `for await` over it returns. */
function endSubscription(subscription: AllStreamSubscription): void {
  subscription.unsubscribe().catch(() => undefined);
  if (!subscription.destroyed) subscription.destroy();
}

function sleep(milliseconds: number, signals: ReadonlyArray<AbortSignal | undefined>): Promise<void> {
  return new Promise((resolve) => {
    const live = signals.filter((signal): signal is AbortSignal => signal !== undefined);
    const done = () => {
      clearTimeout(timer);
      for (const signal of live) signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, milliseconds);
    for (const signal of live) {
      if (signal.aborted) return done();
      signal.addEventListener('abort', done, { once: true });
    }
  });
}
