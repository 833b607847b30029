import { people } from '../support/people';
import { filingBodyOf, plainRecord, salesContract } from '../support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app';

/**
 * The loan story of docs/loans.md, told over HTTP on one running service: a sales contract is lent
 * out, renewed, falls overdue, comes back damaged and its use is recorded; a CONFIDENTIAL record
 * waits for the general manager; an external auditor consults in the reading room only.
 * Steps run in order and share one app.
 */
describe('Story: lending out a sales contract, a confidential record and an external audit (B1–B13)', () => {
  const {
    archivist,
    archivist2,
    salesperson,
    engineer,
    salesHead,
    financeHead,
    archiveHead,
    generalManager,
  } = people;
  const CONTRACT = salesContract.archiveCode; // Z001-WS-2024-D30-SALES-0001
  const CONFIDENTIAL = 'Z001-WS-2024-D30-BGS-0101';
  const DAY = 24 * 60 * 60 * 1000;

  let t: TestApp;
  /** Every accepted write of the story: who made it, and which stream revisions it produced. */
  const writes: { user: string; stream: string; revision: number; count: number }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function act(as: TestUser, url: string, body?: unknown) {
    const response = await t.request({ method: 'POST', url, as, ...(body !== undefined ? { body } : {}) });
    if (response.status === 201) {
      writes.push({
        user: as.user,
        stream: response.body.stream,
        revision: response.body.revision,
        count: response.body.events.length,
      });
    }
    return response;
  }

  /** The request is refused as expected and nothing is written. */
  async function refused(
    as: TestUser,
    url: string,
    body: unknown,
    status: number,
    expected: Record<string, unknown>,
  ) {
    const before = await t.eventCount();
    const response = await act(as, url, body);
    expect({ status: response.status, body: response.body }).toMatchObject({ status, body: expected });
    expect(await t.eventCount()).toBe(before);
    return response;
  }

  async function lastEvent(code: string, type?: string) {
    const events = await t.store.readStream(`record-${code}`);
    const matching = type ? events.filter((e) => e.type === type) : events;
    return matching[matching.length - 1];
  }

  // ── The sales contract ──────────────────────────────────────────────────────────────────────
  let loan: string;

  it('F1: the archivist files the sales department’s client contract', async () => {
    const response = await act(archivist, '/records', filingBodyOf(salesContract));
    expect(response.status).toBe(201);
    expect(response.body.archiveCode).toBe(CONTRACT);
  });

  it('B1: the salesperson asks to lend it out for 10 days; the loan is registered under their own name', async () => {
    const response = await act(salesperson, `/records/${CONTRACT}/loans`, {
      mode: 'lend_out',
      purpose: '核对合同条款，准备续签谈判',
      days: 10,
    });
    expect(response.status).toBe(201);
    expect(response.body.events).toEqual(['LoanRequested']);
    loan = response.body.loanId;
    expect(loan).toBe(`${CONTRACT}.L1`);
    const requested = await lastEvent(CONTRACT, 'LoanRequested');
    expect(requested.data).toMatchObject({
      borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
      mode: 'lend_out',
      purpose: '核对合同条款，准备续签谈判',
      days: 10,
    });
  });

  it('B3, B4, B6: it needs the archive department head and the SALES department head, under policy version 1', async () => {
    const requested = await lastEvent(CONTRACT, 'LoanRequested');
    expect(requested.data.policyVersion).toBe(1);
    expect(requested.metadata.policyVersion).toBe(1);
    expect(requested.data.requiredApprovals).toEqual([
      { role: 'archive_department_head', because: ['B4.lend-out'] },
      // B4 (over 2 days: the borrower's head) and B6 (own client record: its department's head) ask for the same person.
      {
        role: 'department_head',
        unit: 'SALES',
        because: ['B4.lend-out-over-2-days', 'B6.own-client-records'],
      },
    ]);
  });

  it('B3: the salesperson cannot approve their own loan: they hold no approving role', async () => {
    await refused(salesperson, `/loans/${loan}/approvals`, { decision: 'approve' }, 403, {
      error: 'FORBIDDEN',
      code: 'ROLE_REQUIRED',
    });
  });

  it('B3: the finance head cannot approve it: a department head of the wrong unit', async () => {
    await refused(financeHead, `/loans/${loan}/approvals`, { decision: 'approve' }, 403, {
      error: 'NOT_A_REQUIRED_APPROVER',
    });
  });

  it('B3: nor does a head approve a request of his own: the sales head, consulting the contract himself, is refused', async () => {
    const own = await act(salesHead, `/records/${CONTRACT}/loans`, {
      mode: 'reading_room',
      purpose: '查看合同附件',
    });
    expect(own.status).toBe(201);
    await refused(salesHead, `/loans/${own.body.loanId}/approvals`, { decision: 'approve' }, 422, {
      error: 'SELF_APPROVAL',
      rule: 'B3',
    });
    expect(
      (await act(salesHead, `/loans/${own.body.loanId}/withdrawal`, { reason: '改由李雷一并核对' })).status,
    ).toBe(201);
  });

  it('B3: the archive department head and the sales department head approve, each under their own identity', async () => {
    const first = await act(archiveHead, `/loans/${loan}/approvals`, {
      decision: 'approve',
      opinion: '同意借出，请按期归还',
    });
    expect(first.status).toBe(201);
    expect(first.body.events).toEqual(['LoanApprovalGiven']);
    const second = await act(salesHead, `/loans/${loan}/approvals`, { decision: 'approve', opinion: '同意' });
    expect(second.status).toBe(201);
    expect(second.body.events).toEqual(['LoanApprovalGiven', 'LoanApproved']);
    const approved = await lastEvent(CONTRACT, 'LoanApproved');
    expect(approved.data.approvals).toEqual([
      {
        role: 'archive_department_head',
        approver: { id: 'liu.yang', unit: 'ARCHIVE' },
        opinion: '同意借出，请按期归还',
      },
      {
        role: 'department_head',
        unit: 'SALES',
        approver: { id: 'zhao.qiang', unit: 'SALES' },
        opinion: '同意',
      },
    ]);
  });

  it('B1, B11: the archivist hands it over: due in 10 days, a substitute card at its shelf', async () => {
    const response = await act(archivist, `/loans/${loan}/hand-over`);
    expect(response.status).toBe(201);
    const borrowed = await lastEvent(CONTRACT, 'Borrowed');
    expect(borrowed.data).toMatchObject({
      borrower: { type: 'staff', id: 'li.lei' },
      handedOverBy: { id: 'wang.fang' },
      handedOverAt: '2026-03-01T09:00:00.000Z',
      dueAt: '2026-03-11T09:00:00.000Z',
      shelfLocation: 'B-01-04-02',
    });
  });

  it('B8: the salesperson renews for 5 days; the renewal needs the same two heads again', async () => {
    t.clock.advance(7 * DAY);
    const response = await act(salesperson, `/loans/${loan}/renewals`, {
      extraDays: 5,
      reason: '续签谈判延期，需继续核对条款',
    });
    expect(response.status).toBe(201);
    expect(response.body.events).toEqual(['LoanRenewalRequested']);
    const renewal = await lastEvent(CONTRACT, 'LoanRenewalRequested');
    expect(renewal.data).toMatchObject({ renewal: 1, extraDays: 5, totalDays: 15, policyVersion: 1 });
    expect(renewal.data.requiredApprovals).toEqual([
      { role: 'archive_department_head', because: ['B4.lend-out'] },
      {
        role: 'department_head',
        unit: 'SALES',
        because: ['B4.lend-out-over-2-days', 'B6.own-client-records'],
      },
    ]);
  });

  it('B8: both heads approve the renewal; the loan is now due 15 days after hand-over', async () => {
    expect((await act(archiveHead, `/loans/${loan}/approvals`, { decision: 'approve' })).status).toBe(201);
    const last = await act(salesHead, `/loans/${loan}/approvals`, { decision: 'approve' });
    expect(last.status).toBe(201);
    expect(last.body.events).toEqual(['LoanRenewalApprovalGiven', 'LoanRenewed']);
    const renewed = await lastEvent(CONTRACT, 'LoanRenewed');
    expect(renewed.data).toMatchObject({
      previousDueAt: '2026-03-11T09:00:00.000Z',
      dueAt: '2026-03-16T09:00:00.000Z',
      totalDays: 15,
    });
  });

  it('B9: before the due date a reminder is refused', async () => {
    await refused(archivist, `/loans/${loan}/reminders`, { channel: 'phone' }, 422, {
      error: 'LOAN_NOT_OVERDUE',
      rule: 'B9',
    });
  });

  it('B9: the clock passes the due date and the archivist records a reminder', async () => {
    t.clock.set(new Date('2026-03-16T15:00:00.000Z'));
    const response = await act(archivist, `/loans/${loan}/reminders`, {
      channel: 'phone',
      note: '电话催还，借阅人承诺本周五前归还',
    });
    expect(response.status).toBe(201);
    const reminder = await lastEvent(CONTRACT, 'OverdueReminderSent');
    expect(reminder.data).toMatchObject({ dueAt: '2026-03-16T09:00:00.000Z', daysOverdue: 1, reminder: 1 });
  });

  it('B10: the archivist checks the return in person and records it as damaged; the damage is reported on the record', async () => {
    t.clock.set(new Date('2026-03-18T10:00:00.000Z'));
    const response = await act(archivist, `/loans/${loan}/return`, {
      condition: 'damaged',
      note: '第3页右下角有水渍',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ events: ['Returned', 'DamageReported'], reportId: 'D1' });
    expect((await lastEvent(CONTRACT, 'Returned')).data).toMatchObject({
      condition: 'damaged',
      note: '第3页右下角有水渍',
      overdueDays: 3,
      receivedBy: { id: 'wang.fang' },
    });
    expect((await lastEvent(CONTRACT, 'DamageReported')).data).toEqual({
      reportId: 'D1',
      loanId: loan,
      condition: 'damaged',
      description: '第3页右下角有水渍',
      reportedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
    });
  });

  it('B13: the salesperson records what the contract was used for and what it achieved', async () => {
    const response = await act(salesperson, `/loans/${loan}/utilisation`, {
      usedFor: '合同续签谈判',
      effect: '据此核实了供货条款，续签顺利完成',
    });
    expect(response.status).toBe(201);
    expect((await lastEvent(CONTRACT, 'UtilisationRecorded')).data).toMatchObject({
      usedFor: '合同续签谈判',
      effect: '据此核实了供货条款，续签顺利完成',
      recordedBy: { id: 'li.lei' },
    });
  });

  // ── A CONFIDENTIAL record ───────────────────────────────────────────────────────────────────
  let secretLoan: string;

  it('F1: an archivist cleared for it files a CONFIDENTIAL record', async () => {
    const response = await act(
      archivist2,
      '/records',
      filingBodyOf(plainRecord(CONFIDENTIAL, 'CONFIDENTIAL')),
    );
    expect(response.status).toBe(201);
  });

  it('B5: the engineer (cleared CONFIDENTIAL) asks to lend it out; it needs the general manager too', async () => {
    const response = await act(engineer, `/records/${CONFIDENTIAL}/loans`, {
      mode: 'lend_out',
      purpose: '核对技术协议',
    });
    expect(response.status).toBe(201);
    secretLoan = response.body.loanId;
    const requested = await lastEvent(CONFIDENTIAL, 'LoanRequested');
    expect(requested.data).toMatchObject({ days: 7, classification: 'CONFIDENTIAL' });
    expect(requested.data.requiredApprovals).toEqual([
      { role: 'archive_department_head', because: ['B4.lend-out'] },
      { role: 'department_head', unit: 'SALES', because: ['B4.lend-out-over-2-days'] },
      { role: 'general_manager', because: ['B5.classified-lend-out'] },
    ]);
  });

  it('A2: the salesperson (INTERNAL clearance) asking for it is told it does not exist', async () => {
    await refused(
      salesperson,
      `/records/${CONFIDENTIAL}/loans`,
      { mode: 'reading_room', purpose: '查阅' },
      404,
      {
        error: 'RECORD_NOT_FOUND',
      },
    );
  });

  it('B5: with the archive head and the sales head only, the hand-over is refused and nothing is written', async () => {
    expect((await act(archiveHead, `/loans/${secretLoan}/approvals`, { decision: 'approve' })).status).toBe(
      201,
    );
    expect((await act(salesHead, `/loans/${secretLoan}/approvals`, { decision: 'approve' })).status).toBe(
      201,
    );
    await refused(archivist2, `/loans/${secretLoan}/hand-over`, undefined, 422, {
      error: 'LOAN_NOT_APPROVED',
      rule: 'B5',
    });
  });

  it('B5: once the general manager approves, the cleared archivist hands it over', async () => {
    const gm = await act(generalManager, `/loans/${secretLoan}/approvals`, { decision: 'approve' });
    expect(gm.body.events).toEqual(['LoanApprovalGiven', 'LoanApproved']);
    expect((await act(archivist2, `/loans/${secretLoan}/hand-over`)).status).toBe(201);
  });

  // ── An external auditor (外单位) ─────────────────────────────────────────────────────────────
  const auditorVisitor = {
    name: '张审计',
    organisation: '立信会计师事务所',
    introductionLetterRef: '京审函〔2026〕18号',
  };
  let externalLoan: string;

  it('B7: an external auditor may not take the contract out of the reading room', async () => {
    await refused(
      archivist,
      `/records/${CONTRACT}/loans`,
      { mode: 'lend_out', purpose: '年度审计核对合同', externalBorrower: auditorVisitor },
      422,
      { error: 'EXTERNAL_READING_ROOM_ONLY', rule: 'B7' },
    );
  });

  it('B7: without an introduction letter the external auditor is not registered', async () => {
    const { introductionLetterRef: _none, ...withoutLetter } = auditorVisitor;
    await refused(
      archivist,
      `/records/${CONTRACT}/loans`,
      { mode: 'reading_room', purpose: '年度审计核对合同', externalBorrower: withoutLetter },
      422,
      { error: 'INTRODUCTION_LETTER_REQUIRED', rule: 'B7' },
    );
  });

  it("B7: in the reading room, with the letter recorded, the loan needs the general manager's approval", async () => {
    const response = await act(archivist, `/records/${CONTRACT}/loans`, {
      mode: 'reading_room',
      purpose: '年度审计核对合同',
      externalBorrower: auditorVisitor,
    });
    expect(response.status).toBe(201);
    externalLoan = response.body.loanId;
    expect(externalLoan).toBe(`${CONTRACT}.L3`);
    const requested = await lastEvent(CONTRACT, 'LoanRequested');
    expect(requested.data).toMatchObject({
      borrower: { type: 'external', ...auditorVisitor },
      requestedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
      mode: 'reading_room',
      requiredApprovals: [{ role: 'general_manager', because: ['B7.external'] }],
    });
  });

  it('B7, B10: the general manager approves, the archivist hands it over in the reading room and receives it back intact', async () => {
    const gm = await act(generalManager, `/loans/${externalLoan}/approvals`, {
      decision: 'approve',
      opinion: '同意在阅览室查阅',
    });
    expect(gm.body.events).toEqual(['LoanApprovalGiven', 'LoanApproved']);
    expect((await act(archivist, `/loans/${externalLoan}/hand-over`)).status).toBe(201);
    t.clock.advance(3 * 60 * 60 * 1000);
    const returned = await act(archivist, `/loans/${externalLoan}/return`, { condition: 'intact' });
    expect(returned.status).toBe(201);
    expect(returned.body.events).toEqual(['Returned']);
    expect((await lastEvent(CONTRACT, 'Returned')).data).toMatchObject({
      loanId: externalLoan,
      condition: 'intact',
      overdueDays: 0,
    });
  });

  it('every stored event of the story carries the identity of the person who made that request', async () => {
    const madeBy = new Map<string, string>();
    for (const write of writes) {
      for (let revision = write.revision - write.count + 1; revision <= write.revision; revision++) {
        madeBy.set(`${write.stream}@${revision}`, write.user);
      }
    }
    const stored = await t.store.readAll({ limit: 1_000_000 });
    expect(stored.length).toBe(madeBy.size);
    for (const event of stored) {
      expect({
        event: `${event.type} ${event.stream}@${event.revision}`,
        actor: event.metadata.actor.id,
      }).toEqual({
        event: `${event.type} ${event.stream}@${event.revision}`,
        actor: madeBy.get(`${event.stream}@${event.revision}`),
      });
    }
    expect(new Set(stored.map((e) => e.metadata.actor.id))).toEqual(
      new Set(['wang.fang', 'zhou.min', 'li.lei', 'chen.jing', 'liu.yang', 'zhao.qiang', 'ma.hua']),
    );
  });
});
