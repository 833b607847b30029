import { fileRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { plainRecord, salesContract } from '../../../test/support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../../../test/support/test-app';

/**
 * GET /loans/awaiting-my-approval (待我审批) over HTTP: loans and renewals waiting for an approval
 * the caller could give, by the requirements recorded on each loan (docs/approval-policy.md) and
 * the decider's eligibility rules (B3). Commands are sent as the people of docs/loans.md; every
 * list is read with `?after=` the last command's position.
 */

const CONTRACT = salesContract.archiveCode; // INTERNAL client record of SALES (counterparty set)
/** An INTERNAL minutes record of BGS, not a client record. */
const memo = plainRecord('Z001-WS-2024-D30-BGS-0008', 'INTERNAL');
const MEMO = memo.archiveCode;
const secret = plainRecord('Z001-WS-2024-D30-BGS-0102', 'SECRET');
const SECRET = secret.archiveCode;
const URL = '/loans/awaiting-my-approval';
const HOUR = 60 * 60 * 1000;
const { archivist, salesperson, engineer, salesHead, financeHead, archiveHead, deputyGm, generalManager } =
  people;

/** A deputy GM cleared for INTERNAL records only (A2). */
const internalDeputyGm: TestUser = { ...deputyGm, user: 'gao.feng', clearance: 'INTERNAL' };
/** Heads both the archive department and (as department head) SALES: two roles, one person (B3). */
const twoHats: TestUser = {
  user: 'bai.yun',
  roles: ['archive_department_head', 'department_head'],
  unit: 'SALES',
  clearance: 'TOP_SECRET',
};

interface Item {
  loanId: string;
  status: string;
  renewal: { renewal: number; extraDays: number; totalDays: number } | null;
  approvals: { role: string; approver: { id: string }; opinion?: string }[];
  outstanding: { role: string; unit?: string; because: string[]; yours: boolean }[];
  yourRoles: string[];
}

describe('GET /loans/awaiting-my-approval (待我审批)', () => {
  let t: TestApp;
  let lastPosition: string | undefined;

  beforeEach(async () => {
    t = await startTestApp();
    lastPosition = undefined;
    await fileRecord(t, salesContract);
    await fileRecord(t, memo);
    await fileRecord(t, secret);
  });
  afterEach(() => t.close());

  async function act(as: TestUser, url: string, body?: unknown) {
    const response = await t.request({ method: 'POST', url, as, ...(body !== undefined ? { body } : {}) });
    if (response.status !== 201) {
      throw new Error(`${as.user} POST ${url} → ${response.status} ${JSON.stringify(response.body)}`);
    }
    lastPosition = response.body.position;
    return response.body as { position: string; loanId: string };
  }

  function read(as: TestUser, url = URL) {
    const after = lastPosition === undefined ? '' : `${url.includes('?') ? '&' : '?'}after=${lastPosition}`;
    return t.request({ method: 'GET', url: `${url}${after}`, as });
  }

  async function page(as: TestUser, url = URL) {
    const response = await read(as, url);
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
    return response.body as { items: Item[]; nextCursor: string | null; total: number };
  }

  const loanIds = async (as: TestUser) => (await page(as)).items.map((item) => item.loanId);

  /** li.lei's 10-day lend-out of the SALES contract: archive department head + SALES head (B4, B6). */
  async function requestContract(borrower: TestUser = salesperson) {
    const { loanId } = await act(borrower, `/records/${CONTRACT}/loans`, {
      mode: 'lend_out',
      purpose: '核对合同条款，准备续签谈判',
      days: 10,
    });
    return loanId;
  }

  it('B3, B4: a 10-day lend-out waits for the archive department head and the borrower’s department head, each until they approved', async () => {
    const loanId = await requestContract();

    const forArchiveHead = await page(archiveHead);
    expect(forArchiveHead).toMatchObject({ total: 1, nextCursor: null });
    expect(forArchiveHead.items[0]).toEqual({
      loanId,
      archiveCode: CONTRACT,
      title: salesContract.title,
      classification: 'INTERNAL',
      borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
      requestedBy: { id: 'li.lei', unit: 'SALES' },
      mode: 'lend_out',
      purpose: '核对合同条款，准备续签谈判',
      days: 10,
      totalDays: 10,
      excerpts: false,
      status: 'requested',
      requestedAt: '2026-03-01T09:00:00.000Z',
      dueAt: null,
      awaitingSince: '2026-03-01T09:00:00.000Z',
      renewal: null,
      policyVersion: 1,
      approvals: [],
      outstanding: [
        { role: 'archive_department_head', because: ['B4.lend-out'], yours: true },
        {
          role: 'department_head',
          unit: 'SALES',
          because: ['B4.lend-out-over-2-days', 'B6.own-client-records'],
          yours: false,
        },
      ],
      yourRoles: ['archive_department_head'],
    });
    expect(await loanIds(salesHead)).toEqual([loanId]);
    // Nobody else is required (B4: 10 days is not long-term; INTERNAL needs no B5 approval).
    expect(await loanIds(deputyGm)).toEqual([]);
    expect(await loanIds(generalManager)).toEqual([]);

    await act(archiveHead, `/loans/${loanId}/approvals`, { decision: 'approve', opinion: '同意借出' });
    expect(await page(archiveHead)).toEqual({ items: [], nextCursor: null, total: 0 });
    const forSalesHead = await page(salesHead);
    expect(forSalesHead.total).toBe(1);
    expect(forSalesHead.items[0]).toMatchObject({
      loanId,
      approvals: [{ role: 'archive_department_head', approver: { id: 'liu.yang' }, opinion: '同意借出' }],
      outstanding: [{ role: 'department_head', unit: 'SALES', yours: true }],
      yourRoles: ['department_head'],
    });

    await act(salesHead, `/loans/${loanId}/approvals`, { decision: 'approve', opinion: '同意' });
    expect((await page(salesHead)).total).toBe(0);
    expect((await page(archiveHead)).total).toBe(0);
  });

  it('B3, B4: the head of another unit never sees a loan that needs the borrower’s department head', async () => {
    const loanId = await requestContract();
    expect(await page(financeHead)).toEqual({ items: [], nextCursor: null, total: 0 });
    // …while the SALES head does.
    expect(await loanIds(salesHead)).toEqual([loanId]);
  });

  it('B3: the borrower never sees their own request, even holding the approver role it needs', async () => {
    // zhao.qiang heads SALES and borrows: his own 10-day lend-out needs the SALES head — himself.
    const own = await requestContract(salesHead);
    expect(await page(salesHead)).toMatchObject({ items: [], total: 0 });
    expect(await loanIds(archiveHead)).toEqual([own]);
    // liu.yang heads the archive department and borrows: her own lend-out needs her role.
    const { loanId: hers } = await act(archiveHead, `/records/${MEMO}/loans`, {
      mode: 'lend_out',
      purpose: '整理会议纪要',
      days: 2,
    });
    expect(await loanIds(archiveHead)).toEqual([own]);
    expect(await loanIds(twoHats)).toEqual([own, hers].sort());
  });

  it('B3: one person fills one requirement of a loan: after approving in one role, it leaves their list though the other role is outstanding', async () => {
    const loanId = await requestContract();
    const before = await page(twoHats);
    expect(before.items[0]).toMatchObject({
      loanId,
      outstanding: [{ yours: true }, { yours: true }],
      yourRoles: ['archive_department_head', 'department_head'],
    });
    await act(twoHats, `/loans/${loanId}/approvals`, {
      decision: 'approve',
      role: 'archive_department_head',
    });
    expect((await page(twoHats)).total).toBe(0);
    // The decider agrees: approving again for the other role is refused (APPROVER_ALREADY_APPROVED).
    const again = await t.request({
      method: 'POST',
      url: `/loans/${loanId}/approvals`,
      as: twoHats,
      body: { decision: 'approve', role: 'department_head' },
    });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ error: 'APPROVER_ALREADY_APPROVED', rule: 'B3' });
    expect(await loanIds(salesHead)).toEqual([loanId]);
  });

  it('A2, B5: a SECRET record’s loan is hidden from an approver without clearance, the total included', async () => {
    // chen.jing (cleared CONFIDENTIAL) consults the SECRET record: the deputy GM must approve (B5).
    const { loanId: secretLoan } = await act(engineer, `/records/${SECRET}/loans`, {
      mode: 'reading_room',
      purpose: '核对会议决定',
    });
    t.clock.advance(HOUR);
    // li.lei's 40-day lend-out of the INTERNAL memo: long-term, the deputy GM too (B4).
    const { loanId: longLoan } = await act(salesperson, `/records/${MEMO}/loans`, {
      mode: 'lend_out',
      purpose: '编写年度大事记',
      days: 40,
    });
    const cleared = await page(deputyGm);
    expect(cleared).toMatchObject({ total: 2 });
    expect(cleared.items.map((item) => item.loanId)).toEqual([secretLoan, longLoan]);
    expect(cleared.items[0].outstanding).toEqual([
      { role: 'deputy_gm', because: ['B5.classified-reading-room'], yours: true },
    ]);

    const uncleared = await page(internalDeputyGm);
    expect(uncleared).toEqual({
      items: [expect.objectContaining({ loanId: longLoan })],
      nextCursor: null,
      total: 1,
    });
  });

  it('B8: a renewal awaiting approval appears, with its own round of approvals, until each approver decided', async () => {
    const loanId = await requestContract();
    await act(archiveHead, `/loans/${loanId}/approvals`, { decision: 'approve' });
    await act(salesHead, `/loans/${loanId}/approvals`, { decision: 'approve' });
    await act(archivist, `/loans/${loanId}/hand-over`);
    expect((await page(archiveHead)).total).toBe(0);

    t.clock.advance(24 * HOUR);
    await act(salesperson, `/loans/${loanId}/renewals`, { extraDays: 5, reason: '续签谈判延期' });
    const forArchiveHead = await page(archiveHead);
    expect(forArchiveHead.total).toBe(1);
    expect(forArchiveHead.items[0]).toMatchObject({
      loanId,
      status: 'out',
      dueAt: '2026-03-11T09:00:00.000Z',
      awaitingSince: '2026-03-02T09:00:00.000Z',
      renewal: {
        renewal: 1,
        extraDays: 5,
        totalDays: 15,
        dueAt: '2026-03-16T09:00:00.000Z',
        reason: '续签谈判延期',
        requestedAt: '2026-03-02T09:00:00.000Z',
      },
      approvals: [],
      outstanding: [
        { role: 'archive_department_head', yours: true },
        { role: 'department_head', unit: 'SALES', yours: false },
      ],
    });
    expect(await loanIds(salesHead)).toEqual([loanId]);
    expect(await loanIds(financeHead)).toEqual([]);

    await act(archiveHead, `/loans/${loanId}/approvals`, { decision: 'approve', opinion: '同意续借' });
    expect((await page(archiveHead)).total).toBe(0);
    expect((await page(salesHead)).items[0].approvals).toEqual([
      expect.objectContaining({ role: 'archive_department_head', opinion: '同意续借' }),
    ]);
    await act(salesHead, `/loans/${loanId}/approvals`, { decision: 'refuse', opinion: '到期归还' });
    expect((await page(salesHead)).total).toBe(0);
  });

  it('B3: a refused or withdrawn request waits for nobody', async () => {
    const refused = await requestContract();
    await act(archiveHead, `/loans/${refused}/approvals`, { decision: 'refuse', opinion: '暂不借出' });
    const { loanId: withdrawn } = await act(salesperson, `/records/${MEMO}/loans`, {
      mode: 'lend_out',
      purpose: '整理会议纪要',
      days: 2,
    });
    expect(await loanIds(archiveHead)).toEqual([withdrawn]);
    await act(salesperson, `/loans/${withdrawn}/withdrawal`, { reason: '不再需要' });
    expect((await page(archiveHead)).total).toBe(0);
    expect((await page(salesHead)).total).toBe(0);
  });

  it('pages with limit and cursor, oldest first, and counts every page’s items in total', async () => {
    const first = await requestContract();
    t.clock.advance(HOUR);
    const { loanId: second } = await act(salesperson, `/records/${MEMO}/loans`, {
      mode: 'lend_out',
      purpose: '整理会议纪要',
      days: 2,
    });
    const one = await page(archiveHead, `${URL}?limit=1`);
    expect(one).toMatchObject({ total: 2, items: [{ loanId: first }] });
    expect(one.nextCursor).toEqual(expect.any(String));
    const two = await page(
      archiveHead,
      `${URL}?limit=1&cursor=${encodeURIComponent(one.nextCursor as string)}`,
    );
    expect(two).toMatchObject({ total: 2, items: [{ loanId: second }], nextCursor: null });
  });

  it('is described in the OpenAPI document: its roles, paging and the item with its outstanding approvals', async () => {
    const { body } = await t.request({ method: 'GET', url: '/docs/openapi.json' });
    const route = body.paths[URL].get;
    expect(route.summary).toContain('待我审批');
    expect(route.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'after',
      'cursor',
      'limit',
    ]);
    expect(Object.keys(route.responses).sort()).toEqual(['200', '400', '401', '403', '503']);
    expect(route.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/AwaitingApprovalPageDto',
    );
    expect(Object.keys(body.components.schemas.AwaitingApprovalDto.properties)).toEqual(
      expect.arrayContaining(['loanId', 'renewal', 'approvals', 'outstanding', 'yourRoles']),
    );
    expect(body.components.schemas.OutstandingApprovalDto.properties.yours.type).toBe('boolean');
  });

  it('refuses callers who approve nothing (403 ROLE_REQUIRED) and bad paging (400), writing nothing', async () => {
    const count = await t.eventCount();
    for (const as of [salesperson, archivist, people.auditor]) {
      const refused = await t.request({ method: 'GET', url: URL, as });
      expect({ as: as.user, status: refused.status, body: refused.body }).toMatchObject({
        as: as.user,
        status: 403,
        body: { error: 'FORBIDDEN', code: 'ROLE_REQUIRED' },
      });
    }
    const bad = await t.request({ method: 'GET', url: `${URL}?limit=0&colour=red`, as: archiveHead });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('VALIDATION_FAILED');
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'limit']);
    const unauthenticated = await t.request({ method: 'GET', url: URL });
    expect(unauthenticated.status).toBe(401);
    expect(await t.eventCount()).toBe(count);
  });
});
