import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openStoreReadOnly, verifyAll } from '../audit/verify-all/verify-all';
import { FixedClock } from '../clock/clock';
import { SqliteEventStore } from './embedded/sqlite-event-store';
import { recordedFromCanonical, sealEvent, verifyChain } from './envelope';
import type { EventStore, ProposedEvent, ReadStreamOptions, RecordedEvent } from './event-store.port';
import {
  configureVerifiedStreamCache,
  readVerifiedStream,
  VerifiedStreamCache,
  verifiedStreamCacheOf,
} from './read-verified-stream';

/**
 * The verified-prefix cache of readVerifiedStream: a stream read before is not verified again,
 * only what was appended since; the cache trusts the store's immutability triggers, and anything
 * that changes them (the only way to rewrite stored events through SQL) makes it verify everything
 * again. The full checks (GET /audit/verify: the chain of store.readStream; verify-all) never use it.
 */
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const clock = new FixedClock(new Date('2026-01-01T00:00:00Z'));
const STREAM = 'record-Z001-WS-2024-D30-BGS-0001';

function open(): { store: SqliteEventStore; dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-cache-'));
  tempDirs.push(dataDir);
  return { store: SqliteEventStore.open({ dataDir, clock }), dataDir };
}

const event = (note: string): ProposedEvent => ({
  eventId: randomUUID(),
  type: 'Noted',
  data: { note, tags: ['档案', note] },
  metadata: {
    actor: { id: 'u1', roles: ['archivist'], unit: 'ARCHIVE' },
    occurredAt: '2026-01-01T00:00:00.000Z',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    schemaVersion: 1,
  },
});

async function appendNotes(store: EventStore, stream: string, notes: string[]): Promise<void> {
  for (const note of notes) {
    await store.append(stream, [event(note)], { expectedRevision: 'any' });
  }
}

/** Change one stored event's bytes in place, as someone with write access to the file would (triggers dropped). */
function tamper(store: SqliteEventStore, stream: string, revision: number, from: string, to: string): void {
  store.connection.exec('DROP TRIGGER IF EXISTS events_are_never_updated');
  store.connection
    .prepare(
      'UPDATE events SET canonical = CAST(replace(CAST(canonical AS TEXT), ?, ?) AS BLOB) WHERE stream = ? AND revision = ?',
    )
    .run(from, to, stream, revision);
}

describe('readVerifiedStream with the verified-prefix cache (embedded store)', () => {
  it('reads and verifies only the events appended since the last read, and returns the rest as kept', async () => {
    const { store } = open();
    const cache = configureVerifiedStreamCache(store, { minStreamEvents: 1 }) as VerifiedStreamCache;
    await appendNotes(store, STREAM, ['a', 'b', 'c']);
    const first = await readVerifiedStream(store, STREAM);
    expect(first.map((e) => e.data.note)).toEqual(['a', 'b', 'c']);
    expect(cache.size).toEqual({ streams: 1, events: 3 });

    await appendNotes(store, STREAM, ['d']);
    const reads: Array<ReadStreamOptions | undefined> = [];
    const readStream = store.readStream.bind(store);
    jest.spyOn(store, 'readStream').mockImplementation((stream, options) => {
      reads.push(options);
      return readStream(stream, options);
    });
    const second = await readVerifiedStream(store, STREAM);
    expect(reads).toEqual([{ fromRevision: 3 }]);
    expect(second.map((e) => e.data.note)).toEqual(['a', 'b', 'c', 'd']);
    expect(second.slice(0, 3)).toEqual(first);
    expect(second[0]).toBe(first[0]); // the same verified object, not read again
    expect(cache.size).toEqual({ streams: 1, events: 4 });
    // What the cache answers is what a full read and verification gives.
    const full = await readStream(STREAM);
    expect(verifyChain(STREAM, full)).toBeUndefined();
    expect(second.map((e) => e.hash)).toEqual(full.map((e) => e.hash));
    await store.close();
  });

  it('verifies a newly appended event: one that does not chain onto the verified head is a ChainIntegrityError', async () => {
    const { store } = open();
    await appendNotes(store, STREAM, ['a', 'b']);
    // A store that vouches its history never changes, but hands out a forged event after the verified prefix.
    const forged = sealEvent(STREAM, 2, '1'.repeat(64), event('forged'), '2026-01-01T00:00:00.000Z');
    let forge = false;
    const vouching: EventStore & { historyEpoch(): number } = Object.assign(
      Object.create(store) as SqliteEventStore,
      {
        historyEpoch: () => 1,
        readStream: async (stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> => {
          const stored = await store.readStream(stream, options);
          return forge ? [...stored, recordedFromCanonical(forged.canonical, forged.hash, '99')] : stored;
        },
      },
    );
    const cache = new VerifiedStreamCache({ minStreamEvents: 1 });
    expect(await readVerifiedStream(vouching, STREAM, cache)).toHaveLength(2);
    forge = true;
    await expect(readVerifiedStream(vouching, STREAM, cache)).rejects.toMatchObject({
      name: 'ChainIntegrityError',
      stream: STREAM,
      revision: 2,
    });
    expect(cache.size.streams).toBe(0); // dropped: the next read verifies the whole stream again
    await store.close();
  });

  it('an event altered after it was cached (trigger dropped) is caught by the next read, by GET /audit/verify’s check and by verify-all', async () => {
    const { store, dataDir } = open();
    const cache = configureVerifiedStreamCache(store, { minStreamEvents: 1 }) as VerifiedStreamCache;
    await appendNotes(store, STREAM, ['a', 'b', 'c']);
    await readVerifiedStream(store, STREAM);
    expect(cache.size.events).toBe(3);

    tamper(store, STREAM, 1, '"note":"b"', '"note":"B"');
    expect(store.historyEpoch()).toBeUndefined(); // without its trigger the store vouches for nothing
    await expect(readVerifiedStream(store, STREAM)).rejects.toMatchObject({
      name: 'ChainIntegrityError',
      stream: STREAM,
      revision: 1,
    });
    // GET /audit/verify checks the whole chain of store.readStream, never the cache.
    expect(verifyChain(STREAM, await store.readStream(STREAM))).toMatchObject({ revision: 1 });
    await store.close();
    const db = openStoreReadOnly(dataDir);
    try {
      expect(verifyAll(db).fault).toMatchObject({ stream: STREAM, revision: 1 });
    } finally {
      db.close();
    }
  });

  it('the trigger dropped, the event altered and the trigger put back: the schema changed, so everything is verified again', async () => {
    const { store } = open();
    configureVerifiedStreamCache(store, { minStreamEvents: 1 });
    await appendNotes(store, STREAM, ['a', 'b', 'c']);
    const epoch = store.historyEpoch();
    expect(epoch).toEqual(expect.any(Number));
    await readVerifiedStream(store, STREAM);
    tamper(store, STREAM, 0, '"note":"a"', '"note":"A"');
    store.connection.exec(
      "CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events\nBEGIN SELECT RAISE(ABORT, 'IMMUTABLE: stored events are never changed'); END;",
    );
    // The same triggers again (the store vouches anew), but under a new schema version.
    expect(store.historyEpoch()).toEqual(expect.any(Number));
    expect(store.historyEpoch()).not.toBe(epoch);
    await expect(readVerifiedStream(store, STREAM)).rejects.toMatchObject({ revision: 0 });
    await store.close();
  });

  it('a trigger replaced by one that lets updates through vouches for nothing', async () => {
    const { store } = open();
    expect(store.historyEpoch()).toEqual(expect.any(Number));
    store.connection.exec('DROP TRIGGER events_are_never_updated');
    store.connection.exec(
      'CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events WHEN 0 BEGIN SELECT 1; END;',
    );
    expect(store.historyEpoch()).toBeUndefined();
    await appendNotes(store, STREAM, ['a']);
    const cache = configureVerifiedStreamCache(store, { minStreamEvents: 1 }) as VerifiedStreamCache;
    await readVerifiedStream(store, STREAM);
    expect(cache.size.streams).toBe(0);
    await store.close();
  });

  it('hands out frozen events: a caller cannot change what later reads get', async () => {
    const { store } = open();
    configureVerifiedStreamCache(store, { minStreamEvents: 1 });
    await appendNotes(store, STREAM, ['a']);
    const [first] = await readVerifiedStream(store, STREAM);
    expect(() => {
      (first.data as { note: string }).note = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      (first.metadata.actor.roles as string[]).push('auditor');
    }).toThrow(TypeError);
    const again = await readVerifiedStream(store, STREAM);
    again.push(again[0]); // the array is the caller's own
    expect((await readVerifiedStream(store, STREAM)).map((e) => e.data.note)).toEqual(['a']);
    await store.close();
  });

  it('keeps only streams of at least minStreamEvents, and at most maxEvents, dropping the least recently read', async () => {
    const { store } = open();
    const cache = configureVerifiedStreamCache(store, {
      minStreamEvents: 2,
      maxEvents: 5,
    }) as VerifiedStreamCache;
    await appendNotes(store, 's-short', ['a']);
    await appendNotes(store, 's-1', ['a', 'b']);
    await appendNotes(store, 's-2', ['a', 'b']);
    await appendNotes(store, 's-3', ['a', 'b']);
    await readVerifiedStream(store, 's-short');
    expect(cache.size).toEqual({ streams: 0, events: 0 });
    await readVerifiedStream(store, 's-1');
    await readVerifiedStream(store, 's-2');
    await readVerifiedStream(store, 's-1'); // s-2 is now the least recently read
    await readVerifiedStream(store, 's-3');
    expect(cache.size).toEqual({ streams: 2, events: 4 });
    expect(cache.get('s-2', store.historyEpoch() as number)).toBeUndefined();
    expect(cache.get('s-1', store.historyEpoch() as number)).toBeDefined();
    await store.close();
  });

  it('a stream that does not exist is empty and is not kept', async () => {
    const { store } = open();
    const cache = configureVerifiedStreamCache(store, { minStreamEvents: 1 }) as VerifiedStreamCache;
    expect(await readVerifiedStream(store, 'nothing-here')).toEqual([]);
    expect(cache.size.streams).toBe(0);
    await store.close();
  });

  it('is used only for a store that vouches for its history', () => {
    const { store } = open();
    expect(verifiedStreamCacheOf(store)).toBeInstanceOf(VerifiedStreamCache);
    const plain = { readStream: store.readStream.bind(store) } as unknown as EventStore;
    expect(verifiedStreamCacheOf(plain)).toBeUndefined();
    return store.close();
  });
});
