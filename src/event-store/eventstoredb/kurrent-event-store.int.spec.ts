import { randomUUID } from 'node:crypto';
import { KurrentDBClient, jsonEvent } from '@kurrent/kurrentdb-client';
import { FixedClock } from '../../clock/clock';
import { hashCanonical } from '../envelope';
import { describeEventStoreContract } from '../event-store.contract';
import { InvalidPositionError } from '../event-store.errors';
import type { ProposedEvent } from '../event-store.port';
import { KurrentEventStore, decodePosition, encodePosition, withKeepAlive } from './kurrent-event-store';

/**
 * The EventStoreDB / KurrentDB adapter runs the shared contract suite against a real server when
 * EVENTSTORE_URL is set (e.g. `kurrentdb://localhost:2113?tls=false`). Without it the suite is
 * skipped, loudly: the adapter is then NOT tested against a server.
 */
const url = process.env.EVENTSTORE_URL?.trim() || undefined;

// Pure helpers: no server needed.
describe('KurrentEventStore position tokens and connection settings', () => {
  it('encodes positions as "commit/prepare" without losing 64-bit precision', () => {
    const position = { commit: 18446744073709551614n, prepare: 9007199254740993n };
    const token = encodePosition(position);
    expect(token).toBe('18446744073709551614/9007199254740993');
    expect(decodePosition(token)).toEqual(position);
  });

  it('refuses tokens that are not its own', () => {
    for (const token of ['42', '', '1/2/3', '-1/0', '1/x', '18446744073709551616/0']) {
      expect(() => decodePosition(token)).toThrow(InvalidPositionError);
    }
  });

  it('adds keep-alives unless the connection string sets them', () => {
    expect(withKeepAlive('kurrentdb://localhost:2113?tls=false')).toBe(
      'kurrentdb://localhost:2113?tls=false&keepAliveInterval=10000&keepAliveTimeout=10000',
    );
    expect(withKeepAlive('kurrentdb://localhost:2113/')).toBe(
      'kurrentdb://localhost:2113?keepAliveInterval=10000&keepAliveTimeout=10000',
    );
    expect(
      withKeepAlive('kurrentdb://h:2113?tls=false&KeepAliveInterval=20000&keep_alive_timeout=30000'),
    ).toBe('kurrentdb://h:2113?tls=false&KeepAliveInterval=20000&keep_alive_timeout=30000');
  });
});

if (url === undefined) {
  console.warn('skipped: no EVENTSTORE_URL — the EventStoreDB contract suite did not run');
  describe.skip('EventStoreDB adapter contract (skipped: no EVENTSTORE_URL set)', () => {
    it('runs the event store contract against a real EventStoreDB/KurrentDB server', () => undefined);
  });
} else {
  const connectionString = url;
  const makeStore = async () => {
    const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));
    const store = await KurrentEventStore.connect({ connectionString, clock });
    return { store, clock, dispose: () => store.close() };
  };

  describeEventStoreContract('EventStoreDB/KurrentDB adapter', makeStore);

  describe('EventStoreDB/KurrentDB adapter — storage format', () => {
    let store: KurrentEventStore;
    let raw: KurrentDBClient;
    beforeEach(async () => {
      ({ store } = await makeStore());
      raw = KurrentDBClient.connectionString(withKeepAlive(connectionString));
    });
    afterEach(async () => {
      await store.close();
      await raw.dispose();
    });

    const proposed = (type: string): ProposedEvent => ({
      eventId: randomUUID(),
      type,
      data: { title: '客户合同档案' },
      metadata: {
        actor: { id: 'u-archivist', roles: ['archivist'], unit: 'ARCHIVE' },
        occurredAt: '2026-01-01T00:00:00.000Z',
        correlationId: randomUUID(),
        causationId: randomUUID(),
        schemaVersion: 1,
      },
    });

    it('stores a binary event holding the exact canonical bytes, with the hash in its metadata', async () => {
      const stream = `format-${randomUUID()}`;
      const event = proposed('ArchiveFiled');
      const result = await store.append(stream, [event], { expectedRevision: 'no_stream' });
      expect(result.position).toMatch(/^\d+\/\d+$/);
      const [read] = await store.readStream(stream);
      const stored = [];
      for await (const resolved of raw.readStream(stream)) stored.push(resolved.event);
      expect(stored).toHaveLength(1);
      const [recorded] = stored;
      expect(recorded?.id).toBe(event.eventId);
      expect(recorded?.type).toBe('ArchiveFiled');
      expect(recorded?.isJson).toBe(false);
      expect(Buffer.from(recorded?.data as Uint8Array).equals(Buffer.from(read.canonical))).toBe(true);
      expect(recorded?.metadata).toEqual({ hash: read.hash, envelope: 1 });
      expect(hashCanonical(read.canonical)).toBe(read.hash);
    });

    it('recognises a retry after later appends as a no-op', async () => {
      const stream = `retry-${randomUUID()}`;
      const events = [proposed('A'), proposed('B')];
      const first = await store.append(stream, events, { expectedRevision: 'no_stream' });
      await store.append(stream, [proposed('C')], { expectedRevision: 1 });
      expect(await store.append(stream, events, { expectedRevision: 'no_stream' })).toEqual(first);
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('leaves out events it did not write from the global order', async () => {
      const before = await store.headPosition();
      const foreign = `foreign-${randomUUID()}`;
      const ours = `ours-${randomUUID()}`;
      await raw.appendToStream(foreign, jsonEvent({ type: 'SomethingElse', data: { x: 1 } }));
      await store.append(ours, [proposed('A')], { expectedRevision: 'no_stream' });
      const batch = await store.readAll({ after: before, limit: 1000 });
      expect(batch.some((e) => e.stream === foreign)).toBe(false);
      expect(batch.some((e) => e.stream === ours)).toBe(true);
      const head = (await store.headPosition()) as string;
      expect(store.comparePositions(head, batch[batch.length - 1].position)).toBeGreaterThanOrEqual(0);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
