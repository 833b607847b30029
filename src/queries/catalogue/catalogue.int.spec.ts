import { fileRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { contractRecord, salesContract } from '../../../test/support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../../../test/support/test-app';
import type { RecordMetadata } from '../../records/record.events';

const { archivist, archivist2, salesperson, engineer, salesHead, archiveHead, appraiser, auditor } = people;

/**
 * The shelf of the catalogue stories (realistic records after ../shared/tools/gen-records.mjs).
 * The test clock stands at 2026-03-01, so every record formed before 2025 was filed late (F4).
 */
const shelf = {
  /** INTERNAL, a SALES client contract. */
  salesContract,
  /** INTERNAL, office request about client contracts, shelved at A-03-02-15. */
  request: contractRecord,
  /** PUBLIC, a specialised client-contract record: the brief's search example. */
  clientContracts: {
    ...contractRecord,
    archiveCode: 'Z001-ZY-2023-D30-XSB-0001',
    category: 'ZY',
    year: 2023,
    organisationalUnit: '销售部',
    title: '客户合同档案',
    responsibleParty: '销售部',
    documentNumber: 'XSB〔2023〕88号',
    dateFormed: '2023-11-20',
    classification: 'PUBLIC',
    shelfLocation: 'B-02-01-07',
    counterparty: '北辰物流集团',
    keywords: ['客户', '档案'],
  },
  /** PUBLIC, D10 formed in 2014: retention expired on 2025-01-01 (R1, R4). */
  creditReport: {
    ...contractRecord,
    archiveCode: 'Z001-ZY-2014-D10-XSB-0003',
    category: 'ZY',
    year: 2014,
    retentionClass: 'D10',
    organisationalUnit: '销售部',
    title: '长江精密仪器股份有限公司客户信用评估报告',
    responsibleParty: '张伟',
    documentNumber: 'XSB〔2014〕203号',
    dateFormed: '2014-06-18',
    classification: 'PUBLIC',
    shelfLocation: 'C-02-11',
    counterparty: '长江精密仪器股份有限公司',
    keywords: ['信用', '客户'],
  },
  /** INTERNAL accounting vouchers, D10 formed in 2016: due on 2027-01-01. */
  vouchers: {
    ...contractRecord,
    archiveCode: 'Z001-KU-2016-D10-CWB-0002',
    category: 'KU',
    year: 2016,
    retentionClass: 'D10',
    organisationalUnit: '财务部',
    title: '2016年3月会计凭证',
    responsibleParty: '财务部',
    documentNumber: 'CWB〔2016〕31号',
    dateFormed: '2016-03-31',
    classification: 'INTERNAL',
    shelfLocation: 'A-11-04',
    counterparty: undefined,
    keywords: ['会计', '凭证'],
  },
  /** PUBLIC notice formed in late 2025: filed on time (deadline 2026-06-30, F4). */
  notice: {
    ...contractRecord,
    archiveCode: 'Z001-WS-2025-D10-BGS-0002',
    year: 2025,
    retentionClass: 'D10',
    title: '关于2025年客户满意度调查的通知',
    documentNumber: '办字〔2025〕41号',
    dateFormed: '2025-11-03',
    classification: 'PUBLIC',
    shelfLocation: 'A-03-07-01',
    counterparty: undefined,
    keywords: ['通知', '满意度'],
  },
  /** SECRET: the bid pricing plan. */
  bidPlan: {
    ...contractRecord,
    archiveCode: 'Z001-WS-2024-D30-BGS-0009',
    title: '2024年度重点客户投标报价方案',
    documentNumber: '办密〔2024〕7号',
    classification: 'SECRET',
    shelfLocation: 'A-03-05-01',
    counterparty: '华东精密机械有限公司',
    keywords: ['投标', '报价'],
  },
  /** TOP_SECRET, PERMANENT board resolution formed in December 2025 (on time). */
  resolution: {
    ...contractRecord,
    archiveCode: 'Z001-WS-2025-Y-BGS-0001',
    year: 2025,
    retentionClass: 'PERMANENT',
    title: '2025年度董事会决议',
    responsibleParty: '董事会',
    documentNumber: '董决〔2025〕3号',
    dateFormed: '2025-12-20',
    classification: 'TOP_SECRET',
    shelfLocation: 'S-01-01',
    counterparty: undefined,
    keywords: ['决议', '会议'],
  },
} satisfies Record<
  string,
  RecordMetadata | (Omit<RecordMetadata, 'counterparty'> & { counterparty: undefined })
>;

type ShelfName = keyof typeof shelf;
const ALL = Object.keys(shelf) as ShelfName[];
const code = (name: ShelfName) => shelf[name].archiveCode;
const codes = (...names: ShelfName[]) => names.map(code).sort();
/** What someone cleared to INTERNAL sees of the shelf (A2). */
const VISIBLE_TO_INTERNAL = ALL.filter((n) => !['bidPlan', 'resolution'].includes(n));

function metadataOf(name: ShelfName): RecordMetadata {
  const { counterparty, ...rest } = shelf[name];
  return (counterparty === undefined ? rest : { ...rest, counterparty }) as RecordMetadata;
}

/**
 * Files the whole shelf in order, a minute apart from 09:00 (classified records by the TOP_SECRET
 * archivist); answers the last position.
 */
async function fileShelf(t: TestApp): Promise<string> {
  let position = '';
  for (const name of ALL) {
    const record = metadataOf(name);
    const as =
      record.classification === 'PUBLIC' || record.classification === 'INTERNAL' ? archivist : archivist2;
    position = (await fileRecord(t, record, as)).body.position as string;
    t.clock.advance(60_000); // one filing a minute, so that sorting by filing time is unambiguous
  }
  return position;
}

type Query = Record<string, string | number>;

describe('档案目录 — the catalogue over HTTP', () => {
  let t: TestApp;
  let filedAt: string;

  const get = (url: string, as: TestUser, query: Query = {}) => {
    const params = new URLSearchParams({ after: filedAt, ...stringValues(query) });
    return t.request({ method: 'GET', url: `${url}?${params}`, as });
  };
  /** The archive codes `GET /records` answers (one page of up to 200), sorted, and its total. */
  const search = async (query: Query, as: TestUser = archivist2) => {
    const response = await get('/records', as, { limit: 200, ...query });
    expect(response.status).toBe(200);
    const found = (response.body.items as { archiveCode: string }[]).map((i) => i.archiveCode);
    expect(response.body.total).toBe(found.length);
    return found.sort();
  };

  beforeAll(async () => {
    t = await startTestApp();
    filedAt = await fileShelf(t);
  });
  afterAll(() => t.close());

  describe('GET /records — filters', () => {
    it('F1: lists every record filed, with its metadata and catalogue facts', async () => {
      const response = await get('/records', archivist2);
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(ALL.length);
      expect(response.body.nextCursor).toBeNull();
      const contract = response.body.items.find(
        (i: { archiveCode: string }) => i.archiveCode === code('salesContract'),
      );
      expect(contract).toEqual({
        ...metadataOf('salesContract'),
        copyReason: null,
        classificationRank: 1,
        unit: 'SALES',
        custody: 'in_custody',
        onLoan: false,
        openLoan: null,
        loansOut: [],
        loanCount: 0,
        held: false,
        holds: [],
        missing: false,
        retentionDueOn: '2055-01-01',
        filedAt: '2026-03-01T09:00:00.000Z',
        filedYear: 2026,
        filedMonth: '2026-03',
        filingDeadline: '2025-06-30',
        lateFiling: true,
        damage: [],
        corrections: 0,
        destroyedMonth: null,
        transferredMonth: null,
      });
    });

    it.each<[string, Query, ShelfName[]]>([
      ['fonds', { fonds: 'Z001' }, ALL],
      ['fonds (none)', { fonds: 'Z002' }, []],
      ['category', { category: 'ZY' }, ['clientContracts', 'creditReport']],
      ['year', { year: 2024 }, ['salesContract', 'request', 'bidPlan']],
      ['retentionClass', { retentionClass: 'D10' }, ['creditReport', 'vouchers', 'notice']],
      ['classification', { classification: 'PUBLIC' }, ['clientContracts', 'creditReport', 'notice']],
      ['unit', { unit: 'XSB' }, ['clientContracts', 'creditReport']],
      ['counterparty', { counterparty: '华东精密机械有限公司' }, ['salesContract', 'request', 'bidPlan']],
      ['location (exact)', { location: 'A-03-02-15' }, ['request']],
      ['location (prefix)', { location: 'A-03' }, ['request', 'notice', 'bidPlan']],
      ['status in_custody', { status: 'in_custody' }, ALL],
      ['status on_loan (none yet)', { status: 'on_loan' }, []],
      ['status held (none yet)', { status: 'held' }, []],
      ['status missing', { status: 'missing' }, []],
      ['status destroyed', { status: 'destroyed' }, []],
      ['status transferred', { status: 'transferred' }, []],
      [
        'several filters together',
        { category: 'WS', year: 2024, classification: 'INTERNAL' },
        ['salesContract', 'request'],
      ],
    ])('finds records by %s', async (_, query, expected) => {
      expect(await search(query)).toEqual(codes(...expected));
    });

    it('R4: status due_for_appraisal lists records in custody whose retention expired by today (2026-03-01)', async () => {
      expect(await search({ status: 'due_for_appraisal' })).toEqual(codes('creditReport'));
    });

    it('F4: status late_filing lists records filed after 30 June of the year after they were formed', async () => {
      expect(await search({ status: 'late_filing' })).toEqual(
        codes('salesContract', 'request', 'clientContracts', 'creditReport', 'vouchers', 'bidPlan'),
      );
    });
  });

  describe('GET /records — Chinese text search (q)', () => {
    it("finds '客户合同档案' (and every other record naming 合同) for the two-character term '合同'", async () => {
      const found = await search({ q: '合同' });
      expect(found).toContain(code('clientContracts'));
      expect(found).toEqual(codes('salesContract', 'request', 'clientContracts'));
    });

    it('searches responsible party, document number and keywords too; every term must match', async () => {
      expect(await search({ q: '张伟' })).toEqual(codes('creditReport'));
      expect(await search({ q: '办字〔2025〕' })).toEqual(codes('notice'));
      expect(await search({ q: '凭证' })).toEqual(codes('vouchers'));
      expect(await search({ q: '客户 信用' })).toEqual(codes('creditReport'));
      expect(await search({ q: '合同 信用' })).toEqual([]);
    });

    it('combines text with filters', async () => {
      expect(await search({ q: '客户', classification: 'PUBLIC' })).toEqual(
        codes('clientContracts', 'creditReport', 'notice'),
      );
    });
  });

  describe('GET /records — sort and pages', () => {
    const order = async (query: Query) =>
      (
        (await get('/records', archivist2, { limit: 200, ...query })).body.items as { archiveCode: string }[]
      ).map((i) => i.archiveCode);

    it('sorts by archive code by default', async () => {
      expect(await order({})).toEqual([...codes(...ALL)]);
    });

    it('sorts by year, date formed, title and filing time, either way, ties by archive code', async () => {
      const byYear = await order({ sort: 'year' });
      expect(byYear.map((c) => Number(c.split('-')[2]))).toEqual([
        2014, 2016, 2023, 2024, 2024, 2024, 2025, 2025,
      ]);
      expect(byYear.slice(3, 6)).toEqual(codes('salesContract', 'request', 'bidPlan'));
      const byDateDesc = await order({ sort: 'dateFormed', direction: 'desc' });
      expect(byDateDesc[0]).toBe(code('resolution'));
      expect(byDateDesc[byDateDesc.length - 1]).toBe(code('creditReport'));
      const byTitle = await order({ sort: 'title' });
      const titles = ALL.map((n) => [shelf[n].title, code(n)] as const).sort(([a], [b]) => (a < b ? -1 : 1));
      expect(byTitle).toEqual(titles.map(([, c]) => c));
      expect(await order({ sort: 'filedAt' })).toEqual(ALL.map(code));
      expect(await order({ sort: 'filedAt', direction: 'desc' })).toEqual(ALL.map(code).reverse());
    });

    it('walks every page exactly once, with the same total on each page', async () => {
      for (const sort of ['archiveCode', 'title', 'year', 'dateFormed', 'filedAt']) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const response = await get('/records', archivist2, {
            limit: 3,
            sort,
            ...(cursor ? { cursor } : {}),
          });
          expect(response.status).toBe(200);
          expect(response.body.total).toBe(ALL.length);
          expect(response.body.items.length).toBeLessThanOrEqual(3);
          seen.push(...response.body.items.map((i: { archiveCode: string }) => i.archiveCode));
          cursor = response.body.nextCursor ?? undefined;
          pages++;
        } while (cursor !== undefined && pages < 10);
        expect(pages).toBe(3);
        expect([...seen].sort()).toEqual(codes(...ALL));
        expect(new Set(seen).size).toBe(ALL.length);
      }
    });

    it('pages a filtered search the same way', async () => {
      const first = await get('/records', archivist2, { q: '客户', limit: 2 });
      expect(first.body.total).toBe(5);
      const second = await get('/records', archivist2, {
        q: '客户',
        limit: 2,
        cursor: first.body.nextCursor,
      });
      const third = await get('/records', archivist2, {
        q: '客户',
        limit: 2,
        cursor: second.body.nextCursor,
      });
      expect(third.body.nextCursor).toBeNull();
      const all = [first, second, third].flatMap((r) =>
        r.body.items.map((i: { archiveCode: string }) => i.archiveCode),
      );
      expect(all.sort()).toEqual(await search({ q: '客户' }));
    });
  });

  describe('GET /records — bad parameters', () => {
    it.each<[Query, string]>([
      [{ year: 'abc' }, 'year'],
      [{ year: 1700 }, 'year'],
      [{ status: 'lost' }, 'status'],
      [{ sort: 'colour' }, 'sort'],
      [{ direction: 'up' }, 'direction'],
      [{ classification: 'HUSH' }, 'classification'],
      [{ retentionClass: 'D99' }, 'retentionClass'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 1000 }, 'limit'],
      [{ limit: '0x10' }, 'limit'],
      [{ limit: '1e1' }, 'limit'],
      [{ limit: '' }, 'limit'],
      [{ year: '2024.0' }, 'year'],
      [{ colour: 'red' }, 'colour'],
      [{ after: 'yesterday' }, 'after'],
    ])('answers 400 naming the parameter for %p', async (query, field) => {
      const response = await t.request({
        method: 'GET',
        url: `/records?${new URLSearchParams(stringValues(query))}`,
        as: archivist,
      });
      expect(response.status).toBe(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    });

    it('answers 400 naming the cursor for a cursor it did not issue', async () => {
      const response = await get('/records', archivist, { cursor: 'not-a-cursor' });
      expect(response.status).toBe(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toContain('cursor');
    });

    it('answers 401 without a token', async () => {
      expect((await t.request({ method: 'GET', url: '/records' })).status).toBe(401);
    });
  });

  describe('A2: nobody sees a record above their clearance', () => {
    it('A2: the catalogue leaves SECRET and TOP_SECRET records out of the items and the total for an INTERNAL caller', async () => {
      const response = await get('/records', salesperson, { limit: 200 });
      expect(response.body.total).toBe(VISIBLE_TO_INTERNAL.length);
      expect(await search({}, salesperson)).toEqual(codes(...VISIBLE_TO_INTERNAL));
    });

    it('A2: a search that only hidden records would match answers an empty page and total 0', async () => {
      for (const query of [
        { q: '投标' },
        { classification: 'SECRET' },
        { q: '董事会' },
        { retentionClass: 'PERMANENT' },
      ] as Query[]) {
        const response = await get('/records', salesperson, query);
        expect({ query, total: response.body.total, items: response.body.items }).toEqual({
          query,
          total: 0,
          items: [],
        });
      }
    });

    it('A2: pages never reveal hidden records through their size or count', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const response = await get('/records', salesperson, { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(response.body.total).toBe(VISIBLE_TO_INTERNAL.length);
        seen.push(...response.body.items.map((i: { archiveCode: string }) => i.archiveCode));
        cursor = response.body.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(seen.sort()).toEqual(codes(...VISIBLE_TO_INTERNAL));
    });

    it('A2: a CONFIDENTIAL caller sees the SECRET record but not the TOP_SECRET one', async () => {
      expect(await search({}, engineer)).toEqual(codes(...ALL.filter((n) => n !== 'resolution')));
    });

    it('A2: the details of a record above the caller’s clearance are 404, exactly as for a record that does not exist', async () => {
      const hidden = await get(`/records/${code('bidPlan')}`, salesperson, { purpose: '核对' });
      const missing = await get('/records/Z001-WS-2024-D30-BGS-0999', salesperson, { purpose: '核对' });
      expect(hidden.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(hidden.body).toMatchObject({ error: 'RECORD_NOT_FOUND' });
      const { correlationId: _a, message: _m1, ...hiddenBody } = hidden.body;
      const { correlationId: _b, message: _m2, ...missingBody } = missing.body;
      expect(hiddenBody).toEqual(missingBody);
    });
  });

  describe('GET /records/{code}', () => {
    it('answers an INTERNAL record’s details without a purpose, and registers nothing', async () => {
      const before = await t.eventCount();
      const response = await get(`/records/${code('salesContract')}`, salesperson);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        archiveCode: code('salesContract'),
        title: salesContract.title,
        classification: 'INTERNAL',
        viewRegistered: null,
      });
      expect(response.body._stream).toBeUndefined();
      expect(await t.eventCount()).toBe(before);
    });

    it('answers 404 RECORD_NOT_FOUND for a code never filed, 400 for a malformed one', async () => {
      const missing = await get('/records/Z001-WS-2024-D30-BGS-0999', archivist2);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toBe('RECORD_NOT_FOUND');
      const malformed = await get('/records/not-a-code', archivist2);
      expect(malformed.status).toBe(400);
      expect(malformed.body.fields[0].field).toBe('code');
    });
  });

  describe('A1: viewing a SECRET-or-above record’s details is registered (查阅登记)', () => {
    it('A1: refuses the details of a SECRET record without a purpose, with 400 naming purpose, and writes nothing', async () => {
      const before = await t.eventCount();
      for (const purpose of [undefined, '  ']) {
        const response = await get(
          `/records/${code('bidPlan')}`,
          engineer,
          purpose === undefined ? {} : { purpose },
        );
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ error: 'PURPOSE_REQUIRED', rule: 'A1' });
        expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['purpose']);
      }
      expect(await t.eventCount()).toBe(before);
    });

    it('A1: with a purpose, registers the view under the viewer before answering, and the access register shows it', async () => {
      const response = await get(`/records/${code('bidPlan')}`, engineer, {
        purpose: '核对2024年度投标报价',
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        archiveCode: code('bidPlan'),
        title: '2024年度重点客户投标报价方案',
        classification: 'SECRET',
        viewRegistered: { stream: `access-${code('bidPlan')}`, position: expect.any(String) },
      });
      const [viewed] = await t.store.readStream(`access-${code('bidPlan')}`, {
        direction: 'backwards',
        limit: 1,
      });
      expect(viewed).toMatchObject({
        type: 'RecordDetailViewed',
        data: { archiveCode: code('bidPlan'), purpose: '核对2024年度投标报价', classification: 'SECRET' },
        metadata: {
          actor: { id: 'chen.jing', roles: ['borrower'], unit: 'SALES' },
          reason: '核对2024年度投标报价',
        },
      });

      const register = await t.request({
        method: 'GET',
        url: `/access-register?archiveCode=${code('bidPlan')}&after=${response.body.viewRegistered.position}`,
        as: auditor,
      });
      expect(register.status).toBe(200);
      expect(register.body.items).toContainEqual({
        id: viewed.eventId,
        archiveCode: code('bidPlan'),
        classification: 'SECRET',
        classificationRank: 2,
        viewer: { id: 'chen.jing', unit: 'SALES', roles: ['borrower'] },
        purpose: '核对2024年度投标报价',
        viewedAt: viewed.metadata.recordedAt,
      });
    });

    it('A1: every view is registered again, and the register filters by viewer and period, newest first', async () => {
      t.clock.set(new Date('2026-03-02T10:00:00.000Z'));
      try {
        const first = await get(`/records/${code('resolution')}`, archiveHead, { purpose: '年度档案检查' });
        t.clock.set(new Date('2026-03-03T10:00:00.000Z'));
        const second = await get(`/records/${code('resolution')}`, archiveHead, {
          purpose: '董事会决议执行情况复核',
        });
        expect([first.status, second.status]).toEqual([200, 200]);
        const after = second.body.viewRegistered.position as string;
        const list = async (query: Query, as: TestUser = auditor) => {
          const response = await t.request({
            method: 'GET',
            url: `/access-register?${new URLSearchParams({ after, ...stringValues(query) })}`,
            as,
          });
          expect(response.status).toBe(200);
          expect(response.body.total).toBe(response.body.items.length);
          return (response.body.items as { purpose: string }[]).map((i) => i.purpose);
        };
        expect(await list({ archiveCode: code('resolution') })).toEqual([
          '董事会决议执行情况复核',
          '年度档案检查',
        ]);
        expect(await list({ viewer: 'liu.yang' })).toEqual(['董事会决议执行情况复核', '年度档案检查']);
        expect(await list({ viewer: 'liu.yang', from: '2026-03-03' })).toEqual(['董事会决议执行情况复核']);
        expect(await list({ viewer: 'liu.yang', to: '2026-03-02' })).toEqual(['年度档案检查']);
        expect(
          await list({ viewer: 'liu.yang', from: '2026-03-02T10:00:00Z', to: '2026-03-02T10:00:00Z' }),
        ).toEqual(['年度档案检查']);
        expect(await list({ viewer: 'nobody' })).toEqual([]);
      } finally {
        t.clock.set(new Date('2026-03-01T09:00:00.000Z'));
      }
    });

    it('A2: the access register leaves out entries about records above the reader’s clearance', async () => {
      const view = await get(`/records/${code('resolution')}`, archivist2, { purpose: '档案整理' });
      const secretOfficer: TestUser = {
        user: 'feng.bao',
        roles: ['security_officer'],
        unit: 'SECURITY',
        clearance: 'SECRET',
      };
      const response = await t.request({
        method: 'GET',
        url: `/access-register?after=${view.body.viewRegistered.position}&limit=200`,
        as: secretOfficer,
      });
      expect(response.status).toBe(200);
      const ranks = response.body.items.map((i: { classificationRank: number }) => i.classificationRank);
      expect(ranks.length).toBeGreaterThan(0);
      expect(Math.max(...ranks)).toBeLessThanOrEqual(2);
      expect(response.body.total).toBe(ranks.length);
    });

    it('A1: the access register is for auditors, compliance and security officers only', async () => {
      for (const as of [salesperson, archivist, archiveHead]) {
        const response = await t.request({ method: 'GET', url: '/access-register', as });
        expect(response.status).toBe(403);
      }
      for (const as of [auditor, people.complianceOfficer, people.securityOfficer]) {
        expect((await t.request({ method: 'GET', url: '/access-register', as })).status).toBe(200);
      }
    });

    it('answers 400 naming a bad register filter', async () => {
      for (const [query, field] of [
        ['archiveCode=Z001', 'archiveCode'],
        ['from=yesterday', 'from'],
        ['to=2026-02-30', 'to'],
      ] as const) {
        const response = await t.request({ method: 'GET', url: `/access-register?${query}`, as: auditor });
        expect(response.status).toBe(400);
        expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
      }
    });
  });

  describe('R4: GET /retention-due', () => {
    const due = async (query: Query, as: TestUser = appraiser) => {
      const response = await get('/retention-due', as, query);
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(response.body.items.length);
      return (response.body.items as { archiveCode: string; retentionDueOn: string }[]).map((i) => [
        i.archiveCode,
        i.retentionDueOn,
      ]);
    };

    it('R4: lists the records whose retention has expired by today (2026-03-01 on the service clock)', async () => {
      expect(await due({})).toEqual([[code('creditReport'), '2025-01-01']]);
    });

    it('R4: lists the records due by a given date, soonest first; PERMANENT records never fall due', async () => {
      expect(await due({ date: '2027-01-01' })).toEqual([
        [code('creditReport'), '2025-01-01'],
        [code('vouchers'), '2027-01-01'],
      ]);
      expect(await due({ date: '2026-12-31' })).toEqual([[code('creditReport'), '2025-01-01']]);
      const far = await due({ date: '2999-12-31' }, archivist2);
      expect(far.map(([c]) => c)).not.toContain(code('resolution'));
      expect(far).toHaveLength(ALL.length - 1);
    });

    it('A2: leaves out records above the caller’s clearance', async () => {
      const asArchiveHead = await due({ date: '2999-12-31' }, archiveHead);
      const asAppraiser = await due({ date: '2999-12-31' }, appraiser); // SECRET clearance
      expect(asArchiveHead.map(([c]) => c)).toContain(code('bidPlan'));
      expect(asAppraiser.map(([c]) => c)).toContain(code('bidPlan'));
      const internalAuditor: TestUser = { ...auditor, clearance: 'INTERNAL' };
      expect((await due({ date: '2999-12-31' }, internalAuditor)).map(([c]) => c)).not.toContain(
        code('bidPlan'),
      );
    });

    it('is for archivists, the appraisal committee, the archive department head, compliance officers and auditors', async () => {
      expect((await get('/retention-due', salesperson)).status).toBe(403);
      expect((await get('/retention-due', salesHead)).status).toBe(403);
      for (const as of [archivist, appraiser, archiveHead, people.complianceOfficer, auditor]) {
        expect((await get('/retention-due', as)).status).toBe(200);
      }
    });

    it('answers 400 naming date for a date that is not a day', async () => {
      for (const date of ['2027-13-01', '2027-02-30', 'tomorrow', '2027-01-01T00:00:00Z']) {
        const response = await get('/retention-due', appraiser, { date });
        expect(response.status).toBe(400);
        expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['date']);
      }
    });
  });
});

describe('档案目录 — the catalogue follows the record’s life', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    await fileRecord(t, salesContract);
    await fileRecord(t, contractRecord);
  });
  afterEach(() => t.close());

  const post = async (url: string, as: TestUser, body: unknown = {}) => {
    const response = await t.request({ method: 'POST', url, as, body });
    expect(response.status).toBe(201);
    return response.body as { position: string; loanId?: string; holdId?: string };
  };
  const search = async (query: Query, after: string) => {
    const response = await t.request({
      method: 'GET',
      url: `/records?${new URLSearchParams({ after, ...stringValues(query) })}`,
      as: archivist,
    });
    expect(response.status).toBe(200);
    return response.body as { items: Record<string, unknown>[]; total: number };
  };

  it('B11: after a hand-over the record is on loan, showing who has it, since and until when; after the return it is not', async () => {
    const { loanId } = await post(`/records/${salesContract.archiveCode}/loans`, salesperson, {
      mode: 'lend_out',
      purpose: '核对合同条款，准备续签谈判',
      days: 10,
    });
    await post(`/loans/${loanId}/approvals`, archiveHead, { decision: 'approve' });
    await post(`/loans/${loanId}/approvals`, salesHead, { decision: 'approve' });
    const handedOver = await post(`/loans/${loanId}/hand-over`, archivist);

    const onLoan = await search({ status: 'on_loan' }, handedOver.position);
    expect(onLoan.total).toBe(1);
    expect(onLoan.items[0]).toMatchObject({
      archiveCode: salesContract.archiveCode,
      onLoan: true,
      loanCount: 1,
      openLoan: {
        loanId,
        borrower: 'li.lei（SALES）',
        mode: 'lend_out',
        handedOverAt: '2026-03-01T09:00:00.000Z',
        dueAt: '2026-03-11T09:00:00.000Z',
      },
    });

    const returned = await post(`/loans/${loanId}/return`, archivist, {
      condition: 'damaged',
      note: '封面破损',
    });
    expect((await search({ status: 'on_loan' }, returned.position)).total).toBe(0);
    const [record] = (await search({ q: '供货合同' }, returned.position)).items;
    expect(record).toMatchObject({ onLoan: false, openLoan: null });
    expect(record.damage).toEqual([expect.objectContaining({ loanId, condition: 'damaged' })]);
  });

  it('R6: a held record is listed under status held until the hold is released', async () => {
    const placed = await post(`/records/${contractRecord.archiveCode}/holds`, people.complianceOfficer, {
      kind: 'legal',
      reason: '合同纠纷诉讼，法院调取证据',
    });
    const held = await search({ status: 'held' }, placed.position);
    expect(held.items.map((i) => i.archiveCode)).toEqual([contractRecord.archiveCode]);
    expect(held.items[0]).toMatchObject({
      held: true,
      holds: [{ holdId: placed.holdId, kind: 'legal', reason: '合同纠纷诉讼，法院调取证据' }],
    });
    const released = await post(
      `/records/${contractRecord.archiveCode}/holds/${placed.holdId}/release`,
      people.complianceOfficer,
      { reason: '诉讼结束' },
    );
    expect((await search({ status: 'held' }, released.position)).total).toBe(0);
  });

  it('F6, A2: a record raised to SECRET leaves an INTERNAL caller’s catalogue at once (read your writes)', async () => {
    const raised = await post(
      `/records/${contractRecord.archiveCode}/classification`,
      people.securityOfficer,
      {
        classification: 'SECRET',
        grounds: '涉及客户商业秘密',
      },
    );
    const asSales = await t.request({
      method: 'GET',
      url: `/records?after=${raised.position}`,
      as: salesperson,
    });
    expect(asSales.body.items.map((i: { archiveCode: string }) => i.archiveCode)).toEqual([
      salesContract.archiveCode,
    ]);
    expect(asSales.body.total).toBe(1);
    const detail = await t.request({
      method: 'GET',
      url: `/records/${contractRecord.archiveCode}?after=${raised.position}`,
      as: salesperson,
    });
    expect(detail.status).toBe(404);
  });

  it('answers 503 PROJECTION_BEHIND for a position not yet written', async () => {
    const response = await t.request({ method: 'GET', url: '/records?after=999999', as: archivist });
    expect(response.status).toBe(503);
    expect(response.body.error).toBe('PROJECTION_BEHIND');
  });
});

function stringValues(query: Query): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
}
