import type { Page } from 'playwright-core';
import { filingBodyOf, plainRecord } from '../support/record-fixtures';
import { apiToken, screenshot, signInAs, startConsole, type ConsoleUnderTest } from './console-browser';

jest.setTimeout(60_000);

/** The story's record: INTERNAL (li.lei may see it), no counterparty (not a client record, B6), on shelf C-02-03-07. */
const TITLE = '2024年度办公室工作会议纪要';
const SHELF = 'C-02-03-07';
const OPINION = '同意借出，请按期归还';

interface LedgerLoan {
  loanId: string;
  status: string;
  dueAt: string | null;
  shelfLocation: string | null;
  condition: string | null;
  approvals: { role: string; approver: { id: string }; opinion?: string }[];
  reminders: { count: number };
  receivedBy: { id: string } | null;
}

describe('console: an archivist lends and takes back a record (issue 8, loans desk)', () => {
  let c: ConsoleUnderTest;
  let archivist: string;
  let archiveCode: string;
  let loanId: string;

  async function api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
    const response = await fetch(`${c.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function ledgerLoan(): Promise<LedgerLoan> {
    const page = await api<{ items: LedgerLoan[] }>(
      'GET',
      `/loans?archiveCode=${encodeURIComponent(archiveCode)}`,
      archivist,
    );
    const loan = page.items.find((item) => item.loanId === loanId);
    if (!loan) throw new Error(`${loanId} is not in the loan ledger`);
    return loan;
  }

  const row = (page: Page, testId: string) =>
    page.locator(`[data-testid="${testId}"][data-loan-id="${loanId}"]`);

  beforeAll(async () => {
    c = await startConsole();
    archivist = await apiToken(c.baseUrl, 'wang.fang');
    // Filed through the API: the code's sequence is left to the service (F2).
    const filed = await api<{ archiveCode: string }>(
      'POST',
      '/records',
      archivist,
      filingBodyOf(plainRecord('Z001-WS-2024-D30-BGS', 'INTERNAL'), {
        title: TITLE,
        shelfLocation: SHELF,
        reason: '2024年度文书档案归档',
      }),
    );
    archiveCode = filed.archiveCode;
  });
  afterAll(() => c?.close());

  it('B1, B14: li.lei requests a lend-out from the loans desk and sees it among her open loans', async () => {
    const page = await c.newPage();
    await signInAs(page, 'li.lei');
    // The record page links here with the code filled in.
    await page.goto(`/console/loans?request=${encodeURIComponent(archiveCode)}`);
    await page.waitForURL('**/console/loans/mine?request=*');
    expect(await page.getByTestId('request-code').inputValue()).toBe(archiveCode);
    await page.getByTestId('request-mode').selectOption('lend_out');
    // Five days: the archive department head and, being over 2 days, her own department head (B4).
    await page.getByTestId('request-days').fill('5');
    await page.getByTestId('request-purpose').fill('核对2024年度会议决定事项的落实情况');
    await page.getByTestId('submit-request').click();
    const ok = page.getByTestId('command-ok');
    await ok.waitFor();
    loanId = `${archiveCode}.L1`;
    expect(await ok.textContent()).toContain(`已提交借阅申请 ${loanId}`);

    const mine = row(page, 'mine-row');
    await mine.waitFor();
    expect(await mine.textContent()).toContain(TITLE);
    expect(await mine.getByTestId('loan-status').textContent()).toBe('待审批');
    expect(await mine.textContent()).toContain('尚需：档案部门负责人、部门负责人（SALES）');
    expect((await ledgerLoan()).status).toBe('requested');
  });

  it('B3, B4: liu.yang, head of the archive department, finds it awaiting her approval and approves it with her opinion', async () => {
    const page = await c.newPage();
    await signInAs(page, 'liu.yang');
    await page.goto('/console/loans');
    await page.waitForURL('**/console/loans/approvals');
    const request = row(page, 'approval-row');
    await request.waitFor();
    expect(await request.textContent()).toContain(TITLE);
    expect(await request.textContent()).toContain('li.lei（SALES）');
    expect(await request.textContent()).toContain('档案部门负责人 — 待审批待您审批');
    expect(await request.textContent()).toContain('部门负责人（SALES） — 待审批');
    await request.getByTestId('approval-opinion').fill(OPINION);
    await screenshot(page, 'loans-approvals');
    await request.getByTestId('approve-button').click();

    const ok = page.getByTestId('command-ok');
    await ok.waitFor();
    expect(await ok.textContent()).toBe(`已同意 ${loanId}`);
    // The list is read again past the command: the request no longer waits for her (B3: one approval each).
    await request.waitFor({ state: 'detached' });

    const loan = await ledgerLoan();
    expect(loan.status).toBe('requested');
    expect(loan.approvals).toEqual([
      expect.objectContaining({
        role: 'archive_department_head',
        approver: expect.objectContaining({ id: 'liu.yang' }),
        opinion: OPINION,
      }),
    ]);
  });

  it('B3, B4, B6: the head of another department (feng.yu, BGS: the record’s, but it is no client record) finds nothing awaiting him', async () => {
    const page = await c.newPage();
    await signInAs(page, 'feng.yu');
    await page.goto('/console/loans');
    await page.waitForURL('**/console/loans/approvals');
    await page.getByTestId('approvals-list').waitFor();
    expect(await row(page, 'approval-row').count()).toBe(0);
    expect(await page.getByTestId('approvals-list').textContent()).toContain('共 0 条');
  });

  it('B3, B4: zhao.qiang, head of SALES, finds li.lei’s request in his list (in English) and gives the last approval', async () => {
    const page = await c.newPage({ lang: 'en' });
    await signInAs(page, 'zhao.qiang');
    await page.goto('/console/loans');
    await page.waitForURL('**/console/loans/approvals');
    const request = row(page, 'approval-row');
    await request.waitFor();
    const shown = (await request.textContent()) ?? '';
    expect(shown).toContain(TITLE);
    expect(shown).toContain('li.lei（SALES）');
    expect(shown).toContain(`archive department head — approved by liu.yang${OPINION}`);
    expect(shown).toContain('department head（SALES） — outstandingyours to decide');
    await request.getByTestId('approval-opinion').fill('同意');
    await request.getByTestId('approve-button').click();

    const ok = page.getByTestId('command-ok');
    await ok.waitFor();
    expect(await ok.textContent()).toContain(`Approved ${loanId}: every approval is in`);
    await request.waitFor({ state: 'detached' });
    const loan = await ledgerLoan();
    expect(loan.status).toBe('approved');
    expect(loan.approvals.map((given) => [given.role, given.approver.id, given.opinion])).toEqual([
      ['archive_department_head', 'liu.yang', OPINION],
      ['department_head', 'zhao.qiang', '同意'],
    ]);
  });

  let desk: Page;

  it('B11: wang.fang hands it over and sees the due date and where the substitute card stands', async () => {
    desk = await c.newPage();
    await signInAs(desk, 'wang.fang');
    await desk.goto('/console/loans');
    await desk.waitForURL('**/console/loans/counter');
    const ready = row(desk, 'ready-row');
    await ready.waitFor();
    expect(await ready.textContent()).toContain(OPINION);
    await ready.getByTestId('hand-over-button').click();

    const ok = desk.getByTestId('command-ok');
    await ok.waitFor();
    const said = (await ok.textContent()) ?? '';
    expect(said).toContain(`${loanId} 已借给 li.lei（SALES）`);
    expect(said).toContain('应还日期');
    expect(said).toContain(`代替卡已放在 ${SHELF}`);
    const loan = await ledgerLoan();
    expect(loan.status).toBe('out');
    expect(loan.dueAt).not.toBeNull();

    const out = row(desk, 'out-row');
    await out.waitFor();
    expect(await out.getByTestId('due-at').getAttribute('datetime')).toBe(loan.dueAt);
    await screenshot(desk, 'loans-hand-over');

    // The substitute card, found by its shelf location's beginning.
    await desk.getByTestId('loans-tab-cards').click();
    await desk.getByTestId('cards-location').fill('C-02');
    await desk.getByRole('button', { name: '查找' }).click();
    const card = row(desk, 'card-row');
    await card.waitFor();
    expect(await card.textContent()).toContain(SHELF);
    expect(await card.textContent()).toContain('li.lei（SALES）');
  });

  it('B9: a reminder before the due date is refused with the rule the service names, and nothing is recorded', async () => {
    await desk.getByTestId('loans-tab-counter').click();
    const out = row(desk, 'out-row');
    await out.waitFor();
    await out.getByTestId('remind-button').click();
    await out.getByTestId('reminder-channel').selectOption('phone');
    await out.getByTestId('send-reminder').click();
    const error = out.getByTestId('error');
    await error.waitFor();
    const said = (await error.textContent()) ?? '';
    expect(said).toContain('422 LOAN_NOT_OVERDUE');
    expect(said).toContain('规则 B9');
    expect((await ledgerLoan()).reminders.count).toBe(0);
    await out.getByRole('button', { name: '取消' }).click();
  });

  it('B8, B3: li.lei asks for a renewal; liu.yang finds it awaiting her and refuses it, an opinion required', async () => {
    const borrower = await apiToken(c.baseUrl, 'li.lei');
    await api('POST', `/loans/${encodeURIComponent(loanId)}/renewals`, borrower, {
      extraDays: 5,
      reason: '落实情况核对尚未完成',
    });
    const page = await c.newPage();
    await signInAs(page, 'liu.yang');
    await page.goto('/console/loans/approvals');
    const renewal = row(page, 'approval-row');
    await renewal.waitFor();
    expect(await renewal.getAttribute('data-renewal')).toBe('1');
    expect(await renewal.getByTestId('renewal-badge').textContent()).toBe('续借申请（第 1 次）');
    expect(await renewal.getByTestId('renewal-details').textContent()).toContain('续借 5 天');
    expect(await renewal.textContent()).toContain('落实情况核对尚未完成');
    // A new round (B8): both heads again, nobody has approved it yet.
    expect(await renewal.textContent()).toContain('档案部门负责人 — 待审批待您审批');
    expect(await renewal.textContent()).toContain('部门负责人（SALES） — 待审批');
    await screenshot(page, 'loans-approvals-renewal');

    await renewal.getByTestId('refuse-button').click();
    const error = renewal.getByTestId('error');
    await error.waitFor();
    expect(await error.textContent()).toContain('400 OPINION_REQUIRED');
    await renewal.getByTestId('approval-opinion').fill('请按期归还');
    await renewal.getByTestId('refuse-button').click();
    const ok = page.getByTestId('command-ok');
    await ok.waitFor();
    expect(await ok.textContent()).toContain(`已不同意 ${loanId} 的续借申请`);
    await renewal.waitFor({ state: 'detached' });
    expect((await ledgerLoan()).status).toBe('out');
  });

  it('B10: wang.fang takes it back "intact", after a damaged return without a note is refused (NOTE_REQUIRED)', async () => {
    const out = row(desk, 'out-row');
    await out.getByTestId('return-button').click();
    await out.getByTestId('return-condition').selectOption('intact');
    await screenshot(desk, 'loans-return');
    await out.getByTestId('return-condition').selectOption('damaged');
    await out.getByTestId('confirm-return').click();
    const error = out.getByTestId('error');
    await error.waitFor();
    expect(await error.textContent()).toContain('400 NOTE_REQUIRED');
    expect(await error.textContent()).toContain('note');
    expect((await ledgerLoan()).status).toBe('out');

    await out.getByTestId('return-condition').selectOption('intact');
    await out.getByTestId('confirm-return').click();
    const ok = desk.getByTestId('command-ok').filter({ hasText: '已归还' });
    await ok.waitFor();
    expect(await ok.textContent()).toContain(`${loanId} 已归还（完好），档案已回到库房`);
    await out.waitFor({ state: 'detached' });
  });

  it('B10, B11, B14: the loan is closed and the record is back in custody, in the browser and in the API', async () => {
    // The substitute card is gone from the shelf.
    await desk.getByTestId('loans-tab-cards').click();
    await desk.getByTestId('cards-list').waitFor();
    expect(await row(desk, 'card-row').count()).toBe(0);

    // Never overdue, so never on the overdue list (B9).
    await desk.getByTestId('loans-tab-overdue').click();
    await desk.getByTestId('overdue-list').waitFor();
    expect(await row(desk, 'overdue-row').count()).toBe(0);

    // li.lei has no open loan left (B14).
    const borrower = await c.newPage();
    await signInAs(borrower, 'li.lei');
    await borrower.goto('/console/loans/mine');
    await borrower.getByTestId('mine-list').waitFor();
    expect(await row(borrower, 'mine-row').count()).toBe(0);

    const loan = await ledgerLoan();
    expect(loan).toMatchObject({ status: 'returned', condition: 'intact', receivedBy: { id: 'wang.fang' } });
    const record = await api<{ custody: string; onLoan: boolean; openLoan: unknown; title: string }>(
      'GET',
      `/records/${encodeURIComponent(archiveCode)}`,
      archivist,
    );
    expect(record).toMatchObject({ title: TITLE, custody: 'in_custody', onLoan: false, openLoan: null });

    expect(c.pageErrors).toEqual([]);
  });
});
