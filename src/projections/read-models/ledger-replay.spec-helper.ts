import type { JsonObject, RecordedEvent } from '../../event-store/event-store.port';
import type { ReadDoc } from '../../read-store/read-store.port';
import { recordStream } from '../../records/archive-code';
import type { RecordEvent } from '../../records/record.events';
import Database from 'better-sqlite3';
import { SqliteReadStore } from '../../read-store/embedded/sqlite-read-store';
import { applyBatch } from '../projector';
import type { ReadModel } from '../read-model';
import { catalogueReadModel } from './catalogue.read-model';

/**
 * For the read models' specs: record streams as the store would deliver them, and a replay through
 * the projector's own batch step (`applyBatch`) into an in-memory SQLite read store — the same
 * routing, context, revision skipping and stamping as in production, no copy of it. A ledger
 * replays behind the catalogue, as in production, since its entries read the record's catalogue
 * document.
 */

let position = 0;

/** Events of one record's stream, numbered as the store numbers them, each at its own time. */
export function recordHistory(archiveCode: string) {
  let revision = 0;
  return (event: RecordEvent, occurredAt: string, actorId = 'wang.fang'): RecordedEvent => ({
    eventId: `e-${archiveCode}-${revision}`,
    stream: recordStream(archiveCode),
    revision: revision++,
    position: String(++position),
    type: event.type,
    data: event.data as unknown as JsonObject,
    metadata: {
      actor: { id: actorId, roles: [], unit: 'ARCHIVE' },
      occurredAt,
      recordedAt: occurredAt,
      correlationId: 'c',
      causationId: 'c',
      schemaVersion: 1,
      prevHash: '0'.repeat(64),
    },
    hash: '0'.repeat(64),
    canonical: new Uint8Array(),
  });
}

/** A read model's collection after some events, by id; `more` applies further events to it. */
export class ReplayedDocs extends Map<string, ReadDoc> {
  private constructor(
    private readonly reads: SqliteReadStore,
    private readonly model: ReadModel,
    private readonly models: readonly ReadModel[],
  ) {
    super();
  }

  static async of(model: ReadModel, events: readonly RecordedEvent[]): Promise<ReplayedDocs> {
    const reads = new SqliteReadStore(new Database(':memory:'));
    const models = model === catalogueReadModel ? [model] : [catalogueReadModel, model];
    await reads.ensureCollections(models.map((m) => m.collection));
    const docs = new ReplayedDocs(reads, model, models);
    await docs.more(events);
    return docs;
  }

  /** Apply each event as its own batch, then read the collection back. */
  async more(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) await applyBatch(this.reads, this.models, 'spec', [event]);
    this.clear();
    const page = await this.reads.find(this.model.collection.name, { limit: 1000 });
    for (const doc of page.items) this.set(doc.id, doc);
  }
}

/** A read model's collection after the events, by id. */
export function replay(model: ReadModel, events: readonly RecordedEvent[]): Promise<ReplayedDocs> {
  return ReplayedDocs.of(model, events);
}

/** Apply one more event to a replayed collection (e.g. to check that a replayed event changes nothing). */
export function applyOne(_model: ReadModel, docs: ReplayedDocs, event: RecordedEvent): Promise<void> {
  return docs.more([event]);
}

/** The documents a ledger query would see: those a clearance filter (A2) can match. */
export function entries(docs: Map<string, ReadDoc>): ReadDoc[] {
  return [...docs.values()].filter((doc) => typeof doc['classificationRank'] === 'number');
}
