import { fileRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { startTestApp, type TestApp } from '../../../test/support/test-app';
import {
  fileAndRelease,
  post,
  readyList,
  waitUntilExecuted,
} from '../../destruction/destruction-flow.spec-helper';
import { expiredSalesRecord } from '../../destruction/destruction.fixtures.spec-helper';
import type { CertificateFacts } from './bundle-facts';
import { describeProblem, verifyBundle } from './verify-bundle';
import { verdictText } from './verdict-text';

const record = expiredSalesRecord(1);
const code = record.archiveCode;

async function publishedKey(t: TestApp): Promise<string> {
  const keys = await t.request({ method: 'GET', url: '/audit/public-key', as: people.auditor });
  expect(keys.status).toBe(200);
  return keys.body.current.verifierKey as string;
}

describe('export bundles and destruction certificates over HTTP (D8)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('exports a record’s history with proofs against a checkpoint signed on demand, which verifies offline with the published key', async () => {
    await fileRecord(t, record);
    await post(t, `/records/${code}/holds`, people.complianceOfficer, { kind: 'legal', reason: '涉诉' });
    const exported = await t.request({ method: 'GET', url: `/records/${code}/export`, as: people.auditor });
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({
      format: 'archive-ledger/audit-bundle',
      version: 2,
      kind: 'record-export',
      archiveCode: code,
    });
    expect(exported.body.events.map((e: { revision: number }) => e.revision)).toEqual([0, 1]);
    // Version 2: each event carries its leaf index (here, on the embedded store, position − 1).
    for (const e of exported.body.events as { position: string; leafIndex: number }[]) {
      expect(e.leafIndex).toBe(Number(e.position) - 1);
    }
    const verdict = verifyBundle(exported.body, { pinnedKey: await publishedKey(t) });
    expect(verdict.problem).toBeNull();
    expect(verdict.facts).toMatchObject({
      kind: 'record-export',
      archiveCode: code,
      events: 2,
      title: record.title,
    });
    expect(verdict.checkpoint?.treeSize).toBeGreaterThanOrEqual(Number(exported.body.events[1].position));
  });

  it('refuses the export to a role without it (403), a record that does not exist (404), and one above the caller’s clearance (404, A2); nothing written', async () => {
    await fileRecord(t, { ...record, classification: 'SECRET' });
    const before = await t.eventCount();
    const borrower = await t.request({
      method: 'GET',
      url: `/records/${code}/export`,
      as: people.salesperson,
    });
    expect(borrower.status).toBe(403);
    expect(borrower.body.error).toBe('FORBIDDEN');
    const missing = await t.request({
      method: 'GET',
      url: '/records/Z001-WS-2010-D10-SALES-0999/export',
      as: people.auditor,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('RECORD_NOT_FOUND');
    const lowClearance = { ...people.auditor, user: 'low.auditor', clearance: 'INTERNAL' };
    const hidden = await t.request({ method: 'GET', url: `/records/${code}/export`, as: lowClearance });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toBe('RECORD_NOT_FOUND');
    expect(await t.eventCount()).toBe(before);
  });

  it('A1: exporting a SECRET record needs a purpose (400 naming purpose, nothing written) and is registered with it', async () => {
    await fileRecord(t, { ...record, classification: 'SECRET' });
    const before = await t.eventCount();
    const refused = await t.request({ method: 'GET', url: `/records/${code}/export`, as: people.auditor });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'PURPOSE_REQUIRED', rule: 'A1' });
    expect(await t.eventCount()).toBe(before);
    const exported = await t.request({
      method: 'GET',
      url: `/records/${code}/export?purpose=${encodeURIComponent('年度审计：离线核验')}`,
      as: people.auditor,
    });
    expect(exported.status).toBe(200);
    const views = await t.store.readStream(`access-${code}`);
    expect(views[views.length - 1]).toMatchObject({
      type: 'RecordDetailViewed',
      data: { archiveCode: code, purpose: '年度审计：离线核验', view: 'history' },
    });
  });

  it('D8: refuses a destruction certificate for a record that was not destroyed (409 naming D8), nothing written', async () => {
    await fileRecord(t, record);
    const before = await t.eventCount();
    const refused = await t.request({
      method: 'GET',
      url: `/records/${code}/destruction-certificate`,
      as: people.auditor,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'RECORD_NOT_DESTROYED', rule: 'D8' });
    const archivist = await t.request({
      method: 'GET',
      url: `/records/${code}/destruction-certificate`,
      as: people.archivist,
    });
    expect(archivist.status).toBe(403);
    expect(await t.eventCount()).toBe(before);
  });

  it('D8: a destroyed record’s certificate proves offline who approved, who witnessed, when, under which list and policy version', async () => {
    const other = expiredSalesRecord(2);
    await fileAndRelease(t, record);
    await fileAndRelease(t, other);
    const listId = await readyList(t, [code, other.archiveCode]);
    expect((await post(t, `/destruction-lists/${listId}/execution`, people.archivist)).status).toBe(201);
    await waitUntilExecuted(t, listId);
    const witnessed = await post(
      t,
      `/destruction-lists/${listId}/witness-signatures`,
      people.archiveWitness,
      {
        remark: '已监督销毁完毕',
      },
    );
    expect(witnessed.status).toBe(201);

    const certificate = await t.request({
      method: 'GET',
      url: `/records/${code}/destruction-certificate`,
      as: people.auditor,
    });
    expect(certificate.status).toBe(200);
    expect(certificate.body).toMatchObject({ kind: 'destruction-certificate', archiveCode: code, listId });
    const verdict = verifyBundle(certificate.body, { pinnedKey: await publishedKey(t) });
    expect(verdict.problem).toBeNull();
    expect(verdict.facts).toMatchObject({
      kind: 'destruction-certificate',
      listId,
      policyVersion: 1,
      destroyedOn: '2026-03-01',
      destroyedBy: { id: people.archivist.user },
      witnessChecks: [
        { capacity: 'archive', witness: { id: people.archiveWitness.user }, matched: true, itemCount: 2 },
        { capacity: 'business', witness: { id: people.salesWitness.user }, matched: true, itemCount: 2 },
      ],
      witnessSignatures: [
        { capacity: 'archive', witness: { id: people.archiveWitness.user }, remark: '已监督销毁完毕' },
      ],
      withheldListRevisions: [],
    });
    const facts = verdict.facts as CertificateFacts;
    expect(facts.approvals.map((a) => [a.capacity, a.signer.id])).toEqual([
      ['leader_in_charge', people.deputyGm.user],
      ['office_head', people.officeHead.user],
      ['archive_department_head', people.archiveHead.user],
      ['business_department_head', people.salesHead.user],
      ['archive_clerk', people.archivist2.user],
      ['business_clerk', people.salesClerk.user],
    ]);
    expect(verdictText(verdict)).toMatch(/was destroyed on 2026-03-01\n {2}under destruction list XH-/);

    // An edited certificate fails, naming where.
    const edited = JSON.parse(JSON.stringify(certificate.body));
    const approved = edited.events.find((e: { stream: string }) => e.stream.startsWith('destruction-'));
    approved.canonical = Buffer.from(
      Buffer.from(approved.canonical, 'base64').toString('utf8').replace('SALES', 'SALEZ'),
    ).toString('base64');
    const failed = verifyBundle(edited, { pinnedKey: await publishedKey(t) });
    expect(describeProblem(failed.problem!)).toMatch(
      /^events\[\d+\] \(destruction-XH-[^@]+@0, position \d+\): hash: the canonical bytes hash to/,
    );
  });

  it('D8: list lines about a record above the auditor’s clearance are withheld (A2), and the certificate still verifies', async () => {
    const secret = expiredSalesRecord(2, { classification: 'INTERNAL' });
    await fileAndRelease(t, { ...record, classification: 'PUBLIC' });
    await fileAndRelease(t, secret);
    const listId = await readyList(t, [code, secret.archiveCode]);
    await post(t, `/destruction-lists/${listId}/execution`, people.archivist);
    await waitUntilExecuted(t, listId);
    const confidentialAuditor = { ...people.auditor, user: 'public.auditor', clearance: 'PUBLIC' };
    const certificate = await t.request({
      method: 'GET',
      url: `/records/${code}/destruction-certificate`,
      as: confidentialAuditor,
    });
    expect(certificate.status).toBe(200);
    const shown = certificate.body.events
      .filter((e: { canonical?: string }) => e.canonical)
      .map((e: { canonical: string }) => Buffer.from(e.canonical, 'base64').toString('utf8'));
    expect(shown.filter((text: string) => text.includes(secret.archiveCode))).toEqual([]);
    const withheld = certificate.body.events.filter((e: { withheld?: string }) => e.withheld);
    expect(withheld.length).toBeGreaterThan(0);
    const verdict = verifyBundle(certificate.body, { pinnedKey: await publishedKey(t) });
    expect(verdict.problem).toBeNull();
    expect((verdict.facts as CertificateFacts).withheldListRevisions.length).toBe(withheld.length);
  });
});
