import * as fs from 'node:fs';
import { FixedClock } from '../../src/clock/clock';
import { SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';
import { READ_MODELS, READ_MODELS_SOURCE } from '../../src/projections/read-models';
import { rebuildReadModels } from '../../src/projections/rebuild';
import { SqliteReadStore } from '../../src/read-store/embedded/sqlite-read-store';
import type { ReadDoc, ReadStore } from '../../src/read-store/read-store.port';
import { people } from '../support/people';
import { filingBodyOf, plainRecord, salesContract } from '../support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app';

/** Every document of every read model, in id order. */
async function dumpAll(reads: ReadStore): Promise<Record<string, ReadDoc[]>> {
  const all: Record<string, ReadDoc[]> = {};
  for (const model of READ_MODELS) {
    const name = model.collection.name;
    all[name] = [];
    let cursor: string | undefined;
    do {
      const page = await reads.find(name, { limit: 1000, ...(cursor ? { cursor } : {}) });
      all[name].push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
  }
  return all;
}

/**
 * A rebuild from zero gives exactly the read models the live projection built: a realistic
 * history is written over HTTP while the projector follows it live, then the read models are
 * rebuilt from the first event — all of them, then one — and compared document by document.
 */
describe('read models: a rebuild from zero equals the live projection', () => {
  const {
    archivist,
    archivist2,
    salesperson,
    salesHead,
    archiveHead,
    securityOfficer,
    complianceOfficer,
    auditor,
  } = people;
  const SECRET = plainRecord('Z001-WS-2024-D30-BGS-0201', 'SECRET');
  let t: TestApp;
  let live: Record<string, ReadDoc[]>;
  let lastPosition = '0';

  beforeAll(async () => {
    t = await startTestApp({}, { keepData: true });
    const act = async (as: TestUser, url: string, body: unknown = {}, method: 'POST' | 'GET' = 'POST') => {
      const response = await t.request({ method, url, as, ...(method === 'POST' ? { body } : {}) });
      expect([200, 201]).toContain(response.status);
      if (response.body.position) lastPosition = response.body.position;
      return response.body;
    };
    await act(archivist, '/records', filingBodyOf(salesContract));
    await act(archivist2, '/records', filingBodyOf(SECRET));
    for (let i = 0; i < 3; i++) {
      await act(
        archivist,
        '/records',
        filingBodyOf({ ...salesContract, archiveCode: 'Z001-WS-2024-D30-SALES', title: `客户合同档案 ${i}` }),
      );
    }
    const { loanId } = await act(salesperson, `/records/${salesContract.archiveCode}/loans`, {
      mode: 'lend_out',
      purpose: '核对合同条款',
      days: 10,
    });
    await act(archiveHead, `/loans/${loanId}/approvals`, { decision: 'approve', opinion: '同意' });
    await act(salesHead, `/loans/${loanId}/approvals`, { decision: 'approve' });
    await act(archivist, `/loans/${loanId}/hand-over`);
    t.clock.advance(12 * 24 * 60 * 60 * 1000);
    await act(archivist, `/loans/${loanId}/reminders`, { channel: 'phone' });
    await act(archivist, `/loans/${loanId}/return`, { condition: 'damaged', note: '第3页破损' });
    await act(salesperson, `/loans/${loanId}/utilisation`, { usedFor: '合同续签谈判', effect: '续签完成' });
    const { correctionId } = await act(archivist, `/records/${salesContract.archiveCode}/corrections`, {
      changes: { title: '华东精密机械有限公司2024年度供货合同（更正）' },
      reason: '题名有误',
    });
    await act(archiveHead, `/records/${salesContract.archiveCode}/corrections/${correctionId}/decision`, {
      decision: 'approve',
    });
    await act(securityOfficer, `/records/${SECRET.archiveCode}/classification`, {
      classification: 'CONFIDENTIAL',
      grounds: '涉及核心商业秘密',
    });
    const { holdId } = await act(complianceOfficer, `/records/${salesContract.archiveCode}/holds`, {
      kind: 'legal',
      reason: '合同纠纷诉讼',
    });
    await act(complianceOfficer, `/records/${salesContract.archiveCode}/holds/${holdId}/release`, {
      reason: '诉讼结束',
    });
    // ── Transfer and stock-taking (X1, X2): a list drafted with one item, a stock-take closed.
    const { transferId } = await act(archivist, '/transfers', {
      receiver: { organisation: '上海市档案馆', representative: '周明' },
      basis: '进馆移交',
    });
    await act(archivist, `/transfers/${transferId}/items`, { archiveCode: salesContract.archiveCode });
    const { stockTakeId } = await act(archivist, '/stock-takes', { locations: ['Z-99'] });
    await act(archivist, `/stock-takes/${stockTakeId}/findings`, {
      findings: [{ archiveCode: 'Z001-WS-2024-D30-BGS-0999', location: 'Z-99-01' }],
    });
    await act(archivist, `/stock-takes/${stockTakeId}/closure`, {});
    // ── Appraisal and destruction (R4, R5, D1–D8): a destruction list drafted.
    await act(archivist, '/destruction-lists', {
      title: '2026年第一批到期档案销毁清册',
      businessUnit: 'SALES',
    });
    // ── A second loan left awaiting the SALES head, after the archive head approved (B3: `awaiting`).
    const { loanId: pending } = await act(salesperson, `/records/${salesContract.archiveCode}/loans`, {
      mode: 'lend_out',
      purpose: '再次核对合同条款',
      days: 5,
    });
    await act(archiveHead, `/loans/${pending}/approvals`, { decision: 'approve' });
    await act(
      auditor,
      `/records/${SECRET.archiveCode}?purpose=${encodeURIComponent('年度审计')}`,
      undefined,
      'GET',
    );
    // Every write is in the read models before the service stops.
    expect(
      (await t.request({ method: 'GET', url: `/records?after=${lastPosition}`, as: auditor })).status,
    ).toBe(200);
    await t.close();

    const store = SqliteEventStore.open({ dataDir: t.dataDir, clock: new FixedClock(new Date()) });
    const reads = SqliteReadStore.open(store);
    try {
      live = await dumpAll(reads);
    } finally {
      await reads.close();
      await store.close();
    }
  });

  afterAll(() => fs.rmSync(t.dataDir, { recursive: true, force: true }));

  async function withStores<T>(work: (store: SqliteEventStore, reads: ReadStore) => Promise<T>): Promise<T> {
    const store = SqliteEventStore.open({ dataDir: t.dataDir, clock: new FixedClock(new Date()) });
    const reads = SqliteReadStore.open(store);
    try {
      return await work(store, reads);
    } finally {
      await reads.close();
      await store.close();
    }
  }

  it('the live projection holds every read model of the story', () => {
    expect(live.catalogue).toHaveLength(5);
    expect(live.loan_ledger.filter((d) => d.loanId)).toHaveLength(2);
    expect(live.loan_ledger.filter((d) => d.awaiting)).toEqual([
      expect.objectContaining({
        awaiting: expect.objectContaining({
          approvers: ['department_head@SALES'],
          barred: ['li.lei', 'liu.yang'],
        }),
      }),
    ]);
    expect(live.access_register).toHaveLength(1);
    expect(Object.values(live).every((docs) => docs.length > 0)).toBe(true);
  });

  /** On this thread, and on a projection worker thread as `archive-ledger projections rebuild` runs it. */
  const threads = [
    ['', {}],
    [' on a projection worker thread', { worker: READ_MODELS_SOURCE }],
  ] as const;

  it.each(threads)(
    'rebuilding every read model from zero%s gives exactly the same documents',
    async (_, how) => {
      const rebuilt = await withStores(async (store, reads) => {
        await rebuildReadModels(store, reads, READ_MODELS, { batchSize: 7, ...how });
        return dumpAll(reads);
      });
      expect(rebuilt).toEqual(live);
    },
  );

  it.each(
    threads.flatMap(([where, how]) => READ_MODELS.map((m) => [m.collection.name, where, how] as const)),
  )('rebuilding %s alone%s gives the same documents', async (name, _, how) => {
    const rebuilt = await withStores(async (store, reads) => {
      await rebuildReadModels(store, reads, READ_MODELS, { only: name, batchSize: 3, ...how });
      return dumpAll(reads);
    });
    expect(rebuilt).toEqual(live);
  });
});
