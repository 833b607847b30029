import { people } from '../../test/support/people';
import { filingBodyOf, plainRecord } from '../../test/support/record-fixtures';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { loanApprovalPolicyStream } from './approval-policy.stream';
import { DEFAULT_LOAN_APPROVAL_POLICY, type LoanApprovalPolicyDraft } from './loan-approval.policy';

const { version: _v1, ...defaultDraft } = DEFAULT_LOAN_APPROVAL_POLICY;

/** The default policy with at most 60 days in all and the borrower's head from 4 days of lend-out. */
function revisedPolicy(): LoanApprovalPolicyDraft {
  const draft = structuredClone(defaultDraft) as LoanApprovalPolicyDraft & { maxTotalDays: number };
  draft.maxTotalDays = 60;
  (draft.rules[1].when as { longerThanDays?: number }).longerThanDays = 3;
  return draft;
}

const adoptBody = (overrides: Record<string, unknown> = {}) => ({
  basedOnVersion: 1,
  policy: revisedPolicy(),
  reason: '2026年借阅制度修订',
  ...overrides,
});

describe('the loan approval policy over HTTP (B3)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const read = (url = '/policies/loan-approval', as = people.salesperson) =>
    t.request({ method: 'GET', url, as });
  const adopt = (body: unknown, as = people.administrator, headers: Record<string, string> = {}) =>
    t.request({ method: 'PUT', url: '/policies/loan-approval', as, body, headers });

  it('B3: anyone signed in reads the shipped default, version 1', async () => {
    const response = await read();
    expect(response.status).toBe(200);
    expect(response.body).toEqual(DEFAULT_LOAN_APPROVAL_POLICY);
  });

  it('B3: an administrator adopts version 2, which is then the policy in force', async () => {
    const response = await adopt(adoptBody());
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      stream: 'policy-loan-approval',
      revision: 0,
      position: expect.any(String),
      events: ['LoanApprovalPolicyAdopted'],
      replayed: false,
      version: 2,
    });
    const current = await read();
    expect(current.body).toEqual({ version: 2, ...revisedPolicy() });
  });

  it('B3: records the adoption under the administrator, with the reason, in the envelope and the event', async () => {
    await adopt(adoptBody());
    const [stored] = await t.store.readStream(loanApprovalPolicyStream());
    expect(stored.type).toBe('LoanApprovalPolicyAdopted');
    expect(stored.metadata.actor).toEqual({ id: 'admin.ops', roles: ['administrator'], unit: 'IT' });
    expect(stored.metadata.reason).toBe('2026年借阅制度修订');
    expect(stored.data).toEqual({
      version: 2,
      policy: { version: 2, ...revisedPolicy() },
      reason: '2026年借阅制度修订',
      adoptedBy: { id: 'admin.ops', unit: 'IT' },
    });
  });

  it('B3: each adoption is based on the version in force and takes the next one', async () => {
    await adopt(adoptBody());
    const third = await adopt(adoptBody({ basedOnVersion: 2, policy: defaultDraft, reason: '恢复原制度' }));
    expect(third.status).toBe(200);
    expect(third.body).toMatchObject({ revision: 1, version: 3 });
    expect((await read()).body).toEqual({ ...DEFAULT_LOAN_APPROVAL_POLICY, version: 3 });
  });

  it('B3: refuses anyone but an administrator with 403, and writes nothing', async () => {
    for (const person of [people.archivist, people.generalManager, people.auditor]) {
      const response = await adopt(adoptBody(), person);
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: 'FORBIDDEN', code: 'ROLE_REQUIRED' });
    }
    expect(await t.eventCount()).toBe(0);
    expect((await read()).body.version).toBe(1);
  });

  it('refuses a stale basedOnVersion with 409 POLICY_VERSION_MOVED, and writes nothing', async () => {
    await adopt(adoptBody());
    const stale = await adopt(adoptBody({ basedOnVersion: 1, reason: '另一位管理员的修订' }));
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('POLICY_VERSION_MOVED');
    expect(stale.body.message).toMatch(/version 2/);
    expect(await t.eventCount()).toBe(1);
  });

  it('lets exactly one of two administrators racing from the same version adopt; the other gets 409', async () => {
    const colleague = { ...people.administrator, user: 'admin.night' };
    const responses = await Promise.all([
      adopt(adoptBody()),
      adopt(adoptBody({ reason: '同时提交的修订' }), colleague),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(responses.find((r) => r.status === 409)!.body.error).toBe('POLICY_VERSION_MOVED');
    expect(await t.eventCount()).toBe(1);
  });

  it('refuses an unsound policy with 400 POLICY_INVALID naming each field path, and writes nothing', async () => {
    const policy = revisedPolicy() as unknown as {
      maxTotalDays: number;
      rules: { id: string; require?: { role: string }[]; refuse?: object }[];
    };
    policy.rules[2].require![0].role = 'chairman';
    policy.rules[3].id = policy.rules[0].id;
    policy.rules[0].refuse = { code: 'NEVER', message: '不予借出' };
    policy.maxTotalDays = 5;
    const response = await adopt(adoptBody({ policy, reason: ' ' }));
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('POLICY_INVALID');
    expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual([
      'reason',
      'policy.maxTotalDays',
      'policy.rules[0]',
      'policy.rules[2].require[0].role',
      'policy.rules[3].id',
    ]);
    expect(await t.eventCount()).toBe(0);
  });

  it('refuses a malformed body with 400 VALIDATION_FAILED naming nested fields, and writes nothing', async () => {
    const policy = revisedPolicy() as unknown as {
      defaultDays: Record<string, unknown>;
      rules: Record<string, unknown>[];
    };
    policy.defaultDays.lend_out = '七天';
    policy.rules[4].when = { modes: ['borrow'] };
    policy.rules[5].approvedBy = 'someone';
    const response = await adopt(adoptBody({ policy, version: 2 }));
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('VALIDATION_FAILED');
    expect(response.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'policy.defaultDays.lend_out',
      'policy.rules[4].when.modes',
      'policy.rules[5].approvedBy',
      'version',
    ]);
    expect(await t.eventCount()).toBe(0);
  });

  it('adopts once when retried with the same Idempotency-Key', async () => {
    const key = { 'idempotency-key': 'policy-2026-01' };
    const first = await adopt(adoptBody(), people.administrator, key);
    const retry = await adopt(adoptBody(), people.administrator, key);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ ...first.body, replayed: true });
    expect(await t.eventCount()).toBe(1);
  });

  it('B3: shows auditors any version, with who adopted it, when and why', async () => {
    await adopt(adoptBody());
    const v1 = await read('/policies/loan-approval/versions/1', people.auditor);
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual({ ...DEFAULT_LOAN_APPROVAL_POLICY, adoption: null });
    const v2 = await read('/policies/loan-approval/versions/2', people.auditor);
    expect(v2.status).toBe(200);
    expect(v2.body).toEqual({
      version: 2,
      ...revisedPolicy(),
      adoption: {
        reason: '2026年借阅制度修订',
        adoptedBy: { id: 'admin.ops', unit: 'IT' },
        occurredAt: '2026-03-01T09:00:00.000Z',
        recordedAt: '2026-03-01T09:00:00.000Z',
      },
    });
  });

  it('answers 404 POLICY_VERSION_NOT_FOUND for a version never adopted, and 400 for one that cannot be', async () => {
    const missing = await read('/policies/loan-approval/versions/99');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('POLICY_VERSION_NOT_FOUND');
    for (const bad of ['0', 'two', '1.5']) {
      const response = await read(`/policies/loan-approval/versions/${bad}`);
      expect(response.status).toBe(400);
      expect(response.body.fields).toEqual([{ field: 'version', problems: [expect.any(String)] }]);
    }
  });

  it('answers 503 INTEGRITY_FAULT rather than serve a policy whose stored history was altered', async () => {
    await adopt(adoptBody());
    const db = t.store.connection;
    db.exec('DROP TRIGGER events_are_never_updated');
    db.prepare(
      'UPDATE events SET canonical = CAST(replace(CAST(canonical AS TEXT), \'"maxTotalDays":60\', \'"maxTotalDays":900\') AS BLOB)',
    ).run();
    const response = await read();
    expect(response.status).toBe(503);
    expect(response.body.error).toBe('INTEGRITY_FAULT');
    expect(response.body.message).toMatch(/policy-loan-approval fails verification at revision 0/);
  });

  it('B3: a loan requested after an adoption records the new version', async () => {
    await adopt(adoptBody());
    const code = 'Z001-WS-2024-D30-BGS-0008';
    const filed = await t.request({
      method: 'POST',
      url: '/records',
      as: people.archivist,
      body: filingBodyOf(plainRecord(code, 'INTERNAL')),
    });
    expect(filed.status).toBe(201);
    const loan = await t.request({
      method: 'POST',
      url: `/records/${code}/loans`,
      as: people.salesperson,
      body: { mode: 'lend_out', purpose: '核对合同条款', days: 3 },
    });
    expect(loan.status).toBe(201);
    const events = await t.store.readStream(`record-${code}`);
    const requested = events.find((e) => e.type === 'LoanRequested')!;
    expect(requested.metadata.policyVersion).toBe(2);
    // Version 2 asks the borrower's head only beyond 3 days.
    expect(requested.data).toMatchObject({
      policyVersion: 2,
      requiredApprovals: [{ role: 'archive_department_head', because: ['B4.lend-out'] }],
    });
  });
});
