import { verifyChain } from '../../src/event-store/envelope';
import { people } from '../support/people';
import { filingBodyOf, plainRecord } from '../support/record-fixtures';
import { fileRecord } from '../support/filed-record';
import { startTestApp, type TestApp } from '../support/test-app';
import { printSummary } from './summary';

/**
 * Storage faults (issue 7, reliability 5), in process: the SQLite file under the running service
 * stops taking writes. SIMULATED at the SQLite level on the service's own connection, because this
 * suite must run anywhere (CI, as any user): `PRAGMA query_only` makes every write fail with
 * SQLITE_READONLY, exactly the error a read-only file gives; `PRAGMA max_page_count` caps the file
 * at its size, so writes fail with SQLITE_FULL, exactly the error SQLite gives when the disk
 * reports ENOSPC. A real full disk is exercised by storage-faults.e2e.spec.ts where mounting a
 * small tmpfs is permitted. Commands must fail with 503 and a message naming the fault, reads keep
 * working, nothing is half-written, and once the fault clears commands work again and every chain
 * verifies.
 */
const { archivist, salesperson } = people;
const RECORD = plainRecord('Z001-WS-2024-D30-BGS-0007', 'INTERNAL');

describe('reliability: storage faults under the running service (simulated in SQLite)', () => {
  let t: TestApp;
  const summary: string[] = [];
  let sequence = 100;
  beforeEach(async () => {
    t = await startTestApp();
    const filed = await fileRecord(t, RECORD, archivist);
    // The read models hold the record before the fault strikes.
    await t.request({ method: 'GET', url: `/records?after=${filed.body.position}`, as: archivist });
  });
  afterEach(() => t.close());
  afterAll(() => printSummary(`storage faults (simulated in SQLite): ${summary.join('; ')}`));

  const file = () =>
    t.request({
      method: 'POST',
      url: '/records',
      as: archivist,
      body: filingBodyOf({
        ...RECORD,
        archiveCode: `Z001-WS-2024-D30-BGS-${String(++sequence).padStart(4, '0')}`,
        title: `故障测试 ${sequence}`,
      }),
    });
  const requestLoan = () =>
    t.request({
      method: 'POST',
      url: `/records/${RECORD.archiveCode}/loans`,
      as: salesperson,
      body: { mode: 'reading_room', purpose: '故障期间查阅' },
    });
  const reads = async () => {
    const answers = await Promise.all([
      t.request({ method: 'GET', url: `/records/${RECORD.archiveCode}`, as: archivist }),
      t.request({ method: 'GET', url: '/records', as: archivist }),
      t.request({ method: 'GET', url: '/statistics/holdings?by=category', as: archivist }),
    ]);
    return answers.map((a) => a.status);
  };

  async function expectIntactAndRecovered(before: number) {
    const db = t.store.connection;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const all = await t.store.readAll({ limit: 1_000_000 });
    expect(all.map((e) => Number(e.position))).toEqual(all.map((_, i) => i + 1));
    for (const stream of new Set(all.map((e) => e.stream))) {
      expect(verifyChain(stream, await t.store.readStream(stream))).toBeUndefined();
    }
    // Recovered: commands work again, and the read models catch up with them.
    const filed = await file();
    expect(filed.status).toBe(201);
    expect(await t.eventCount()).toBe(before + 1);
    const caughtUp = await t.request({
      method: 'GET',
      url: `/records?after=${filed.body.position}`,
      as: archivist,
    });
    expect(caughtUp.status).toBe(200);
    expect(caughtUp.body.total).toBe(
      new Set(all.filter((e) => e.type === 'ArchiveFiled').map((e) => e.stream)).size + 1,
    );
  }

  it('read-only store: commands get 503 STORAGE_READ_ONLY saying so, reads keep working, nothing is written, and it recovers', async () => {
    const before = await t.eventCount();
    t.store.connection.pragma('query_only = ON');
    const refused = [await file(), await requestLoan(), await file()];
    for (const response of refused) {
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ error: 'STORAGE_READ_ONLY' });
      expect(response.body.message).toMatch(/read-only.*DATA_DIR.*Nothing was written/);
    }
    expect(await reads()).toEqual([200, 200, 200]);
    expect(await t.eventCount()).toBe(before);
    t.store.connection.pragma('query_only = OFF');
    await expectIntactAndRecovered(before);
    summary.push(
      `read-only: ${refused.length} commands → 503 STORAGE_READ_ONLY, reads 200, 0 written, recovered`,
    );
  });

  it('full store: commands get 503 STORAGE_FULL saying so, reads keep working, nothing is half-written, and it recovers', async () => {
    const db = t.store.connection;
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    // The last pages may still have room for a few events: fill them until the file is full.
    let acknowledged = 0;
    let first: Awaited<ReturnType<typeof file>> | undefined;
    for (let i = 0; i < 200 && first === undefined; i++) {
      const response = await file();
      if (response.status === 201) acknowledged++;
      else first = response;
    }
    expect(first?.status).toBe(503);
    const before = await t.eventCount();
    const refused = [first!, await file(), await requestLoan(), await file()];
    for (const response of refused) {
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ error: 'STORAGE_FULL' });
      expect(response.body.message).toMatch(/full.*DATA_DIR.*Nothing was written/);
    }
    expect(await reads()).toEqual([200, 200, 200]);
    expect(await t.eventCount()).toBe(before);
    db.pragma('max_page_count = 4294967294');
    await expectIntactAndRecovered(before);
    summary.push(
      `full: ${acknowledged} filings fitted, then ${refused.length} commands → 503 STORAGE_FULL, reads 200, 0 written, recovered`,
    );
  });
});
