import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROLES } from '../../src/auth/roles';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app';

/**
 * The role matrix in docs/security.md is the source of truth: this suite reads it and proves
 * every cell against the running service.
 */
interface MatrixRow {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly route: string;
  /** undefined: any authenticated caller. */
  readonly allowed: readonly string[] | undefined;
  /** Served without a token ("anyone, no token"). */
  readonly open: boolean;
}

function readMatrix(): MatrixRow[] {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/security.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Role matrix'), doc.indexOf('## Idempotency keys'));
  const rows: MatrixRow[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const route = /^`(GET|POST|PUT) (\/[^`*]+)`$/.exec(cells[2] ?? '');
    if (!route) continue;
    const roles = [...(cells[3] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    const open = /anyone, no token/.test(cells[3] ?? '');
    const anyone = open || /any authenticated caller/.test(cells[3] ?? '');
    rows.push({
      method: route[1] as MatrixRow['method'],
      route: route[2],
      allowed: anyone ? undefined : roles,
      open,
    });
  }
  return rows;
}

const EXAMPLE_PARAMS: Record<string, string> = {
  code: 'Z001-WS-2024-D30-BGS-0007',
  loanId: 'Z001-WS-2024-D30-BGS-0007.L1',
  correctionId: 'C1',
  holdId: 'H1',
  version: '1',
};

function concrete(route: string): string {
  return route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(EXAMPLE_PARAMS[name] ?? 'x'));
}

const personWith = (role: string): TestUser => ({
  user: `only.${role}`,
  roles: [role],
  unit: 'ARCHIVE',
  clearance: 'TOP_SECRET',
});

describe('role matrix (docs/security.md)', () => {
  const matrix = readMatrix();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lists every route the API serves, and only those', async () => {
    const openapi = (await t.request({ method: 'GET', url: '/docs/openapi.json' })).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const served = Object.entries(openapi.paths)
      .flatMap(([route, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${route}`))
      .filter((r) => !r.includes(' /health/'))
      .sort();
    const documented = matrix.map((r) => `${r.method} ${r.route}`).sort();
    expect(documented).toEqual(served);
  });

  it('has a row for every command route', () => {
    expect(matrix.length).toBeGreaterThanOrEqual(19);
  });

  describe.each(matrix)('$method $route', ({ method, route, allowed, open }) => {
    if (open) {
      it('answers without a token', async () => {
        const response = await t.request({
          method,
          url: concrete(route),
          body: method === 'GET' ? undefined : {},
        });
        expect(response.status).not.toBe(401);
        expect(response.status).toBeLessThan(500);
      });
    }

    const refused = allowed === undefined ? [] : ROLES.filter((role) => !allowed.includes(role));
    const admitted = allowed ?? ROLES;

    if (refused.length > 0) {
      it.each(refused)('refuses %s with 403 ROLE_REQUIRED and writes nothing', async (role) => {
        const before = await t.eventCount();
        const response = await t.request({ method, url: concrete(route), as: personWith(role), body: {} });
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ error: 'FORBIDDEN', code: 'ROLE_REQUIRED' });
        expect(await t.eventCount()).toBe(before);
      });
    }

    it.each([...admitted])('lets %s past the role check', async (role) => {
      const response = await t.request({ method, url: concrete(route), as: personWith(role), body: {} });
      expect(response.body?.code).not.toBe('ROLE_REQUIRED');
      expect(response.status).not.toBe(401);
      expect(response.status).toBeLessThan(500);
    });
  });
});
