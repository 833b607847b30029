import type { ReadDoc } from '../read-store/read-store.port';
import type { ReadModel } from './read-model';

/**
 * Read models for the projector's tests, in a module of their own because the rebuild's projection
 * worker loads its read models by module path. Together they use every way a read model reaches the
 * store: documents by id, created, changed and deleted; a fan-out by filter; a context document
 * from another collection.
 */
const recordOf = (stream: string) => stream.slice('record-'.length);

/** One document per record: counts its events, keeps its titles; `Withdrawn` deletes it. */
export const perRecord: ReadModel = {
  collection: { name: 'test_per_record', indexes: [['unit']], text: ['titles'] },
  route: (event) => (event.stream.startsWith('record-') ? [recordOf(event.stream)] : undefined),
  apply: (doc, event) =>
    event.type === 'Withdrawn'
      ? undefined
      : {
          id: recordOf(event.stream),
          unit: String(event.data.unit ?? doc?.unit ?? ''),
          events: Number(doc?.events ?? 0) + 1,
          titles: [...((doc?.titles as string[] | undefined) ?? []), String(event.data.title ?? '')],
        },
};

/** One document per event; a `UnitRenamed` relabels every document of the record (fan-out by filter). */
export const perEvent: ReadModel = {
  collection: { name: 'test_per_event', indexes: [['record']] },
  route: (event) =>
    event.type === 'UnitRenamed'
      ? { where: { record: recordOf(event.stream) } }
      : event.stream.startsWith('record-')
        ? [`${event.stream}#${event.revision}`]
        : undefined,
  apply: (doc, event): ReadDoc =>
    event.type === 'UnitRenamed'
      ? ({ ...doc, unit: String(event.data.unit) } as ReadDoc)
      : {
          id: `${event.stream}#${event.revision}`,
          record: recordOf(event.stream),
          unit: String(event.data.unit ?? ''),
        },
};

/** One document per record, copying the record's event count from perRecord's document (a context). */
const shadow: ReadModel = {
  collection: { name: 'test_shadow', indexes: [] },
  route: (event) => (event.stream.startsWith('record-') ? [recordOf(event.stream)] : undefined),
  context: (event) => ({ collection: 'test_per_record', id: recordOf(event.stream) }),
  apply: (_doc, event, context) => ({
    id: recordOf(event.stream),
    seenEvents: context === undefined ? null : Number(context.events),
  }),
};

export const WORKER_TEST_MODELS: readonly ReadModel[] = [perRecord, perEvent, shadow];

/** perRecord, failing at the first event whose title is `boom`. */
export const THROWING_MODELS: readonly ReadModel[] = [
  {
    ...perRecord,
    apply: (doc, event, context) => {
      if (event.data.title === 'boom') throw new Error(`cannot project ${event.stream}#${event.revision}`);
      return perRecord.apply(doc, event, context);
    },
  },
];

/** perRecord, writing a document JSON cannot hold at the first event whose title is `nan`. */
export const INVALID_DOCUMENT_MODELS: readonly ReadModel[] = [
  {
    ...perRecord,
    apply: (doc, event, context) => {
      const next = perRecord.apply(doc, event, context);
      return event.data.title === 'nan' && next ? { ...next, events: Number.NaN } : next;
    },
  },
];
