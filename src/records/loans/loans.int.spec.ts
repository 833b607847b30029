import { fileRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { plainRecord, salesContract } from '../../../test/support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../../../test/support/test-app';
import type { RecordMetadata } from '../record.events';

const { archivist, archivist2, salesperson, engineer, salesHead, financeHead, archiveHead, auditor } = people;

const CONTRACT = salesContract.archiveCode; // Z001-WS-2024-D30-SALES-0001, INTERNAL, a SALES client record
const MINUTES = 'Z001-WS-2024-D30-BGS-0007'; // INTERNAL, not a client record
const minutes = plainRecord(MINUTES, 'INTERNAL');

type Request = Parameters<TestApp['request']>[0];

describe('Loans (借阅) over HTTP — docs/loans.md', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    await file(salesContract);
    await file(minutes);
  });
  afterEach(() => t.close());

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────

  /** Files a record; the second archivist (TOP_SECRET clearance) files the classified ones. */
  async function file(record: RecordMetadata) {
    const as =
      record.classification === 'PUBLIC' || record.classification === 'INTERNAL' ? archivist : archivist2;
    await fileRecord(t, record, as);
  }

  const post = (url: string, as: TestUser | undefined, body?: unknown) =>
    t.request({ method: 'POST', url, ...(as ? { as } : {}), ...(body !== undefined ? { body } : {}) });

  /** Sends the request, expects it refused as given, and proves nothing was written. */
  async function refused(request: Request, status: number, expected: Record<string, unknown>) {
    const before = await t.eventCount();
    const response = await t.request(request);
    expect({ status: response.status, body: response.body }).toMatchObject({ status, body: expected });
    expect(await t.eventCount()).toBe(before);
    return response;
  }

  const fieldsOf = (body: { fields?: { field: string }[] }) => (body.fields ?? []).map((f) => f.field).sort();

  async function requestLoan(as: TestUser, code: string, body: Record<string, unknown>): Promise<string> {
    const response = await post(`/records/${code}/loans`, as, {
      purpose: '核对合同条款，准备续签谈判',
      ...body,
    });
    expect(response.status).toBe(201);
    return response.body.loanId as string;
  }

  async function approve(as: TestUser, loanId: string, extra: Record<string, unknown> = {}) {
    const response = await post(`/loans/${loanId}/approvals`, as, { decision: 'approve', ...extra });
    expect(response.status).toBe(201);
    return response;
  }

  async function handOver(loanId: string) {
    const response = await post(`/loans/${loanId}/hand-over`, archivist);
    expect(response.status).toBe(201);
    return response;
  }

  /** The salesperson's 10-day lend-out of the sales contract, approved by both heads (B4, B6). */
  async function approvedContractLoan(): Promise<string> {
    const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
    await approve(archiveHead, loanId);
    await approve(salesHead, loanId);
    return loanId;
  }

  async function contractLoanOut(): Promise<string> {
    const loanId = await approvedContractLoan();
    await handOver(loanId);
    return loanId;
  }

  /** The engineer's 1-day lend-out of the minutes: only the archive department head approves (B4). */
  async function minutesLoanOut(): Promise<string> {
    const loanId = await requestLoan(engineer, MINUTES, { mode: 'lend_out', days: 1 });
    await approve(archiveHead, loanId);
    await handOver(loanId);
    return loanId;
  }

  async function lastEvents(stream: string, count: number) {
    const events = await t.store.readStream(stream);
    return events.slice(-count);
  }

  // ── request ─────────────────────────────────────────────────────────────────────────────────

  describe('POST /records/{code}/loans', () => {
    it('B1, B3: registers a staff lend-out under the caller, with the approvals the policy version 1 requires', async () => {
      const response = await post(`/records/${CONTRACT}/loans`, salesperson, {
        mode: 'lend_out',
        purpose: '核对合同条款，准备续签谈判',
        days: 10,
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        archiveCode: CONTRACT,
        loanId: `${CONTRACT}.L1`,
        stream: `record-${CONTRACT}`,
        revision: 1,
        events: ['LoanRequested'],
        replayed: false,
      });
      const [requested] = await lastEvents(`record-${CONTRACT}`, 1);
      expect(requested.type).toBe('LoanRequested');
      expect(requested.data).toEqual({
        loanId: `${CONTRACT}.L1`,
        borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
        requestedBy: { id: 'li.lei', unit: 'SALES' },
        mode: 'lend_out',
        purpose: '核对合同条款，准备续签谈判',
        days: 10,
        excerpts: false,
        classification: 'INTERNAL',
        policyVersion: 1,
        requiredApprovals: [
          { role: 'archive_department_head', because: ['B4.lend-out'] },
          {
            role: 'department_head',
            unit: 'SALES',
            because: ['B4.lend-out-over-2-days', 'B6.own-client-records'],
          },
        ],
      });
      expect(requested.metadata).toMatchObject({
        actor: { id: 'li.lei', roles: ['borrower'], unit: 'SALES' },
        reason: '核对合同条款，准备续签谈判',
        policyVersion: 1,
      });
    });

    it('B4: a reading-room consultation of an INTERNAL record needs only registration, for the default 1 day', async () => {
      const response = await post(`/records/${MINUTES}/loans`, salesperson, {
        mode: 'reading_room',
        purpose: '查阅会议纪要',
      });
      expect(response.status).toBe(201);
      expect(response.body.events).toEqual(['LoanRequested', 'LoanApproved']);
      const [requested] = await lastEvents(`record-${MINUTES}`, 2);
      expect(requested.data).toMatchObject({ days: 1, requiredApprovals: [] });
    });

    it('B4: a lend-out with no period named runs the default 7 days', async () => {
      await requestLoan(salesperson, MINUTES, { mode: 'lend_out' });
      const [requested] = await lastEvents(`record-${MINUTES}`, 1);
      expect(requested.data.days).toBe(7);
    });

    it('B7: an archivist registers an external borrower with their introduction letter', async () => {
      const response = await post(`/records/${MINUTES}/loans`, archivist, {
        mode: 'reading_room',
        purpose: '年度审计核对',
        externalBorrower: {
          name: '张审计',
          organisation: '立信会计师事务所',
          introductionLetterRef: '京审函〔2026〕18号',
        },
        excerpts: true,
      });
      expect(response.status).toBe(201);
      const [requested] = await lastEvents(`record-${MINUTES}`, 1);
      expect(requested.data).toMatchObject({
        borrower: {
          type: 'external',
          name: '张审计',
          organisation: '立信会计师事务所',
          introductionLetterRef: '京审函〔2026〕18号',
        },
        requestedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
        excerpts: true,
        requiredApprovals: [{ role: 'general_manager', because: ['B7.external'] }],
      });
    });

    it('B1: refuses an archivist registering a staff loan with 403 LOAN_REQUEST_NOT_ALLOWED', async () => {
      await refused(
        {
          method: 'POST',
          url: `/records/${CONTRACT}/loans`,
          as: archivist,
          body: { mode: 'lend_out', purpose: '借出' },
        },
        403,
        { error: 'LOAN_REQUEST_NOT_ALLOWED' },
      );
    });

    it('B1: refuses a borrower registering an external loan with 403 LOAN_REQUEST_NOT_ALLOWED', async () => {
      await refused(
        {
          method: 'POST',
          url: `/records/${MINUTES}/loans`,
          as: salesperson,
          body: {
            mode: 'reading_room',
            purpose: '代客户查阅',
            externalBorrower: {
              name: '张审计',
              organisation: '立信会计师事务所',
              introductionLetterRef: '京审函〔2026〕18号',
            },
          },
        },
        403,
        { error: 'LOAN_REQUEST_NOT_ALLOWED' },
      );
    });

    it('B7: refuses an external borrower without an introduction letter with 422 INTRODUCTION_LETTER_REQUIRED', async () => {
      await refused(
        {
          method: 'POST',
          url: `/records/${MINUTES}/loans`,
          as: archivist,
          body: {
            mode: 'reading_room',
            purpose: '审计',
            externalBorrower: { name: '张审计', organisation: '立信会计师事务所' },
          },
        },
        422,
        { error: 'INTRODUCTION_LETTER_REQUIRED', rule: 'B7' },
      );
    });

    it('B7: refuses lending out to an external borrower with 422 EXTERNAL_READING_ROOM_ONLY', async () => {
      await refused(
        {
          method: 'POST',
          url: `/records/${MINUTES}/loans`,
          as: archivist,
          body: {
            mode: 'lend_out',
            purpose: '审计',
            externalBorrower: {
              name: '张审计',
              organisation: '立信会计师事务所',
              introductionLetterRef: '京审函〔2026〕18号',
            },
          },
        },
        422,
        { error: 'EXTERNAL_READING_ROOM_ONLY', rule: 'B7' },
      );
    });

    it('B5: refuses lending out a TOP_SECRET record with 422 TOP_SECRET_READING_ROOM_ONLY', async () => {
      const code = 'Z001-WS-2024-D30-BGS-0201';
      await file(plainRecord(code, 'TOP_SECRET'));
      await refused(
        {
          method: 'POST',
          url: `/records/${code}/loans`,
          as: archiveHead,
          body: { mode: 'lend_out', purpose: '借出' },
        },
        422,
        { error: 'TOP_SECRET_READING_ROOM_ONLY', rule: 'B5' },
      );
    });

    it("B8: refuses a period over the policy's maximum with 422 LOAN_TOO_LONG", async () => {
      await refused(
        {
          method: 'POST',
          url: `/records/${CONTRACT}/loans`,
          as: salesperson,
          body: { mode: 'lend_out', purpose: '长期借用', days: 120 },
        },
        422,
        { error: 'LOAN_TOO_LONG', rule: 'B8' },
      );
    });

    it('refuses excerpts asked by a staff borrower with 400 EXCERPTS_ONLY_FOR_EXTERNAL naming the field', async () => {
      const response = await refused(
        {
          method: 'POST',
          url: `/records/${MINUTES}/loans`,
          as: salesperson,
          body: { mode: 'reading_room', purpose: '摘抄', excerpts: true },
        },
        400,
        { error: 'EXCERPTS_ONLY_FOR_EXTERNAL' },
      );
      expect(fieldsOf(response.body)).toEqual(['excerpts']);
    });

    it('B2: refuses a second lend-out while one is open with 409 RECORD_ALREADY_LENT', async () => {
      await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      await refused(
        {
          method: 'POST',
          url: `/records/${CONTRACT}/loans`,
          as: salesHead,
          body: { mode: 'lend_out', purpose: '借出' },
        },
        409,
        { error: 'RECORD_ALREADY_LENT', rule: 'B2' },
      );
    });

    it('B2: of ten concurrent lend-out requests by ten cleared borrowers exactly one is registered', async () => {
      const borrowers: TestUser[] = Array.from({ length: 10 }, (_, i) => ({
        user: `staff.${i}`,
        roles: ['borrower'],
        unit: 'SALES',
        clearance: 'INTERNAL',
      }));
      const before = await t.eventCount();
      const responses = await Promise.all(
        borrowers.map((as) =>
          post(`/records/${CONTRACT}/loans`, as, { mode: 'lend_out', purpose: '并发借出', days: 5 }),
        ),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      const losers = responses.filter((r) => r.status !== 201);
      expect(losers.map((r) => [r.status, r.body.error, r.body.rule])).toEqual(
        Array(9).fill([409, 'RECORD_ALREADY_LENT', 'B2']),
      );
      expect(await t.eventCount()).toBe(before + 1);
      const requested = (await t.store.readStream(`record-${CONTRACT}`)).filter(
        (e) => e.type === 'LoanRequested',
      );
      expect(requested).toHaveLength(1);
      const winner = responses.findIndex((r) => r.status === 201);
      expect(requested[0].metadata.actor).toMatchObject({ id: `staff.${winner}` });
    });

    it('A2: answers 404 RECORD_NOT_FOUND for a record above the caller’s clearance, and for a code never filed', async () => {
      const code = 'Z001-WS-2024-D30-BGS-0101';
      await file(plainRecord(code, 'CONFIDENTIAL'));
      await refused(
        {
          method: 'POST',
          url: `/records/${code}/loans`,
          as: salesperson,
          body: { mode: 'reading_room', purpose: '查阅' },
        },
        404,
        { error: 'RECORD_NOT_FOUND' },
      );
      await refused(
        {
          method: 'POST',
          url: '/records/Z001-WS-2024-D30-BGS-0999/loans',
          as: salesperson,
          body: { mode: 'reading_room', purpose: '查阅' },
        },
        404,
        { error: 'RECORD_NOT_FOUND' },
      );
    });

    it('answers 403 ROLE_REQUIRED to a caller who is neither a borrower nor an archivist', async () => {
      await refused(
        {
          method: 'POST',
          url: `/records/${CONTRACT}/loans`,
          as: auditor,
          body: { mode: 'reading_room', purpose: '查阅' },
        },
        403,
        { error: 'FORBIDDEN', code: 'ROLE_REQUIRED' },
      );
    });

    it('answers 401 without a bearer token', async () => {
      await refused(
        {
          method: 'POST',
          url: `/records/${CONTRACT}/loans`,
          body: { mode: 'reading_room', purpose: '查阅' },
        },
        401,
        { error: 'UNAUTHENTICATED' },
      );
    });

    it('answers 400 naming every offending field', async () => {
      const response = await refused(
        {
          method: 'POST',
          url: `/records/${CONTRACT}/loans`,
          as: salesperson,
          body: { mode: 'take_home', purpose: '   ', days: 1.5, excerpts: 'yes' },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(response.body)).toEqual(['days', 'excerpts', 'mode', 'purpose']);
      const tooLong = await refused(
        {
          method: 'POST',
          url: `/records/${CONTRACT}/loans`,
          as: salesperson,
          body: { mode: 'lend_out', purpose: '档'.repeat(1001), days: 366 },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(tooLong.body)).toEqual(['days', 'purpose']);
      const external = await refused(
        {
          method: 'POST',
          url: `/records/${MINUTES}/loans`,
          as: archivist,
          body: {
            mode: 'reading_room',
            purpose: '审计',
            externalBorrower: { name: '', introductionLetterRef: 18 },
          },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(external.body)).toEqual([
        'externalBorrower.introductionLetterRef',
        'externalBorrower.name',
        'externalBorrower.organisation',
      ]);
    });

    it('B1: refuses a body naming the borrower or the actor: the borrower is always the caller', async () => {
      const response = await refused(
        {
          method: 'POST',
          url: `/records/${CONTRACT}/loans`,
          as: salesperson,
          body: {
            mode: 'lend_out',
            purpose: '借出',
            borrower: { id: 'zhao.qiang' },
            actor: { id: 'zhao.qiang' },
          },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(response.body)).toEqual(['actor', 'borrower']);
    });

    it('answers 400 for a malformed archive code', async () => {
      const response = await refused(
        {
          method: 'POST',
          url: '/records/not-a-code/loans',
          as: salesperson,
          body: { mode: 'lend_out', purpose: '借出' },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(response.body)).toEqual(['code']);
    });

    it('registers a retried request with the same Idempotency-Key once', async () => {
      const send = () =>
        t.request({
          method: 'POST',
          url: `/records/${CONTRACT}/loans`,
          as: salesperson,
          body: { mode: 'lend_out', purpose: '核对合同条款，准备续签谈判', days: 10 },
          headers: { 'idempotency-key': 'loan-desk-0001' },
        });
      const first = await send();
      const count = await t.eventCount();
      const retry = await send();
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual({ ...first.body, replayed: true });
      expect(await t.eventCount()).toBe(count);
    });
  });

  // ── approvals ───────────────────────────────────────────────────────────────────────────────

  describe('POST /loans/{loanId}/approvals', () => {
    it('B3: each required approver approves under their own identity; the last approval approves the loan', async () => {
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      const first = await approve(archiveHead, loanId, { opinion: '同意借出，请按期归还' });
      expect(first.body).toMatchObject({ loanId, archiveCode: CONTRACT, events: ['LoanApprovalGiven'] });
      const second = await approve(salesHead, loanId);
      expect(second.body.events).toEqual(['LoanApprovalGiven', 'LoanApproved']);
      const [givenFirst, givenSecond, approved] = await lastEvents(`record-${CONTRACT}`, 3);
      expect(givenFirst.data).toEqual({
        loanId,
        approval: {
          role: 'archive_department_head',
          approver: { id: 'liu.yang', unit: 'ARCHIVE' },
          opinion: '同意借出，请按期归还',
        },
        outstanding: 1,
      });
      expect(givenFirst.metadata.actor.id).toBe('liu.yang');
      expect(givenSecond.data.approval).toMatchObject({ role: 'department_head', unit: 'SALES' });
      expect(givenSecond.metadata.actor.id).toBe('zhao.qiang');
      expect(approved.data).toMatchObject({ loanId, policyVersion: 1 });
    });

    it('B3: refuses the borrower approving their own loan with 422 SELF_APPROVAL', async () => {
      const loanId = await requestLoan(salesHead, CONTRACT, { mode: 'lend_out', days: 10 });
      await refused(
        { method: 'POST', url: `/loans/${loanId}/approvals`, as: salesHead, body: { decision: 'approve' } },
        422,
        { error: 'SELF_APPROVAL', rule: 'B3' },
      );
    });

    it('B3: refuses a department head of another unit with 403 NOT_A_REQUIRED_APPROVER', async () => {
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      await refused(
        { method: 'POST', url: `/loans/${loanId}/approvals`, as: financeHead, body: { decision: 'approve' } },
        403,
        { error: 'NOT_A_REQUIRED_APPROVER' },
      );
    });

    it('B3: one person fills at most one requirement: 400 APPROVAL_ROLE_AMBIGUOUS without a role, 422 APPROVER_ALREADY_APPROVED the second time', async () => {
      const dualHead: TestUser = {
        user: 'dual.head',
        roles: ['archive_department_head', 'department_head'],
        unit: 'SALES',
        clearance: 'SECRET',
      };
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      const ambiguous = await refused(
        { method: 'POST', url: `/loans/${loanId}/approvals`, as: dualHead, body: { decision: 'approve' } },
        400,
        { error: 'APPROVAL_ROLE_AMBIGUOUS' },
      );
      expect(fieldsOf(ambiguous.body)).toEqual(['role']);
      await approve(dualHead, loanId, { role: 'archive_department_head' });
      await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/approvals`,
          as: dualHead,
          body: { decision: 'approve', role: 'department_head' },
        },
        422,
        { error: 'APPROVER_ALREADY_APPROVED', rule: 'B3' },
      );
    });

    it('B3: a refusal needs an opinion (400 OPINION_REQUIRED) and ends the loan; nothing is left to approve (409)', async () => {
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      const noOpinion = await refused(
        { method: 'POST', url: `/loans/${loanId}/approvals`, as: archiveHead, body: { decision: 'refuse' } },
        400,
        { error: 'OPINION_REQUIRED' },
      );
      expect(fieldsOf(noOpinion.body)).toEqual(['opinion']);
      const refusal = await post(`/loans/${loanId}/approvals`, archiveHead, {
        decision: 'refuse',
        opinion: '合同正在审计，暂不外借',
      });
      expect(refusal.status).toBe(201);
      expect(refusal.body.events).toEqual(['LoanRefused']);
      const [refusedEvent] = await lastEvents(`record-${CONTRACT}`, 1);
      expect(refusedEvent.data).toMatchObject({
        role: 'archive_department_head',
        reason: '合同正在审计，暂不外借',
      });
      await refused(
        { method: 'POST', url: `/loans/${loanId}/approvals`, as: salesHead, body: { decision: 'approve' } },
        409,
        { error: 'NOTHING_TO_APPROVE' },
      );
    });

    it('A2: an approver without clearance for the record gets 404 RECORD_NOT_FOUND', async () => {
      const code = 'Z001-WS-2024-D30-BGS-0101';
      await file(plainRecord(code, 'CONFIDENTIAL'));
      const loanId = await requestLoan(engineer, code, { mode: 'lend_out', days: 10 });
      const uncleared: TestUser = {
        user: 'lu.ping',
        roles: ['archive_department_head'],
        unit: 'ARCHIVE',
        clearance: 'INTERNAL',
      };
      await refused(
        { method: 'POST', url: `/loans/${loanId}/approvals`, as: uncleared, body: { decision: 'approve' } },
        404,
        { error: 'RECORD_NOT_FOUND' },
      );
    });

    it('answers 403 ROLE_REQUIRED to a caller holding no approving role', async () => {
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      for (const as of [salesperson, archivist]) {
        await refused(
          { method: 'POST', url: `/loans/${loanId}/approvals`, as, body: { decision: 'approve' } },
          403,
          { error: 'FORBIDDEN', code: 'ROLE_REQUIRED' },
        );
      }
    });

    it('answers 404 LOAN_NOT_FOUND for an unknown loan and 400 for a malformed loan id', async () => {
      await refused(
        {
          method: 'POST',
          url: `/loans/${CONTRACT}.L9/approvals`,
          as: archiveHead,
          body: { decision: 'approve' },
        },
        404,
        { error: 'LOAN_NOT_FOUND' },
      );
      const malformed = await refused(
        {
          method: 'POST',
          url: '/loans/not-a-loan/approvals',
          as: archiveHead,
          body: { decision: 'approve' },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(malformed.body)).toEqual(['loanId']);
    });

    it('answers 400 naming every offending field', async () => {
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      const response = await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/approvals`,
          as: archiveHead,
          body: { decision: 'maybe', role: 'janitor', opinion: 7, approver: 'ma.hua' },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(response.body)).toEqual(['approver', 'decision', 'opinion', 'role']);
    });
  });

  // ── withdrawal ──────────────────────────────────────────────────────────────────────────────

  describe('POST /loans/{loanId}/withdrawal', () => {
    it('the borrower withdraws a loan before hand-over, which frees the record for another lend-out (B2)', async () => {
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      const response = await post(`/loans/${loanId}/withdrawal`, salesperson, {
        reason: '谈判推迟，暂不需要借阅',
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ loanId, events: ['LoanWithdrawn'] });
      const [withdrawn] = await lastEvents(`record-${CONTRACT}`, 1);
      expect(withdrawn.data).toEqual({
        loanId,
        by: { id: 'li.lei', unit: 'SALES' },
        reason: '谈判推迟，暂不需要借阅',
      });
      expect(await requestLoan(salesHead, CONTRACT, { mode: 'lend_out', days: 2 })).toBe(`${CONTRACT}.L2`);
    });

    it('refuses anyone but the borrower with 403 NOT_THE_BORROWER', async () => {
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      await refused(
        { method: 'POST', url: `/loans/${loanId}/withdrawal`, as: engineer, body: { reason: '撤回' } },
        403,
        { error: 'NOT_THE_BORROWER' },
      );
    });

    it('refuses a withdrawal after hand-over with 409 LOAN_NOT_WITHDRAWABLE', async () => {
      const loanId = await contractLoanOut();
      await refused(
        { method: 'POST', url: `/loans/${loanId}/withdrawal`, as: salesperson, body: { reason: '撤回' } },
        409,
        { error: 'LOAN_NOT_WITHDRAWABLE' },
      );
    });

    it('answers 400 without a reason, 403 to a role not allowed, 404 for an unknown loan', async () => {
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      const noReason = await refused(
        { method: 'POST', url: `/loans/${loanId}/withdrawal`, as: salesperson, body: {} },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(noReason.body)).toEqual(['reason']);
      await refused(
        { method: 'POST', url: `/loans/${loanId}/withdrawal`, as: auditor, body: { reason: '撤回' } },
        403,
        { error: 'FORBIDDEN', code: 'ROLE_REQUIRED' },
      );
      await refused(
        {
          method: 'POST',
          url: `/loans/${CONTRACT}.L5/withdrawal`,
          as: salesperson,
          body: { reason: '撤回' },
        },
        404,
        { error: 'LOAN_NOT_FOUND' },
      );
    });
  });

  // ── hand-over ───────────────────────────────────────────────────────────────────────────────

  describe('POST /loans/{loanId}/hand-over', () => {
    it('B11: hands an approved loan over: due in the approved days, a substitute card at the shelf', async () => {
      const loanId = await approvedContractLoan();
      const response = await post(`/loans/${loanId}/hand-over`, archivist);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ archiveCode: CONTRACT, loanId, events: ['Borrowed'] });
      const [borrowed] = await lastEvents(`record-${CONTRACT}`, 1);
      expect(borrowed.data).toEqual({
        loanId,
        borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
        mode: 'lend_out',
        handedOverBy: { id: 'wang.fang', unit: 'ARCHIVE' },
        handedOverAt: '2026-03-01T09:00:00.000Z',
        dueAt: '2026-03-11T09:00:00.000Z',
        shelfLocation: 'B-01-04-02',
      });
      expect(borrowed.metadata.actor.id).toBe('wang.fang');
    });

    it('accepts an empty JSON object as the body', async () => {
      const loanId = await approvedContractLoan();
      expect((await post(`/loans/${loanId}/hand-over`, archivist, {})).status).toBe(201);
    });

    it('B8: refuses a body naming a borrower with 400 — a loan is never handed on (不得转借)', async () => {
      const loanId = await approvedContractLoan();
      const response = await refused(
        { method: 'POST', url: `/loans/${loanId}/hand-over`, as: archivist, body: { borrower: 'someone' } },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(response.body.fields).toEqual([
        { field: 'borrower', problems: ['property borrower should not exist'] },
      ]);
      expect(response.body.message).toMatch(/不得转借/);
      await refused(
        { method: 'POST', url: `/loans/${loanId}/hand-over`, as: archivist, rawBody: '[]' },
        400,
        { error: 'VALIDATION_FAILED' },
      );
    });

    it('B4: refuses a loan whose approvals are incomplete with 422 LOAN_NOT_APPROVED naming the outstanding rule', async () => {
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      await refused({ method: 'POST', url: `/loans/${loanId}/hand-over`, as: archivist }, 422, {
        error: 'LOAN_NOT_APPROVED',
        rule: 'B4',
      });
    });

    it('refuses a loan already out (409 LOAN_ALREADY_HANDED_OVER) and one that ended (409 LOAN_ENDED)', async () => {
      const loanId = await contractLoanOut();
      await refused({ method: 'POST', url: `/loans/${loanId}/hand-over`, as: archivist }, 409, {
        error: 'LOAN_ALREADY_HANDED_OVER',
      });
      const withdrawn = await requestLoan(salesperson, MINUTES, { mode: 'reading_room' });
      expect((await post(`/loans/${withdrawn}/withdrawal`, salesperson, { reason: '不需要了' })).status).toBe(
        201,
      );
      await refused({ method: 'POST', url: `/loans/${withdrawn}/hand-over`, as: archivist }, 409, {
        error: 'LOAN_ENDED',
      });
    });

    it('B11: refuses handing over while another loan of the record is out with 409 RECORD_OUT', async () => {
      const reading = await requestLoan(salesperson, MINUTES, { mode: 'reading_room' });
      const lendOut = await requestLoan(engineer, MINUTES, { mode: 'lend_out', days: 1 });
      await approve(archiveHead, lendOut);
      await handOver(reading);
      await refused({ method: 'POST', url: `/loans/${lendOut}/hand-over`, as: archivist }, 409, {
        error: 'RECORD_OUT',
        rule: 'B11',
      });
    });

    it('answers 403 to a borrower, 404 for an unknown loan, 400 for a malformed loan id', async () => {
      const loanId = await approvedContractLoan();
      await refused({ method: 'POST', url: `/loans/${loanId}/hand-over`, as: salesperson }, 403, {
        error: 'FORBIDDEN',
        code: 'ROLE_REQUIRED',
      });
      await refused({ method: 'POST', url: `/loans/${CONTRACT}.L2/hand-over`, as: archivist }, 404, {
        error: 'LOAN_NOT_FOUND',
      });
      const malformed = await refused(
        { method: 'POST', url: `/loans/${CONTRACT}.L0/hand-over`, as: archivist },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(malformed.body)).toEqual(['loanId']);
    });
  });

  // ── renewal ─────────────────────────────────────────────────────────────────────────────────

  describe('POST /loans/{loanId}/renewals', () => {
    it('B8: a renewal needs the approvals of a loan of the resulting length, then moves the due date', async () => {
      const loanId = await minutesLoanOut();
      const response = await post(`/loans/${loanId}/renewals`, engineer, {
        extraDays: 5,
        reason: '续签谈判延期',
      });
      expect(response.status).toBe(201);
      expect(response.body.events).toEqual(['LoanRenewalRequested']);
      const [requested] = await lastEvents(`record-${MINUTES}`, 1);
      expect(requested.data).toMatchObject({
        loanId,
        renewal: 1,
        extraDays: 5,
        totalDays: 6,
        dueAt: '2026-03-07T09:00:00.000Z',
        policyVersion: 1,
        requiredApprovals: [
          { role: 'archive_department_head', because: ['B4.lend-out'] },
          { role: 'department_head', unit: 'SALES', because: ['B4.lend-out-over-2-days'] },
        ],
      });
      await approve(archiveHead, loanId);
      const last = await approve(salesHead, loanId);
      expect(last.body.events).toEqual(['LoanRenewalApprovalGiven', 'LoanRenewed']);
      const [renewed] = await lastEvents(`record-${MINUTES}`, 1);
      expect(renewed.data).toMatchObject({
        previousDueAt: '2026-03-02T09:00:00.000Z',
        dueAt: '2026-03-07T09:00:00.000Z',
        totalDays: 6,
      });
    });

    it('B8: refuses a renewal by anyone but the borrower with 422 LOAN_NOT_TRANSFERABLE (不得转借)', async () => {
      const loanId = await minutesLoanOut();
      await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/renewals`,
          as: salesperson,
          body: { extraDays: 3, reason: '我也要用' },
        },
        422,
        { error: 'LOAN_NOT_TRANSFERABLE', rule: 'B8' },
      );
    });

    it("B8: refuses a renewal beyond the policy's maximum in all with 422 LOAN_TOO_LONG", async () => {
      const loanId = await minutesLoanOut();
      await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/renewals`,
          as: engineer,
          body: { extraDays: 90, reason: '长期使用' },
        },
        422,
        { error: 'LOAN_TOO_LONG', rule: 'B8' },
      );
    });

    it('refuses renewing a loan not out (409 LOAN_NOT_OUT) and a second pending renewal (409 RENEWAL_PENDING)', async () => {
      const requested = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      await refused(
        {
          method: 'POST',
          url: `/loans/${requested}/renewals`,
          as: salesperson,
          body: { extraDays: 3, reason: '续借' },
        },
        409,
        { error: 'LOAN_NOT_OUT' },
      );
      const out = await minutesLoanOut();
      expect((await post(`/loans/${out}/renewals`, engineer, { extraDays: 3, reason: '续借' })).status).toBe(
        201,
      );
      await refused(
        {
          method: 'POST',
          url: `/loans/${out}/renewals`,
          as: engineer,
          body: { extraDays: 2, reason: '再续借' },
        },
        409,
        { error: 'RENEWAL_PENDING' },
      );
    });

    it('answers 400 naming the fields, 403 to a role not allowed', async () => {
      const loanId = await minutesLoanOut();
      const bad = await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/renewals`,
          as: engineer,
          body: { extraDays: 0, reason: ' ' },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(bad.body)).toEqual(['extraDays', 'reason']);
      const over = await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/renewals`,
          as: engineer,
          body: { extraDays: 366, reason: '续借' },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(over.body)).toEqual(['extraDays']);
      await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/renewals`,
          as: auditor,
          body: { extraDays: 1, reason: '续借' },
        },
        403,
        { error: 'FORBIDDEN', code: 'ROLE_REQUIRED' },
      );
    });
  });

  // ── reminder ────────────────────────────────────────────────────────────────────────────────

  describe('POST /loans/{loanId}/reminders', () => {
    it('B9: records a reminder for an overdue loan, counting a started day as one', async () => {
      const loanId = await minutesLoanOut(); // due 2026-03-02T09:00Z
      t.clock.set(new Date('2026-03-03T10:00:00.000Z'));
      const response = await post(`/loans/${loanId}/reminders`, archivist, {
        channel: 'phone',
        note: '电话催还，借阅人承诺本周五前归还',
      });
      expect(response.status).toBe(201);
      expect(response.body.events).toEqual(['OverdueReminderSent']);
      const [sent] = await lastEvents(`record-${MINUTES}`, 1);
      expect(sent.data).toEqual({
        loanId,
        dueAt: '2026-03-02T09:00:00.000Z',
        daysOverdue: 2,
        reminder: 1,
        channel: 'phone',
        note: '电话催还，借阅人承诺本周五前归还',
      });
      expect(sent.metadata.actor.id).toBe('wang.fang');
    });

    it('B9: refuses a reminder before the due date with 422 LOAN_NOT_OVERDUE', async () => {
      const loanId = await minutesLoanOut();
      await refused(
        { method: 'POST', url: `/loans/${loanId}/reminders`, as: archivist, body: { channel: 'email' } },
        422,
        { error: 'LOAN_NOT_OVERDUE', rule: 'B9' },
      );
    });

    it('refuses a reminder for a loan not out with 409 LOAN_NOT_OUT', async () => {
      const loanId = await requestLoan(salesperson, CONTRACT, { mode: 'lend_out', days: 10 });
      t.clock.advance(30 * 24 * 60 * 60 * 1000);
      await refused(
        { method: 'POST', url: `/loans/${loanId}/reminders`, as: archivist, body: { channel: 'letter' } },
        409,
        { error: 'LOAN_NOT_OUT' },
      );
    });

    it('answers 400 for an unknown channel, 403 to a borrower', async () => {
      const loanId = await minutesLoanOut();
      t.clock.advance(3 * 24 * 60 * 60 * 1000);
      const bad = await refused(
        { method: 'POST', url: `/loans/${loanId}/reminders`, as: archivist, body: { channel: 'pigeon' } },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(bad.body)).toEqual(['channel']);
      await refused(
        { method: 'POST', url: `/loans/${loanId}/reminders`, as: engineer, body: { channel: 'phone' } },
        403,
        { error: 'FORBIDDEN', code: 'ROLE_REQUIRED' },
      );
    });
  });

  // ── return ──────────────────────────────────────────────────────────────────────────────────

  describe('POST /loans/{loanId}/return', () => {
    it('B10: records an intact return, checked in person', async () => {
      const loanId = await minutesLoanOut();
      t.clock.advance(2 * 60 * 60 * 1000);
      const response = await post(`/loans/${loanId}/return`, archivist, { condition: 'intact' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ loanId, events: ['Returned'] });
      const [returned] = await lastEvents(`record-${MINUTES}`, 1);
      expect(returned.data).toEqual({
        loanId,
        receivedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
        returnedAt: '2026-03-01T11:00:00.000Z',
        condition: 'intact',
        overdueDays: 0,
      });
    });

    it('B10: a return not intact reports the damage, which stays on the record', async () => {
      const loanId = await minutesLoanOut();
      const response = await post(`/loans/${loanId}/return`, archivist, {
        condition: 'pages_missing',
        note: '缺第7页',
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ loanId, reportId: 'D1', events: ['Returned', 'DamageReported'] });
      const [, damage] = await lastEvents(`record-${MINUTES}`, 2);
      expect(damage.data).toEqual({
        reportId: 'D1',
        loanId,
        condition: 'pages_missing',
        description: '缺第7页',
        reportedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
      });
    });

    it('B10: refuses a return not intact without a note with 400 NOTE_REQUIRED naming the field', async () => {
      const loanId = await minutesLoanOut();
      const response = await refused(
        { method: 'POST', url: `/loans/${loanId}/return`, as: archivist, body: { condition: 'damaged' } },
        400,
        { error: 'NOTE_REQUIRED' },
      );
      expect(fieldsOf(response.body)).toEqual(['note']);
    });

    it('refuses the return of a loan not out with 409 LOAN_NOT_OUT', async () => {
      const loanId = await approvedContractLoan();
      await refused(
        { method: 'POST', url: `/loans/${loanId}/return`, as: archivist, body: { condition: 'intact' } },
        409,
        { error: 'LOAN_NOT_OUT' },
      );
    });

    it('answers 400 for an unknown condition, 403 to a borrower returning it themself', async () => {
      const loanId = await minutesLoanOut();
      const bad = await refused(
        { method: 'POST', url: `/loans/${loanId}/return`, as: archivist, body: { condition: 'soggy' } },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(bad.body)).toEqual(['condition']);
      await refused(
        { method: 'POST', url: `/loans/${loanId}/return`, as: engineer, body: { condition: 'intact' } },
        403,
        { error: 'FORBIDDEN', code: 'ROLE_REQUIRED' },
      );
    });
  });

  // ── damage reports ──────────────────────────────────────────────────────────────────────────

  describe('POST /records/{code}/damage-reports', () => {
    it('B10: an archivist reports damage found on the shelf; the answer names the report', async () => {
      const response = await post(`/records/${MINUTES}/damage-reports`, archivist, {
        condition: 'damaged',
        description: '封面破损，第5页缺角',
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        archiveCode: MINUTES,
        reportId: 'D1',
        events: ['DamageReported'],
      });
      const [report] = await lastEvents(`record-${MINUTES}`, 1);
      expect(report.data).toEqual({
        reportId: 'D1',
        condition: 'damaged',
        description: '封面破损，第5页缺角',
        reportedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
      });
    });

    it('B10: the borrower of a loan that is out reports a loss on it', async () => {
      const loanId = await minutesLoanOut();
      const response = await post(`/records/${MINUTES}/damage-reports`, engineer, {
        loanId,
        condition: 'lost',
        description: '出差途中遗失',
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ loanId, reportId: 'D1' });
    });

    it('refuses a borrower who has no loan out of it with 403 NOT_THE_BORROWER', async () => {
      const loanId = await minutesLoanOut();
      await refused(
        {
          method: 'POST',
          url: `/records/${MINUTES}/damage-reports`,
          as: salesperson,
          body: { loanId, condition: 'damaged', description: '看到有破损' },
        },
        403,
        { error: 'NOT_THE_BORROWER' },
      );
      await refused(
        {
          method: 'POST',
          url: `/records/${MINUTES}/damage-reports`,
          as: engineer,
          body: { condition: 'damaged', description: '看到有破损' },
        },
        403,
        { error: 'NOT_THE_BORROWER' },
      );
    });

    it('answers 400 naming the fields, 404 for a loan not on the record, 403 to a role not allowed', async () => {
      const bad = await refused(
        {
          method: 'POST',
          url: `/records/${MINUTES}/damage-reports`,
          as: archivist,
          body: { loanId: 'L1', condition: 'intact', description: '' },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(bad.body)).toEqual(['condition', 'description', 'loanId']);
      await refused(
        {
          method: 'POST',
          url: `/records/${MINUTES}/damage-reports`,
          as: archivist,
          body: { loanId: `${MINUTES}.L3`, condition: 'damaged', description: '破损' },
        },
        404,
        { error: 'LOAN_NOT_FOUND' },
      );
      await refused(
        {
          method: 'POST',
          url: `/records/${MINUTES}/damage-reports`,
          as: auditor,
          body: { condition: 'damaged', description: '破损' },
        },
        403,
        { error: 'FORBIDDEN', code: 'ROLE_REQUIRED' },
      );
    });
  });

  // ── utilisation ─────────────────────────────────────────────────────────────────────────────

  describe('POST /loans/{loanId}/utilisation', () => {
    it('B13: the borrower records what the loan was used for and achieved, once', async () => {
      const loanId = await contractLoanOut();
      const body = { usedFor: '合同续签谈判', effect: '据此核实了供货条款，续签顺利完成' };
      const response = await post(`/loans/${loanId}/utilisation`, salesperson, body);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ loanId, events: ['UtilisationRecorded'] });
      const [recorded] = await lastEvents(`record-${CONTRACT}`, 1);
      expect(recorded.data).toEqual({ loanId, ...body, recordedBy: { id: 'li.lei', unit: 'SALES' } });
      await refused({ method: 'POST', url: `/loans/${loanId}/utilisation`, as: salesperson, body }, 409, {
        error: 'UTILISATION_ALREADY_RECORDED',
        rule: 'B13',
      });
    });

    it('B13: refuses feedback before hand-over with 409 LOAN_NOT_HANDED_OVER', async () => {
      const loanId = await approvedContractLoan();
      await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/utilisation`,
          as: salesperson,
          body: { usedFor: '合同续签谈判', effect: '尚未使用' },
        },
        409,
        { error: 'LOAN_NOT_HANDED_OVER', rule: 'B13' },
      );
    });

    it('refuses feedback by someone other than the borrower with 403 NOT_THE_BORROWER', async () => {
      const loanId = await contractLoanOut();
      await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/utilisation`,
          as: engineer,
          body: { usedFor: '合同续签谈判', effect: '据此核实了供货条款' },
        },
        403,
        { error: 'NOT_THE_BORROWER' },
      );
    });

    it('answers 400 naming the fields, 403 to a role not allowed', async () => {
      const loanId = await contractLoanOut();
      const bad = await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/utilisation`,
          as: salesperson,
          body: { usedFor: '合同续签谈判' },
        },
        400,
        { error: 'VALIDATION_FAILED' },
      );
      expect(fieldsOf(bad.body)).toEqual(['effect']);
      await refused(
        {
          method: 'POST',
          url: `/loans/${loanId}/utilisation`,
          as: auditor,
          body: { usedFor: '合同续签谈判', effect: '据此核实了供货条款' },
        },
        403,
        { error: 'FORBIDDEN', code: 'ROLE_REQUIRED' },
      );
    });
  });
});
