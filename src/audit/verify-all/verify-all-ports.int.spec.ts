import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import { FixedClock } from '../../clock/clock';
import { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import { sealEvent, type HashedDocument } from '../../event-store/envelope';
import type { EventStore, ProposedEvent } from '../../event-store/event-store.port';
import { formatVerifierKey, generateSigner } from '../signed-note';
import type { SealStore, StoredCheckpoint } from '../sealer/seal-store.port';
import { MemorySealStore, SparsePositionEventStore, sparsePosition } from '../sealer/seal-store.spec-helper';
import { Sealer } from '../sealer/sealer';
import { SqliteSealStore } from '../sealer/sqlite-seal-store';
import { verifyAllThroughPorts } from './verify-all-ports';
import { testedEvent } from '../../../test/support/tested-event';

/**
 * `audit verify-all` through the EventStore and SealStore ports — the path STORE=eventstoredb takes —
 * run here on the embedded store, twice: with its own SQLite seal store (positions are counts), and
 * seen through EventStoreDB-like positions (commit/prepare pairs with gaps, beyond 2^53) with a seal
 * store that records each leaf's position as the MongoDB adapter does. The same tamper cases as
 * test/audit/tamper.int.spec.ts, where the port can express them, each detected and pinpointed.
 * Neither EventStoreDB nor MongoDB is involved: see the last suite, which needs both.
 */
const clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));
const ORIGIN = 'test.local/log';
const signer = generateSigner(ORIGIN);
const verifierKey = formatVerifierKey(ORIGIN, signer.publicKey);
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const proposed = (i: number, reason = `第${i}件`): ProposedEvent => testedEvent(i, clock, { i, reason });

interface Row {
  global_position: number;
  stream: string;
  revision: number;
  hash: string;
  prev_hash: string;
  canonical: Buffer;
}

interface Fixture {
  inner: SqliteEventStore;
  events: EventStore;
  seals: SealStore;
  db: Database.Database;
  /** The position as the port reports it, of the embedded store's n-th event. */
  pos: (n: number) => string;
  rows: (stream: string) => Row[];
  close: () => void;
}

const variants: [string, (inner: SqliteEventStore) => Pick<Fixture, 'events' | 'seals' | 'pos'>][] = [
  [
    'embedded store and its SQLite seal store (positions are counts)',
    (inner) => ({ events: inner, seals: SqliteSealStore.open(inner), pos: (n) => String(n) }),
  ],
  [
    'positions that are not counts (EventStoreDB-like) and a seal store recording leaf positions (as MongoDB)',
    (inner) => {
      const events = new SparsePositionEventStore(inner);
      return { events, seals: new MemorySealStore(), pos: (n) => sparsePosition(n) };
    },
  ],
];

/** 12 events over three streams, sealed, with checkpoints at 4, 8 and 12 leaves. */
async function sealedStore(variant: (typeof variants)[number][1]): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-verify-ports-'));
  dirs.push(dir);
  const inner = SqliteEventStore.open({ dataDir: dir, clock });
  const { events, seals, pos } = variant(inner);
  for (let i = 0; i < 12; i++) await events.append(`s-${i % 3}`, [proposed(i)], { expectedRevision: 'any' });
  const sealer = new Sealer(events, seals, signer, clock, { origin: ORIGIN, batchSize: 4, everyEvents: 4 });
  await sealer.init();
  await sealer.catchUp();
  await sealer.checkpoint();
  const db = inner.connection;
  for (const trigger of [
    'events_are_never_updated',
    'events_are_never_deleted',
    'events_follow_stream_head',
    'seal_nodes_are_never_updated',
    'seal_nodes_are_never_deleted',
    'seal_checkpoints_are_never_updated',
    'seal_checkpoints_are_never_deleted',
  ]) {
    db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
  }
  return {
    inner,
    events,
    seals,
    db,
    pos,
    rows: (s) => db.prepare<[string], Row>('SELECT * FROM events WHERE stream = ? ORDER BY revision').all(s),
    close: () => void inner.close(),
  };
}

const verify = (f: Fixture, pinned = true) =>
  verifyAllThroughPorts(f.events, f.seals, {
    description: 'test store',
    batchSize: 5,
    ...(pinned ? { pinnedKeys: [verifierKey] } : {}),
  });

describe.each(variants)('verify-all through the ports: %s', (_name, variant) => {
  let f: Fixture;
  beforeEach(async () => {
    f = await sealedStore(variant);
  });
  afterEach(() => f.close());

  it('verifies the untouched store: 12 events in 3 streams, the tree against every checkpoint, pinned key', async () => {
    const progress: number[] = [];
    const report = await verifyAllThroughPorts(f.events, f.seals, {
      description: 'test store',
      batchSize: 5,
      pinnedKeys: [verifierKey],
      onEvents: (read) => progress.push(read),
    });
    expect(report.fault).toBeNull();
    expect(report).toMatchObject({
      verified: true,
      events: 12,
      streams: 3,
      storedTreeSize: 12,
      checkpointsVerified: 3,
      headPosition: f.pos(12),
      unsealedEvents: 0,
      keys: { source: 'pinned' },
      latestCheckpoint: { treeSize: 12 },
    });
    expect(progress).toEqual([5, 10, 12]);
  });

  it('without --key uses the keys on record (the first checkpoint’s) and says so', async () => {
    const report = await verify(f, false);
    expect(report).toMatchObject({ verified: true, keys: { source: 'store' } });
  });

  it('events after the latest checkpoint are chained but reported as unsealed, not a fault', async () => {
    await f.events.append('s-0', [proposed(99)], { expectedRevision: 'any' });
    const report = await verify(f);
    expect(report).toMatchObject({ verified: true, events: 13, unsealedEvents: 1 });
  });

  it('one byte of one event changed: its stream and revision, stored bytes vs stored hash', async () => {
    const [, second] = f.rows('s-1');
    const bytes = Buffer.from(second.canonical);
    const at = bytes.indexOf('第');
    bytes[at + 1] ^= 0x01; // still UTF-8 JSON: one character of the reason changed
    f.db
      .prepare('UPDATE events SET canonical = ? WHERE global_position = ?')
      .run(bytes, second.global_position);
    const report = await verify(f);
    expect(report.fault).toMatchObject({
      stream: 's-1',
      revision: 1,
      position: f.pos(second.global_position),
    });
    expect(report.fault?.problem).toMatch(/^stored bytes do not match the stored hash/);
  });

  it('one byte changed so the bytes are no longer JSON: the position is named (the port cannot name its stream)', async () => {
    const [, second] = f.rows('s-1');
    const bytes = Buffer.from(second.canonical);
    bytes[0] = 0x7a;
    f.db
      .prepare('UPDATE events SET canonical = ? WHERE global_position = ?')
      .run(bytes, second.global_position);
    const report = await verify(f);
    expect(report.verified).toBe(false);
    expect(report.fault?.position).toBe(String(second.global_position));
    expect(report.fault?.problem).toMatch(/stored bytes cannot be read as an event/);
  });

  it('an event deleted: the missing position, and the stream and revision it leaves out', async () => {
    const [, second] = f.rows('s-1'); // position 5
    f.db.prepare('DELETE FROM events WHERE global_position = ?').run(second.global_position);
    const report = await verify(f);
    expect(report.fault).toMatchObject({
      stream: 's-1',
      revision: 1,
      position: f.pos(second.global_position),
    });
    expect(report.fault?.problem).toMatch(
      new RegExp(
        `^event deleted: position ${f.pos(second.global_position)} \\(leaf ${second.global_position - 1}\\) is missing from the global order .* and s-1 has no revision 1`,
      ),
    );
  });

  it('the last event of a stream deleted (not the tail): still the missing position', async () => {
    const rows = f.rows('s-0');
    const last = rows[rows.length - 1]; // position 10; 11 and 12 follow in other streams
    f.db.prepare('DELETE FROM events WHERE global_position = ?').run(last.global_position);
    const report = await verify(f);
    expect(report.fault?.position).toBe(f.pos(last.global_position));
    expect(report.fault?.problem).toMatch(/^event deleted: .* the deleted event was the last of its stream/);
  });

  it('two events of one stream reordered: the stream and the revision out of order', async () => {
    const [, second, third] = f.rows('s-2');
    const swap = f.db.prepare('UPDATE events SET global_position = ? WHERE global_position = ?');
    swap.run(-1, second.global_position);
    swap.run(second.global_position, third.global_position);
    swap.run(third.global_position, -1);
    const report = await verify(f);
    expect(report.fault).toMatchObject({ stream: 's-2', revision: 1 });
    expect(report.fault?.problem).toMatch(
      /^expected revision 1, found revision 2 \(missing or reordered event\)/,
    );
  });

  it('two events of different streams reordered: the chains hold, the signed tree names the moved event', async () => {
    const [a] = f.rows('s-1'); // position 2
    const [b] = f.rows('s-2'); // position 3
    const swap = f.db.prepare('UPDATE events SET global_position = ? WHERE global_position = ?');
    swap.run(-1, a.global_position);
    swap.run(a.global_position, b.global_position);
    swap.run(b.global_position, -1);
    const report = await verify(f);
    expect(report.fault).toMatchObject({ stream: 's-2', revision: 0, position: f.pos(a.global_position) });
    expect(report.fault?.problem).toMatch(
      new RegExp(
        `^the event at position ${f.pos(a.global_position)} is not the one the signed tree holds at leaf ${a.global_position - 1} .*replaced, moved or forged`,
      ),
    );
  });

  it('the tail truncated: detected against the checkpoint signed before, naming the deleted positions', async () => {
    f.db.prepare('DELETE FROM events WHERE global_position > 10').run();
    const report = await verify(f);
    expect(report.fault?.position).toBe(f.pos(11));
    expect(report.fault?.problem).toMatch(
      new RegExp(
        `^truncated: the store ends at position ${f.pos(10)} \\(s-0@3\\) after 10 events, but checkpoint #3 .* covers 12 events: positions ${f.pos(11)}–${f.pos(12)} were deleted`,
      ),
    );
  });

  it('a stream replaced wholesale by a self-consistent forged chain: the signed tree names its first forged event', async () => {
    let prevHash = '0'.repeat(64);
    let first = 0;
    for (const row of f.rows('s-1')) {
      const doc = JSON.parse(row.canonical.toString('utf8')) as HashedDocument;
      const { recordedAt, prevHash: _old, ...metadata } = doc.metadata;
      void _old;
      const forged = sealEvent(
        doc.stream,
        doc.revision,
        prevHash,
        { eventId: doc.eventId, type: doc.type, data: { ...doc.data, reason: '伪造' }, metadata },
        recordedAt,
      );
      f.db
        .prepare('UPDATE events SET canonical = ?, hash = ?, prev_hash = ? WHERE global_position = ?')
        .run(forged.canonical, forged.hash, prevHash, row.global_position);
      prevHash = forged.hash;
      first ||= row.global_position;
    }
    const report = await verify(f);
    expect(report.fault).toMatchObject({ stream: 's-1', revision: 0, position: f.pos(first) });
    expect(report.fault?.problem).toMatch(
      /is not the one the signed tree holds at leaf 1 .*replaced, moved or forged/,
    );
  });

  it('a stored checkpoint whose signed note was edited is refused, naming the checkpoint', async () => {
    if (f.seals instanceof MemorySealStore) {
      const stored = (f.seals as unknown as { checkpoints: StoredCheckpoint[] }).checkpoints;
      stored[1] = { ...stored[1], note: stored[1].note.replace('—', '-') };
    } else {
      f.db.prepare("UPDATE seal_checkpoints SET note = replace(note, '—', '-') WHERE sequence = 2").run();
    }
    const report = await verify(f);
    expect(report.fault?.problem).toMatch(/^checkpoint #2 .*: the signed note does not verify/);
  });

  it('a checkpoint signed by a key that is not the pinned one is refused', async () => {
    const report = await verifyAllThroughPorts(f.events, f.seals, {
      description: 'test store',
      pinnedKeys: [formatVerifierKey(ORIGIN, generateSigner(ORIGIN).publicKey)],
    });
    expect(report.fault?.problem).toMatch(/^checkpoint #1 .*not signed by a trusted key/);
  });
});

describe('verify-all through the ports, embedded only: an event inserted behind the sealer', () => {
  it('the event at a position the tree holds for another event is named (the leaf there is not it)', async () => {
    const f = await sealedStore(variants[0][1]);
    try {
      // Replace position 6 with a genuine-looking event of a new stream: its chain holds (revision 0).
      const genuine = sealEvent('intruder', 0, '0'.repeat(64), proposed(50), clock.now().toISOString());
      f.db.prepare('DELETE FROM events WHERE global_position = 6').run();
      f.db
        .prepare(
          'INSERT INTO events (global_position, stream, revision, event_id, type, prev_hash, hash, canonical) VALUES (6, ?, 0, ?, ?, ?, ?, ?)',
        )
        .run('intruder', proposed(50).eventId, 'Tested', '0'.repeat(64), genuine.hash, genuine.canonical);
      const report = await verify(f);
      expect(report.fault).toMatchObject({ stream: 'intruder', revision: 0, position: '6' });
      expect(report.fault?.problem).toMatch(/not the one the signed tree holds at leaf 5/);
    } finally {
      f.close();
    }
  });
});

const eventStoreUrl = process.env.EVENTSTORE_URL?.trim() || undefined;
const mongodbUrl = process.env.MONGODB_URL?.trim() || undefined;
if (eventStoreUrl === undefined || mongodbUrl === undefined) {
  console.warn(
    'skipped: no EVENTSTORE_URL and MONGODB_URL — verify-all through the ports did not run against EventStoreDB and MongoDB',
  );
  describe.skip('verify-all through the ports on EventStoreDB + MongoDB (skipped: EVENTSTORE_URL and MONGODB_URL not both set)', () => {
    it('seals a fresh log and verifies it end to end', () => undefined);
  });
} else {
  describe('verify-all through the ports on EventStoreDB + MongoDB (real servers)', () => {
    it('verifies what the sealer sealed (the servers’ whole log: other tests’ events included)', async () => {
      const { KurrentEventStore } = await import('../../event-store/eventstoredb/kurrent-event-store');
      const { MongoSealStore } = await import('../sealer/mongo-seal-store');
      const events = await KurrentEventStore.connect({ connectionString: eventStoreUrl, clock });
      // A fresh database: the sealer starts from the beginning of the server's log.
      const seals = await MongoSealStore.connect(mongodbUrl, `verify_all_${Date.now()}`);
      try {
        for (let i = 0; i < 5; i++) {
          await events.append(`verify-all-${i % 2}-${Date.now()}`, [proposed(1000 + i)], {
            expectedRevision: 'any',
          });
        }
        const sealer = new Sealer(events, seals, signer, clock, {
          origin: ORIGIN,
          batchSize: 100,
          everyEvents: 1000,
        });
        await sealer.init();
        await sealer.catchUp();
        await sealer.checkpoint();
        const report = await verifyAllThroughPorts(events, seals, { description: 'EventStoreDB + MongoDB' });
        expect(report.fault).toBeNull();
        expect(report.verified).toBe(true);
      } finally {
        await seals.database.dropDatabase().catch(() => undefined);
        await seals.close();
        await events.close();
      }
    }, 120_000);
  });
}
