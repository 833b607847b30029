import { verifyChain } from './envelope';
import { ChainIntegrityError, StreamNotFoundError } from './event-store.errors';
import type { EventStore, RecordedEvent } from './event-store.port';

/**
 * A store that can tell when its stored events could have been changed: while `historyEpoch()`
 * answers the same value, no stored event was changed or deleted (the embedded store: its
 * immutability triggers are in place and the schema did not change). Undefined: no such guarantee.
 */
export interface ImmutableHistoryStore {
  historyEpoch(): number | undefined;
}

function guardOf(store: EventStore): ImmutableHistoryStore | undefined {
  const candidate = store as Partial<ImmutableHistoryStore>;
  return typeof candidate.historyEpoch === 'function' ? (candidate as ImmutableHistoryStore) : undefined;
}

export interface VerifiedStreamCacheOptions {
  /** Events held at most, over all streams (least recently read streams are dropped first). */
  readonly maxEvents?: number;
  /** Streams shorter than this are not kept: reading and verifying them whole is cheap. */
  readonly minStreamEvents?: number;
}

/** About 3 KB an event (parsed event and its stored bytes): some 30 MB at most. */
export const DEFAULT_VERIFIED_CACHE_MAX_EVENTS = 10_000;
export const DEFAULT_VERIFIED_CACHE_MIN_STREAM_EVENTS = 64;

interface Entry {
  readonly epoch: number;
  readonly events: RecordedEvent[];
}

/**
 * The verified prefix of long streams, per store: the events already read and verified, frozen, so
 * a later read fetches and verifies only the events appended since (chained from the last verified
 * hash). Used only for a store whose `historyEpoch()` vouches that stored events did not change; a
 * different epoch (a trigger dropped or replaced, any schema change) empties the cache, and the next
 * read verifies the whole stream again. The full checks (`GET /audit/verify`, `audit verify-all`)
 * never use it.
 */
export class VerifiedStreamCache {
  private readonly entries = new Map<string, Entry>();
  private events = 0;
  readonly maxEvents: number;
  readonly minStreamEvents: number;

  constructor(options: VerifiedStreamCacheOptions = {}) {
    this.maxEvents = options.maxEvents ?? DEFAULT_VERIFIED_CACHE_MAX_EVENTS;
    this.minStreamEvents = options.minStreamEvents ?? DEFAULT_VERIFIED_CACHE_MIN_STREAM_EVENTS;
  }

  /** Streams and events held. */
  get size(): { streams: number; events: number } {
    return { streams: this.entries.size, events: this.events };
  }

  clear(): void {
    this.entries.clear();
    this.events = 0;
  }

  /** The entry of `stream` when it was verified under `epoch`; any other epoch empties the cache. */
  get(stream: string, epoch: number): Entry | undefined {
    const entry = this.entries.get(stream);
    if (entry === undefined) return undefined;
    if (entry.epoch !== epoch) {
      this.clear();
      return undefined;
    }
    // Most recently read last.
    this.entries.delete(stream);
    this.entries.set(stream, entry);
    return entry;
  }

  /** Keep `events` (all of `stream`, verified from revision 0 under `epoch`). */
  set(stream: string, epoch: number, events: RecordedEvent[]): void {
    this.delete(stream);
    if (events.length < this.minStreamEvents || events.length > this.maxEvents) return;
    for (const event of events) freezeEvent(event);
    this.entries.set(stream, { epoch, events });
    this.events += events.length;
    for (const [name, entry] of this.entries) {
      if (this.events <= this.maxEvents) break;
      this.entries.delete(name);
      this.events -= entry.events.length;
    }
  }

  delete(stream: string): void {
    const entry = this.entries.get(stream);
    if (entry === undefined) return;
    this.entries.delete(stream);
    this.events -= entry.events.length;
  }
}

const caches = new WeakMap<EventStore, VerifiedStreamCache>();
let defaults: VerifiedStreamCacheOptions = {};

/** The options of the caches created from now on for stores not seen yet (configuration, tests). */
export function setVerifiedStreamCacheDefaults(options: VerifiedStreamCacheOptions): void {
  defaults = { ...options };
}

/** The cache `readVerifiedStream` uses for `store`; undefined for a store without `historyEpoch()`. */
export function verifiedStreamCacheOf(store: EventStore): VerifiedStreamCache | undefined {
  if (guardOf(store) === undefined) return undefined;
  let cache = caches.get(store);
  if (cache === undefined) {
    cache = new VerifiedStreamCache(defaults);
    caches.set(store, cache);
  }
  return cache;
}

/** Replace the cache `readVerifiedStream` uses for `store` (tests, tuning); the old one is dropped. */
export function configureVerifiedStreamCache(
  store: EventStore,
  options: VerifiedStreamCacheOptions,
): VerifiedStreamCache | undefined {
  if (guardOf(store) === undefined) return undefined;
  const cache = new VerifiedStreamCache(options);
  caches.set(store, cache);
  return cache;
}

/**
 * A stream's events, its hash chain verified, or none when the stream does not exist. Nothing is
 * ever decided on altered history: a broken chain throws ChainIntegrityError (503 at the edge).
 *
 * On a store that vouches for its stored events (`historyEpoch()`, the embedded store), a long
 * stream read before is not read and verified again: only the events appended since are, chained
 * from the last verified hash (see VerifiedStreamCache and docs/history.md, "Speed"). The events
 * returned are then shared and frozen: callers must not change them (none does; they fold them).
 */
export async function readVerifiedStream(
  store: EventStore,
  stream: string,
  cache: VerifiedStreamCache | undefined = verifiedStreamCacheOf(store),
): Promise<RecordedEvent[]> {
  const epoch = cache === undefined ? undefined : guardOf(store)?.historyEpoch();
  const entry = epoch === undefined ? undefined : cache?.get(stream, epoch);
  if (entry === undefined) {
    const history = await readAll(store, stream);
    const fault = verifyChain(stream, history);
    if (fault) throw new ChainIntegrityError(fault.stream, fault.revision, fault.problem);
    if (epoch !== undefined && history.length > 0) cache?.set(stream, epoch, history);
    return [...history];
  }

  const known = entry.events.length;
  const last = entry.events[known - 1];
  const added = await store.readStream(stream, { fromRevision: last.revision + 1 });
  if (added.length === 0) return entry.events.slice();
  const fault = verifyChain(stream, added, last.revision + 1, last.hash);
  if (fault) {
    cache?.delete(stream);
    throw new ChainIntegrityError(fault.stream, fault.revision, fault.problem);
  }
  const history = entry.events.slice(0, known).concat(added);
  // Another read may have extended (or dropped) the entry meanwhile: keep what this read verified only if not.
  if (cache?.get(stream, entry.epoch) === entry && entry.events.length === known) {
    cache.set(stream, entry.epoch, history.slice());
  }
  return history;
}

async function readAll(store: EventStore, stream: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(stream);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

/** Cached events are shared between reads: freeze them (not the stored bytes: a Buffer cannot be frozen). */
function freezeEvent(event: RecordedEvent): void {
  if (Object.isFrozen(event)) return;
  deepFreeze(event.data);
  deepFreeze(event.metadata);
  Object.freeze(event);
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  Object.freeze(value);
}
