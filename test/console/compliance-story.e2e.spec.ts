import type { Page } from 'playwright-core';
import { filingBodyOf, plainRecord, salesContract } from '../support/record-fixtures';
import { apiToken, screenshot, signInAs, startConsole, type ConsoleUnderTest } from './console-browser';

/**
 * Story (issue 8): a compliance officer finds a record in the catalogue and reads its state on a
 * past date. The record's life is set up through the API on the real clock (filed, lent to li.lei
 * with both approvals, handed over, returned); "past" is a moment between two recorded events.
 */
describe('Story: a compliance officer finds a record and reads its state on a past date', () => {
  const CONTRACT = salesContract.archiveCode; // Z001-WS-2024-D30-SALES-0001, INTERNAL
  const CONTRACT_TITLE = '华东精密机械有限公司客户合同档案';
  const SECRET_CODE = 'Z001-WS-2024-D30-BGS-0102';
  const SECRET_TITLE = '2024年度重点客户投标报价合同（秘密）';
  const MINUTES_CODE = 'Z001-WS-2024-D30-BGS-0103';

  let c: ConsoleUnderTest;
  const tokens: Record<string, string> = {};
  /** Moments (ISO, whole seconds) while the contract was on loan, and after it came back. */
  let whileOnLoan: string;
  let afterReturn: string;
  let loanId: string;

  async function api(user: string, method: 'GET' | 'POST', url: string, body?: unknown) {
    tokens[user] ??= await apiToken(c.baseUrl, user);
    const response = await fetch(`${c.baseUrl}${url}`, {
      method,
      headers: {
        Authorization: `Bearer ${tokens[user]}`,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${user} ${method} ${url}: ${response.status} ${text}`);
    return JSON.parse(text);
  }

  /** Wait until the clock has passed the next whole second after `iso`; answer that second. */
  async function nextWholeSecondAfter(iso: string): Promise<string> {
    const second = Math.floor(Date.parse(iso) / 1000) * 1000 + 1000;
    const wait = second + 150 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return new Date(second).toISOString();
  }

  /** A moment as the browser's datetime-local input writes it (its own time zone). */
  function localInput(page: Page, iso: string): Promise<string> {
    return page.evaluate((moment) => {
      const d = new Date(moment);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, iso);
  }

  beforeAll(async () => {
    c = await startConsole();
    await api('wang.fang', 'POST', '/records', filingBodyOf(salesContract, { title: CONTRACT_TITLE }));
    await api('wang.fang', 'POST', '/records', {
      ...filingBodyOf(plainRecord(SECRET_CODE, 'SECRET')),
      title: SECRET_TITLE,
    });
    await api(
      'wang.fang',
      'POST',
      '/records',
      filingBodyOf(plainRecord(MINUTES_CODE, 'INTERNAL'), { keywords: ['会议纪要'] }),
    );
    const requested = await api('li.lei', 'POST', `/records/${CONTRACT}/loans`, {
      mode: 'lend_out',
      purpose: '核对合同条款，准备续签谈判',
      days: 10,
    });
    loanId = requested.loanId;
    await api('liu.yang', 'POST', `/loans/${loanId}/approvals`, {
      decision: 'approve',
      opinion: '同意借出，请按期归还',
    });
    await api('zhao.qiang', 'POST', `/loans/${loanId}/approvals`, { decision: 'approve', opinion: '同意' });
    await api('wang.fang', 'POST', `/loans/${loanId}/hand-over`);
    const lent = await api('xu.he', 'GET', `/records/${CONTRACT}/history`);
    whileOnLoan = await nextWholeSecondAfter(lent.entries.at(-1).recordedAt);
    await api('wang.fang', 'POST', `/loans/${loanId}/return`, { condition: 'intact' });
    const history = await api('xu.he', 'GET', `/records/${CONTRACT}/history`);
    const returnEntry = history.entries.at(-1);
    expect(returnEntry.type).toBe('Returned');
    afterReturn = await nextWholeSecondAfter(returnEntry.recordedAt);
  }, 60_000);

  afterAll(() => c?.close());

  it('B11: xu.he finds the contract by a Chinese search, reads its timeline, sees who held it on a past date under which approvals, and verifies its chain', async () => {
    const page = await c.newPage();
    page.setDefaultTimeout(15_000);
    await signInAs(page, 'xu.he');
    await page.goto('/console/');

    // 档案目录: a Chinese full-text search, kept in the address.
    await page.getByTestId('catalogue-q').fill('合同');
    await page.getByTestId('catalogue-search').click();
    await page.waitForURL(/q=%E5%90%88%E5%90%8C/);
    // The rows of the unfiltered list stay until the search's answer replaces them.
    await page.getByTestId('catalogue-total').filter({ hasText: '共 2 条' }).waitFor();
    const rows = page.getByTestId('catalogue-row');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')))).toEqual([
      SECRET_CODE,
      CONTRACT,
    ]);
    const contractRow = page.locator(`[data-testid="catalogue-row"][data-code="${CONTRACT}"]`);
    await expect(contractRow.textContent()).resolves.toContain(CONTRACT_TITLE);
    await expect(contractRow.locator('.badge.in_custody').textContent()).resolves.toBe('在库');
    await screenshot(page, 'catalogue-search');

    // The record page: metadata, and the timeline with who, when and why.
    await contractRow.getByRole('link', { name: CONTRACT_TITLE }).click();
    await page.waitForURL(`**/console/records/${CONTRACT}`);
    await page.getByTestId('record-title').filter({ hasText: CONTRACT_TITLE }).waitFor();
    const entries = page.getByTestId('timeline-entry');
    await entries.first().waitFor();
    expect(await entries.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-type')))).toEqual([
      'ArchiveFiled',
      'LoanRequested',
      'LoanApprovalGiven',
      'LoanApprovalGiven',
      'LoanApproved',
      'Borrowed',
      'Returned',
    ]);
    const timeline = (await page.getByTestId('timeline').textContent()) ?? '';
    expect(timeline).toContain('li.lei');
    expect(timeline).toContain('liu.yang');
    expect(timeline).toContain('经办人：wang.fang（档案管理员，ARCHIVE）');
    expect(timeline).toContain('记录时间');
    await screenshot(page, 'record-timeline');

    // A moment while it was on loan: li.lei held it, under the two heads' approvals.
    await page.getByTestId('state-at-input').fill(await localInput(page, whileOnLoan));
    await page.getByTestId('state-at-show').click();
    const result = page.getByTestId('state-result');
    await page.locator('[data-testid="state-result"][data-custody="on_loan"]').waitFor();
    expect(page.url()).toContain(`at=${encodeURIComponent(whileOnLoan)}`);
    await expect(page.getByTestId('state-holder-name').textContent()).resolves.toContain('li.lei (SALES)');
    const approvals = await page.getByTestId('state-approval').allTextContents();
    expect(approvals).toHaveLength(2);
    expect(approvals[0]).toContain('档案部门负责人');
    expect(approvals[0]).toContain('liu.yang (ARCHIVE)');
    expect(approvals[0]).toContain('同意借出，请按期归还');
    expect(approvals[1]).toContain('部门负责人 (SALES)');
    expect(approvals[1]).toContain('zhao.qiang (SALES)');
    await expect(result.getByTestId('state-custody').textContent()).resolves.toContain('借出中');
    await screenshot(page, 'record-state-at');

    // A moment after the return: back in custody at its shelf.
    await page.getByTestId('state-at-input').fill(await localInput(page, afterReturn));
    await page.getByTestId('state-at-show').click();
    await page.locator('[data-testid="state-result"][data-custody="in_custody"]').waitFor();
    await expect(result.getByTestId('state-custody').textContent()).resolves.toContain(
      `在库，存放于 ${salesContract.shelfLocation}`,
    );
    expect(await page.getByTestId('state-holder').count()).toBe(0);

    // The state right after the hand-over, picked from the timeline itself.
    await page
      .locator('[data-testid="timeline-entry"][data-type="Borrowed"]')
      .getByTestId('timeline-state-after')
      .click();
    await page.locator('[data-testid="state-result"][data-custody="on_loan"]').waitFor();
    expect(page.url()).toMatch(/revision=5/);

    // Verify: the record's chain and its inclusion in the signed checkpoint.
    await page.getByTestId('verify-button').click();
    const verified = page.getByTestId('verify-result');
    await verified.waitFor();
    expect(await verified.getAttribute('data-verified')).toBe('true');
    await expect(verified.textContent()).resolves.toContain('核验通过');

    // Export: the bundle downloads as a file the verifier desk opens.
    const download = page.waitForEvent('download');
    await page.getByTestId('export-button').click();
    expect((await download).suggestedFilename()).toBe(`${CONTRACT}.bundle.json`);

    // The back button walks the address back: the earlier moments, then the search.
    await page.goBack();
    await page.locator('[data-testid="state-result"][data-custody="in_custody"]').waitFor();
    await page.goto(`/console/?q=${encodeURIComponent('合同')}`);
    await expect(page.getByTestId('catalogue-q').inputValue()).resolves.toBe('合同');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(2);
  }, 60_000);

  it('the catalogue pages with the service’s cursor, a page at a time, and the address keeps the page', async () => {
    const page = await c.newPage();
    page.setDefaultTimeout(15_000);
    await signInAs(page, 'xu.he');
    await page.goto('/console/?limit=2');
    const codes = () =>
      page.getByTestId('catalogue-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')));
    await page.getByTestId('catalogue-total').filter({ hasText: '共 3 条' }).waitFor();
    expect(await codes()).toEqual([SECRET_CODE, MINUTES_CODE]);
    expect(await page.getByTestId('catalogue-previous').isDisabled()).toBe(true);

    const nextPage = page.waitForResponse(
      (r) => r.url().includes('/records?') && r.url().includes('cursor='),
    );
    await page.getByTestId('catalogue-next').click();
    await nextPage;
    await page.getByTestId('catalogue-total').filter({ hasText: '第 2 页' }).waitFor();
    expect(await codes()).toEqual([CONTRACT]);
    expect(page.url()).toContain('cursor=');
    expect(await page.getByTestId('catalogue-next').isDisabled()).toBe(true);

    // A filter chosen from a list searches at once, from the first page.
    await page.getByTestId('filter-classification').selectOption('SECRET');
    await page.getByTestId('catalogue-total').filter({ hasText: '共 1 条' }).waitFor();
    expect(await codes()).toEqual([SECRET_CODE]);
    expect(page.url()).not.toContain('cursor=');

    // Back: the second page again; previous: the first.
    await page.goBack();
    await page.getByTestId('catalogue-total').filter({ hasText: '第 2 页' }).waitFor();
    expect(await codes()).toEqual([CONTRACT]);
    await page.getByTestId('catalogue-previous').click();
    await page
      .getByTestId('catalogue-total')
      .filter({ hasText: /^共 3 条$/ })
      .waitFor();
    expect(await codes()).toEqual([SECRET_CODE, MINUTES_CODE]);
  }, 30_000);

  it('A1: opening a SECRET record asks why first, and the view is registered under xu.he', async () => {
    const page = await c.newPage();
    page.setDefaultTimeout(15_000);
    await signInAs(page, 'xu.he');
    await page.goto(`/console/records/${SECRET_CODE}`);
    await page.getByTestId('purpose-form').waitFor();
    expect(await page.locator('body').textContent()).not.toContain(SECRET_TITLE);
    await page.getByTestId('purpose-input').fill('合规检查：核对投标报价合同的借阅情况');
    await page.getByTestId('purpose-submit').click();
    await page.getByTestId('record-title').filter({ hasText: SECRET_TITLE }).waitFor();
    await page.getByTestId('timeline-entry').first().waitFor();
    const register = await api('xu.he', 'GET', `/access-register?archiveCode=${SECRET_CODE}`);
    expect(register.items.length).toBeGreaterThan(0);
    expect(register.items[0]).toMatchObject({
      viewer: { id: 'xu.he' },
      purpose: '合规检查：核对投标报价合同的借阅情况',
    });
  }, 30_000);

  it('A2: li.lei (INTERNAL clearance) does not see the SECRET record in the catalogue', async () => {
    const page = await c.newPage();
    page.setDefaultTimeout(15_000);
    await signInAs(page, 'li.lei');
    await page.goto(`/console/?q=${encodeURIComponent('合同')}`);
    const rows = page.getByTestId('catalogue-row');
    await rows.first().waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')))).toEqual([
      CONTRACT,
    ]);
    await expect(page.getByTestId('catalogue-total').textContent()).resolves.toContain('共 1 条');
    expect(await page.locator('body').textContent()).not.toContain(SECRET_TITLE);
    // Nor by its address: the service answers as if it did not exist.
    await page.goto(`/console/records/${SECRET_CODE}`);
    await expect(page.getByTestId('error').textContent()).resolves.toContain('404');
    expect(await page.locator('body').textContent()).not.toContain(SECRET_TITLE);
  }, 30_000);

  it('no script errors or blocked resources on any page', () => {
    expect(c.pageErrors).toEqual([]);
  });
});
