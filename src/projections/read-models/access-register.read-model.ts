import { classificationRank, type Classification } from '../../domain-kernel/actor';
import type { ReadDoc } from '../../read-store/read-store.port';
import { ACCESS_STREAM_PREFIX } from '../../records/access/access.stream';
import type { RecordDetailViewed } from '../../records/access/access.events';
import type { ReadModel } from '../read-model';

/**
 * 查阅登记簿 — the access register (A1): one entry per registered view of a SECRET-or-above
 * record's details, fed by the `access-{archiveCode}` streams. The entry's id is the event's id;
 * who viewed and when come from the event's envelope.
 */
export interface AccessRegisterDoc {
  readonly id: string;
  readonly archiveCode: string;
  readonly classification: Classification;
  /** 0 PUBLIC … 4 TOP_SECRET: the register too is filtered by the reader's clearance (A2). */
  readonly classificationRank: number;
  readonly viewer: { readonly id: string; readonly unit: string; readonly roles: readonly string[] };
  readonly purpose: string;
  /** When the store recorded the view (envelope `recordedAt`). */
  readonly viewedAt: string;
}

export const ACCESS_REGISTER = 'access_register';

export const accessRegisterReadModel: ReadModel = {
  collection: {
    name: ACCESS_REGISTER,
    indexes: [
      ['viewedAt', 'classificationRank'],
      ['archiveCode', 'viewedAt'],
      ['viewer.id', 'viewedAt'],
      ['classificationRank'],
    ],
  },

  route(event) {
    if (!event.stream.startsWith(ACCESS_STREAM_PREFIX) || event.type !== 'RecordDetailViewed') {
      return undefined;
    }
    return [event.eventId];
  },

  apply(doc, event) {
    if (event.type !== 'RecordDetailViewed') return doc;
    // An entry is written once and never changes.
    if (doc !== undefined) return doc;
    const { archiveCode, purpose, classification } = event.data as unknown as RecordDetailViewed['data'];
    const { actor, recordedAt } = event.metadata;
    const entry: AccessRegisterDoc = {
      id: event.eventId,
      archiveCode,
      classification,
      classificationRank: classificationRank(classification),
      viewer: { id: actor.id, unit: actor.unit, roles: [...actor.roles] },
      purpose,
      viewedAt: recordedAt,
    };
    return entry as unknown as ReadDoc;
  },
};
