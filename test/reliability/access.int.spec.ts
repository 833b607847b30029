import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SignJWT } from 'jose';
import { mintToken } from '../../src/auth/mint-token';
import { ROLES } from '../../src/auth/roles';
import { loadOrCreateSigningKey } from '../../src/auth/signing-key';
import { FixedClock } from '../../src/clock/clock';
import { fileRecord } from '../support/filed-record';
import { people } from '../support/people';
import { plainRecord, salesContract } from '../support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app';
import { examplePathValues, OpenApi, urlOf, type Operation } from './openapi';
import { printSummary } from './summary';

/**
 * Access (issue 7, reliability 4): every operation the OpenAPI description lists, asked with no
 * token, an expired one, a bad signature, a token of another key, an unsigned one, one for another
 * audience, an unknown role, a role the role matrix (docs/security.md) does not admit, and — for
 * every operation on one record or loan — a clearance below the record's. Each is refused (401,
 * 403, or 404 where A2 hides the record's existence), writes nothing, and its body carries nothing
 * of any record. Counts in the catalogue and the statistics never include hidden records.
 */
const SECRET = {
  ...plainRecord('Z001-WS-2024-D30-BGS-0201', 'SECRET'),
  title: '绝密并购谈判纪要',
  counterparty: '隐秘资本管理有限公司',
  documentNumber: '密字〔2024〕7号',
  shelfLocation: 'S-99-01-01',
};
const NEVER_FILED = 'Z001-WS-2024-D30-BGS-0999';
const VISIBLE = [salesContract, plainRecord('Z001-WS-2024-D30-BGS-0007', 'INTERNAL')];
/** What no refusal, and no answer to a caller below SECRET, may contain. */
const SECRET_DATA = [
  SECRET.archiveCode,
  SECRET.title,
  SECRET.counterparty,
  SECRET.documentNumber,
  SECRET.shelfLocation,
];
const RECORD_DATA = [...SECRET_DATA, ...VISIBLE.flatMap((r) => [r.title, r.shelfLocation])];
const ERROR_KEYS = ['statusCode', 'error', 'code', 'message', 'correlationId', 'rule', 'fields'];

interface MatrixRow {
  readonly key: string;
  /** undefined: any authenticated caller (or anyone at all, when `open`). */
  readonly allowed: readonly string[] | undefined;
  /** Served without a token ("anyone, no token": the console's sign-in options and development sign-in). */
  readonly open: boolean;
}

/** The role matrix of docs/security.md, read as test/architecture/role-matrix.int.spec.ts reads it. */
function readMatrix(): Map<string, MatrixRow> {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/security.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Role matrix'), doc.indexOf('## Idempotency keys'));
  const rows = new Map<string, MatrixRow>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const route = /^`(GET|POST|PUT|PATCH|DELETE) (\/[^`*]+)`$/.exec(cells[2] ?? '');
    if (!route) continue;
    const key = `${route[1]} ${route[2]}`;
    const open = /anyone, no token/.test(cells[3] ?? '');
    const anyone = open || /any authenticated caller/.test(cells[3] ?? '');
    rows.set(key, {
      key,
      allowed: anyone ? undefined : [...(cells[3] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]),
      open,
    });
  }
  return rows;
}

describe('reliability: access', () => {
  let t: TestApp;
  let operations: Operation[];
  let api: OpenApi;
  const matrix = readMatrix();
  const summary: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    for (const record of VISIBLE) await fileRecord(t, record, people.archivist);
    await fileRecord(t, SECRET, people.archivist2);
    // A loan on the hidden record, so `{loanId}` routes have one to hide.
    const loan = await t.request({
      method: 'POST',
      url: `/records/${SECRET.archiveCode}/loans`,
      as: people.deputyGm,
      body: { mode: 'reading_room', purpose: '审阅' },
    });
    expect(loan.status).toBe(201);
    api = await OpenApi.served(t);
    operations = api.operations();
  });
  afterAll(async () => {
    printSummary(`access: ${summary.join('; ')}`);
    await t.close();
  });

  const send = (operation: Operation, url: string, authorization?: string, body?: unknown) =>
    t.app.inject({
      method: operation.method,
      url,
      headers: {
        ...(authorization !== undefined ? { authorization } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });

  const bodyOf = (operation: Operation) => (operation.body ? api.sample(operation.body) : undefined);

  /** The failures of one refused answer: status, error body shape, nothing of any record. */
  function refusalProblems(
    where: string,
    response: { statusCode: number; body: string },
    statuses: readonly number[],
    data: readonly string[],
  ): string[] {
    const problems: string[] = [];
    if (!statuses.includes(response.statusCode))
      problems.push(`${where}: ${response.statusCode} ${response.body.slice(0, 160)}`);
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(response.body) as Record<string, unknown>;
    } catch {
      problems.push(`${where}: body is not JSON`);
    }
    const extra = Object.keys(parsed).filter((k) => !ERROR_KEYS.includes(k));
    if (extra.length > 0) problems.push(`${where}: body carries ${extra.join(', ')}`);
    if (typeof parsed.error !== 'string') problems.push(`${where}: no error code`);
    const leaked = data.filter((d) => response.body.includes(d));
    if (leaked.length > 0) problems.push(`${where}: body reveals ${leaked.join(', ')}`);
    return problems;
  }

  it('refuses every operation with 401 for each kind of bad credentials, and writes nothing', async () => {
    const signingKey = await loadOrCreateSigningKey(t.config.dataDir);
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const claims = { roles: [...ROLES], unit: 'ARCHIVE', clearance: 'TOP_SECRET' };
    const sign = (
      key: Parameters<SignJWT['sign']>[0],
      payload: Record<string, unknown> = claims,
      audience = t.config.jwtAudience,
    ) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'EdDSA', kid: signingKey.kid, typ: 'JWT' })
        .setSubject('intruder')
        .setIssuer(t.config.jwtIssuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(key);
    const valid = await mintToken(t.config, { user: 'intruder', ...claims }, { clock: t.clock });
    const [header, payload, signature] = valid.split('.');
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const credentials: Array<[string, string | undefined]> = [
      ['no token', undefined],
      ['empty bearer', 'Bearer '],
      ['another scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
      ['garbage', 'Bearer not-a-token'],
      [
        'expired',
        `Bearer ${await mintToken(t.config, { user: 'intruder', ...claims, ttl: '1h' }, { clock: new FixedClock(new Date(t.clock.now().getTime() - 2 * 3600_000)) })}`,
      ],
      ['wrong signature', `Bearer ${header}.${payload}.${flipped}`],
      ['another key', `Bearer ${await sign(generateKeyPairSync('ed25519').privateKey)}`],
      ['alg none', `Bearer ${unsigned}`],
      ['another audience', `Bearer ${await sign(signingKey.privateKey, claims, 'someone-else')}`],
      ['unknown role', `Bearer ${await sign(signingKey.privateKey, { ...claims, roles: ['janitor'] })}`],
      [
        'unknown clearance',
        `Bearer ${await sign(signingKey.privateKey, { ...claims, clearance: 'COSMIC' })}`,
      ],
    ];
    const before = await t.eventCount();
    const problems: string[] = [];
    let open = 0;
    for (const operation of operations) {
      const url = urlOf(operation, examplePathValues(operation));
      if (matrix.get(`${operation.method} ${operation.path}`)?.open) {
        // Served to anyone (docs/security.md): with any credentials it answers, never 5xx, and shows no record.
        open++;
        for (const [name, authorization] of credentials) {
          const response = await send(operation, url, authorization, bodyOf(operation));
          const where = `${operation.method} ${operation.path} [${name}]`;
          if (response.statusCode >= 500) problems.push(`${where}: ${response.statusCode}`);
          const leaked = RECORD_DATA.filter((d) => response.body.includes(d));
          if (leaked.length > 0) problems.push(`${where}: body reveals ${leaked.join(', ')}`);
        }
        continue;
      }
      for (const [name, authorization] of credentials) {
        const response = await send(operation, url, authorization, bodyOf(operation));
        problems.push(
          ...refusalProblems(`${operation.method} ${operation.path} [${name}]`, response, [401], RECORD_DATA),
        );
      }
    }
    expect(await t.eventCount()).toBe(before);
    summary.push(
      `${operations.length - open} operations × ${credentials.length} bad credentials → ${problems.length} not refused with 401 (${open} open to anyone: answered, nothing shown)`,
    );
    expect(problems).toEqual([]);
  });

  it('refuses every operation with 403 ROLE_REQUIRED to a caller without a role the role matrix admits, and writes nothing', async () => {
    const before = await t.eventCount();
    const problems: string[] = [];
    let checked = 0;
    const unlisted: string[] = [];
    for (const operation of operations) {
      const row = matrix.get(`${operation.method} ${operation.path}`);
      if (!row) {
        unlisted.push(`${operation.method} ${operation.path}`);
        continue;
      }
      if (row.allowed === undefined) continue;
      const url = urlOf(operation, examplePathValues(operation));
      for (const role of ROLES.filter((r) => !row.allowed?.includes(r))) {
        const as: TestUser = {
          user: `only.${role}`,
          roles: [role],
          unit: 'ARCHIVE',
          clearance: 'TOP_SECRET',
        };
        const response = await send(operation, url, `Bearer ${await t.tokenFor(as)}`, bodyOf(operation));
        checked++;
        problems.push(
          ...refusalProblems(`${operation.method} ${operation.path} [${role}]`, response, [403], RECORD_DATA),
        );
        if (!response.body.includes('ROLE_REQUIRED'))
          problems.push(`${operation.method} ${operation.path} [${role}]: not ROLE_REQUIRED`);
      }
    }
    expect(await t.eventCount()).toBe(before);
    summary.push(
      `${checked} wrong-role requests → ${problems.length} not refused with 403` +
        (unlisted.length
          ? ` (${unlisted.length} operations not in the role matrix yet: ${unlisted.join(', ')})`
          : ''),
    );
    expect(problems).toEqual([]);
  });

  it('A2: answers every operation on a record or loan above the caller’s clearance with a refusal that reveals nothing, and writes nothing', async () => {
    const before = await t.eventCount();
    const problems: string[] = [];
    let checked = 0;
    for (const operation of operations) {
      const names = operation.parameters.filter((p) => p.in === 'path').map((p) => p.name);
      if (!names.includes('code') && !names.includes('loanId')) continue;
      const row = matrix.get(`${operation.method} ${operation.path}`);
      const roles = row?.allowed ?? [...ROLES];
      const as: TestUser = {
        user: 'low.clearance',
        roles: [...roles],
        unit: 'ARCHIVE',
        clearance: 'INTERNAL',
      };
      const values = {
        ...examplePathValues(operation),
        code: SECRET.archiveCode,
        loanId: `${SECRET.archiveCode}.L1`,
      };
      const query: Array<[string, string]> = operation.parameters.some(
        (p) => p.in === 'query' && p.name === 'purpose',
      )
        ? [['purpose', '查看']]
        : [];
      const token = `Bearer ${await t.tokenFor(as)}`;
      const response = await send(operation, urlOf(operation, values, query), token, bodyOf(operation));
      checked++;
      // 400 only when the sample body itself is refused before the record is looked up. The code
      // the caller asked for may be echoed back; nothing else of the record may be.
      const where = `${operation.method} ${operation.path}`;
      problems.push(...refusalProblems(where, response, [400, 403, 404], SECRET_DATA.slice(1)));
      // Hidden is indistinguishable from never filed: the same answer for a code nobody filed.
      const unfiled = { ...values, code: NEVER_FILED, loanId: `${NEVER_FILED}.L1` };
      const control = await send(operation, urlOf(operation, unfiled, query), token, bodyOf(operation));
      const shape = (r: { statusCode: number; body: string }) => {
        const b = JSON.parse(r.body) as Record<string, unknown>;
        return {
          status: r.statusCode,
          error: b.error,
          message: String(b.message).replaceAll(NEVER_FILED, SECRET.archiveCode),
        };
      };
      if (JSON.stringify(shape(response)) !== JSON.stringify(shape(control)))
        problems.push(
          `${where}: hidden ${JSON.stringify(shape(response))} differs from never filed ${JSON.stringify(shape(control))}`,
        );
    }
    expect(checked).toBeGreaterThan(10);
    expect(await t.eventCount()).toBe(before);
    summary.push(
      `${checked} operations on a SECRET record as an INTERNAL caller → ${problems.length} revealing or accepted`,
    );
    expect(problems).toEqual([]);
  });

  it('A2: no list, ledger or statistic answered to a caller below SECRET counts or shows the hidden record', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const operation of operations.filter(
      (o) => o.method === 'GET' && !o.parameters.some((p) => p.in === 'path'),
    )) {
      const row = matrix.get(`${operation.method} ${operation.path}`);
      const roles = row?.allowed ?? [...ROLES];
      const as: TestUser = {
        user: 'low.clearance',
        roles: [...roles],
        unit: 'ARCHIVE',
        clearance: 'INTERNAL',
      };
      const response = await send(operation, urlOf(operation, {}), `Bearer ${await t.tokenFor(as)}`);
      checked++;
      const leaked = SECRET_DATA.filter((d) => response.body.includes(d));
      if (leaked.length > 0)
        problems.push(`${operation.method} ${operation.path}: reveals ${leaked.join(', ')}`);
      if (response.statusCode >= 500)
        problems.push(`${operation.method} ${operation.path}: ${response.statusCode}`);
    }
    const low: TestUser = {
      user: 'low.clearance',
      roles: ['borrower'],
      unit: 'SALES',
      clearance: 'INTERNAL',
    };
    const high: TestUser = {
      user: 'high.clearance',
      roles: ['borrower'],
      unit: 'SALES',
      clearance: 'SECRET',
    };
    const totals = async (as: TestUser) =>
      Promise.all(
        [
          '/records?limit=1',
          '/statistics/holdings?by=category',
          '/statistics/holdings?by=classification',
        ].map(async (url) => (await t.request({ method: 'GET', url, as })).body.total as number),
      );
    const lowTotals = await totals(low);
    const highTotals = await totals(high);
    expect(lowTotals).toEqual([VISIBLE.length, VISIBLE.length, VISIBLE.length]);
    expect(highTotals).toEqual([VISIBLE.length + 1, VISIBLE.length + 1, VISIBLE.length + 1]);
    summary.push(
      `${checked} lists and statistics as an INTERNAL caller → ${problems.length} revealing the SECRET record; catalogue and holdings totals ${lowTotals.join('/')} (SECRET caller ${highTotals.join('/')})`,
    );
    expect(problems).toEqual([]);
  });
});
