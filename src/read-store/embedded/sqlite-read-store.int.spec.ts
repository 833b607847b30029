import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { FixedClock } from '../../clock/clock';
import { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import type { ProposedEvent } from '../../event-store/event-store.port';
import { describeReadStoreContract } from '../read-store.contract';
import type { CollectionDefinition, ReadDoc } from '../read-store.port';
import { PathKinds } from './document-shape';
import { ftsQuery } from './fts-tokens';
import { prepareWrite } from './prepared-write';
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

  it('rebuilds under bulk load: indexes dropped while it runs, built again at the end, the connection’s settings restored, even when it fails', async () => {
    const indexes = () =>
      (
        events.connection
          .prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'rm_catalogue__ix_%'`)
          .all() as { name: string }[]
      ).length;
    const declared = indexes();
    expect(declared).toBe(CATALOGUE.indexes.length);
    // The connection's settings, which a bulk load changes while it runs and at its end.
    const settings = () =>
      ['synchronous', 'wal_autocheckpoint', 'cache_size', 'mmap_size', 'threads'].map((name) =>
        events.connection.pragma(name, { simple: true }),
      );
    const before = settings();
    const during = await store.withBulkLoad([CATALOGUE], async () => {
      await store.commit(
        'main',
        {
          upserts: [{ collection: 'catalogue', doc: { id: 'r-1', title: '客户合同档案', year: 2024 } }],
          deletes: [],
        },
        '1',
      );
      return { indexes: indexes(), synchronous: events.connection.pragma('synchronous', { simple: true }) };
    });
    expect(during).toEqual({ indexes: 0, synchronous: 1 });
    expect(indexes()).toBe(declared);
    expect(events.connection.pragma('synchronous', { simple: true })).toBe(2);
    expect(settings()).toEqual(before);
    expect((await store.find('catalogue', { text: '合同', limit: 10 })).items.map((d) => d.id)).toEqual([
      'r-1',
    ]);
    await expect(
      store.withBulkLoad([CATALOGUE], async () => {
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(indexes()).toBe(declared);
    expect(settings()).toEqual(before);
  });

  it('writes the n-grams once at the end of a bulk load: updated, deleted and untouched documents all searchable as they stand', async () => {
    const upsert = (doc: ReadDoc) => ({ collection: 'catalogue', doc });
    await store.commit(
      'main',
      {
        upserts: [
          upsert({ id: 'r-old', title: '会议纪要' }),
          upsert({ id: 'r-gone', title: '合同台账' }),
          upsert({ id: 'r-kept', title: '合同原件' }),
        ],
        deletes: [],
      },
      '1',
    );
    const text = async (q: string) =>
      (await store.find('catalogue', { text: q, limit: 10 })).items.map((d) => d.id).sort();
    await store.withBulkLoad([CATALOGUE], async () => {
      await store.commit(
        'main',
        {
          upserts: [
            upsert({ id: 'r-old', title: '客户合同档案' }),
            upsert({ id: 'r-new', title: '投标文件' }),
          ],
          deletes: [{ collection: 'catalogue', id: 'r-gone' }],
        },
        '2',
      );
      await store.commit('main', { upserts: [upsert({ id: 'r-new', title: '投标合同' })], deletes: [] }, '3');
    });
    expect(await text('合同')).toEqual(['r-kept', 'r-new', 'r-old']);
    expect(await text('纪要')).toEqual([]);
    expect(await text('投标文件')).toEqual([]);
    expect(await store.count('catalogue', { text: '合同' })).toBe(3);
    // Back to normal upkeep after the load: a change of text replaces the document's n-grams.
    await store.commit('main', { upserts: [upsert({ id: 'r-kept', title: '会议纪要' })], deletes: [] }, '4');
    expect(await text('合同')).toEqual(['r-new', 'r-old']);
    expect(await text('纪要')).toEqual(['r-kept']);
  });

  it('writes at the end of a bulk load the n-grams of what was committed: a commit rolled back halfway leaves none of its text', async () => {
    const upsert = (doc: ReadDoc) => ({ collection: 'catalogue', doc });
    const text = async (q: string) =>
      (await store.find('catalogue', { text: q, limit: 10 })).items.map((d) => d.id).sort();
    await store.withBulkLoad([CATALOGUE], async () => {
      await store.commit(
        'main',
        {
          upserts: [upsert({ id: 'r-1', title: '客户合同档案' }), upsert({ id: 'r-2', title: '合同原件' })],
          deletes: [],
        },
        '1',
      );
      // A failure only the database sees, after r-1's new text and r-2's deletion were written.
      events.connection.exec(
        `CREATE TRIGGER fail_r3 BEFORE INSERT ON rm_catalogue WHEN NEW.id = 'r-3' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
      );
      await expect(
        store.commit(
          'main',
          {
            upserts: [upsert({ id: 'r-1', title: '会议纪要' }), upsert({ id: 'r-3', title: '投标合同' })],
            deletes: [{ collection: 'catalogue', id: 'r-2' }],
          },
          '2',
        ),
      ).rejects.toMatchObject({ message: 'disk says no' });
      events.connection.exec('DROP TRIGGER fail_r3');
    });
    expect(await text('合同')).toEqual(['r-1', 'r-2']);
    expect(await text('纪要')).toEqual([]);
    expect(await store.checkpoint('main')).toBe('1');
  });

  it('keeps the n-gram words of a bounded number of documents during a bulk load, and computes the others’ at its end', async () => {
    await store.close();
    store = SqliteReadStore.open(events, { bulkWordsKept: 1 });
    await store.ensureCollections([CATALOGUE]);
    const kinds = PathKinds.empty();
    /** One worker batch's prepared write, as the rebuild hands them to the store. */
    const batch = (...docs: ReadDoc[]) => ({
      write: prepareWrite(
        { upserts: docs.map((doc) => ({ collection: 'catalogue', doc })), deletes: [] },
        () => CATALOGUE.text ?? [],
        () => kinds,
      ),
      kinds: [['catalogue', kinds.serialise()] as const],
    });
    const text = async (q: string) =>
      (await store.find('catalogue', { text: q, limit: 10 })).items.map((d) => d.id).sort();
    await store.withBulkLoad([CATALOGUE], async () => {
      await store.commitPrepared('main', [batch({ id: 'r-1', title: '会议纪要' })], '1'); // kept
      // One transaction writing r-2 twice, the limit reached: its words are computed at the end.
      await store.commitPrepared(
        'main',
        [batch({ id: 'r-2', title: '投标文件' }), batch({ id: 'r-2', title: '投标合同' })],
        '2',
      );
      await store.commitPrepared('main', [batch({ id: 'r-1', title: '客户合同档案' })], '3'); // kept, updated
    });
    expect(await text('合同')).toEqual(['r-1', 'r-2']);
    expect(await text('纪要')).toEqual([]);
    expect(await text('文件')).toEqual([]);
    expect(await text('投标')).toEqual(['r-2']);
  });

  it('re-indexes the text at the next start when a bulk load was cut off before writing its n-grams', async () => {
    await store.withBulkLoad([CATALOGUE], async () => {
      await store.commit(
        'main',
        { upserts: [{ collection: 'catalogue', doc: { id: 'r-1', title: '客户合同档案' } }], deletes: [] },
        '1',
      );
      // The process dies here: nothing of the load's ending runs.
      await store.close();
      await events.close();
    });
    events = SqliteEventStore.open({ dataDir, clock: clock() });
    store = SqliteReadStore.open(events);
    await store.ensureCollections([CATALOGUE]);
    expect((await store.find('catalogue', { text: '合同', limit: 10 })).items.map((d) => d.id)).toEqual([
      'r-1',
    ]);
    const indexes = events.connection
      .prepare(
        `SELECT count(*) AS n FROM sqlite_schema WHERE type = 'index' AND name LIKE 'rm_catalogue__ix_%'`,
      )
      .get() as { n: number };
    expect(indexes.n).toBe(CATALOGUE.indexes.length);
  });

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

  it('rolls a commit back as a whole when SQLite fails halfway through writing it', async () => {
    await store.commit(
      'catalogue',
      { upserts: [{ collection: 'catalogue', doc: { id: 'r-1', title: '客户合同档案' } }], deletes: [] },
      '1',
    );
    // A failure only the database sees, after some rows of the commit were written.
    events.connection.exec(
      `CREATE TRIGGER fail_r3 BEFORE INSERT ON rm_catalogue WHEN NEW.id = 'r-3' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
    );
    const failing = store.commit(
      'catalogue',
      {
        upserts: ['r-1', 'r-2', 'r-3'].map((id) => ({
          collection: 'catalogue',
          doc: { id, title: `新标题${id}` },
        })),
        deletes: [],
      },
      '2',
    );
    // Matched by shape, not with toThrow: better-sqlite3's native addon keeps the SqliteError class of
    // the first test file that loaded it in this jest worker, so from a later file the error is not an
    // `instanceof Error` of this file's realm and toThrow would report "did not throw".
    await expect(failing).rejects.toMatchObject({
      name: 'SqliteError',
      code: 'SQLITE_CONSTRAINT_TRIGGER',
      message: 'disk says no',
    });
    expect(await store.get('catalogue', 'r-1')).toEqual({ id: 'r-1', title: '客户合同档案' });
    expect(await store.get('catalogue', 'r-2')).toBeUndefined();
    expect((await store.find('catalogue', { text: '新标题', limit: 10 })).items).toEqual([]);
    expect((await store.find('catalogue', { text: '合同', limit: 10 })).items).toHaveLength(1);
    expect(await store.checkpoint('catalogue')).toBe('1');
    expect(events.connection.inTransaction).toBe(false);
  });

  it('keeps exactly the n-grams of the current text: none left behind by updates, deletes and resets', async () => {
    const postings = (term: string) =>
      (
        events.connection
          .prepare('SELECT rowid FROM rm_catalogue__tokens WHERE rm_catalogue__tokens MATCH ?')
          .all(ftsQuery([term])) as { rowid: number }[]
      ).length;
    const doc = (id: string, title: string, keywords: string[]): ReadDoc => ({
      id,
      title,
      keywords,
      status: 'FILED',
    });
    const write = (upserts: ReadDoc[], deletes: string[], position: string) =>
      store.commit(
        'catalogue',
        {
          upserts: upserts.map((d) => ({ collection: 'catalogue', doc: d })),
          deletes: deletes.map((id) => ({ collection: 'catalogue', id })),
        },
        position,
      );
    await write([doc('a', '客户合同档案', ['合同']), doc('b', 'Project AB-7', ['技术'])], [], '1');
    expect([postings('客户'), postings('档案'), postings('project'), postings('ab-7')]).toEqual([1, 1, 1, 1]);
    await write([doc('a', '合作协议档案', ['协议'])], [], '2');
    expect([postings('客户'), postings('合同'), postings('协议'), postings('档案')]).toEqual([0, 0, 1, 1]);
    await write([], ['b'], '3');
    expect([postings('project'), postings('技术')]).toEqual([0, 0]);
    // Upserted then deleted in one write: never indexed.
    await write([doc('c', '临时档案', [])], ['c'], '4');
    expect(postings('临时')).toBe(0);
    await store.reset('catalogue', ['catalogue']);
    expect(postings('档案')).toBe(0);
  });

  it('creates an index over the key columns per declared index, drops undeclared ones, and re-indexes changed text fields', async () => {
    const indexes = () =>
      (
        events.connection
          .prepare(
            `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'rm_catalogue' AND sql IS NOT NULL`,
          )
          .all() as { name: string; sql: string }[]
      ).map((row) => row.sql);
    expect(indexes()).toHaveLength(2);
    expect(indexes().join('\n')).toContain(`("k:fonds", "k:filedAt", id)`);

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

  it('keeps a key column per indexed path, written with the document, and answers from its index', async () => {
    await store.commit(
      'catalogue',
      {
        upserts: [
          {
            collection: 'catalogue',
            doc: { id: 'r-1', status: 'FILED', fonds: 'Z001', filedAt: '2026-01-02' },
          },
          {
            collection: 'catalogue',
            doc: { id: 'r-2', status: 'ON_LOAN', fonds: 'Z001', filedAt: '2026-01-01' },
          },
        ],
        deletes: [],
      },
      '1',
    );
    await store.commit(
      'catalogue',
      {
        upserts: [{ collection: 'catalogue', doc: { id: 'r-1', status: 'ON_LOAN', fonds: 'Z002' } }],
        deletes: [],
      },
      '2',
    );
    expect(
      events.connection
        .prepare(`SELECT id, "k:status" AS s, "k:fonds" AS f, "k:filedAt" AS a FROM rm_catalogue ORDER BY id`)
        .all(),
    ).toEqual([
      { id: 'r-1', s: 'ON_LOAN', f: 'Z002', a: null },
      { id: 'r-2', s: 'ON_LOAN', f: 'Z001', a: '2026-01-01' },
    ]);
    const plan = (
      events.connection
        .prepare(`EXPLAIN QUERY PLAN SELECT id FROM rm_catalogue AS d WHERE d."k:status" = ? ORDER BY d.id`)
        .all('ON_LOAN') as { detail: string }[]
    )
      .map((row) => row.detail)
      .join(' | ');
    expect(plan).toMatch(/USING (COVERING )?INDEX rm_catalogue__ix_/);
    expect(await store.idsWhere('catalogue', { status: 'ON_LOAN' })).toEqual(['r-1', 'r-2']);
    const page = await store.find('catalogue', {
      filter: { fonds: 'Z001' },
      sort: { field: 'filedAt', direction: 'desc' },
      limit: 10,
    });
    expect(page.items.map((d) => d.id)).toEqual(['r-2']);
  });

  it('keeps a partial index to the documents where its field is set or equals its value, and answers the queries that imply it from that index', async () => {
    const FLAGS: CollectionDefinition = {
      name: 'flags',
      indexes: [
        { fields: ['dueAt'], only: 'dueAt', is: 'set' },
        { fields: ['onLoan', 'rank'], only: 'onLoan', is: { equals: true } },
        { fields: ['status', 'rank'], only: 'status', is: { equals: 'out' } },
      ],
    };
    await store.ensureCollections([CATALOGUE, FLAGS]);
    const docs: ReadDoc[] = [
      { id: 'r-1', dueAt: '2026-03-01', onLoan: true, rank: 1, status: 'out' },
      { id: 'r-2', dueAt: '2026-02-01', onLoan: false, rank: 1, status: 'returned' },
      { id: 'r-3', dueAt: null, onLoan: false, rank: 2, status: 'out' },
      { id: 'r-4', onLoan: false, rank: 2, status: 'returned' },
      { id: 'r-5', dueAt: null, onLoan: false, rank: 3, status: 'returned' },
      // As in a real catalogue, most documents are neither due nor on loan.
      ...Array.from({ length: 500 }, (_, i) => ({
        id: `s-${String(i).padStart(3, '0')}`,
        onLoan: false,
        rank: 0,
        status: 'returned',
      })),
    ];
    await store.commit(
      'flags',
      { upserts: docs.map((doc) => ({ collection: 'flags', doc })), deletes: [] },
      '1',
    );
    const indexNames = events.connection
      .prepare(
        `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'rm_flags' AND sql IS NOT NULL`,
      )
      .all() as { name: string; sql: string }[];
    const byCondition = (condition: string) => {
      const found = indexNames.find((index) => index.sql.endsWith(condition));
      if (found === undefined) throw new Error(`no index ending ${condition}`);
      return found.name;
    };
    const dueIndex = byCondition(`WHERE "k:dueAt" IS NOT NULL`);
    const onLoanIndex = byCondition(`WHERE "k:onLoan" = 1`);
    const outIndex = byCondition(`WHERE "k:status" = 'out'`);
    /** The entries of an index, counted in its B-tree pages. */
    const entries = (index: string) =>
      (
        events.connection
          .prepare(`SELECT coalesce(sum(ncell), 0) AS n FROM dbstat WHERE name = ?`)
          .get(index) as {
          n: number;
        }
      ).n;
    expect([entries(dueIndex), entries(onLoanIndex), entries(outIndex)]).toEqual([2, 1, 2]);
    await store.commit(
      'flags',
      {
        upserts: [
          { collection: 'flags', doc: { id: 'r-2', dueAt: null, onLoan: true, rank: 1 } },
          { collection: 'flags', doc: { id: 'r-4', dueAt: '2026-04-01', onLoan: false, rank: 2 } },
        ],
        deletes: ['r-1'].map((id) => ({ collection: 'flags', id })),
      },
      '2',
    );
    expect([entries(dueIndex), entries(onLoanIndex), entries(outIndex)]).toEqual([1, 1, 1]);

    // The plan of each query the store runs, with the values it binds.
    const plans: string[] = [];
    const prepare = events.connection.prepare.bind(events.connection);
    const spy = jest.spyOn(events.connection, 'prepare').mockImplementation((sql: string) => {
      const statement = prepare(sql);
      if (!sql.startsWith('SELECT') || !sql.includes('rm_flags')) return statement;
      const explained =
        (method: 'all' | 'get') =>
        (...params: unknown[]) => {
          const rows = prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
          plans.push(rows.map((row) => row.detail).join(' | '));
          return statement[method](...params);
        };
      return Object.assign(Object.create(statement) as typeof statement, {
        all: explained('all'),
        get: explained('get'),
      });
    });
    const query = async (filter: Record<string, unknown>, sort?: string) => {
      plans.length = 0;
      const found = await store.find('flags', {
        filter: filter as never,
        limit: 10,
        ...(sort === undefined ? {} : { sort: { field: sort, direction: 'asc' as const } }),
      });
      return { ids: found.items.map((doc) => doc.id), plan: plans.join(' || ') };
    };
    try {
      const due = await query({ dueAt: { lte: '2026-12-31' } }, 'dueAt');
      expect(due).toEqual({ ids: ['r-4'], plan: expect.stringContaining(`USING INDEX ${dueIndex}`) });
      const dueOn = await query({ dueAt: '2026-04-01' });
      expect(dueOn).toEqual({ ids: ['r-4'], plan: expect.stringContaining(`USING INDEX ${dueIndex}`) });
      const onLoan = await query({ onLoan: true, rank: { lte: 2 } });
      expect(onLoan).toEqual({ ids: ['r-2'], plan: expect.stringContaining(onLoanIndex) });
      // Not implied: the same answers, from the table.
      const notOnLoan = await query({ onLoan: false, rank: { gte: 2 } });
      expect(notOnLoan.ids).toEqual(['r-3', 'r-4', 'r-5']);
      expect(notOnLoan.plan).not.toContain(onLoanIndex);
      const out = await query({ status: 'out' }, 'rank');
      expect(out).toEqual({ ids: ['r-3'], plan: expect.stringContaining(outIndex) });
      const returned = await query({ status: 'returned', rank: { gte: 2 } });
      expect(returned.ids).toEqual(['r-5']);
      expect(returned.plan).not.toContain(outIndex);
      const unset = await query({ dueAt: null, rank: { gte: 1 } });
      expect(unset.ids).toEqual(['r-2', 'r-3', 'r-5']);
      expect(unset.plan).not.toContain(dueIndex);
    } finally {
      spy.mockRestore();
    }
  });

  it('writes a partial index’s value into its SQL as a quoted literal: a quote in it is just a character', async () => {
    const value = "o'clock'); DROP TABLE rm_quoted; --";
    await store.ensureCollections([
      CATALOGUE,
      { name: 'quoted', indexes: [{ fields: ['status'], only: 'status', is: { equals: value } }] },
    ]);
    await store.commit(
      'quoted',
      {
        upserts: [
          { collection: 'quoted', doc: { id: 'q-1', status: value } },
          { collection: 'quoted', doc: { id: 'q-2', status: 'o' } },
        ],
        deletes: [],
      },
      '1',
    );
    const sql = (
      events.connection
        .prepare(
          `SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'rm_quoted' AND sql IS NOT NULL`,
        )
        .get() as { sql: string }
    ).sql;
    expect(sql.endsWith(`WHERE "k:status" = 'o''clock''); DROP TABLE rm_quoted; --'`)).toBe(true);
    expect(await store.idsWhere('quoted', { status: value })).toEqual(['q-1']);
  });

  it('rebuilds the table with its rows, n-grams and stored values when the indexes name other paths (and a store from before key columns)', async () => {
    const docs = [
      { id: 'r-1', title: '客户合同档案', status: 'FILED', year: 2024 },
      { id: 'r-2', title: '会议纪要', status: 'ON_LOAN', year: 2025 },
      { id: 'r-3', title: '合同补充协议', status: 'ON_LOAN', year: 2023 },
    ];
    await store.commit(
      'catalogue',
      { upserts: docs.map((doc) => ({ collection: 'catalogue', doc })), deletes: [] },
      '1',
    );
    const keyColumns = () =>
      (events.connection.pragma('table_xinfo(rm_catalogue)') as { name: string }[])
        .map((column) => column.name)
        .filter((name) => name.startsWith('k:'));
    expect(keyColumns()).toEqual(['k:filedAt', 'k:fonds', 'k:status']);

    const withYear: CollectionDefinition = { ...CATALOGUE, indexes: [['status'], ['year', 'status']] };
    await store.ensureCollections([withYear]);
    expect(keyColumns()).toEqual(['k:status', 'k:year']);
    const byYear = await store.find('catalogue', { sort: { field: 'year', direction: 'asc' }, limit: 10 });
    expect(byYear.items).toEqual([docs[2], docs[0], docs[1]]);
    expect(await store.find('catalogue', { text: '合同', filter: { status: 'ON_LOAN' }, limit: 10 })).toEqual(
      {
        items: [docs[2]],
      },
    );
    expect(await store.checkpoint('catalogue')).toBe('1');

    // A store written before key columns: the same table without them, its indexes on json_extract.
    const db = events.connection;
    db.exec(
      `CREATE TABLE old_layout (rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc BLOB NOT NULL, text TEXT);` +
        `INSERT INTO old_layout SELECT rid, id, doc, text FROM rm_catalogue;` +
        `DROP TABLE rm_catalogue; ALTER TABLE old_layout RENAME TO rm_catalogue;` +
        `CREATE INDEX "rm_catalogue__ix_old" ON rm_catalogue (json_extract(doc, '$.status'), id);`,
    );
    const reopened = SqliteReadStore.open(events);
    await reopened.ensureCollections([withYear]);
    expect(keyColumns()).toEqual(['k:status', 'k:year']);
    expect(await reopened.idsWhere('catalogue', { status: 'ON_LOAN' })).toEqual(['r-2', 'r-3']);
    expect((await reopened.find('catalogue', { text: '合同', limit: 10 })).items.map((d) => d.id)).toEqual([
      'r-1',
      'r-3',
    ]);
    expect(await reopened.get('catalogue', 'r-2')).toEqual(docs[1]);
    await reopened.close();
  });

  it('rebuilds the n-gram index at start when it was written by another tokenizer version', async () => {
    await store.commit(
      'catalogue',
      { upserts: [{ collection: 'catalogue', doc: { id: 'r-1', title: '客户合同档案' } }], deletes: [] },
      '1',
    );
    // As if written by an older version: different (here: no) postings, an older version mark.
    events.connection.exec(`INSERT INTO rm_catalogue__tokens (rm_catalogue__tokens) VALUES ('delete-all')`);
    events.connection
      .prepare(
        `UPDATE rm_collections SET definition = json_set(definition, '$.tokenizer', 0) WHERE name = 'catalogue'`,
      )
      .run();
    expect((await store.find('catalogue', { text: '合同', limit: 10 })).items).toEqual([]);
    await store.ensureCollections([CATALOGUE]);
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

  it('pages a text search matching many documents by walking the id index: the same pages, both ways, with a cursor and a filter', async () => {
    // 3,000 documents, 2,000 of which match 合同 (many: the id index is walked) and 40 match 协议 (few: sorted).
    const docs = Array.from({ length: 3000 }, (_, i) => ({
      id: `Z-${String((i * 7919) % 3000).padStart(4, '0')}`,
      title: i % 3 === 0 ? `会议纪要 ${i}` : `客户合同 ${i}${i % 75 === 1 ? ' 协议' : ''}`,
      status: i % 2 === 0 ? 'FILED' : 'ON_LOAN',
    }));
    await store.commit(
      'catalogue',
      { upserts: docs.map((doc) => ({ collection: 'catalogue', doc })), deletes: [] },
      '1',
    );
    const plans: string[] = [];
    const prepare = events.connection.prepare.bind(events.connection);
    const spy = jest.spyOn(events.connection, 'prepare').mockImplementation((sql: string) => {
      if (sql.startsWith('SELECT json(d.doc)')) {
        plans.push(
          (
            prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ p0: 'x', p1: 'x', p2: 'x', p3: 'x', limit: 1 }) as {
              detail: string;
            }[]
          )
            .map((r) => r.detail)
            .join(' | '),
        );
      }
      return prepare(sql);
    });
    const all = async (text: string, direction: 'asc' | 'desc', filter?: Record<string, string>) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.find('catalogue', {
          text,
          ...(filter ? { filter } : {}),
          sort: { field: 'id', direction },
          limit: 70,
          ...(cursor ? { cursor } : {}),
        });
        ids.push(...page.items.map((doc) => doc.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    };
    const expected = (word: string, direction: 'asc' | 'desc', status?: string) => {
      const ids = docs
        .filter((d) => d.title.includes(word) && (!status || d.status === status))
        .map((d) => d.id)
        .sort();
      return direction === 'asc' ? ids : ids.reverse();
    };
    try {
      expect(await all('合同', 'asc')).toEqual(expected('合同', 'asc'));
      expect(await all('合同', 'desc')).toEqual(expected('合同', 'desc'));
      expect(await all('合同', 'asc', { status: 'ON_LOAN' })).toEqual(expected('合同', 'asc', 'ON_LOAN'));
      expect(plans.some((plan) => /SCAN d USING (COVERING )?INDEX sqlite_autoindex/.test(plan))).toBe(true);
      plans.length = 0;
      expect(await all('协议', 'asc')).toEqual(expected('协议', 'asc'));
      expect(plans.some((plan) => /SCAN d USING (COVERING )?INDEX sqlite_autoindex/.test(plan))).toBe(false);
      expect(await store.count('catalogue', { text: '合同' })).toBe(2000);
    } finally {
      spy.mockRestore();
    }
  });
});
