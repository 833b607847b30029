import type { Clock } from '../../src/clock/clock';
import type { ProposedEvent } from '../../src/event-store/event-store.port';

/**
 * The i-th event of a store-level test: type `Tested`, a deterministic event id, recorded by an
 * archivist at the clock's time; `data` is `{ i }` unless given.
 */
export function testedEvent(i: number, clock: Clock, data: ProposedEvent['data'] = { i }): ProposedEvent {
  return {
    eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: 'Tested',
    data,
    metadata: {
      actor: { id: 'tester', roles: ['archivist'], unit: 'ARCHIVE' },
      occurredAt: clock.now().toISOString(),
      correlationId: 'c',
      causationId: 'c',
      schemaVersion: 1,
    },
  };
}
