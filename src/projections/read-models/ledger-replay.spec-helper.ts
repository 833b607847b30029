import type { JsonObject, RecordedEvent } from '../../event-store/event-store.port';
import type { Filter, ReadDoc } from '../../read-store/read-store.port';
import { recordStream } from '../../records/archive-code';
import type { RecordEvent } from '../../records/record.events';
import { SOURCE_REVISION, SOURCE_STREAM } from '../read-model';
import type { RecordContextReadModel } from './record-context';

/**
 * For the read models' pure specs: record streams as the store would deliver them, and a replay
 * that does what the projector does (route, load, skip already-applied revisions, apply with the
 * record header as context, stamp) over an in-memory collection.
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

/** A read model's collection after the events, by id. */
export function replay(
  model: RecordContextReadModel,
  events: readonly RecordedEvent[],
): Map<string, ReadDoc> {
  const docs = new Map<string, ReadDoc>();
  for (const event of events) applyOne(model, docs, event);
  return docs;
}

/** Apply one more event to a collection (to check that a replayed event changes nothing). */
export function applyOne(
  model: RecordContextReadModel,
  docs: Map<string, ReadDoc>,
  event: RecordedEvent,
): void {
  const route = model.route(event);
  if (route === undefined) return;
  const ids = Array.isArray(route) ? route : idsWhere(docs, (route as { where: Filter }).where);
  const contextId = model.context(event);
  const context = contextId !== undefined ? docs.get(contextId) : undefined;
  for (const id of ids) {
    const before = docs.get(id);
    if (
      before &&
      before[SOURCE_STREAM] === event.stream &&
      Number(before[SOURCE_REVISION]) >= event.revision
    ) {
      continue;
    }
    const after = model.apply(before, event, context);
    if (after)
      docs.set(id, { ...after, id, [SOURCE_STREAM]: event.stream, [SOURCE_REVISION]: event.revision });
    else docs.delete(id);
  }
}

function idsWhere(docs: Map<string, ReadDoc>, filter: Filter): string[] {
  return [...docs.values()]
    .filter((doc) => Object.entries(filter).every(([field, value]) => doc[field] === value))
    .map((doc) => doc.id);
}

/** The documents a ledger query would see: entries only (a header has no top-level `classificationRank`). */
export function entries(docs: Map<string, ReadDoc>): ReadDoc[] {
  return [...docs.values()].filter((doc) => typeof doc['classificationRank'] === 'number');
}
