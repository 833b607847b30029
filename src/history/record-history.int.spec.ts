import { configureVerifiedStreamCache } from '../event-store/read-verified-stream';
import { people } from '../../test/support/people';
import { filingBodyOf, plainRecord, salesContract } from '../../test/support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../../test/support/test-app';

/**
 * A record's history and its state at past moments, over HTTP on one running service: a sales
 * contract is filed, lent out under two approvals, returned and corrected; then compliance looks
 * back. Steps run in order and share one app and its clock. Every stream goes through the
 * verified-prefix cache here (by default only streams of 64 events and more do), so each answer
 * below is also an answer from the cache.
 */
describe('GET /records/{code}/history and /state (档案历史, two times, A1, A2)', () => {
  const {
    archivist,
    archivist2,
    salesperson,
    salesHead,
    archiveHead,
    complianceOfficer,
    auditor,
    securityOfficer,
  } = people;
  const CONTRACT = salesContract.archiveCode; // Z001-WS-2024-D30-SALES-0001, INTERNAL
  const SECRET = 'Z001-WS-2024-D30-BGS-0201';
  const TOP_SECRET = 'Z001-WS-2024-D30-BGS-0202';
  const LIFTED = 'Z001-WS-2024-D30-BGS-0203'; // filed CONFIDENTIAL, lifted to INTERNAL
  const LOAN = `${CONTRACT}.L1`;
  const HOUR = 60 * 60 * 1000;
  const newTitle = '华东精密机械有限公司2024年度供货合同（修订）';

  let t: TestApp;

  async function post(as: TestUser, url: string, body: unknown = {}) {
    const response = await t.request({ method: 'POST', url, as, body });
    expect({ url, status: response.status, body: response.body }).toMatchObject({ url, status: 201 });
    return response;
  }

  const get = (url: string, as: TestUser) => t.request({ method: 'GET', url, as });

  /** The request is refused as expected and writes nothing. */
  async function refused(url: string, as: TestUser, status: number, expected: Record<string, unknown>) {
    const before = await t.eventCount();
    const response = await get(url, as);
    expect({ status: response.status, body: response.body }).toMatchObject({ status, body: expected });
    expect(await t.eventCount()).toBe(before);
    return response;
  }

  const fieldsOf = (response: { body: { fields?: { field: string }[] } }) =>
    (response.body.fields ?? []).map((f) => f.field).sort();

  beforeAll(async () => {
    t = await startTestApp(); // clock at 2026-03-01T09:00Z
    configureVerifiedStreamCache(t.store, { minStreamEvents: 1 });
    await post(archivist, '/records', filingBodyOf(salesContract));
    t.clock.advance(HOUR); // 10:00 the salesperson asks to lend it for 10 days
    await post(salesperson, `/records/${CONTRACT}/loans`, {
      mode: 'lend_out',
      purpose: '核对合同条款',
      days: 10,
    });
    t.clock.advance(HOUR); // 11:00, 11:30 both approvals
    await post(archiveHead, `/loans/${LOAN}/approvals`, { decision: 'approve', opinion: '同意借出' });
    t.clock.advance(HOUR / 2);
    await post(salesHead, `/loans/${LOAN}/approvals`, { decision: 'approve', opinion: '同意' });
    t.clock.set(new Date('2026-03-02T09:00:00.000Z')); // handed over, due 12 March
    await post(archivist, `/loans/${LOAN}/hand-over`);
    t.clock.set(new Date('2026-03-05T09:00:00.000Z')); // back, intact
    await post(archivist, `/loans/${LOAN}/return`, { condition: 'intact' });
    t.clock.set(new Date('2026-03-06T09:00:00.000Z')); // a correction, approved by a second person (F5)
    await post(archivist, `/records/${CONTRACT}/corrections`, {
      changes: { title: newTitle },
      reason: '题名漏写“修订”',
    });
    t.clock.advance(HOUR);
    await post(archiveHead, `/records/${CONTRACT}/corrections/C1/decision`, {
      decision: 'approve',
      reason: '核对无误',
    });

    await post(archivist2, '/records', filingBodyOf(plainRecord(SECRET, 'SECRET')));
    await post(archivist2, '/records', filingBodyOf(plainRecord(TOP_SECRET, 'TOP_SECRET')));
    await post(archivist2, '/records', filingBodyOf(plainRecord(LIFTED, 'CONFIDENTIAL')));
    await post(securityOfficer, `/records/${LIFTED}/classification`, {
      classification: 'INTERNAL',
      grounds: '保密期满',
    });
    t.clock.set(new Date('2026-03-07T09:00:00.000Z'));
  });
  afterAll(() => t.close());

  describe('history', () => {
    it('F5: lists every event in order, with actor, roles, unit, reason, both times, a summary and the raw event', async () => {
      const before = await t.eventCount();
      const response = await get(`/records/${CONTRACT}/history`, complianceOfficer);
      expect(response.status).toBe(200);
      const { entries } = response.body;
      expect(entries.map((e: { type: string }) => e.type)).toEqual([
        'ArchiveFiled',
        'LoanRequested',
        'LoanApprovalGiven',
        'LoanApprovalGiven',
        'LoanApproved',
        'Borrowed',
        'Returned',
        'MetadataCorrectionProposed',
        'MetadataCorrected',
      ]);
      expect(entries.map((e: { revision: number }) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      expect(entries.map((e: { actor: { id: string } }) => e.actor.id)).toEqual([
        'wang.fang',
        'li.lei',
        'liu.yang',
        'zhao.qiang',
        'zhao.qiang',
        'wang.fang',
        'wang.fang',
        'wang.fang',
        'liu.yang',
      ]);
      expect(response.body).toMatchObject({
        archiveCode: CONTRACT,
        stream: `record-${CONTRACT}`,
        classification: 'INTERNAL',
        highestClassification: 'INTERNAL',
        eventsInStream: 9,
        nextRevision: null,
        viewRegistered: null,
        accessRegister: { stream: `access-${CONTRACT}` },
      });

      const [filed, , , , , borrowed, , , corrected] = entries;
      expect(filed).toMatchObject({
        actor: { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE' },
        reason: '归档',
        occurredAt: '2026-03-01T09:00:00.000Z',
        recordedAt: '2026-03-01T09:00:00.000Z',
        changes: null,
      });
      expect(filed.summary.zh).toContain(`档案管理员 wang.fang (archivist, ARCHIVE) 归档 ${CONTRACT}`);
      expect(borrowed.summary).toEqual({
        zh: `档案管理员 wang.fang (archivist, ARCHIVE) 借出 ${CONTRACT} 给 li.lei (SALES)（${LOAN}），应还日期 2026-03-12，代替卡置于 B-01-04-02`,
        en: `wang.fang (archivist, ARCHIVE) lent out ${CONTRACT} to li.lei (SALES) (${LOAN}), due 2026-03-12; substitute card at B-01-04-02`,
      });
      expect(borrowed.recordedAt).toBe('2026-03-02T09:00:00.000Z');
      expect(corrected.changes).toEqual([{ field: 'title', before: salesContract.title, after: newTitle }]);
      expect(corrected.summary.zh).toContain(`题名 由 「${salesContract.title}」 改为 「${newTitle}」`);
      expect(corrected.actor).toEqual({
        id: 'liu.yang',
        roles: ['archive_department_head', 'borrower'],
        unit: 'ARCHIVE',
      });

      // The raw event beside it, as stored and chained.
      const stored = await t.store.readStream(`record-${CONTRACT}`);
      entries.forEach((entry: { event: Record<string, unknown> }, i: number) => {
        expect(entry.event).toEqual({
          eventId: stored[i].eventId,
          stream: stored[i].stream,
          revision: stored[i].revision,
          position: stored[i].position,
          type: stored[i].type,
          data: stored[i].data,
          metadata: stored[i].metadata,
          hash: stored[i].hash,
        });
        if (i > 0) expect(stored[i].metadata.prevHash).toBe(entries[i - 1].event.hash);
      });
      expect(await t.eventCount()).toBe(before);
    });

    it('pages with fromRevision and limit', async () => {
      const response = await get(`/records/${CONTRACT}/history?fromRevision=5&limit=2`, auditor);
      expect(response.status).toBe(200);
      expect(response.body.entries.map((e: { type: string }) => e.type)).toEqual(['Borrowed', 'Returned']);
      expect(response.body.nextRevision).toBe(7);
      const rest = await get(`/records/${CONTRACT}/history?fromRevision=7`, auditor);
      expect(rest.body.entries.map((e: { revision: number }) => e.revision)).toEqual([7, 8]);
      expect(rest.body.nextRevision).toBeNull();
    });

    it('refuses bad paging parameters and unknown ones with 400 naming them', async () => {
      const bad = await refused(`/records/${CONTRACT}/history?fromRevision=-1&limit=0`, auditor, 400, {
        error: 'VALIDATION_FAILED',
      });
      expect(fieldsOf(bad)).toEqual(['fromRevision', 'limit']);
      const unknown = await refused(`/records/${CONTRACT}/history?actor=x`, auditor, 400, {});
      expect(fieldsOf(unknown)).toEqual(['actor']);
    });

    it('is for compliance officers, auditors, the archive and the security officer: a borrower gets 403', async () => {
      await refused(`/records/${CONTRACT}/history`, salesperson, 403, {
        error: 'FORBIDDEN',
        code: 'ROLE_REQUIRED',
      });
      for (const as of [archivist, archiveHead, securityOfficer]) {
        expect((await get(`/records/${CONTRACT}/history`, as)).status).toBe(200);
      }
    });

    it('answers 404 RECORD_NOT_FOUND for a code never filed, 400 for a malformed one', async () => {
      await refused('/records/Z001-WS-2024-D30-BGS-0999/history', auditor, 404, {
        error: 'RECORD_NOT_FOUND',
      });
      const malformed = await refused('/records/not-a-code/history', auditor, 400, {
        error: 'VALIDATION_FAILED',
      });
      expect(fieldsOf(malformed)).toEqual(['code']);
    });
  });

  describe('state at a past moment', () => {
    it('who held it on 3 March (as known then): the borrower, since, due, and the approvals with approver, role and policy version', async () => {
      const at = encodeURIComponent('2026-03-03T12:00:00+08:00');
      const response = await get(`/records/${CONTRACT}/state?at=${at}`, complianceOfficer);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        archiveCode: CONTRACT,
        asOf: { at: '2026-03-03T04:00:00.000Z', by: 'recorded', revision: null },
        classification: 'INTERNAL',
        currentClassification: 'INTERNAL',
        lastApplied: { revision: 5, type: 'Borrowed', recordedAt: '2026-03-02T09:00:00.000Z' },
        eventsApplied: 6,
        eventsInStream: 9,
        recordedAfterAt: [],
        viewRegistered: null,
        accessRegister: { stream: `access-${CONTRACT}` },
      });
      expect(response.body.asOf.meaning.en).toMatch(/as known at/);
      expect(response.body.custody).toEqual({
        status: 'on_loan',
        shelfLocation: 'B-01-04-02',
        missing: null,
        holders: [
          {
            loanId: LOAN,
            borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
            mode: 'lend_out',
            purpose: '核对合同条款',
            since: '2026-03-02T09:00:00.000Z',
            due: '2026-03-12T09:00:00.000Z',
            overdue: false,
            handedOverBy: { id: 'wang.fang', unit: 'ARCHIVE' },
            policyVersion: 1,
            approvals: [
              {
                role: 'archive_department_head',
                approver: { id: 'liu.yang', unit: 'ARCHIVE' },
                opinion: '同意借出',
                approvedAt: '2026-03-01T11:00:00.000Z',
                revision: 2,
              },
              {
                role: 'department_head',
                unit: 'SALES',
                approver: { id: 'zhao.qiang', unit: 'SALES' },
                opinion: '同意',
                approvedAt: '2026-03-01T11:30:00.000Z',
                revision: 3,
              },
            ],
            renewals: [],
          },
        ],
        summary: {
          zh: `li.lei (SALES) 持有（${LOAN}，自 2026-03-02 起，应还 2026-03-12），经 档案部门负责人 liu.yang、部门负责人 zhao.qiang 批准（审批策略第 1 版）；代替卡置于 B-01-04-02`,
          en: `Held by li.lei (SALES) (${LOAN}, since 2026-03-02, due 2026-03-12), approved by liu.yang (archive_department_head), zhao.qiang (department_head) (approval policy v1); substitute card at B-01-04-02`,
        },
      });
      expect(response.body.state).toMatchObject({
        status: 'filed',
        metadata: { archiveCode: CONTRACT, title: salesContract.title },
        loans: [{ loanId: LOAN, status: 'out', policyVersion: 1 }],
      });
    });

    it('by=occurred: the state as it was then (no command back-dates, so here it agrees with recorded)', async () => {
      const at = encodeURIComponent('2026-03-03T12:00:00+08:00');
      const response = await get(`/records/${CONTRACT}/state?at=${at}&by=occurred`, auditor);
      expect(response.status).toBe(200);
      expect(response.body.asOf).toMatchObject({ by: 'occurred' });
      expect(response.body.asOf.meaning.en).toMatch(/as it was at/);
      expect(response.body.lastApplied.revision).toBe(5);
      expect(response.body.custody.status).toBe('on_loan');
    });

    it('by recorded vs by occurred differ for a back-dated event: a hold placed on 3 March, entered on 6 March', async () => {
      const BACKDATED = 'Z001-WS-2024-D30-BGS-0204';
      t.clock.set(new Date('2026-03-02T09:00:00.000Z'));
      await post(archivist, '/records', filingBodyOf(plainRecord(BACKDATED, 'INTERNAL')));
      // No command back-dates today: written straight to the store, as an import would.
      t.clock.set(new Date('2026-03-06T09:00:00.000Z'));
      await t.store.append(
        `record-${BACKDATED}`,
        [
          {
            eventId: '00000000-0000-4000-8000-000000000204',
            type: 'HoldPlaced',
            data: {
              holdId: 'H1',
              kind: 'legal',
              reason: '诉讼保全',
              placedBy: { id: 'xu.he', unit: 'LEGAL' },
            },
            metadata: {
              actor: { id: 'xu.he', roles: ['compliance_officer'], unit: 'LEGAL' },
              reason: '补录：3月3日已口头通知冻结',
              occurredAt: '2026-03-03T09:00:00.000Z',
              correlationId: 'import-1',
              causationId: 'import-1',
              schemaVersion: 1,
            },
          },
        ],
        { expectedRevision: 0 },
      );
      t.clock.set(new Date('2026-03-07T09:00:00.000Z'));

      const url = `/records/${BACKDATED}/state?at=2026-03-04T00:00:00Z`;
      const known = await get(url, complianceOfficer);
      expect(known.status).toBe(200);
      expect(known.body).toMatchObject({
        lastApplied: { revision: 0 },
        recordedAfterAt: [],
        state: { holds: [] },
      });
      const was = await get(`${url}&by=occurred`, complianceOfficer);
      expect(was.status).toBe(200);
      expect(was.body).toMatchObject({
        asOf: { by: 'occurred' },
        lastApplied: { revision: 1, type: 'HoldPlaced' },
        recordedAfterAt: [1],
        state: { holds: [{ holdId: 'H1', kind: 'legal', active: true }] },
      });
      expect(was.body.custody.summary.zh).toBe('在库，存放于 A-03-02-15；冻结中（H1）');

      const history = await get(`/records/${BACKDATED}/history`, complianceOfficer);
      expect(history.body.entries[1]).toMatchObject({
        occurredAt: '2026-03-03T09:00:00.000Z',
        recordedAt: '2026-03-06T09:00:00.000Z',
        reason: '补录：3月3日已口头通知冻结',
      });
    });

    it('after the return and the correction: in custody, with the corrected title', async () => {
      const response = await get(`/records/${CONTRACT}/state?at=2026-03-06T12:00:00Z`, archivist);
      expect(response.status).toBe(200);
      expect(response.body.custody).toMatchObject({ status: 'in_custody', holders: [] });
      expect(response.body.custody.summary.zh).toBe('在库，存放于 B-01-04-02');
      expect(response.body.state.metadata.title).toBe(newTitle);
      expect(response.body.state.loans[0]).toMatchObject({ status: 'returned', condition: 'intact' });
    });

    it('by revision: the state right after that event; no parameter: the latest', async () => {
      const approved = await get(`/records/${CONTRACT}/state?revision=4`, auditor);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        asOf: { at: null, by: null, revision: 4 },
        lastApplied: { revision: 4, type: 'LoanApproved' },
        custody: { status: 'in_custody' },
        state: { loans: [{ status: 'approved' }] },
      });
      const proposed = await get(`/records/${CONTRACT}/state?revision=7`, auditor);
      expect(proposed.body.state.pendingCorrection).toMatchObject({
        correctionId: 'C1',
        after: { title: newTitle },
      });
      expect(proposed.body.state.metadata.title).toBe(salesContract.title);
      const latest = await get(`/records/${CONTRACT}/state`, auditor);
      expect(latest.body).toMatchObject({ lastApplied: { revision: 8 }, eventsApplied: 9 });
      expect(latest.body.state.metadata.title).toBe(newTitle);
    });

    it('before the filing: 404 NOT_FILED_YET saying so; a revision the stream lacks: 404 REVISION_NOT_FOUND', async () => {
      const early = await refused(`/records/${CONTRACT}/state?at=2026-03-01T08:59:59Z`, auditor, 404, {
        error: 'NOT_FILED_YET',
      });
      expect(early.body.message).toBe(
        `${CONTRACT} was not filed yet at 2026-03-01T08:59:59.000Z (recorded): ask for a later moment`,
      );
      await refused(`/records/${CONTRACT}/state?revision=9`, auditor, 404, { error: 'REVISION_NOT_FOUND' });
      await refused('/records/Z001-WS-2024-D30-BGS-0999/state?revision=0', auditor, 404, {
        error: 'RECORD_NOT_FOUND',
      });
    });

    it.each([
      ['at=2026-03-03', ['at']],
      ['at=yesterday', ['at']],
      ['at=2026-02-30T10:00:00Z', ['at']],
      ['at=2026-03-08T09:00:00Z', ['at']], // in the future: the clock is at 7 March
      ['revision=-1', ['revision']],
      ['revision=abc', ['revision']],
      ['revision=1.5', ['revision']],
      ['by=recorded', ['by']],
      ['at=2026-03-03T00:00:00Z&by=written', ['by']],
      ['at=2026-03-03T00:00:00Z&revision=2', ['at', 'revision']],
      ['when=2026-03-03T00:00:00Z', ['when']],
    ])('refuses %s with 400 naming %j, writing nothing', async (query, fields) => {
      const response = await refused(`/records/${CONTRACT}/state?${query}`, auditor, 400, {
        error: 'VALIDATION_FAILED',
      });
      expect(fieldsOf(response)).toEqual(fields);
    });
  });

  describe('clearance (A2) and the access register (A1)', () => {
    it('A2: a record above the caller’s clearance does not exist for them: 404, nothing written', async () => {
      // archivist: SECRET clearance
      await refused(`/records/${TOP_SECRET}/history?purpose=x`, archivist, 404, {
        error: 'RECORD_NOT_FOUND',
      });
      await refused(`/records/${TOP_SECRET}/state?revision=0&purpose=x`, archivist, 404, {
        error: 'RECORD_NOT_FOUND',
      });
      await refused(`/records/${TOP_SECRET}/state?revision=5&purpose=x`, archivist, 404, {
        error: 'RECORD_NOT_FOUND',
      });
      const seen = await get(
        `/records/${TOP_SECRET}/history?purpose=${encodeURIComponent('合规检查')}`,
        complianceOfficer,
      );
      expect(seen.status).toBe(200);
      expect(seen.body.classification).toBe('TOP_SECRET');
    });

    it('A2: a record visible now but classified above the caller’s clearance at the moment shown: 403 ABOVE_CLEARANCE', async () => {
      // LIFTED was CONFIDENTIAL (revision 0) and is INTERNAL now (revision 1); the archivist is cleared for SECRET.
      await refused(`/records/${LIFTED}/history?purpose=x`, archivist, 403, {
        error: 'ABOVE_CLEARANCE',
        rule: 'A2',
      });
      await refused(`/records/${LIFTED}/state?revision=0&purpose=x`, archivist, 403, {
        error: 'ABOVE_CLEARANCE',
        rule: 'A2',
      });
      const now = await get(`/records/${LIFTED}/state?revision=1`, archivist);
      expect(now.status).toBe(200);
      expect(now.body).toMatchObject({ classification: 'INTERNAL', viewRegistered: null });
    });

    it('A1: the history of a SECRET record needs a purpose: 400 naming purpose, nothing written', async () => {
      for (const url of [
        `/records/${SECRET}/history`,
        `/records/${SECRET}/history?purpose=%20%20`,
        `/records/${SECRET}/state`,
      ]) {
        const response = await refused(url, complianceOfficer, 400, {
          error: 'PURPOSE_REQUIRED',
          rule: 'A1',
        });
        expect(fieldsOf(response)).toEqual(['purpose']);
      }
    });

    it('A1: with a purpose, the history view is registered under the viewer before the answer', async () => {
      const purpose = '合规检查：核对保密档案流转';
      const response = await get(
        `/records/${SECRET}/history?purpose=${encodeURIComponent(purpose)}`,
        complianceOfficer,
      );
      expect(response.status).toBe(200);
      expect(response.body.viewRegistered).toEqual({
        stream: `access-${SECRET}`,
        position: expect.any(String),
      });
      const [viewed] = await t.store.readStream(`access-${SECRET}`, { direction: 'backwards', limit: 1 });
      expect(viewed).toMatchObject({
        type: 'RecordDetailViewed',
        data: { archiveCode: SECRET, purpose, classification: 'SECRET', view: 'history' },
        metadata: { actor: { id: 'xu.he', roles: ['compliance_officer'], unit: 'LEGAL' }, reason: purpose },
      });
      // The access register is its own stream: the record's history does not list views.
      expect(response.body.entries.map((e: { type: string }) => e.type)).toEqual(['ArchiveFiled']);
    });

    it('A1: a past state of a SECRET record is registered too, naming the moment shown', async () => {
      const response = await get(
        `/records/${SECRET}/state?revision=0&purpose=${encodeURIComponent('年度检查')}`,
        auditor,
      );
      expect(response.status).toBe(200);
      expect(response.body.viewRegistered.stream).toBe(`access-${SECRET}`);
      const [viewed] = await t.store.readStream(`access-${SECRET}`, { direction: 'backwards', limit: 1 });
      expect(viewed.data).toEqual({
        archiveCode: SECRET,
        purpose: '年度检查',
        classification: 'SECRET',
        view: 'past_state',
        asOf: 'revision 0',
      });
      expect(viewed.metadata.actor.id).toBe('lin.shen');
    });
  });

  it('a history read again shows the events appended since, and the same entries before them', async () => {
    const before = await get(`/records/${CONTRACT}/history`, complianceOfficer);
    expect(before.status).toBe(200);
    t.clock.set(new Date('2026-03-08T09:00:00.000Z'));
    await post(salesperson, `/records/${CONTRACT}/loans`, {
      mode: 'reading_room',
      purpose: '再次核对',
      days: 1,
    });
    const after = await get(`/records/${CONTRACT}/history`, complianceOfficer);
    expect(after.status).toBe(200);
    expect(after.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(after.body.eventsInStream).toBe(before.body.eventsInStream + 1);
    expect(after.body.entries.slice(0, -1)).toEqual(before.body.entries);
    expect(after.body.entries.at(-1)).toMatchObject({
      revision: before.body.eventsInStream,
      type: 'LoanRequested',
      actor: { id: salesperson.user },
      recordedAt: '2026-03-08T09:00:00.000Z',
    });
    const page = await get(`/records/${CONTRACT}/history?fromRevision=2&limit=3`, complianceOfficer);
    expect(page.body.entries).toEqual(after.body.entries.slice(2, 5));
    expect(page.body.nextRevision).toBe(5);
  });

  it('answers 503 INTEGRITY_FAULT rather than replay a stream whose stored history was altered', async () => {
    // Read (and so kept in the verified-prefix cache) before it is altered.
    expect((await get(`/records/${CONTRACT}/history`, auditor)).status).toBe(200);
    const db = t.store.connection;
    db.exec('DROP TRIGGER events_are_never_updated');
    db.prepare(
      "UPDATE events SET canonical = CAST(replace(CAST(canonical AS TEXT), '核对合同条款', '伪造借阅目的') AS BLOB) WHERE stream = ?",
    ).run(`record-${CONTRACT}`);
    const history = await get(`/records/${CONTRACT}/history`, auditor);
    expect(history.status).toBe(503);
    expect(history.body).toMatchObject({ error: 'INTEGRITY_FAULT' });
    expect(history.body.message).toMatch(new RegExp(`record-${CONTRACT} fails verification at revision 1`));
    const state = await get(`/records/${CONTRACT}/state?revision=0`, auditor);
    expect(state.status).toBe(503);
    const verify = await get(`/audit/verify?stream=record-${CONTRACT}`, auditor);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({
      verified: false,
      fault: { stream: `record-${CONTRACT}`, revision: 1 },
    });
  });
});
