import type { Page } from 'playwright-core';
import { contractRecord, filingBodyOf } from '../support/record-fixtures';
import { apiToken, screenshot, signInAs, startConsole, type ConsoleUnderTest } from './console-browser';

/**
 * Issue 8, the disposition desk: a record whose retention expired long ago is appraised, listed,
 * signed by six people in their capacities, checked by two witnesses, destroyed, and its
 * certificate offered, driven in the browser where a person would act (R4, R5, D1–D8).
 *
 * The service runs on the real clock, so the record is formed in 2005 with ten years' retention:
 * counted from 1 January 2006 (R1), it expired on 1 January 2016 and is due today (R4).
 */
jest.setTimeout(90_000);

const TITLE = '华东精密机械有限公司2005年度供货合同';
const LIST_TITLE = '2005年度到期销售合同销毁清册';
const STILL_USEFUL = '长期合作框架协议（2005年）';

/** Five of the six capacities sign through the API; the leader in charge signs in the browser (D3). */
const API_SIGNERS: readonly (readonly [string, string])[] = [
  ['office_head', 'feng.yu'],
  ['archive_department_head', 'liu.yang'],
  ['business_department_head', 'zhao.qiang'],
  ['archive_clerk', 'zhou.min'],
  ['business_clerk', 'jiang.tao'],
];

interface ListView {
  status: string;
  itemCount: number;
  signatures: { capacity: string; signer: { id: string } }[];
  witnessChecks: { capacity: string; matched: boolean }[];
  items: { archiveCode: string; destroyedOn: string | null; yearsKept: number }[];
}

describe('console: an expired record is appraised, listed, signed, witnessed and destroyed (issue 8, disposition desk)', () => {
  let c: ConsoleUnderTest;
  let archiveCode: string;
  let keptCode: string;
  let listId: string;
  const tokens = new Map<string, string>();
  const pages = new Map<string, Page>();

  async function token(user: string): Promise<string> {
    let minted = tokens.get(user);
    if (!minted) {
      minted = await apiToken(c.baseUrl, user);
      tokens.set(user, minted);
    }
    return minted;
  }

  async function api<T>(method: string, path: string, user: string, body?: unknown): Promise<T> {
    const response = await fetch(`${c.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${await token(user)}`,
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  const list = () => api<ListView>('GET', `/destruction-lists/${listId}`, 'lin.shen');

  /** One browser context per person, signed in through the development sign-in. */
  async function pageOf(user: string, lang?: 'zh' | 'en'): Promise<Page> {
    let page = pages.get(user);
    if (!page) {
      page = await c.newPage({ lang });
      await signInAs(page, user);
      pages.set(user, page);
    }
    return page;
  }

  async function openList(user: string, lang?: 'zh' | 'en'): Promise<Page> {
    const page = await pageOf(user, lang);
    await page.goto(`/console/disposition/lists/${listId}`);
    await page.getByTestId('items-table').waitFor();
    return page;
  }

  /** A 2005 sales contract kept ten years, filed through the API; answers the code it was given. */
  async function fileContract2005(
    title: string,
    documentNumber: string,
    dateFormed: string,
    shelfLocation: string,
  ): Promise<string> {
    const filed = await api<{ archiveCode: string }>(
      'POST',
      '/records',
      'wang.fang',
      filingBodyOf(
        {
          ...contractRecord,
          archiveCode: 'Z001-WS-2005-D10-SALES',
          year: 2005,
          retentionClass: 'D10',
          organisationalUnit: '销售部',
          title,
          documentNumber,
          dateFormed,
          shelfLocation,
        },
        { reason: '2005年度销售合同归档' },
      ),
    );
    return filed.archiveCode;
  }

  const status = (page: Page) => page.getByTestId('list-status').first().getAttribute('data-status');

  beforeAll(async () => {
    c = await startConsole();
    // Filed through the API; the service gives the code its sequence (F2).
    archiveCode = await fileContract2005(TITLE, '销合〔2005〕017号', '2005-06-20', 'B-02-01-05');
    keptCode = await fileContract2005(STILL_USEFUL, '销合〔2005〕018号', '2005-07-02', 'B-02-01-06');
  });
  afterAll(() => c?.close());

  it('R4, R5: the committee sees the records due for appraisal, releases one for destruction and keeps the other longer', async () => {
    const page = await pageOf('guo.jian');
    await page.goto('/console/disposition');
    await page.waitForURL('**/console/disposition/due');
    const row = page.locator(`[data-testid="due-row"][data-code="${archiveCode}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(TITLE);
    expect(await row.textContent()).toContain('定期10年');
    await row.getByTestId('appraise').click();
    const form = page.getByTestId('appraisal-form');
    await form.getByTestId('decision-release').check();
    await form.getByTestId('grounds').fill('保管期满，已无查考利用价值，同意销毁');
    await form.getByTestId('member-id-0').fill('tang.ping');
    await form.getByTestId('member-unit-0').fill('LEGAL');
    await form.getByTestId('submit-appraisal').click();
    const message = page.getByTestId('due-message');
    await message.waitFor();
    expect(await message.textContent()).toContain('已记录鉴定 AP1：准予销毁');
    expect(await row.getByTestId('appraised').textContent()).toContain('AP1');
    await screenshot(page, 'disposition-retention-due');

    // R2, R5: the other is kept with thirty years' retention and leaves the list (due again in 2036).
    const kept = page.locator(`[data-testid="due-row"][data-code="${keptCode}"]`);
    await kept.getByTestId('appraise').click();
    await form.getByTestId('decision-keep').check();
    expect(await form.getByTestId('new-retention').inputValue()).toBe('D30');
    await form.getByTestId('grounds').fill('长期合作客户，仍有查考价值');
    await form.getByTestId('member-id-0').fill('tang.ping');
    await form.getByTestId('member-unit-0').fill('LEGAL');
    await form.getByTestId('submit-appraisal').click();
    await kept.waitFor({ state: 'detached' });
    expect(await message.textContent()).toContain('已记录鉴定 AP1：继续保存');
    expect(await row.count()).toBe(1);
  });

  it('D1, D2: an archivist drafts a list and lists the released record from the retention-due list', async () => {
    const page = await pageOf('wang.fang');
    await page.goto('/console/disposition/lists');
    await page.getByTestId('draft-title').fill(LIST_TITLE);
    await page.getByTestId('draft-unit').fill('SALES');
    await page.getByTestId('draft-submit').click();
    await page.waitForURL('**/console/disposition/lists/XH-*');
    const shown = page.getByTestId('destruction-list');
    await shown.waitFor();
    listId = (await shown.getAttribute('data-list-id')) as string;
    expect(listId).toMatch(/^XH-\d{8}-[0-9A-F]{8}$/);
    expect(await status(page)).toBe('draft');

    await page.getByTestId('pick-from-due').click();
    await page.waitForURL('**/console/disposition/due?list=*');
    await page
      .locator(`[data-testid="due-row"][data-code="${archiveCode}"]`)
      .getByTestId('add-to-list')
      .click();
    await page.getByTestId('due-message').getByText(archiveCode).waitFor();
    await page.getByTestId('back-to-list').click();
    const item = page.locator(`[data-testid="item-row"][data-code="${archiveCode}"]`);
    await item.waitFor();
    // The D2 columns: 档号, 文号, 责任者, 题名, 形成时间, 保管期限, 已保管年限, 密级, and the appraisal.
    const text = await item.textContent();
    for (const column of ['销合〔2005〕017号', '销售部', TITLE, '定期10年', '内部', 'AP1'])
      expect(text).toContain(column);
    expect(await page.getByTestId('item-count').textContent()).toBe('1');
    expect((await list()).items.map((i) => i.archiveCode)).toEqual([archiveCode]);
  });

  it('D3: executing with five of six signatures is refused, and the page shows the rule', async () => {
    for (const [capacity, user] of API_SIGNERS) {
      await api('POST', `/destruction-lists/${listId}/signatures`, user, {
        capacity,
        decision: 'approve',
        opinion: '同意销毁',
      });
    }
    const page = await openList('wang.fang');
    expect(await status(page)).toBe('signing');
    expect(await page.getByTestId('still-needed').textContent()).toContain('分管档案工作的领导');
    // D4: the first signature locked the items, so the archivist is no longer offered to add any.
    expect(await page.getByTestId('add-item-form').count()).toBe(0);
    const execute = page.getByTestId('execute-form');
    await execute.getByTestId('execute-submit').click();
    const error = execute.getByTestId('error');
    await error.waitFor();
    const shown = await error.textContent();
    expect(shown).toContain('422 SIGNATURES_MISSING');
    expect(shown).toContain('D3');
    expect(shown).toContain('leader_in_charge');
    expect((await list()).status).toBe('signing');
  });

  it('D3: the deputy general manager signs as leader in charge with his opinion; the list is approved', async () => {
    const page = await openList('he.jun');
    const form = page.getByTestId('sign-form');
    expect(await form.getByTestId('sign-capacity').inputValue()).toBe('leader_in_charge');
    await form.getByTestId('sign-opinion').fill('同意销毁，请档案部门会同销售部监销');
    await form.getByTestId('sign-submit').click();
    await page.locator('[data-testid="list-status"][data-status="approved"]').waitFor();
    const row = page.locator('[data-testid="signature-row"][data-capacity="leader_in_charge"]');
    expect(await row.textContent()).toContain('he.jun（MGMT）');
    expect(await row.textContent()).toContain('同意销毁，请档案部门会同销售部监销');
    expect(await page.locator('[data-testid="signature-row"][data-signed="yes"]').count()).toBe(6);
    expect((await list()).signatures).toHaveLength(6);
  });

  it('D5: the archives witness checks the items in the browser (count and codes); the sales witness through the API', async () => {
    const page = await openList('song.jie');
    const form = page.getByTestId('witness-check-form');
    await form.getByTestId('check-count').fill('1');
    await form.getByTestId('check-codes').fill(archiveCode);
    await form.getByTestId('check-notes').fill('实物与清册核对无误');
    await form.getByTestId('check-submit').click();
    const row = page.locator('[data-testid="witness-row"][data-capacity="archive"][data-matched="true"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('清点 1 件，与清册相符');
    await api('POST', `/destruction-lists/${listId}/witness-checks`, 'deng.hui', {
      itemCount: 1,
      archiveCodes: [archiveCode],
    });
    expect((await list()).witnessChecks.map((w) => [w.capacity, w.matched])).toEqual([
      ['archive', true],
      ['business', true],
    ]);
  });

  it('D6: the archivist executes the list; the page follows the execution until the record is destroyed', async () => {
    const page = await openList('wang.fang');
    await page.getByTestId('execute-submit').click();
    await page.locator('[data-testid="list-status"][data-status="executed"]').waitFor({ timeout: 20_000 });
    const destroyedOn = await page
      .locator(`[data-testid="item-row"][data-code="${archiveCode}"]`)
      .getByTestId('item-destroyed-on')
      .textContent();
    expect(destroyedOn).not.toBe('—');
    const recorded = await list();
    expect(recorded.status).toBe('executed');
    expect(recorded.items[0].destroyedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const download = page.waitForEvent('download');
    await page.getByTestId('download-csv').click();
    expect((await download).suggestedFilename()).toBe(`${listId}.csv`);
    await screenshot(page, 'disposition-list');
  });

  it('D5, D7: the witness signs after the destruction; the register shows the list destroyed', async () => {
    const witness = await openList('song.jie');
    await witness.getByTestId('witness-remark').fill('已监督销毁');
    await witness.getByTestId('witness-sign-submit').click();
    await witness.getByTestId('witness-sign-form').waitFor({ state: 'detached' });
    expect(
      await witness.locator('[data-testid="witness-row"][data-capacity="archive"]').textContent(),
    ).toContain('已监督销毁');

    const page = await pageOf('wang.fang');
    await page.getByTestId('tab-register').click();
    await page.waitForURL('**/console/disposition/lists');
    const row = page.locator(`[data-testid="register-row"][data-list-id="${listId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(LIST_TITLE);
    expect(await row.getByTestId('list-status').getAttribute('data-status')).toBe('executed');
    const printable = page.waitForEvent('download');
    await row.getByRole('link').click();
    await page.getByTestId('download-print').click();
    expect((await printable).suggestedFilename()).toBe(`${listId}.html`);
    await page.getByTestId('tab-register').click();
    await row.waitFor();
    await screenshot(page, 'disposition-register');
  });

  it('D8: an auditor, reading in English, is offered the destroyed record’s certificate as a download', async () => {
    const page = await openList('lin.shen', 'en');
    expect(await page.getByTestId('list-status').first().textContent()).toBe('Destroyed');
    expect(await page.getByTestId('signatures-table').textContent()).toContain(
      'Leader in charge of archives',
    );
    const download = page.waitForEvent('download');
    await page
      .locator(`[data-testid="item-row"][data-code="${archiveCode}"]`)
      .getByTestId('download-certificate')
      .click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${archiveCode}-destruction-certificate.json`);
    const body = JSON.parse(await streamText(await file.createReadStream()));
    expect(body).toMatchObject({ kind: 'destruction-certificate', archiveCode, listId });
    expect(c.pageErrors).toEqual([]);
  });
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
