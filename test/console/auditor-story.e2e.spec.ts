import type { Page } from 'playwright-core';
import { describeProblem } from '../../src/audit/bundle/bundle-problem';
import { verifyBundle } from '../../src/audit/bundle/verify-bundle';
import {
  expiredSalesRecord,
  permanentSalesRecord,
} from '../../src/destruction/destruction.fixtures.spec-helper';
import { contractRecord, filingBodyOf } from '../support/record-fixtures';
import { apiToken, screenshot, signInAs, startConsole, type ConsoleUnderTest } from './console-browser';

/**
 * The auditor's story (issue 8, items 6 and 7): a record is destroyed through the running service
 * (appraisal, list, six signatures, two witnesses, execution); the auditor fetches its destruction
 * certificate, verifies it in the console's verifier page without signing in and with no request to
 * the server, sees who approved and witnessed under which list, and sees a copy with one changed
 * byte rejected with the same precise message as `archive-ledger verify`. Then the annual
 * statistics count the destruction.
 */
jest.setTimeout(90_000);

// Formed in 2010 with ten years' retention: due for appraisal today by the service's real clock (R1, R4).
const record = expiredSalesRecord(7, { title: '华东精密机械有限公司2010年度供货合同（审计核验）' });
const code = record.archiveCode;
const SIGNERS: readonly [string, string][] = [
  ['leader_in_charge', 'he.jun'],
  ['office_head', 'feng.yu'],
  ['archive_department_head', 'liu.yang'],
  ['business_department_head', 'zhao.qiang'],
  ['archive_clerk', 'zhou.min'],
  ['business_clerk', 'jiang.tao'],
];
const WITNESSES = ['song.jie', 'deng.hui'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the certificate is arbitrary JSON
type Json = any;

describe('story: an auditor verifies a destruction certificate offline in the console (D8)', () => {
  let c: ConsoleUnderTest;
  let listId: string;
  let certificate: Json;
  let verifierKey: string;
  const tokens = new Map<string, string>();

  async function call(method: 'GET' | 'POST', path: string, user: string, body?: unknown): Promise<Json> {
    if (!tokens.has(user)) tokens.set(user, await apiToken(c.baseUrl, user));
    const response = await fetch(`${c.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${tokens.get(user)}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} as ${user}: ${response.status} ${text}`);
    return JSON.parse(text);
  }

  beforeAll(async () => {
    c = await startConsole();
    // The destruction, through the API as each person (R5, D1–D6).
    await call('POST', '/records', 'wang.fang', filingBodyOf(record));
    // Two records that stay, so the holdings have something to count.
    for (const kept of [contractRecord, permanentSalesRecord]) {
      await call('POST', '/records', 'wang.fang', filingBodyOf(kept));
    }
    await call('POST', `/records/${code}/appraisals`, 'guo.jian', {
      decision: 'release',
      grounds: '保管期满，已无查考利用价值，同意销毁',
      members: [{ id: 'tang.ping', unit: 'LEGAL' }],
    });
    ({ listId } = await call('POST', '/destruction-lists', 'wang.fang', {
      title: '2026年到期档案销毁清册（审计抽查）',
      businessUnit: 'SALES',
    }));
    await call('POST', `/destruction-lists/${listId}/items`, 'wang.fang', { archiveCode: code });
    for (const [capacity, signer] of SIGNERS) {
      await call('POST', `/destruction-lists/${listId}/signatures`, signer, {
        capacity,
        decision: 'approve',
        opinion: '同意销毁',
      });
    }
    for (const witness of WITNESSES) {
      await call('POST', `/destruction-lists/${listId}/witness-checks`, witness, {
        itemCount: 1,
        archiveCodes: [code],
        notes: '实物与清册核对无误',
      });
    }
    await call('POST', `/destruction-lists/${listId}/execution`, 'wang.fang', {});
    // The execution runs in the background: wait until the register says it is done.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const list = await call('GET', `/destruction-lists/${listId}`, 'lin.shen');
      if (list.status === 'executed' || list.status === 'completed') break;
      if (Date.now() > deadline) throw new Error(`list ${listId} not executed: ${list.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await call('POST', `/destruction-lists/${listId}/witness-signatures`, 'song.jie', {
      remark: '已监督销毁',
    });
    // The auditor's copy of the certificate and of the log's published key (kept apart from the file).
    certificate = await withRetry(() => call('GET', `/records/${code}/destruction-certificate`, 'lin.shen'));
    const keys = await call('GET', '/audit/public-key', 'lin.shen');
    verifierKey = keys.keys.find((k: { status: string }) => k.status === 'current').verifierKey;
  });
  afterAll(() => c?.close());

  /** The verifier page in a fresh context with nobody signed in, and every request it makes from now on. */
  async function openVerifier(lang: 'zh' | 'en'): Promise<{ page: Page; requests: string[] }> {
    const page = await c.newPage({ lang });
    await page.goto('/console/verify');
    await page.getByTestId('bundle-file').waitFor({ state: 'attached' });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
    return { page, requests };
  }

  async function drop(page: Page, name: string, content: unknown): Promise<void> {
    await page.getByTestId('bundle-file').setInputFiles({
      name,
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(content, null, 2)),
    });
    // The verdict about this file (a verdict about an earlier file may still be on screen for a moment).
    await page
      .locator(`[data-testid="verdict-details"][data-file="${name}"] [data-testid="verdict"]`)
      .waitFor();
  }

  it('D8: verifies the real certificate in the page, signed in as nobody, with no request to the server, and shows who approved and witnessed', async () => {
    // The command line verifier agrees it is genuine.
    expect(verifyBundle(certificate, { pinnedKey: verifierKey }).verified).toBe(true);

    const { page, requests } = await openVerifier('zh');
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    await page.getByTestId('pinned-key').fill(verifierKey);
    await drop(page, `destruction-certificate-${code}.json`, certificate);

    const verdict = page.getByTestId('verdict');
    expect(await verdict.getAttribute('data-verified')).toBe('true');
    expect(await verdict.textContent()).toContain('核验通过');
    expect(await page.getByTestId('verdict-key').textContent()).toContain('使用您固定的公钥核验');
    const facts = page.getByTestId('certificate-facts');
    expect(await facts.locator('h2').textContent()).toMatch(
      new RegExp(`已证明：档案 ${code} 于 \\d{4}-\\d{2}-\\d{2} 销毁`),
    );
    expect(await page.getByTestId('fact-list').textContent()).toContain(listId);
    expect(await page.getByTestId('fact-list').textContent()).toContain('2026年到期档案销毁清册（审计抽查）');
    expect(await page.getByTestId('fact-policy-version').textContent()).toBe('1');
    const approvals = await page.getByTestId('fact-approvals').locator('tbody tr').allTextContents();
    expect(approvals).toHaveLength(6);
    expect(approvals[0]).toContain('分管档案工作的领导');
    expect(approvals[0]).toContain('he.jun');
    expect(approvals.map((row) => SIGNERS.find(([, id]) => row.includes(id))?.[1])).toEqual(
      SIGNERS.map(([, id]) => id),
    );
    const witnesses = await page.getByTestId('fact-witnesses').locator('tbody tr').allTextContents();
    expect(witnesses[0]).toContain('档案部门监销人');
    expect(witnesses[0]).toContain('song.jie');
    expect(witnesses[1]).toContain('deng.hui');
    expect(await page.getByTestId('fact-witness-signatures').textContent()).toContain('已监督销毁');
    await screenshot(page, 'verifier-certificate-ok');

    // Nothing left the page: the file was read and verified locally.
    expect(requests).toEqual([]);
    expect(c.pageErrors).toEqual([]);
  });

  it('D8: rejects a copy with one changed byte in a witness’s event, naming the event and the fault as the command line does, while offline', async () => {
    const tampered = JSON.parse(JSON.stringify(certificate));
    const check = tampered.events.find(
      (e: Json) =>
        e.stream === `destruction-${listId}` &&
        e.canonical !== undefined &&
        Buffer.from(e.canonical, 'base64').toString('utf8').includes('"WitnessCheckRecorded"'),
    );
    const bytes = Buffer.from(check.canonical, 'base64');
    const at = bytes.indexOf('song.jie');
    expect(at).toBeGreaterThan(0);
    bytes[at + 7] = 'a'.charCodeAt(0); // song.jie → song.jia: one byte
    check.canonical = bytes.toString('base64');
    const cli = verifyBundle(tampered, { pinnedKey: verifierKey });
    expect(cli.verified).toBe(false);

    const { page, requests } = await openVerifier('en');
    await page.context().setOffline(true);
    await page.getByTestId('pinned-key').fill(verifierKey);
    await drop(page, 'tampered-certificate.json', tampered);

    const verdict = page.getByTestId('verdict');
    expect(await verdict.getAttribute('data-verified')).toBe('false');
    expect(await verdict.textContent()).toContain('NOT VERIFIED');
    const index = tampered.events.indexOf(check);
    expect(await page.getByTestId('problem-at').textContent()).toBe(
      `events[${index}] (destruction-${listId}@${check.revision}, position ${check.position})`,
    );
    expect(await page.getByTestId('problem-field').textContent()).toBe('hash');
    const message = await page.getByTestId('problem-message').textContent();
    expect(message).toMatch(
      /^the canonical bytes hash to [0-9a-f]{64}, not the stated hash [0-9a-f]{64} \(the bytes or the hash were edited\)$/,
    );
    // Word for word what `archive-ledger verify` prints.
    expect(`${await page.getByTestId('problem-at').textContent()}: hash: ${message}`).toBe(
      describeProblem(cli.problem!),
    );
    expect(await page.getByTestId('certificate-facts').count()).toBe(0);
    await screenshot(page, 'verifier-tampered');

    // A malformed pinned key is refused as such, still offline.
    await page.getByTestId('pinned-key').fill(verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'));
    await page.getByTestId('problem-at').filter({ hasText: '--key' }).waitFor();
    await page.context().setOffline(false);
    expect(requests).toEqual([]);
    expect(c.pageErrors).toEqual([]);
  });

  it('without a pinned key, verifies but warns that the key came from the file itself', async () => {
    const { page, requests } = await openVerifier('zh');
    await drop(page, 'certificate.json', certificate);
    expect(await page.getByTestId('verdict').getAttribute('data-verified')).toBe('true');
    expect(await page.getByTestId('key-warning').textContent()).toContain('公钥取自文件本身');
    // A file that is not JSON at all.
    await page.getByTestId('bundle-file').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not json'),
    });
    await page.getByText('文件不是 JSON').waitFor();
    // A record's export bundle: its history, revision by revision.
    const exported = await call('GET', `/records/${contractRecord.archiveCode}/export`, 'lin.shen');
    await drop(page, 'export.json', exported);
    expect(await page.getByTestId('verdict').getAttribute('data-verified')).toBe('true');
    const history = page.getByTestId('record-facts');
    expect(await history.locator('h2').textContent()).toBe(
      `已证明：档案 ${contractRecord.archiveCode} 的完整历史`,
    );
    expect(await history.locator('tbody tr').first().textContent()).toContain('ArchiveFiled');
    expect(requests).toEqual([]);
    expect(c.pageErrors).toEqual([]);
  });

  it('the annual statistics count the destruction this month, as charts with their tables and a CSV download', async () => {
    const page = await c.newPage({ lang: 'zh' });
    await signInAs(page, 'lin.shen');
    await page.goto('/console/statistics');
    const table = page.getByTestId('activity-table');
    await table.waitFor();
    const month = new Date().toISOString().slice(0, 7);
    const row = table.locator('tbody tr').filter({ hasText: month });
    // Columns: month, filed, loans, returns, destructions, transfers.
    expect(await row.locator('td').nth(3).textContent()).toBe('1');
    expect(await table.locator('tfoot td').nth(3).textContent()).toBe('1');
    // The destroyed record is no longer held: two records remain, one D30 and one permanent.
    const retention = page.getByTestId('holdings-by-retention-table');
    await retention.waitFor();
    expect(await retention.locator('tbody tr').allTextContents()).toEqual(['定期30年1', '永久1']);
    expect(await page.getByTestId('holdings-by-category-table').locator('tfoot').textContent()).toBe('合计2');
    // The charts are drawn (canvas) beside their tables.
    for (const chart of ['activity-chart', 'holdings-by-category-chart', 'holdings-by-retention-chart']) {
      const box = await page.getByTestId(chart).boundingBox();
      expect(box?.width).toBeGreaterThan(100);
    }
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('activity-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`activity-${new Date().getFullYear()}.csv`);
    // Another year: the table follows the selector.
    const lastYear = String(new Date().getFullYear() - 1);
    await page.getByTestId('statistics-year').selectOption(lastYear);
    await table
      .locator('tbody tr')
      .first()
      .filter({ hasText: `${lastYear}-01` })
      .waitFor();
    await page.getByTestId('statistics-year').selectOption(String(new Date().getFullYear()));
    await row.waitFor();
    await screenshot(page, 'statistics');
    expect(c.pageErrors).toEqual([]);
  });
});

/** The export waits for the sealer; a 503 SEALER_BEHIND is retried. */
async function withRetry<T>(load: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await load();
    } catch (error) {
      if (attempt >= 5 || !/ 503 /.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
