import { randomUUID } from 'node:crypto';
import type { FixedClock } from '../clock/clock';
import { GENESIS_HASH, verifyChain } from './envelope';
import { ChainMismatchError, StreamNotFoundError, WrongExpectedRevisionError } from './event-store.errors';
import type { EventStore, ProposedEvent, RecordedEvent } from './event-store.port';

/**
 * The contract every event-store adapter passes. Each test uses fresh stream names, so the suite
 * can run against a shared server.
 */
export function describeEventStoreContract(
  name: string,
  makeStore: () => Promise<{ store: EventStore; clock: FixedClock; dispose: () => Promise<void> }>,
): void {
  describe(`${name} — event store contract`, () => {
    let store: EventStore;
    let clock: FixedClock;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, clock, dispose } = await makeStore());
    });
    afterEach(async () => {
      await dispose();
    });

    const streamName = () => `contract-${randomUUID()}`;
    const proposed = (
      type: string,
      data: Record<string, string | number> = {},
      eventId = randomUUID(),
    ): ProposedEvent => ({
      eventId,
      type,
      data,
      metadata: {
        actor: { id: 'u-archivist', roles: ['archivist'], unit: 'ARCHIVE' },
        reason: '归档',
        occurredAt: '2026-01-01T00:00:00.000Z',
        correlationId: randomUUID(),
        causationId: randomUUID(),
        schemaVersion: 1,
      },
    });

    describe('appending', () => {
      it('starts a new stream at revision 0 and answers with its global position', async () => {
        const stream = streamName();
        const result = await store.append(stream, [proposed('ArchiveFiled', { title: '客户合同档案' })], {
          expectedRevision: 'no_stream',
        });
        expect(result.nextRevision).toBe(0);
        const [event] = await store.readStream(stream);
        expect(event.position).toBe(result.position);
        expect(event.data).toEqual({ title: '客户合同档案' });
      });

      it('refuses "no stream" when the stream exists, naming the actual revision', async () => {
        const stream = streamName();
        await store.append(stream, [proposed('A')], { expectedRevision: 'no_stream' });
        const refusal = store.append(stream, [proposed('B')], { expectedRevision: 'no_stream' });
        await expect(refusal).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(refusal).rejects.toMatchObject({ actual: 0 });
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('refuses "stream exists" for a missing stream and a stale exact revision', async () => {
        const stream = streamName();
        await expect(
          store.append(stream, [proposed('A')], { expectedRevision: 'stream_exists' }),
        ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await store.append(stream, [proposed('A'), proposed('B')], { expectedRevision: 'no_stream' });
        await expect(store.append(stream, [proposed('C')], { expectedRevision: 0 })).rejects.toMatchObject({
          expected: 0,
          actual: 1,
        });
        const appended = await store.append(stream, [proposed('C')], { expectedRevision: 1 });
        expect(appended.nextRevision).toBe(2);
        const any = await store.append(stream, [proposed('D')], { expectedRevision: 'any' });
        expect(any.nextRevision).toBe(3);
      });

      it('lets exactly one of two racing appends at the same revision win', async () => {
        const stream = streamName();
        await store.append(stream, [proposed('Filed')], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled([
          store.append(stream, [proposed('Borrowed', { borrower: 'a' })], { expectedRevision: 0 }),
          store.append(stream, [proposed('Borrowed', { borrower: 'b' })], { expectedRevision: 0 }),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(rejected).toHaveLength(1);
        expect(rejected[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('lets exactly one of many racing stream creations win', async () => {
        const stream = streamName();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) =>
            store.append(stream, [proposed('ArchiveFiled', { i })], { expectedRevision: 'no_stream' }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('treats a retry with the same event ids as a no-op with the same result', async () => {
        const stream = streamName();
        await store.append(stream, [proposed('A')], { expectedRevision: 'no_stream' });
        const events = [proposed('B'), proposed('C')];
        const first = await store.append(stream, events, { expectedRevision: 0 });
        const retry = await store.append(stream, events, { expectedRevision: 0 });
        expect(first.replayed).toBe(false);
        expect(retry).toEqual({ ...first, replayed: true });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('refuses an append whose chain does not follow the stream head', async () => {
        const stream = streamName();
        await store.append(stream, [proposed('A')], { expectedRevision: 'no_stream' });
        const [head] = await store.readStream(stream);
        await expect(
          store.append(stream, [proposed('B')], { expectedRevision: 'any', expectedHeadHash: GENESIS_HASH }),
        ).rejects.toBeInstanceOf(ChainMismatchError);
        expect(await store.readStream(stream)).toHaveLength(1);
        const ok = await store.append(stream, [proposed('B')], {
          expectedRevision: 0,
          expectedHeadHash: head.hash,
        });
        expect(ok.nextRevision).toBe(1);
      });
    });

    describe('the envelope', () => {
      it('seals every event: recordedAt from the store clock, prevHash linking to the previous hash, verifiable bytes', async () => {
        const stream = streamName();
        clock.set(new Date('2026-03-03T08:00:00.000Z'));
        await store.append(stream, [proposed('A'), proposed('B')], { expectedRevision: 'no_stream' });
        clock.set(new Date('2026-03-04T08:00:00.000Z'));
        await store.append(stream, [proposed('C')], { expectedRevision: 1 });
        const events = await store.readStream(stream);
        expect(events.map((e) => e.metadata.recordedAt)).toEqual([
          '2026-03-03T08:00:00.000Z',
          '2026-03-03T08:00:00.000Z',
          '2026-03-04T08:00:00.000Z',
        ]);
        expect(events[0].metadata.prevHash).toBe(GENESIS_HASH);
        expect(events[1].metadata.prevHash).toBe(events[0].hash);
        expect(events[2].metadata.prevHash).toBe(events[1].hash);
        expect(events[0].metadata.actor).toEqual({
          id: 'u-archivist',
          roles: ['archivist'],
          unit: 'ARCHIVE',
        });
        expect(verifyChain(stream, events)).toBeUndefined();
      });

      it('reports the first event whose bytes do not match its hash', async () => {
        const stream = streamName();
        await store.append(stream, [proposed('A'), proposed('B'), proposed('C')], {
          expectedRevision: 'no_stream',
        });
        const events = await store.readStream(stream);
        const bytes = Buffer.from(events[1].canonical);
        bytes[bytes.indexOf('"B"')] = 'X'.charCodeAt(0);
        const tampered: RecordedEvent[] = [events[0], { ...events[1], canonical: bytes }, events[2]];
        expect(verifyChain(stream, tampered)).toMatchObject({ stream, revision: 1 });
      });
    });

    describe('reading a stream', () => {
      it('reads forwards and backwards from a revision with a limit', async () => {
        const stream = streamName();
        await store.append(
          stream,
          ['E0', 'E1', 'E2', 'E3', 'E4'].map((t) => proposed(t)),
          { expectedRevision: 'no_stream' },
        );
        const types = (events: RecordedEvent[]) => events.map((e) => e.type);
        expect(types(await store.readStream(stream))).toEqual(['E0', 'E1', 'E2', 'E3', 'E4']);
        expect(types(await store.readStream(stream, { fromRevision: 2, limit: 2 }))).toEqual(['E2', 'E3']);
        expect(types(await store.readStream(stream, { direction: 'backwards', limit: 2 }))).toEqual([
          'E4',
          'E3',
        ]);
        expect(types(await store.readStream(stream, { direction: 'backwards', fromRevision: 1 }))).toEqual([
          'E1',
          'E0',
        ]);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      });

      it('throws a typed error for a missing stream', async () => {
        await expect(store.readStream(streamName())).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    describe('the global order', () => {
      it('reads everything after a position in batches, strictly increasing, with nothing missed', async () => {
        const start = await store.headPosition();
        const streams = [streamName(), streamName(), streamName()];
        const written: string[] = [];
        for (let round = 0; round < 4; round++) {
          for (const stream of streams) {
            const event = proposed(`R${round}`);
            written.push(event.eventId);
            await store.append(stream, [event], { expectedRevision: 'any' });
          }
        }
        const seen: RecordedEvent[] = [];
        let after = start;
        for (;;) {
          const batch = await store.readAll({ after, limit: 5 });
          if (batch.length === 0) break;
          expect(batch.length).toBeLessThanOrEqual(5);
          seen.push(...batch);
          after = batch[batch.length - 1].position;
        }
        const ours = seen.filter((e) => streams.includes(e.stream));
        expect(ours.map((e) => e.eventId)).toEqual(written);
        for (let i = 1; i < seen.length; i++) {
          expect(store.comparePositions(seen[i - 1].position, seen[i].position)).toBeLessThan(0);
        }
      });

      it('a subscription catches up from a checkpoint, then delivers live appends', async () => {
        const stream = streamName();
        const before = await store.headPosition();
        await store.append(stream, [proposed('Old1'), proposed('Old2')], { expectedRevision: 'no_stream' });
        const controller = new AbortController();
        const received: string[] = [];
        const consumer = (async () => {
          for await (const event of store.subscribeToAll({ after: before, signal: controller.signal })) {
            if (event.stream !== stream) continue;
            received.push(event.type);
            if (received.length === 4) controller.abort();
          }
        })();
        await waitFor(() => received.length >= 2);
        expect(received).toEqual(['Old1', 'Old2']);
        await store.append(stream, [proposed('Live1')], { expectedRevision: 1 });
        await store.append(stream, [proposed('Live2')], { expectedRevision: 2 });
        await consumer;
        expect(received).toEqual(['Old1', 'Old2', 'Live1', 'Live2']);
      });
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
