import type { AppendResult, EventStore } from '../event-store/event-store.port';

/** Append one event at the head of `stream` (creating it), as an archivist, for the projector's tests. */
export async function appendTestEvent(
  store: EventStore,
  stream: string,
  type: string,
  data: Record<string, string>,
): Promise<AppendResult> {
  const head = await store.readStream(stream).then(
    (events) => events.length - 1,
    () => -1,
  );
  return store.append(
    stream,
    [
      {
        eventId: crypto.randomUUID(),
        type,
        data,
        metadata: {
          actor: { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE' },
          occurredAt: '2026-03-01T09:00:00.000Z',
          correlationId: 'c',
          causationId: 'c',
          schemaVersion: 1,
        },
      },
    ],
    { expectedRevision: head < 0 ? 'no_stream' : head },
  );
}
