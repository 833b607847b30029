import type { EventStore, Position, RecordedEvent } from '../event-store/event-store.port';
import { followInBatches } from '../event-store/follow-in-batches';
import type { Filter, ReadDoc, ReadModelWrite, ReadStore } from '../read-store/read-store.port';
import { SOURCE_REVISION, SOURCE_STREAM, type DocumentRef, type ReadModel } from './read-model';

export interface ProjectorOptions {
  /** Checkpoint name in the read store. */
  readonly name: string;
  /** Events applied per committed batch. */
  readonly batchSize: number;
}

/**
 * The projector: follows the global order from its checkpoint, applies each event to the read
 * models it concerns, and commits the documents and the new checkpoint together, one transaction
 * per batch. A crash at any point loses at most the uncommitted batch, which is applied again on
 * restart; documents are stamped with their source stream and revision, so an event already applied
 * to a document changes nothing (no double counting).
 *
 * Framework-free: the Nest service (projector.service.ts) runs it; the rebuild command and the
 * benchmark drive it directly.
 */
export class Projector {
  private committed: Position | undefined;
  private readonly waiters = new Set<{ position: Position; resolve: () => void }>();

  constructor(
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly models: readonly ReadModel[],
    private readonly options: ProjectorOptions,
  ) {}

  get name(): string {
    return this.options.name;
  }

  /** The last committed position (undefined: nothing applied yet). */
  get checkpoint(): Position | undefined {
    return this.committed;
  }

  /** Create the collections and load the checkpoint. */
  async init(): Promise<void> {
    await this.reads.ensureCollections(this.models.map((m) => m.collection));
    this.committed = await this.reads.checkpoint(this.options.name);
  }

  /** True once every event up to `position` is reflected in the read models. */
  hasPassed(position: Position): boolean {
    return this.committed !== undefined && this.events.comparePositions(this.committed, position) >= 0;
  }

  /** Resolves true once the checkpoint passes `position`, false after `timeoutMs`. */
  waitUntilPassed(position: Position, timeoutMs: number): Promise<boolean> {
    if (this.hasPassed(position)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /**
   * Follow the global order until `signal` aborts: catch up from the checkpoint, then apply live
   * events as they are appended. Events arriving together are applied as one batch (up to
   * `batchSize`); a batch is committed as soon as no further event is immediately available.
   */
  async follow(signal: AbortSignal): Promise<void> {
    await followInBatches(this.events, this.committed, signal, this.options.batchSize, (batch) =>
      this.apply(batch),
    );
  }

  /**
   * Apply every event after the checkpoint up to the store's head as it is now, batch by batch;
   * returns how many events were applied. Used by rebuilds and benchmarks.
   */
  async catchUp(onBatch?: (applied: number, position: Position) => void): Promise<number> {
    let applied = 0;
    for (;;) {
      const batch = await this.events.readAll({ after: this.committed, limit: this.options.batchSize });
      if (batch.length === 0) return applied;
      await this.apply(batch);
      applied += batch.length;
      onBatch?.(applied, batch[batch.length - 1].position);
    }
  }

  /** Apply one batch of events (in global order, after the checkpoint) and commit it with the checkpoint. */
  async apply(batch: readonly RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    await applyBatch(this.reads, this.models, this.options.name, batch);
    this.committed = batch[batch.length - 1].position;
    for (const waiter of this.waiters) {
      if (this.hasPassed(waiter.position)) waiter.resolve();
    }
  }
}

/** What `applyBatch` needs of a read store: the documents it reads, and the commit. */
export type ProjectionTarget = Pick<ReadStore, 'getMany' | 'idsWhere' | 'commit'>;

/**
 * One batch: route each event to the documents it touches, load them once, apply the read models
 * in order, and commit every changed document with the checkpoint (the batch's last position).
 */
export async function applyBatch(
  reads: ProjectionTarget,
  models: readonly ReadModel[],
  projector: string,
  batch: readonly RecordedEvent[],
): Promise<void> {
  if (batch.length === 0) return;
  const unit = new UnitOfWork(reads);
  // Per event and read model: its route and the context document it reads (computed once).
  const routes: (ReturnType<ReadModel['route']> | undefined)[] = [];
  const contexts: (DocumentRef | undefined)[] = [];
  const wanted: DocumentRef[] = [];
  for (const event of batch) {
    for (const model of models) {
      const route = model.route(event);
      const context = route === undefined ? undefined : model.context?.(event);
      routes.push(route);
      contexts.push(context);
      if (Array.isArray(route)) {
        const collection = model.collection.name;
        for (const id of route as readonly string[]) wanted.push({ collection, id });
      }
      if (context !== undefined) wanted.push(context);
    }
  }
  await unit.prefetch(wanted);
  for (let e = 0, r = 0; e < batch.length; e++) {
    const event = batch[e];
    for (let m = 0; m < models.length; m++, r++) {
      const route = routes[r];
      if (route === undefined) continue;
      const model = models[m];
      const collection = model.collection.name;
      const ids = Array.isArray(route)
        ? (route as readonly string[])
        : await unit.idsWhere(collection, (route as { where: Filter }).where);
      const contextRef = contexts[r];
      let context: ReadDoc | undefined;
      if (contextRef !== undefined) {
        const known = unit.peek(contextRef.collection, contextRef.id);
        context = known === NOT_LOADED ? await unit.get(contextRef.collection, contextRef.id) : known;
      }
      for (const id of ids) {
        // Prefetched above: read from the unit without a promise per document.
        let before = unit.peek(collection, id);
        if (before === NOT_LOADED) before = await unit.get(collection, id);
        if (before && alreadyApplied(before, event)) continue;
        const after = model.apply(before, event, context);
        // Unchanged (the same object back): nothing to write. Not stamping it is safe: applying
        // this event again would again change nothing.
        if (after === before) continue;
        unit.set(collection, id, after ? stamp(after, id, event) : undefined);
      }
    }
  }
  await reads.commit(projector, unit.write(), batch[batch.length - 1].position);
}

function alreadyApplied(doc: ReadDoc, event: RecordedEvent): boolean {
  return doc[SOURCE_STREAM] === event.stream && Number(doc[SOURCE_REVISION]) >= event.revision;
}

/**
 * The document with its source stamps. `apply` returned a new object (it never changes the one it
 * was given), so the stamps go onto that object instead of a copy of it.
 */
function stamp(doc: ReadDoc, id: string, event: RecordedEvent): ReadDoc {
  const stamped = doc as Record<string, unknown>;
  stamped['id'] = id;
  stamped[SOURCE_STREAM] = event.stream;
  stamped[SOURCE_REVISION] = event.revision;
  return doc;
}

/** What UnitOfWork.peek answers for a document it has not loaded. */
const NOT_LOADED = Symbol('not loaded');

/** The documents one batch reads and writes: loaded once, changed in memory, written together. */
class UnitOfWork {
  /** collection → id → document (undefined: absent or deleted). */
  private readonly docs = new Map<string, Map<string, ReadDoc | undefined>>();
  private readonly changed = new Map<string, Set<string>>();

  constructor(private readonly reads: ProjectionTarget) {}

  async prefetch(keys: readonly { collection: string; id: string }[]): Promise<void> {
    const byCollection = new Map<string, Set<string>>();
    for (const { collection, id } of keys) {
      if (this.docs.get(collection)?.has(id)) continue;
      let ids = byCollection.get(collection);
      if (!ids) byCollection.set(collection, (ids = new Set()));
      ids.add(id);
    }
    for (const [collection, ids] of byCollection) {
      const found = await this.reads.getMany(collection, [...ids]);
      const cache = this.cache(collection);
      for (const id of ids) cache.set(id, undefined);
      for (const doc of found) cache.set(doc.id, doc);
    }
  }

  /** The document as this unit has it (undefined: absent or deleted), or NOT_LOADED. */
  peek(collection: string, id: string): ReadDoc | undefined | typeof NOT_LOADED {
    const cache = this.docs.get(collection);
    return cache !== undefined && cache.has(id) ? cache.get(id) : NOT_LOADED;
  }

  async get(collection: string, id: string): Promise<ReadDoc | undefined> {
    const cache = this.cache(collection);
    if (!cache.has(id)) await this.prefetch([{ collection, id }]);
    return cache.get(id);
  }

  set(collection: string, id: string, doc: ReadDoc | undefined): void {
    this.cache(collection).set(id, doc);
    let changed = this.changed.get(collection);
    if (!changed) this.changed.set(collection, (changed = new Set()));
    changed.add(id);
  }

  /** Ids matching an equality filter: committed documents, as changed in this batch so far. */
  async idsWhere(collection: string, filter: Filter): Promise<string[]> {
    const stored = await this.reads.idsWhere(collection, filter);
    await this.prefetch(stored.map((id) => ({ collection, id })));
    const ids = new Set<string>();
    for (const [id, doc] of this.cache(collection)) {
      if (doc && matchesEquality(doc, filter)) ids.add(id);
    }
    return [...ids].sort();
  }

  write(): ReadModelWrite {
    const upserts: { collection: string; doc: ReadDoc }[] = [];
    const deletes: { collection: string; id: string }[] = [];
    for (const [collection, ids] of this.changed) {
      const cache = this.cache(collection);
      for (const id of ids) {
        const doc = cache.get(id);
        if (doc) upserts.push({ collection, doc });
        else deletes.push({ collection, id });
      }
    }
    return { upserts, deletes };
  }

  private cache(collection: string): Map<string, ReadDoc | undefined> {
    let cache = this.docs.get(collection);
    if (!cache) this.docs.set(collection, (cache = new Map()));
    return cache;
  }
}

/** Fan-out routes use equality filters only (`{ archiveCode: 'Z001-…' }`). */
function matchesEquality(doc: ReadDoc, filter: Filter): boolean {
  return Object.entries(filter).every(([path, expected]) => {
    if (expected !== null && typeof expected === 'object') {
      throw new Error(`read-model fan-out filters are equalities only; ${path} is not`);
    }
    let value: unknown = doc;
    for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
    return value === expected;
  });
}
