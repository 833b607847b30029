import {
  InvalidQueryError,
  type CollectionDefinition,
  type FindQuery,
  type GroupCount,
  type ReadDoc,
  type ReadStore,
} from './read-store.port';

/**
 * The contract every read-store adapter passes: the same writes and the same queries give the same
 * answers on SQLite and on MongoDB. `make` must return an empty store (a fresh file or database);
 * the suite declares its own collections.
 *
 * Query semantics pinned down here (read-store.port.ts keeps the language small; these are the
 * details both adapters must agree on):
 * - Equality with `null` matches a field that is null or missing; `ne` matches a missing field;
 *   `exists: true` matches a field holding null.
 * - A condition on an array field matches when any element matches (MongoDB's rule): `{ keywords:
 *   '合同' }` finds `keywords: ['合同', '客户']`; `ne` then means no element equals. Dotted paths
 *   walk into nested objects and into arrays of objects.
 * - Types are told apart: `true` is not 1. Ranges compare numbers with numbers and strings with
 *   strings (ISO timestamps); a number bound never matches a string and the other way round; a
 *   bound that is not a number or a string, or bounds of two types, are refused.
 * - Sorting: a missing or null sort value comes first ascending and last descending; ties break by
 *   id in the sort's direction. Limits are 1..1000. A cursor only continues the sort it came from.
 * - Text: every whitespace-separated term must be a substring of one text field (NFKC, case-
 *   insensitive); a term never matches across two fields. Blank text matches everything; text on a
 *   collection without text fields is refused.
 * - Group counts put a null and a missing field in one group (key null); booleans stay booleans.
 */
export function describeReadStoreContract(
  name: string,
  make: () => Promise<{ store: ReadStore; dispose(): Promise<void> }>,
): void {
  describe(`${name} — read store contract`, () => {
    let store: ReadStore;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await make());
      await store.ensureCollections([CATALOGUE, LOANS]);
    });
    afterEach(async () => {
      await dispose();
    });

    const seed = async (position = '10') => {
      await store.commit(CATALOGUE_PROJECTOR, { upserts: RECORDS.map(upsert), deletes: [] }, position);
    };
    const ids = async (query: Omit<FindQuery, 'limit'> & { limit?: number }) =>
      (await store.find(C, { limit: 1000, ...query })).items.map((doc) => doc.id);
    const where = (filter: FindQuery['filter']) => ids({ filter });
    /** Every page of a query, following nextCursor until it is absent. */
    const walk = async (query: FindQuery): Promise<string[]> => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 100; pages += 1) {
        const page = await store.find(C, { ...query, cursor });
        expect(page.items.length).toBeLessThanOrEqual(query.limit);
        seen.push(...page.items.map((doc) => doc.id));
        if (page.nextCursor === undefined) return seen;
        expect(page.items).toHaveLength(query.limit);
        cursor = page.nextCursor;
      }
      throw new Error('pagination did not end');
    };

    describe('collections', () => {
      it('ensures collections idempotently: again and again, with the documents kept', async () => {
        await seed();
        await store.ensureCollections([CATALOGUE, LOANS]);
        await store.ensureCollections([
          { ...CATALOGUE, indexes: [...CATALOGUE.indexes, ['archiveCode']] },
          LOANS,
        ]);
        await store.ensureCollections([CATALOGUE, LOANS]);
        expect(await store.count(C, {})).toBe(RECORDS.length);
        expect(await where({ 'fonds.code': 'A002' })).toEqual(['rec-03', 'rec-04', 'rec-10']);
        expect(await ids({ text: '合同' })).toEqual(['rec-01', 'rec-03', 'rec-08']);
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('commits', () => {
      it('writes upserts and deletes and moves the checkpoint', async () => {
        expect(await store.checkpoint(CATALOGUE_PROJECTOR)).toBeUndefined();
        await seed('10');
        expect(await store.count(C, {})).toBe(RECORDS.length);
        expect(await store.checkpoint(CATALOGUE_PROJECTOR)).toBe('10');

        const returned = { ...record('rec-03'), status: 'FILED', borrower: null };
        delete (returned as { dueAt?: string }).dueAt;
        await store.commit(
          CATALOGUE_PROJECTOR,
          { upserts: [{ collection: C, doc: returned }], deletes: [{ collection: C, id: 'rec-07' }] },
          '11',
        );
        expect(await store.get(C, 'rec-03')).toEqual(returned);
        expect((await store.get(C, 'rec-03'))?.dueAt).toBeUndefined();
        expect(await store.get(C, 'rec-07')).toBeUndefined();
        expect(await where({ status: 'ON_LOAN' })).toEqual(['rec-06', 'rec-08']);
        expect(await store.count(C, {})).toBe(RECORDS.length - 1);
        expect(await store.checkpoint(CATALOGUE_PROJECTOR)).toBe('11');
      });

      it('deleting a missing document is a no-op, and an empty write still moves the checkpoint', async () => {
        await seed('10');
        await store.commit(
          CATALOGUE_PROJECTOR,
          { upserts: [], deletes: [{ collection: C, id: 'nope' }] },
          '12',
        );
        expect(await store.count(C, {})).toBe(RECORDS.length);
        expect(await store.checkpoint(CATALOGUE_PROJECTOR)).toBe('12');
      });

      it('applies a failing commit not at all: a document without an id leaves documents and checkpoint as they were', async () => {
        await seed('10');
        const failing = store.commit(
          CATALOGUE_PROJECTOR,
          {
            upserts: [
              { collection: C, doc: { ...record('rec-01'), title: '已改标题' } },
              { collection: C, doc: { id: 'rec-20', title: '新增档案' } },
              { collection: C, doc: { title: '没有编号的档案' } as unknown as ReadDoc },
            ],
            deletes: [{ collection: C, id: 'rec-02' }],
          },
          '11',
        );
        await expect(failing).rejects.toThrow();
        expect(await store.get(C, 'rec-01')).toEqual(record('rec-01'));
        expect(await store.get(C, 'rec-20')).toBeUndefined();
        expect(await store.get(C, 'rec-02')).toEqual(record('rec-02'));
        expect(await ids({ text: '已改' })).toEqual([]);
        expect(await store.count(C, {})).toBe(RECORDS.length);
        expect(await store.checkpoint(CATALOGUE_PROJECTOR)).toBe('10');
      });

      it('refuses a document holding a value JSON cannot hold, all or nothing', async () => {
        await seed('10');
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
          const failing = store.commit(
            CATALOGUE_PROJECTOR,
            {
              upserts: [
                { collection: C, doc: { id: 'rec-21', title: '正常档案' } },
                { collection: C, doc: { id: 'rec-22', title: '坏数据', stats: { pages: bad } } },
              ],
              deletes: [],
            },
            '11',
          );
          await expect(failing).rejects.toThrow();
        }
        expect(await store.get(C, 'rec-21')).toBeUndefined();
        expect(await store.get(C, 'rec-22')).toBeUndefined();
        expect(await store.checkpoint(CATALOGUE_PROJECTOR)).toBe('10');
      });

      it('keeps one checkpoint per projector, stored exactly as given', async () => {
        await store.commit('p-one', { upserts: [], deletes: [] }, '41');
        expect(await store.checkpoint('p-one')).toBe('41');
        expect(await store.checkpoint('p-two')).toBeUndefined();
        await store.commit('p-two', { upserts: [], deletes: [] }, '1234/1200');
        await store.commit('p-one', { upserts: [], deletes: [] }, '0042');
        expect(await store.checkpoint('p-one')).toBe('0042');
        expect(await store.checkpoint('p-two')).toBe('1234/1200');
      });

      it('resets the given collections and that projector’s checkpoint only', async () => {
        await seed('10');
        await store.commit(
          LOANS_PROJECTOR,
          { upserts: LOAN_DOCS.map((doc) => ({ collection: L, doc })), deletes: [] },
          '8',
        );
        await store.reset(CATALOGUE_PROJECTOR, [C]);
        expect(await store.count(C, {})).toBe(0);
        expect(await store.get(C, 'rec-01')).toBeUndefined();
        expect(await ids({ text: '合同' })).toEqual([]);
        expect(await store.groupCount(C, { by: ['status'] })).toEqual([]);
        expect(await store.checkpoint(CATALOGUE_PROJECTOR)).toBeUndefined();
        expect(await store.count(L, {})).toBe(LOAN_DOCS.length);
        expect(await store.checkpoint(LOANS_PROJECTOR)).toBe('8');

        // A rebuild after the reset writes and finds as before.
        await seed('3');
        expect(await ids({ text: '合同' })).toEqual(['rec-01', 'rec-03', 'rec-08']);
        expect(await store.checkpoint(CATALOGUE_PROJECTOR)).toBe('3');
      });

      it('keeps the text index in step with updates and deletes', async () => {
        await seed('10');
        const renamed = { ...record('rec-02'), title: '采购合同', keywords: ['采购'] } as ReadDoc;
        delete (renamed as { summary?: string }).summary;
        await store.commit(
          CATALOGUE_PROJECTOR,
          { upserts: [{ collection: C, doc: renamed }], deletes: [{ collection: C, id: 'rec-08' }] },
          '11',
        );
        expect(await ids({ text: '合同' })).toEqual(['rec-01', 'rec-02', 'rec-03']);
        expect(await ids({ text: '合作' })).toEqual([]);
        expect(await ids({ text: '采购' })).toEqual(['rec-02']);
        expect(await ids({ text: '基建' })).toEqual([]);
        // Written back unchanged, a document is still found by its text.
        await store.commit(CATALOGUE_PROJECTOR, { upserts: [upsert(record('rec-01'))], deletes: [] }, '12');
        expect(await ids({ text: '客户合同' })).toEqual(['rec-01']);
      });
    });

    describe('reading by id', () => {
      beforeEach(() => seed());

      it('gets a document exactly as written, or undefined', async () => {
        expect(await store.get(C, 'rec-03')).toEqual(record('rec-03'));
        expect(await store.get(C, 'rec-99')).toBeUndefined();
      });

      it('gets many: those that exist', async () => {
        const docs = await store.getMany(C, ['rec-03', 'rec-99', 'rec-01']);
        expect(docs.map((doc) => doc.id).sort()).toEqual(['rec-01', 'rec-03']);
        expect(docs.find((doc) => doc.id === 'rec-01')).toEqual(record('rec-01'));
        expect(await store.getMany(C, [])).toEqual([]);
      });

      it('answers the ids matching an equality filter, including an element of an array field', async () => {
        expect((await store.idsWhere(C, { 'borrower.id': 'u-li' })).sort()).toEqual(['rec-03', 'rec-08']);
        expect((await store.idsWhere(C, { keywords: '人事' })).sort()).toEqual(['rec-03', 'rec-04']);
        expect((await store.idsWhere(C, { status: 'FILED', 'fonds.code': 'A003' })).sort()).toEqual([]);
        expect(await store.idsWhere(L, { recordId: 'rec-03' })).toEqual([]);
      });

      it('round-trips Chinese text, full-width forms and rare characters exactly, unnormalised', async () => {
        const doc: ReadDoc = {
          id: '档案-𠀀-001',
          title: '𠀀𪚥生僻字　全角ＡＢＣ１２３（附件）',
          keywords: ['《档案法》', '第二十七条', '😀'],
          summary: '多行\n说明\t“引号”、顿号',
          fonds: { code: 'A001', name: '市档案馆' },
        };
        await store.commit(CATALOGUE_PROJECTOR, { upserts: [upsert(doc)], deletes: [] }, '11');
        expect(await store.get(C, '档案-𠀀-001')).toEqual(doc);
        expect(await store.getMany(C, ['档案-𠀀-001'])).toEqual([doc]);
        expect((await store.find(C, { filter: { title: doc.title as string }, limit: 5 })).items).toEqual([
          doc,
        ]);
        expect(await ids({ text: 'ａｂｃ123' })).toEqual(['档案-𠀀-001']);
        expect(await ids({ text: '𪚥生' })).toEqual(['档案-𠀀-001']);
        expect(await ids({ text: '档案法' })).toEqual(['档案-𠀀-001']);
      });
    });

    describe('filters', () => {
      beforeEach(() => seed());

      it('matches equality on strings, numbers, booleans and id, telling types apart', async () => {
        expect(await where({ status: 'ON_LOAN' })).toEqual(['rec-03', 'rec-06', 'rec-08']);
        expect(await where({ pages: 12 })).toEqual(['rec-01', 'rec-03']);
        expect(await where({ permanent: true })).toEqual(['rec-03', 'rec-05', 'rec-08', 'rec-09']);
        expect(await where({ permanent: false })).toEqual([
          'rec-01',
          'rec-02',
          'rec-04',
          'rec-06',
          'rec-07',
          'rec-10',
        ]);
        expect(await where({ permanent: 1 })).toEqual([]);
        expect(await where({ classificationRank: true })).toEqual([]);
        expect(await where({ pages: '12' })).toEqual([]);
        expect(await where({ id: 'rec-04' })).toEqual(['rec-04']);
      });

      it('matches null against a null or missing field', async () => {
        expect(await where({ retentionYears: null })).toEqual(['rec-03', 'rec-05', 'rec-08', 'rec-09']);
        expect(await where({ 'borrower.id': null })).toEqual([
          'rec-01',
          'rec-02',
          'rec-04',
          'rec-05',
          'rec-07',
          'rec-09',
          'rec-10',
        ]);
      });

      it('matches in, with numbers, null and an empty list', async () => {
        expect(await where({ status: { in: ['ON_LOAN', 'DESTROYED'] } })).toEqual([
          'rec-03',
          'rec-06',
          'rec-07',
          'rec-08',
        ]);
        expect(await where({ pages: { in: [8, 30] } })).toEqual(['rec-02', 'rec-04', 'rec-08']);
        expect(await where({ retentionYears: { in: [null, 10] } })).toEqual([
          'rec-02',
          'rec-03',
          'rec-05',
          'rec-06',
          'rec-07',
          'rec-08',
          'rec-09',
        ]);
        expect(await where({ status: { in: [] } })).toEqual([]);
      });

      it('matches ne, a missing field counting as not equal', async () => {
        expect(await where({ status: { ne: 'FILED' } })).toEqual(['rec-03', 'rec-06', 'rec-07', 'rec-08']);
        expect(await where({ 'borrower.id': { ne: 'u-li' } })).toEqual([
          'rec-01',
          'rec-02',
          'rec-04',
          'rec-05',
          'rec-06',
          'rec-07',
          'rec-09',
          'rec-10',
        ]);
        expect(await where({ retentionYears: { ne: null } })).toEqual([
          'rec-01',
          'rec-02',
          'rec-04',
          'rec-06',
          'rec-07',
          'rec-10',
        ]);
      });

      it('matches exists: a field holding null exists', async () => {
        expect(await where({ borrower: { exists: true } })).toEqual(['rec-03', 'rec-06', 'rec-08', 'rec-10']);
        expect(await where({ borrower: { exists: false } })).toEqual([
          'rec-01',
          'rec-02',
          'rec-04',
          'rec-05',
          'rec-07',
          'rec-09',
        ]);
        expect(await where({ 'borrower.id': { exists: true } })).toEqual(['rec-03', 'rec-06', 'rec-08']);
        expect(await where({ summary: { exists: false } })).toEqual(['rec-09']);
      });

      it('matches number ranges, one bound or two', async () => {
        expect(await where({ pages: { gt: 12 } })).toEqual(['rec-04', 'rec-06', 'rec-07', 'rec-10']);
        expect(await where({ pages: { gte: 12 } })).toEqual([
          'rec-01',
          'rec-03',
          'rec-04',
          'rec-06',
          'rec-07',
          'rec-10',
        ]);
        expect(await where({ pages: { lt: 8 } })).toEqual(['rec-05', 'rec-09']);
        expect(await where({ pages: { lte: 8 } })).toEqual(['rec-02', 'rec-05', 'rec-08', 'rec-09']);
        expect(await where({ pages: { gt: 5, lt: 30 } })).toEqual(['rec-01', 'rec-02', 'rec-03', 'rec-08']);
        expect(await where({ classificationRank: { lte: 0 } })).toEqual(['rec-01', 'rec-05', 'rec-07']);
      });

      it('matches ISO timestamp ranges as strings, a missing field never in range', async () => {
        expect(
          await where({ filedAt: { gte: '2024-01-01T00:00:00.000Z', lt: '2024-03-01T00:00:00.000Z' } }),
        ).toEqual(['rec-01', 'rec-02', 'rec-03']);
        expect(await where({ filedAt: { lt: '2023-01-01' } })).toEqual(['rec-05', 'rec-07']);
        expect(await where({ dueAt: { lte: '2024-06-30T00:00:00.000Z' } })).toEqual(['rec-03', 'rec-06']);
      });

      it('keeps ranges within one type: a number bound never matches a string, nor the reverse', async () => {
        expect(await where({ archiveCode: { gt: 0 } })).toEqual([]);
        expect(await where({ pages: { lt: 'A' } })).toEqual([]);
        expect(await where({ title: { gte: '' } })).toHaveLength(RECORDS.length);
      });

      it('follows dotted paths into nested objects and arrays of objects', async () => {
        expect(await where({ 'fonds.code': 'A002' })).toEqual(['rec-03', 'rec-04', 'rec-10']);
        expect(await where({ 'borrower.name': '李四' })).toEqual(['rec-03', 'rec-08']);
        expect(await where({ 'handovers.to': '李四' })).toEqual(['rec-03', 'rec-06']);
        expect(await where({ 'handovers.by': { in: ['赵六'] } })).toEqual(['rec-06']);
      });

      it('matches a scalar condition on an array field when any element matches', async () => {
        expect(await where({ keywords: '合同' })).toEqual(['rec-01', 'rec-03', 'rec-08']);
        expect(await where({ keywords: { in: ['制度', '财务'] } })).toEqual(['rec-05', 'rec-10']);
        expect(await where({ keywords: { ne: '合同' } })).toEqual([
          'rec-02',
          'rec-04',
          'rec-05',
          'rec-06',
          'rec-07',
          'rec-09',
          'rec-10',
        ]);
        expect(await where({ keywords: '合' })).toEqual([]);
        expect(await where({ keywords: { exists: true } })).toHaveLength(RECORDS.length);
      });

      it('ANDs the conditions on several fields', async () => {
        expect(
          await where({ status: 'FILED', 'fonds.code': 'A001', classificationRank: { lte: 0 } }),
        ).toEqual(['rec-01', 'rec-05']);
        expect(await where({ keywords: '合同', 'borrower.id': 'u-li', pages: { gte: 10 } })).toEqual([
          'rec-03',
        ]);
      });

      it('refuses field paths and conditions outside the language', async () => {
        const bad: FindQuery['filter'][] = [
          { "title') OR 1=1 --": 'x' },
          { 'title; DROP TABLE catalogue': 'x' },
          { $where: 'x' },
          { 'fonds..code': 'x' },
          { 'fonds.': 'x' },
          { '': 'x' },
          { status: { like: 'F%' } } as never,
          { status: { in: 'FILED' } } as never,
          { status: { exists: 'yes' } } as never,
          { status: {} } as never,
          { pages: { gt: 1, lt: '9' } },
          { pages: { gt: true } } as never,
          { pages: { gt: null } },
          { pages: { eq: 1 } } as never,
        ];
        for (const filter of bad) {
          await expect(store.find(C, { filter, limit: 10 })).rejects.toBeInstanceOf(InvalidQueryError);
        }
        await expect(
          store.find(C, { sort: { field: 'pages desc', direction: 'asc' }, limit: 10 }),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(
          store.find(C, { sort: { field: 'pages', direction: 'up' as never }, limit: 10 }),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.groupCount(C, { by: ['status;'] })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.count(C, { filter: { 'a b': 1 } })).rejects.toBeInstanceOf(InvalidQueryError);
        expect(await store.count(C, {})).toBe(RECORDS.length);
      });
    });

    describe('sorting and pages', () => {
      beforeEach(() => seed());

      it('sorts by a number field with id breaking ties, in either direction', async () => {
        const asc = [
          'rec-09',
          'rec-05',
          'rec-02',
          'rec-08',
          'rec-01',
          'rec-03',
          'rec-04',
          'rec-06',
          'rec-10',
          'rec-07',
        ];
        expect(await ids({ sort: { field: 'pages', direction: 'asc' } })).toEqual(asc);
        expect(await ids({ sort: { field: 'pages', direction: 'desc' } })).toEqual([...asc].reverse());
      });

      it('sorts by a string field with id breaking ties, missing values first ascending and last descending', async () => {
        expect(await ids({ sort: { field: 'filedAt', direction: 'asc' } })).toEqual([
          'rec-07',
          'rec-05',
          'rec-04',
          'rec-10',
          'rec-01',
          'rec-03',
          'rec-02',
          'rec-06',
          'rec-08',
          'rec-09',
        ]);
        const dueAsc = [
          'rec-01',
          'rec-02',
          'rec-04',
          'rec-05',
          'rec-07',
          'rec-09',
          'rec-10',
          'rec-06',
          'rec-03',
          'rec-08',
        ];
        expect(await ids({ sort: { field: 'dueAt', direction: 'asc' } })).toEqual(dueAsc);
        expect(await ids({ sort: { field: 'dueAt', direction: 'desc' } })).toEqual([...dueAsc].reverse());
        expect(await ids({})).toEqual(RECORDS.map((doc) => doc.id).sort());
        expect(await ids({ sort: { field: 'id', direction: 'desc' } })).toEqual(
          RECORDS.map((doc) => doc.id)
            .sort()
            .reverse(),
        );
      });

      it('walks every page of every sort, each match exactly once and in order, ties and missing values included', async () => {
        const sorts = [
          { field: 'pages', direction: 'asc' },
          { field: 'pages', direction: 'desc' },
          { field: 'filedAt', direction: 'asc' },
          { field: 'filedAt', direction: 'desc' },
          { field: 'dueAt', direction: 'asc' },
          { field: 'dueAt', direction: 'desc' },
          { field: 'retentionYears', direction: 'asc' },
          { field: 'retentionYears', direction: 'desc' },
          { field: 'id', direction: 'desc' },
        ] as const;
        for (const sort of sorts) {
          const all = await ids({ sort });
          expect(all).toEqual(referenceOrder(RECORDS, sort.field, sort.direction));
          for (const limit of [1, 2, 3, 4]) {
            expect(await walk({ sort, limit })).toEqual(all);
          }
        }
        const filter = { status: { ne: 'DESTROYED' } };
        const expected = referenceOrder(
          RECORDS.filter((doc) => doc.status !== 'DESTROYED'),
          'dueAt',
          'desc',
        );
        expect(await walk({ filter, sort: { field: 'dueAt', direction: 'desc' }, limit: 2 })).toEqual(
          expected,
        );
        expect(await walk({ limit: 3 })).toEqual(RECORDS.map((doc) => doc.id).sort());
      });

      it('answers nextCursor only while more items follow, and bounds the limit to 1..1000', async () => {
        const all = await store.find(C, { filter: { status: 'ON_LOAN' }, limit: 3 });
        expect(all.items).toHaveLength(3);
        expect(all.nextCursor).toBeUndefined();
        const first = await store.find(C, { filter: { status: 'ON_LOAN' }, limit: 2 });
        expect(first.items.map((doc) => doc.id)).toEqual(['rec-03', 'rec-06']);
        expect(first.nextCursor).toEqual(expect.any(String));
        expect((await store.find(C, { limit: 1000 })).items).toHaveLength(RECORDS.length);
        for (const limit of [0, -1, 1001, 2.5, Number.NaN]) {
          await expect(store.find(C, { limit })).rejects.toBeInstanceOf(InvalidQueryError);
        }
      });

      it('refuses a cursor from another sort, and a cursor it did not issue', async () => {
        const page = await store.find(C, { sort: { field: 'pages', direction: 'asc' }, limit: 2 });
        const cursor = page.nextCursor as string;
        expect(cursor).toEqual(expect.any(String));
        const continued = await store.find(C, {
          sort: { field: 'pages', direction: 'asc' },
          limit: 2,
          cursor,
        });
        expect(continued.items.map((doc) => doc.id)).toEqual(['rec-02', 'rec-08']);
        for (const sort of [
          { field: 'pages', direction: 'desc' },
          { field: 'filedAt', direction: 'asc' },
          undefined,
        ] as const) {
          await expect(store.find(C, { sort, limit: 2, cursor })).rejects.toBeInstanceOf(InvalidQueryError);
        }
        const forged = Buffer.from(JSON.stringify([0, 'rec-01', 'x'])).toString('base64url');
        for (const bad of ['not a cursor', '!!!', forged, cursor.slice(0, -4)]) {
          await expect(
            store.find(C, { sort: { field: 'pages', direction: 'asc' }, limit: 2, cursor: bad }),
          ).rejects.toBeInstanceOf(InvalidQueryError);
        }
      });
    });

    describe('text search', () => {
      beforeEach(() => seed());

      it('finds a two-character Chinese term inside a longer title, and not its near miss', async () => {
        expect(await ids({ text: '合同' })).toEqual(['rec-01', 'rec-03', 'rec-08']);
        expect(await ids({ text: '客户合同档案' })).toEqual(['rec-01']);
        expect(await ids({ text: '合作' })).toEqual(['rec-02']);
        expect(await ids({ text: '合同档案馆' })).toEqual([]);
      });

      it('finds one-character terms and requires every term (AND)', async () => {
        expect(await ids({ text: '账' })).toEqual(['rec-06', 'rec-10']);
        expect(await ids({ text: '合同 人事' })).toEqual(['rec-03']);
        expect(await ids({ text: '合同\u3000基建' })).toEqual(['rec-08']);
        expect(await ids({ text: '合同 财务' })).toEqual([]);
      });

      it('matches Latin text case-insensitively and full-width as half-width', async () => {
        expect(await ids({ text: 'project ab-7' })).toEqual(['rec-07']);
        expect(await ids({ text: 'CONTRACT' })).toEqual(['rec-07']);
        expect(await ids({ text: 'ＰＲＯＪＥＣＴ' })).toEqual(['rec-07']);
        expect(await ids({ text: 'technical' })).toEqual(['rec-07']);
        // The summary holds "ＮＯ．７７" in full width: found by the half-width term.
        expect(await ids({ text: 'no.77' })).toEqual(['rec-07']);
        expect(await ids({ text: 'No.77 LINE' })).toEqual(['rec-07']);
      });

      it('never matches a term across two fields, nor its pieces apart within one field', async () => {
        // rec-04: title "人事档案", summary "案管理细则附件"; rec-06: "档案室案管理台账".
        expect(await ids({ text: '档案管理' })).toEqual(['rec-05']);
        expect(await ids({ text: '档案案管' })).toEqual([]);
        expect(await ids({ text: '合同人事' })).toEqual([]);
      });

      it('searches only the text fields', async () => {
        // "市档案馆" is the fonds name, not a text field; "李四" is the borrower.
        expect(await ids({ text: '市档案馆' })).toEqual([]);
        expect(await ids({ text: '李四' })).toEqual([]);
      });

      it('treats blank text as no condition, and refuses text on a collection without text fields', async () => {
        expect(await store.count(C, { text: '  \u3000 ' })).toBe(RECORDS.length);
        await expect(store.find(L, { text: '合同', limit: 10 })).rejects.toBeInstanceOf(InvalidQueryError);
      });

      it('combines text with a filter, a sort and pages', async () => {
        const query: FindQuery = {
          text: '合同',
          filter: { classificationRank: { lte: 2 }, status: { in: ['FILED', 'ON_LOAN'] } },
          sort: { field: 'pages', direction: 'desc' },
          limit: 1,
        };
        expect(await walk(query)).toEqual(['rec-03', 'rec-01', 'rec-08']);
        expect(await walk({ ...query, filter: { status: 'ON_LOAN' }, limit: 1 })).toEqual([
          'rec-03',
          'rec-08',
        ]);
        expect(await walk({ text: '档案', sort: { field: 'filedAt', direction: 'asc' }, limit: 2 })).toEqual([
          'rec-05',
          'rec-04',
          'rec-01',
          'rec-06',
        ]);
      });
    });

    describe('counts', () => {
      beforeEach(() => seed());

      it('counts with a filter, with text, and with both', async () => {
        expect(await store.count(C, {})).toBe(RECORDS.length);
        expect(await store.count(C, { filter: { status: 'FILED' } })).toBe(6);
        expect(await store.count(C, { text: '档案' })).toBe(4);
        expect(await store.count(C, { filter: { status: 'FILED' }, text: '档案' })).toBe(3);
        expect(await store.count(C, { filter: { classificationRank: { lte: 1 } }, text: '合同' })).toBe(1);
        expect(await store.count(L, {})).toBe(0);
      });

      it('group-counts by one field, and with a filter', async () => {
        expect(sorted(await store.groupCount(C, { by: ['status'] }))).toEqual(
          sorted([
            { key: { status: 'FILED' }, count: 6 },
            { key: { status: 'ON_LOAN' }, count: 3 },
            { key: { status: 'DESTROYED' }, count: 1 },
          ]),
        );
        expect(
          sorted(await store.groupCount(C, { by: ['status'], filter: { classificationRank: { lte: 1 } } })),
        ).toEqual(
          sorted([
            { key: { status: 'FILED' }, count: 5 },
            { key: { status: 'DESTROYED' }, count: 1 },
          ]),
        );
      });

      it('group-counts by two fields, a missing or null field grouping under null, booleans as booleans', async () => {
        expect(sorted(await store.groupCount(C, { by: ['fonds.code', 'borrower.id'] }))).toEqual(
          sorted([
            { key: { 'fonds.code': 'A001', 'borrower.id': null }, count: 4 },
            { key: { 'fonds.code': 'A002', 'borrower.id': 'u-li' }, count: 1 },
            { key: { 'fonds.code': 'A002', 'borrower.id': null }, count: 2 },
            { key: { 'fonds.code': 'A003', 'borrower.id': 'u-wang' }, count: 1 },
            { key: { 'fonds.code': 'A003', 'borrower.id': 'u-li' }, count: 1 },
            { key: { 'fonds.code': 'A003', 'borrower.id': null }, count: 1 },
          ]),
        );
        expect(sorted(await store.groupCount(C, { by: ['retentionYears'] }))).toEqual(
          sorted([
            { key: { retentionYears: 30 }, count: 3 },
            { key: { retentionYears: 10 }, count: 3 },
            { key: { retentionYears: null }, count: 4 },
          ]),
        );
        expect(
          sorted(
            await store.groupCount(C, { by: ['permanent', 'status'], filter: { 'fonds.code': 'A003' } }),
          ),
        ).toEqual(
          sorted([
            { key: { permanent: false, status: 'ON_LOAN' }, count: 1 },
            { key: { permanent: false, status: 'DESTROYED' }, count: 1 },
            { key: { permanent: true, status: 'ON_LOAN' }, count: 1 },
          ]),
        );
      });
    });

    describe('partial indexes', () => {
      // The same records in a collection whose indexes hold only the documents where a field is
      // set or true: every query must answer exactly as over the catalogue, whose indexes are full.
      beforeEach(async () => {
        await store.ensureCollections([CATALOGUE, LOANS, PARTIAL]);
        await seed();
        await store.commit(
          PARTIAL_PROJECTOR,
          { upserts: RECORDS.map((doc) => ({ collection: P, doc })), deletes: [] },
          '10',
        );
      });
      const both = async (query: Omit<FindQuery, 'limit'>) => {
        const all = async (collection: string) => {
          const page = await store.find(collection, { limit: 1000, ...query });
          return page.items.map((doc) => doc.id);
        };
        const [full, partial] = [await all(C), await all(P)];
        expect(partial).toEqual(full);
        expect(await store.count(P, query)).toBe(full.length);
        return partial;
      };

      it('answers the queries that imply the condition: a value, in, a range, exists', async () => {
        expect(await both({ filter: { permanent: true } })).toEqual(['rec-03', 'rec-05', 'rec-08', 'rec-09']);
        expect(await both({ filter: { retentionYears: 10 } })).toEqual(['rec-02', 'rec-06', 'rec-07']);
        expect(await both({ filter: { retentionYears: { in: [10, 30] } } })).toHaveLength(6);
        expect(await both({ filter: { dueAt: { lt: '2024-07-01' } } })).toEqual(['rec-03', 'rec-06']);
        expect(await both({ filter: { 'borrower.id': { exists: true } } })).toEqual([
          'rec-03',
          'rec-06',
          'rec-08',
        ]);
        expect(await both({ filter: { status: 'ON_LOAN', pages: { gte: 10 } } })).toEqual([
          'rec-03',
          'rec-06',
        ]);
        expect(await both({ filter: { 'borrower.id': 'u-li', dueAt: { gte: '2024-07-01' } } })).toEqual([
          'rec-08',
        ]);
      });

      it('answers the others too, from the documents the index leaves out: null, false, ne, exists false', async () => {
        expect(await both({ filter: { permanent: false } })).toHaveLength(6);
        expect(await both({ filter: { retentionYears: null } })).toEqual([
          'rec-03',
          'rec-05',
          'rec-08',
          'rec-09',
        ]);
        expect(await both({ filter: { retentionYears: { in: [null, 10] } } })).toHaveLength(7);
        expect(await both({ filter: { retentionYears: { ne: 30 } } })).toHaveLength(7);
        expect(await both({ filter: { dueAt: { exists: false } } })).toHaveLength(7);
        expect(await both({ filter: { 'borrower.id': null } })).toHaveLength(7);
        expect(await both({ filter: { permanent: { ne: true } } })).toHaveLength(6);
        expect(await both({ filter: { status: 'FILED', pages: { gte: 10 } } })).toEqual([
          'rec-01',
          'rec-04',
          'rec-10',
        ]);
        expect(await both({ filter: { status: { in: ['ON_LOAN', 'DESTROYED'] } } })).toHaveLength(4);
      });

      it('sorts and pages by the field over every document, the unset ones included', async () => {
        for (const direction of ['asc', 'desc'] as const) {
          const sort = { field: 'dueAt', direction };
          const expected = referenceOrder(RECORDS, 'dueAt', direction);
          expect(await both({ sort })).toEqual(expected);
          const pages: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await store.find(P, { sort, limit: 3, cursor });
            pages.push(...page.items.map((doc) => doc.id));
            cursor = page.nextCursor;
          } while (cursor !== undefined);
          expect(pages).toEqual(expected);
        }
        expect(
          await both({ filter: { dueAt: { gte: '' } }, sort: { field: 'dueAt', direction: 'asc' } }),
        ).toEqual(['rec-06', 'rec-03', 'rec-08']);
      });

      it('group-counts the same, the unset values grouped under null', async () => {
        for (const by of [['retentionYears'], ['permanent'], ['borrower.id', 'permanent'], ['status']]) {
          expect(sorted(await store.groupCount(P, { by }))).toEqual(
            sorted(await store.groupCount(C, { by })),
          );
        }
        expect(
          sorted(
            await store.groupCount(P, { by: ['retentionYears'], filter: { retentionYears: { gte: 0 } } }),
          ),
        ).toEqual(
          sorted([
            { key: { retentionYears: 30 }, count: 3 },
            { key: { retentionYears: 10 }, count: 3 },
          ]),
        );
      });

      it('refuses a partial index on a field it does not index, on the id, or with another condition', async () => {
        const defining = (index: unknown) =>
          store.ensureCollections([
            { name: 'contract_bad', indexes: [index as CollectionDefinition['indexes'][number]] },
          ]);
        await expect(defining({ fields: ['status'], only: 'pages', is: 'set' })).rejects.toThrow(
          /partial index/,
        );
        await expect(defining({ fields: ['id', 'status'], only: 'id', is: 'set' })).rejects.toThrow(
          /partial index/,
        );
        for (const is of ['OUT', true, { equals: null }, { equals: Number.NaN }, { equals: 'a\0b' }, {}]) {
          await expect(defining({ fields: ['status'], only: 'status', is })).rejects.toThrow(
            /'set' or \{ equals/,
          );
        }
        await expect(defining({ fields: [], only: 'status', is: { equals: true } })).rejects.toThrow(
          /names no field/,
        );
      });
    });
  });
}

// ── the suite's read models: a small catalogue of realistic records ──

const C = 'contract_catalogue';
const L = 'contract_loans';
const CATALOGUE_PROJECTOR = 'contract-catalogue';
const LOANS_PROJECTOR = 'contract-loans';

const CATALOGUE: CollectionDefinition = {
  name: C,
  indexes: [
    ['fonds.code'],
    ['status', 'filedAt'],
    ['borrower.id', 'status'],
    ['classificationRank'],
    ['pages'],
  ],
  text: ['title', 'keywords', 'summary'],
};
const LOANS: CollectionDefinition = { name: L, indexes: [['recordId']] };
const P = 'contract_partial';
const PARTIAL_PROJECTOR = 'contract-partial';
/** The catalogue's records again, under partial indexes (each kind: set, true, nested, compound). */
const PARTIAL: CollectionDefinition = {
  name: P,
  indexes: [
    { fields: ['retentionYears', 'classificationRank'], only: 'retentionYears', is: 'set' },
    { fields: ['permanent', 'classificationRank'], only: 'permanent', is: { equals: true } },
    { fields: ['borrower.id', 'dueAt'], only: 'borrower.id', is: 'set' },
    { fields: ['dueAt'], only: 'dueAt', is: 'set' },
    { fields: ['status', 'pages'], only: 'status', is: { equals: 'ON_LOAN' } },
  ],
};

const A001 = { code: 'A001', name: '市档案馆' };
const A002 = { code: 'A002', name: '区档案馆' };
const A003 = { code: 'A003', name: '省档案馆' };

const RECORDS: readonly ReadDoc[] = [
  {
    id: 'rec-01',
    archiveCode: 'A001-WS·2024-Y30-0001',
    title: '客户合同档案',
    keywords: ['合同', '客户'],
    summary: '2019年度客户合同汇编',
    fonds: A001,
    status: 'FILED',
    classificationRank: 0,
    pages: 12,
    filedAt: '2024-01-15T08:00:00.000Z',
    permanent: false,
    retentionYears: 30,
  },
  {
    id: 'rec-02',
    archiveCode: 'A001-WS·2024-Y10-0002',
    title: '合作协议',
    keywords: ['协议', '合作'],
    summary: '与高校的科研合作协议',
    fonds: A001,
    status: 'FILED',
    classificationRank: 1,
    pages: 8,
    filedAt: '2024-02-01T09:30:00.000Z',
    permanent: false,
    retentionYears: 10,
  },
  {
    id: 'rec-03',
    archiveCode: 'A002-RS·2024-YJ-0001',
    title: '劳动合同（张三）',
    keywords: ['合同', '人事'],
    summary: '员工劳动合同原件',
    fonds: A002,
    status: 'ON_LOAN',
    borrower: { id: 'u-li', name: '李四' },
    handovers: [{ by: '张三', to: '李四', at: '2024-05-30T09:00:00.000Z' }],
    dueAt: '2024-06-30T00:00:00.000Z',
    classificationRank: 2,
    pages: 12,
    filedAt: '2024-01-15T08:00:00.000Z',
    permanent: true,
    retentionYears: null,
  },
  {
    id: 'rec-04',
    archiveCode: 'A002-RS·2023-Y30-0007',
    title: '人事档案',
    keywords: ['人事'],
    summary: '案管理细则附件',
    fonds: A002,
    status: 'FILED',
    classificationRank: 1,
    pages: 30,
    filedAt: '2023-11-30T16:45:00.000Z',
    permanent: false,
    retentionYears: 30,
  },
  {
    id: 'rec-05',
    archiveCode: 'A001-WS·2022-YJ-0003',
    title: '档案管理办法',
    keywords: ['制度'],
    summary: '档案管理的基本制度',
    fonds: A001,
    status: 'FILED',
    classificationRank: 0,
    pages: 5,
    filedAt: '2022-05-20T10:00:00.000Z',
    permanent: true,
    retentionYears: null,
  },
  {
    id: 'rec-06',
    archiveCode: 'A003-KJ·2024-Y10-0011',
    title: '档案室案管理台账',
    keywords: ['台账'],
    summary: '库房日常登记',
    fonds: A003,
    status: 'ON_LOAN',
    borrower: { id: 'u-wang', name: '王五' },
    handovers: [
      { by: '赵六', to: '王五', at: '2024-03-20T10:00:00.000Z' },
      { by: '王五', to: '李四', at: '2024-04-01T10:00:00.000Z' },
    ],
    dueAt: '2024-05-01T00:00:00.000Z',
    classificationRank: 3,
    pages: 44,
    filedAt: '2024-03-10T14:00:00.000Z',
    permanent: false,
    retentionYears: 10,
  },
  {
    id: 'rec-07',
    archiveCode: 'A003-KJ·2021-Y10-0002',
    title: 'Project AB-7 技术资料',
    keywords: ['Technical', 'AB'],
    summary: 'Contract drawings ＮＯ．７７ line',
    fonds: A003,
    status: 'DESTROYED',
    classificationRank: 0,
    pages: 200,
    filedAt: '2021-09-01T08:00:00.000Z',
    permanent: false,
    retentionYears: 10,
  },
  {
    id: 'rec-08',
    archiveCode: 'A003-JJ·2024-Y30-0005',
    title: '基建工程合同',
    keywords: ['合同', '基建'],
    summary: '新馆基建施工合同及补充协议',
    fonds: A003,
    status: 'ON_LOAN',
    borrower: { id: 'u-li', name: '李四' },
    handovers: [],
    dueAt: '2024-07-15T00:00:00.000Z',
    classificationRank: 2,
    pages: 8,
    filedAt: '2024-03-10T14:00:00.000Z',
    permanent: true,
    retentionYears: null,
  },
  {
    id: 'rec-09',
    archiveCode: 'A001-WS·2024-Y10-0009',
    title: '党委会议纪要',
    keywords: [],
    fonds: A001,
    status: 'FILED',
    classificationRank: 1,
    pages: 3,
    filedAt: '2024-04-02T09:00:00.000Z',
    permanent: true,
  },
  {
    id: 'rec-10',
    archiveCode: 'A002-CW·2023-Y30-0100',
    title: '财务凭证 2023',
    keywords: ['财务', '凭证'],
    summary: '第一季度记账凭证',
    fonds: A002,
    status: 'FILED',
    borrower: null,
    classificationRank: 2,
    pages: 120,
    filedAt: '2023-12-31T23:59:59.000Z',
    permanent: false,
    retentionYears: 30,
  },
];

const LOAN_DOCS: readonly ReadDoc[] = [
  { id: 'loan-1', recordId: 'rec-06', borrower: '王五', status: 'OUT' },
  { id: 'loan-2', recordId: 'rec-08', borrower: '李四', status: 'OUT' },
];

function record(id: string): ReadDoc {
  const found = RECORDS.find((doc) => doc.id === id);
  if (found === undefined) throw new Error(`no record ${id}`);
  return structuredClone(found);
}

function upsert(doc: ReadDoc): { collection: string; doc: ReadDoc } {
  return { collection: C, doc };
}

/** The order the contract defines, computed independently: null/missing first ascending, id breaks ties. */
function referenceOrder(docs: readonly ReadDoc[], field: string, direction: 'asc' | 'desc'): string[] {
  const valueOf = (doc: ReadDoc) => (doc[field] ?? null) as string | number | null;
  const compare = (a: ReadDoc, b: ReadDoc): number => {
    const x = valueOf(a);
    const y = valueOf(b);
    if (x !== y) {
      if (x === null) return -1;
      if (y === null) return 1;
      return x < y ? -1 : 1;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  const ordered = [...docs].sort(compare).map((doc) => doc.id);
  return direction === 'asc' ? ordered : ordered.reverse();
}

function sorted(groups: readonly GroupCount[]): GroupCount[] {
  const identity = (group: GroupCount) => JSON.stringify(Object.entries(group.key).sort());
  return [...groups].sort((a, b) => (identity(a) < identity(b) ? -1 : identity(a) > identity(b) ? 1 : 0));
}
