import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { CONSOLE_ROOT } from './console-page';

describe('the console page (served from the build in dist/public/console)', () => {
  let t: TestApp;
  beforeAll(async () => {
    if (!existsSync(path.join(CONSOLE_ROOT, 'index.html'))) {
      throw new Error(`${CONSOLE_ROOT} is missing: npm test builds it first (pretest); run npm run build`);
    }
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it.each(['/console', '/console/', '/console/records/Z001-WS-2024-D30-BGS-0001', '/console/verify'])(
    'answers %s with the page and a strict Content-Security-Policy, without a token',
    async (url) => {
      const response = await t.request({ method: 'GET', url });
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    },
  );

  it('serves the built script with a long cache life, and every asset the page names exists', async () => {
    const page = await t.request({ method: 'GET', url: '/console/' });
    const html = typeof page.body === 'string' ? page.body : JSON.stringify(page.body);
    const assets = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const response = await t.request({ method: 'GET', url: asset });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toContain('immutable');
    }
    expect(readdirSync(path.join(CONSOLE_ROOT, 'assets')).some((f) => f.endsWith('.js'))).toBe(true);
  });

  it('loads nothing from another origin (it must work on an isolated network)', async () => {
    const page = await t.request({ method: 'GET', url: '/console/' });
    const html = typeof page.body === 'string' ? page.body : JSON.stringify(page.body);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('answers an asset that does not exist with 404, not the page', async () => {
    const response = await t.request({ method: 'GET', url: '/console/assets/nothing-here.js' });
    expect(response.status).toBe(404);
  });
});
