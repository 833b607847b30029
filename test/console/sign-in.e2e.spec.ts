/// <reference lib="dom" /> -- code passed to page.evaluate and addInitScript runs in the browser
import { apiToken, screenshot, signInAs, startConsole, type ConsoleUnderTest } from './console-browser';

jest.setTimeout(60_000);

describe('console sign-in, in headless Chromium', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => {
    c = await startConsole();
  });
  afterAll(() => c?.close());

  it('opens in Chinese, marks the development sign-in as such, and signs an archivist in', async () => {
    const page = await c.newPage();
    await page.goto('/console/');
    // Not signed in: the console sends the visitor to the sign-in page.
    await page.waitForURL('**/console/sign-in');
    await page.getByTestId('dev-sign-in').waitFor();
    expect(await page.locator('h1').textContent()).toBe('登录档案台账');
    expect(await page.getByTestId('dev-sign-in').textContent()).toContain('DEV_SIGN_IN=off');
    await screenshot(page, 'sign-in');

    await signInAs(page, 'wang.fang');
    const who = await page.getByTestId('signed-in-as').textContent();
    expect(who).toContain('开发模式');
    expect(who).toContain('wang.fang');
    expect(who).toContain('SECRET');
    // The session survives a reload (a bookmark to a deep link works).
    await page.reload();
    await page.getByTestId('signed-in-as').waitFor();
    expect(c.pageErrors).toEqual([]);
  });

  it('speaks English when asked, and remembers it', async () => {
    const page = await c.newPage();
    await page.goto('/console/sign-in');
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('h1').textContent()).toBe('Sign in to the archive ledger');
    await page.reload();
    expect(await page.locator('h1').textContent()).toBe('Sign in to the archive ledger');
  });

  it('signs in with a token from the identity provider, without the development badge, and signs out', async () => {
    const page = await c.newPage({ lang: 'en' });
    await page.goto('/console/sign-in');
    await page.locator('textarea[name=token]').fill(await apiToken(c.baseUrl, 'xu.he'));
    await page.getByRole('button', { name: 'Sign in with the token' }).click();
    const who = page.getByTestId('signed-in-as');
    await who.waitFor();
    expect(await who.textContent()).toContain('xu.he');
    expect(await who.textContent()).not.toContain('Development mode');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/console/sign-in');
  });

  it('says what is wrong with a token that is not one, and signs nobody in', async () => {
    const page = await c.newPage({ lang: 'en' });
    await page.goto('/console/sign-in');
    await page.locator('textarea[name=token]').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in with the token' }).click();
    expect(await page.getByTestId('error').textContent()).toContain('not a JWT');
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
  });

  it('refuses a well-formed token the service does not accept, with the reason the service gives', async () => {
    const page = await c.newPage({ lang: 'en' });
    await page.goto('/console/sign-in');
    // Readable claims, a signature nobody made: the page could read it, the service refuses it.
    const [header] = (await apiToken(c.baseUrl, 'wang.fang')).split('.');
    const claims = {
      sub: 'wang.fang',
      roles: ['administrator'],
      unit: 'ARCHIVE',
      clearance: 'TOP_SECRET',
      exp: 4102444800,
    };
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.AAAA`;
    await page.locator('textarea[name=token]').fill(forged);
    await page.getByRole('button', { name: 'Sign in with the token' }).click();
    expect(await page.getByTestId('error').textContent()).toContain('401 UNAUTHENTICATED');
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });
});
