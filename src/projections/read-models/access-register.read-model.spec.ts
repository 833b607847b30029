import type { RecordedEvent } from '../../event-store/event-store.port';
import type { ReadDoc } from '../../read-store/read-store.port';
import type { RecordDetailViewed } from '../../records/access/access.events';
import { accessRegisterReadModel } from './access-register.read-model';

/** The document an event finds when it starts one. */
const NO_DOC: ReadDoc | undefined = undefined;

const CODE = 'Z001-WS-2024-D30-BGS-0009';

function viewed(
  data: RecordDetailViewed['data'],
  eventId = '0a1b2c3d-0000-4000-8000-000000000001',
): RecordedEvent {
  return {
    eventId,
    stream: `access-${CODE}`,
    revision: 0,
    position: '17',
    type: 'RecordDetailViewed',
    data: data as unknown as RecordedEvent['data'],
    metadata: {
      actor: { id: 'chen.jing', roles: ['borrower'], unit: 'SALES' },
      reason: data.purpose,
      occurredAt: '2026-03-01T09:00:00.000Z',
      recordedAt: '2026-03-01T09:00:00.123Z',
      correlationId: 'c',
      causationId: 'c',
      schemaVersion: 1,
      prevHash: '0'.repeat(64),
    },
    hash: 'f'.repeat(64),
    canonical: new Uint8Array(),
  };
}

const event = viewed({ archiveCode: CODE, purpose: '核对投标报价', classification: 'SECRET' });

describe('access register read model (查阅登记簿)', () => {
  it('A1: one entry per registered view, keyed by the event id', () => {
    expect(accessRegisterReadModel.route(event)).toEqual([event.eventId]);
  });

  it('ignores every other stream and event', () => {
    expect(accessRegisterReadModel.route({ ...event, stream: `record-${CODE}` })).toBeUndefined();
    expect(accessRegisterReadModel.route({ ...event, type: 'ArchiveFiled' })).toBeUndefined();
  });

  it('A1: records who viewed which record, at what classification, when and why', () => {
    expect(accessRegisterReadModel.apply(NO_DOC, event)).toEqual({
      id: event.eventId,
      archiveCode: CODE,
      classification: 'SECRET',
      classificationRank: 2,
      viewer: { id: 'chen.jing', unit: 'SALES', roles: ['borrower'] },
      purpose: '核对投标报价',
      viewedAt: '2026-03-01T09:00:00.123Z',
    });
  });

  it('A2: the entry carries the rank of the record it names', () => {
    const topSecret = viewed({ archiveCode: CODE, purpose: '专项审计', classification: 'TOP_SECRET' });
    expect(accessRegisterReadModel.apply(NO_DOC, topSecret)).toMatchObject({ classificationRank: 4 });
  });

  it('is deterministic, and an entry once written never changes', () => {
    const entry = accessRegisterReadModel.apply(NO_DOC, event);
    expect(accessRegisterReadModel.apply(NO_DOC, event)).toEqual(entry);
    expect(accessRegisterReadModel.apply(entry, event)).toBe(entry);
  });
});
