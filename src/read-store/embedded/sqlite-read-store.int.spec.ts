import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { FixedClock } from '../../clock/clock';
import { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import type { ProposedEvent } from '../../event-store/event-store.port';
import { describeReadStoreContract } from '../read-store.contract';
import type { CollectionDefinition, ReadDoc } from '../read-store.port';
import { documentTokens, searchableText, textValues } from '../text-search';
import { SqliteReadStore } from './sqlite-read-store';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-read-store-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const clock = () => new FixedClock(new Date('2026-01-01T00:00:00Z'));

describeReadStoreContract('embedded SQLite adapter', async () => {
  const events = SqliteEventStore.open({ dataDir: tempDir(), clock: clock() });
  const store = SqliteReadStore.open(events);
  return {
    store,
    dispose: async () => {
      await store.close();
      await events.close();
    },
  };
});

const event = (type: string, data: Record<string, string> = {}): ProposedEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: {
    actor: { id: 'u-archivist', roles: ['archivist'], unit: 'ARCHIVE' },
    occurredAt: '2026-01-01T00:00:00.000Z',
    correlationId: randomUUID(),
    causationId: randomUUID(),
    schemaVersion: 1,
  },
});

const CATALOGUE: CollectionDefinition = {
  name: 'catalogue',
  indexes: [['status'], ['fonds', 'filedAt']],
  text: ['title', 'keywords'],
};

describe('embedded SQLite read store — specifics', () => {
  let dataDir: string;
  let events: SqliteEventStore;
  let store: SqliteReadStore;

  beforeEach(async () => {
    dataDir = tempDir();
    events = SqliteEventStore.open({ dataDir, clock: clock() });
    store = SqliteReadStore.open(events);
    await store.ensureCollections([CATALOGUE]);
  });
  afterEach(async () => {
    await store.close();
    await events.close();
  });

  const tables = () =>
    (
      events.connection
        .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
        .all() as {
        name: string;
      }[]
    ).map((row) => row.name);

  it('keeps the read models in the same file as the events, surviving a reopen', async () => {
    await events.append('record-1', [event('ArchiveFiled', { title: '客户合同档案' })], {
      expectedRevision: 'no_stream',
    });
    await store.commit(
      'catalogue',
      {
        upserts: [{ collection: 'catalogue', doc: { id: 'r-1', title: '客户合同档案', status: 'FILED' } }],
        deletes: [],
      },
      '1',
    );
    expect(tables()).toEqual(
      expect.arrayContaining([
        'events',
        'rm_catalogue',
        'rm_catalogue__tokens',
        'rm_checkpoints',
        'rm_collections',
      ]),
    );
    const [main] = events.connection.pragma('database_list') as { name: string; file: string }[];
    expect(main.file).toBe(events.file);

    await store.close();
    await events.close();
    events = SqliteEventStore.open({ dataDir, clock: clock() });
    store = SqliteReadStore.open(events);
    // No ensureCollections after the reopen: the definition is read back from the file.
    expect(await store.get('catalogue', 'r-1')).toEqual({
      id: 'r-1',
      title: '客户合同档案',
      status: 'FILED',
    });
    expect(await store.checkpoint('catalogue')).toBe('1');
    expect((await store.find('catalogue', { text: '合同', limit: 10 })).items).toHaveLength(1);
    expect(await events.headPosition()).toBe('1');
  });

  it('commits read models while event appends are in flight: no nesting, no interleaving, all succeed', async () => {
    const work: Promise<unknown>[] = [];
    for (let round = 0; round < 20; round += 1) {
      for (let i = 0; i < 5; i += 1) {
        work.push(
          events.append(`record-${round}-${i}`, [event('ArchiveFiled')], { expectedRevision: 'no_stream' }),
        );
      }
      work.push(
        store.commit(
          'catalogue',
          {
            upserts: [
              {
                collection: 'catalogue',
                doc: { id: `r-${round}`, title: `第${round}号档案`, status: 'FILED' },
              },
            ],
            deletes: [],
          },
          String(round),
        ),
      );
      if (round % 5 === 4) await new Promise((resolve) => setImmediate(resolve));
    }
    const outcomes = await Promise.allSettled(work);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(await events.headPosition()).toBe('100');
    expect(await store.count('catalogue', {})).toBe(20);
    expect(await store.checkpoint('catalogue')).toBe('19');
    expect(events.connection.inTransaction).toBe(false);
  });

  it('refuses to write inside a transaction someone else left open, instead of becoming its savepoint', async () => {
    events.connection.exec('BEGIN');
    try {
      await expect(
        store.commit(
          'catalogue',
          { upserts: [{ collection: 'catalogue', doc: { id: 'r-1' } }], deletes: [] },
          '1',
        ),
      ).rejects.toThrow(/another open transaction/);
    } finally {
      events.connection.exec('ROLLBACK');
    }
    expect(await store.get('catalogue', 'r-1')).toBeUndefined();
  });

  it('keeps exactly the tokens of the current text: no stale rows after updates and deletes', async () => {
    const tokenRows = () =>
      (events.connection.prepare('SELECT count(*) AS n FROM rm_catalogue__tokens').get() as { n: number }).n;
    const doc = (id: string, title: string, keywords: string[]): ReadDoc => ({
      id,
      title,
      keywords,
      status: 'FILED',
    });
    const expectedTokens = (...docs: ReadDoc[]) =>
      docs.reduce(
        (sum, d) => sum + documentTokens([searchableText(textValues(d, ['title', 'keywords']))]).length,
        0,
      );
    const a1 = doc('a', '客户合同档案', ['合同']);
    const b1 = doc('b', 'Project AB-7', ['技术']);
    await store.commit(
      'catalogue',
      {
        upserts: [
          { collection: 'catalogue', doc: a1 },
          { collection: 'catalogue', doc: b1 },
        ],
        deletes: [],
      },
      '1',
    );
    expect(tokenRows()).toBe(expectedTokens(a1, b1));
    const a2 = doc('a', '合作协议档案', ['协议']);
    await store.commit('catalogue', { upserts: [{ collection: 'catalogue', doc: a2 }], deletes: [] }, '2');
    expect(tokenRows()).toBe(expectedTokens(a2, b1));
    await store.commit('catalogue', { upserts: [], deletes: [{ collection: 'catalogue', id: 'b' }] }, '3');
    expect(tokenRows()).toBe(expectedTokens(a2));
    await store.reset('catalogue', ['catalogue']);
    expect(tokenRows()).toBe(0);
  });

  it('creates an expression index per declared index, drops undeclared ones, and re-indexes changed text fields', async () => {
    const indexes = () =>
      (
        events.connection
          .prepare(
            `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'rm_catalogue' AND sql IS NOT NULL`,
          )
          .all() as { name: string; sql: string }[]
      ).map((row) => row.sql);
    expect(indexes()).toHaveLength(2);
    expect(indexes().join('\n')).toContain(
      `json_extract(doc, '$.fonds'), json_extract(doc, '$.filedAt'), id`,
    );

    await store.commit(
      'catalogue',
      {
        upserts: [{ collection: 'catalogue', doc: { id: 'r-1', title: '会议纪要', note: '客户合同' } }],
        deletes: [],
      },
      '1',
    );
    expect((await store.find('catalogue', { text: '合同', limit: 10 })).items).toHaveLength(0);
    await store.ensureCollections([{ name: 'catalogue', indexes: [['status']], text: ['title', 'note'] }]);
    expect(indexes()).toHaveLength(1);
    expect((await store.find('catalogue', { text: '合同', limit: 10 })).items.map((d) => d.id)).toEqual([
      'r-1',
    ]);
  });

  it('binds values, never splices them: a hostile value is just a value', async () => {
    await events.append('record-1', [event('ArchiveFiled')], { expectedRevision: 'no_stream' });
    const hostile = `x'); DROP TABLE events; --`;
    await store.commit(
      'catalogue',
      {
        upserts: [{ collection: 'catalogue', doc: { id: hostile, title: hostile, status: hostile } }],
        deletes: [],
      },
      '1',
    );
    expect(await store.idsWhere('catalogue', { status: hostile })).toEqual([hostile]);
    expect(await store.count('catalogue', { text: `drop table events;` })).toBe(1);
    expect(tables()).toContain('events');
    expect(await events.readAll({ limit: 10 })).toHaveLength(1);
  });

  it('reads many ids at once', async () => {
    const docs = Array.from({ length: 2500 }, (_, i) => ({
      id: `r-${i}`,
      title: `档案${i}`,
      status: 'FILED',
    }));
    await store.commit(
      'catalogue',
      { upserts: docs.map((doc) => ({ collection: 'catalogue', doc })), deletes: [] },
      '1',
    );
    const found = await store.getMany('catalogue', docs.map((doc) => doc.id).concat(['missing']));
    expect(found).toHaveLength(2500);
    expect(found[1234]).toEqual(docs[1234]);
  });
});
