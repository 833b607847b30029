import { fileRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { contractRecord, salesContract } from '../../../test/support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../../../test/support/test-app';
import type { RecordMetadata } from '../../records/record.events';

const { archivist, archivist2, salesperson, salesHead, archiveHead } = people;

/** Two records filed in January 2026, three in March; one loan handed over and returned in March. */
const january: RecordMetadata[] = [contractRecord, salesContract]; // WS 2024 D30 INTERNAL
const march: RecordMetadata[] = [
  {
    ...contractRecord,
    archiveCode: 'Z001-ZY-2023-D30-XSB-0001',
    category: 'ZY',
    year: 2023,
    title: '客户合同档案',
    dateFormed: '2023-11-20',
    classification: 'PUBLIC',
    shelfLocation: 'B-02-01-07',
  },
  {
    ...contractRecord,
    archiveCode: 'Z001-WS-2024-D30-BGS-0009',
    title: '2024年度重点客户投标报价方案',
    classification: 'SECRET',
    shelfLocation: 'A-03-05-01',
  },
  {
    ...contractRecord,
    archiveCode: 'Z001-KU-2016-D10-CWB-0002',
    category: 'KU',
    year: 2016,
    retentionClass: 'D10',
    title: '2016年3月会计凭证',
    dateFormed: '2016-03-31',
    classification: 'CONFIDENTIAL',
    shelfLocation: 'A-11-04',
  },
];

describe('年度统计 — statistics over HTTP', () => {
  let t: TestApp;
  let after: string;

  const post = async (url: string, as: TestUser, body: unknown = {}) => {
    const response = await t.request({ method: 'POST', url, as, body });
    expect(response.status).toBe(201);
    return response.body as { position: string; loanId?: string };
  };
  const get = (url: string, as: TestUser, headers: Record<string, string> = {}) =>
    t.request({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}after=${after}`, as, headers });

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set(new Date('2026-01-15T02:00:00.000Z'));
    for (const record of january) await fileRecord(t, record, archivist);
    t.clock.set(new Date('2026-03-01T09:00:00.000Z'));
    for (const record of march) {
      await fileRecord(t, record, record.classification === 'PUBLIC' ? archivist : archivist2);
    }
    const { loanId } = await post(`/records/${salesContract.archiveCode}/loans`, salesperson, {
      mode: 'lend_out',
      purpose: '核对合同条款，准备续签谈判',
      days: 10,
    });
    await post(`/loans/${loanId}/approvals`, archiveHead, { decision: 'approve' });
    await post(`/loans/${loanId}/approvals`, salesHead, { decision: 'approve' });
    await post(`/loans/${loanId}/hand-over`, archivist);
    t.clock.set(new Date('2026-03-05T09:00:00.000Z'));
    after = (await post(`/loans/${loanId}/return`, archivist, { condition: 'intact' })).position;
  });
  afterAll(() => t.close());

  describe('GET /statistics/holdings', () => {
    it('counts the records in custody by category (the default)', async () => {
      const response = await get('/statistics/holdings', archivist2);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        by: ['category'],
        rows: [
          { category: 'KU', count: 1 },
          { category: 'WS', count: 3 },
          { category: 'ZY', count: 1 },
        ],
        total: 5,
      });
    });

    it('counts by several dimensions at once, in the order given', async () => {
      const response = await get('/statistics/holdings?by=year,retentionClass', archivist2);
      expect(response.body).toEqual({
        by: ['year', 'retentionClass'],
        rows: [
          { year: 2016, retentionClass: 'D10', count: 1 },
          { year: 2023, retentionClass: 'D30', count: 1 },
          { year: 2024, retentionClass: 'D30', count: 3 },
        ],
        total: 5,
      });
    });

    it('A2: counts only the records the caller may see', async () => {
      const byClassification = await get('/statistics/holdings?by=classification', salesperson);
      expect(byClassification.body).toEqual({
        by: ['classification'],
        rows: [
          { classification: 'INTERNAL', count: 2 },
          { classification: 'PUBLIC', count: 1 },
        ],
        total: 3,
      });
      const byCategory = await get('/statistics/holdings?by=category', salesperson);
      expect(byCategory.body.rows).toEqual([
        { category: 'WS', count: 2 },
        { category: 'ZY', count: 1 },
      ]);
    });

    it('answers a CSV file (UTF-8 with BOM, Chinese header row, a total row) with format=csv', async () => {
      const response = await get('/statistics/holdings?by=category,classification&format=csv', archivist2);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="holdings-by-category-classification.csv"',
      );
      const text = response.body as string;
      expect(text.charCodeAt(0)).toBe(0xfeff);
      expect(parseCsv(text.slice(1))).toEqual([
        ['门类', '密级', '数量'],
        ['KU', 'CONFIDENTIAL', '1'],
        ['WS', 'INTERNAL', '2'],
        ['WS', 'SECRET', '1'],
        ['ZY', 'PUBLIC', '1'],
        ['合计', '', '5'],
      ]);
    });

    it.each([['by=colour'], ['by=year,year'], ['by='], ['format=xml'], ['after=soon']])(
      'answers 400 naming the parameter for %s',
      async (query) => {
        const response = await t.request({
          method: 'GET',
          url: `/statistics/holdings?${query}`,
          as: archivist,
        });
        expect(response.status).toBe(400);
        expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual([query.split('=')[0]]);
      },
    );
  });

  describe('GET /statistics/activity', () => {
    const month = (m: string, counts: Partial<Record<string, number>> = {}) => ({
      month: m,
      intake: 0,
      loans: 0,
      returns: 0,
      destructions: 0,
      transfers: 0,
      ...counts,
    });

    it('counts intake, loans, returns, destructions and transfers for each month of the year', async () => {
      const response = await get('/statistics/activity?year=2026', archivist2);
      expect(response.status).toBe(200);
      expect(response.body.year).toBe(2026);
      expect(response.body.months).toHaveLength(12);
      expect(response.body.months[0]).toEqual(month('2026-01', { intake: 2 }));
      expect(response.body.months[1]).toEqual(month('2026-02'));
      expect(response.body.months[2]).toEqual(month('2026-03', { intake: 3, loans: 1, returns: 1 }));
      expect(response.body.months[11]).toEqual(month('2026-12'));
      expect(response.body.totals).toEqual({
        intake: 5,
        loans: 1,
        returns: 1,
        destructions: 0,
        transfers: 0,
      });
    });

    it('defaults to this year by the service clock; another year is empty', async () => {
      expect((await get('/statistics/activity', archivist2)).body.totals.intake).toBe(5);
      const lastYear = await get('/statistics/activity?year=2025', archivist2);
      expect(lastYear.body.totals).toEqual({
        intake: 0,
        loans: 0,
        returns: 0,
        destructions: 0,
        transfers: 0,
      });
      expect(lastYear.body.months[0].month).toBe('2025-01');
    });

    it('A2: counts only the records the caller may see', async () => {
      const response = await get('/statistics/activity?year=2026', salesperson);
      expect(response.body.months[0]).toEqual(month('2026-01', { intake: 2 }));
      expect(response.body.months[2]).toEqual(month('2026-03', { intake: 1, loans: 1, returns: 1 }));
      expect(response.body.totals.intake).toBe(3);
    });

    it('answers a CSV file when asked with Accept: text/csv, and it parses back to the same figures', async () => {
      const json = (await get('/statistics/activity?year=2026', archivist2)).body;
      const response = await get('/statistics/activity?year=2026', archivist2, { accept: 'text/csv' });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe('attachment; filename="activity-2026.csv"');
      const text = response.body as string;
      expect(text.startsWith('\ufeff月份,归档,借出,归还,销毁,移交\r\n')).toBe(true);
      const [header, ...rows] = parseCsv(text.slice(1));
      expect(header).toEqual(['月份', '归档', '借出', '归还', '销毁', '移交']);
      expect(rows).toHaveLength(13);
      const columns = ['intake', 'loans', 'returns', 'destructions', 'transfers'] as const;
      rows.slice(0, 12).forEach(([m, ...counts], i) => {
        expect([m, ...counts.map(Number)]).toEqual([
          json.months[i].month,
          ...columns.map((c) => json.months[i][c]),
        ]);
      });
      expect(rows[12]).toEqual(['合计', '5', '1', '1', '0', '0']);
    });

    it('format=json wins over an Accept header', async () => {
      const response = await get('/statistics/activity?year=2026&format=json', archivist2, {
        accept: 'text/csv',
      });
      expect(response.body.totals.intake).toBe(5);
    });

    it.each([['year=abc'], ['year=1800'], ['format=pdf']])(
      'answers 400 naming the parameter for %s',
      async (query) => {
        const response = await t.request({
          method: 'GET',
          url: `/statistics/activity?${query}`,
          as: archivist,
        });
        expect(response.status).toBe(400);
        expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual([query.split('=')[0]]);
      },
    );

    it('is open to any authenticated caller, and to nobody else', async () => {
      expect((await get('/statistics/activity', people.administrator)).status).toBe(200);
      expect((await t.request({ method: 'GET', url: '/statistics/activity' })).status).toBe(401);
    });
  });
});

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
