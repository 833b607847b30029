import { startWithRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { plainRecord } from '../../../test/support/record-fixtures';
import type { TestApp, TestUser } from '../../../test/support/test-app';

const secret = plainRecord('Z001-WS-2024-D30-BGS-0007', 'SECRET');
const url = `/records/${secret.archiveCode}/classification`;
const grounds = '保密期限已满，经保密委员会审定解密';

describe('POST /records/{code}/classification — 密级变更/解除 (F6) over HTTP', () => {
  let t: TestApp;
  let filedCount: number;
  beforeEach(async () => {
    ({ t, filedCount } = await startWithRecord(secret));
  });
  afterEach(() => t.close());

  const change = (body: Record<string, unknown>, as: TestUser = people.securityOfficer, to = url) =>
    t.request({ method: 'POST', url: to, as, body });

  it('F6: lifting a classification is recorded with its approver', async () => {
    const response = await change({ classification: 'INTERNAL', grounds });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      archiveCode: secret.archiveCode,
      stream: `record-${secret.archiveCode}`,
      revision: 1,
      events: ['ClassificationChanged'],
    });
    const [, changed] = await t.store.readStream(`record-${secret.archiveCode}`);
    expect(changed.type).toBe('ClassificationChanged');
    expect(changed.data).toEqual({
      from: 'SECRET',
      to: 'INTERNAL',
      lifted: true,
      grounds,
      approvedBy: { id: 'qian.bao', unit: 'SECURITY' },
    });
    expect(changed.metadata).toMatchObject({
      actor: { id: 'qian.bao', roles: ['security_officer'] },
      reason: grounds,
    });
  });

  it('F6: raising a classification is recorded, not as lifted', async () => {
    const response = await change({ classification: 'TOP_SECRET', grounds: '涉及核心商业秘密，提升密级' });
    expect(response.status).toBe(201);
    const [, changed] = await t.store.readStream(`record-${secret.archiveCode}`);
    expect(changed.data).toMatchObject({ from: 'SECRET', to: 'TOP_SECRET', lifted: false });
  });

  it('F6: refuses a change to the current classification with 422, writing nothing', async () => {
    const response = await change({ classification: 'SECRET', grounds });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: 'CLASSIFICATION_UNCHANGED', rule: 'F6' });
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('F6: refuses an approver not cleared for the new level with 403, writing nothing', async () => {
    const secretOfficer: TestUser = { ...people.securityOfficer, user: 'sun.mi', clearance: 'SECRET' };
    const response = await change({ classification: 'CONFIDENTIAL', grounds }, secretOfficer);
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('CLEARANCE_INSUFFICIENT');
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('answers 400 naming the fields when grounds are blank or the level unknown', async () => {
    const response = await change({ classification: 'RESTRICTED', grounds: '   ' });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('VALIDATION_FAILED');
    expect(response.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'classification',
      'grounds',
    ]);
    const missing = await change({ classification: 'INTERNAL' });
    expect(missing.status).toBe(400);
    expect(missing.body.fields).toEqual([{ field: 'grounds', problems: ['grounds is required'] }]);
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('refuses a caller who is not a security officer with 403', async () => {
    const response = await change({ classification: 'INTERNAL', grounds }, people.archivist2);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'FORBIDDEN', code: 'ROLE_REQUIRED' });
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('answers 404 for an unknown record, and for one above the approver’s clearance (A2)', async () => {
    const unknown = await change(
      { classification: 'INTERNAL', grounds },
      people.securityOfficer,
      '/records/Z001-WS-2024-D30-BGS-0099/classification',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('RECORD_NOT_FOUND');
    const internalOfficer: TestUser = { ...people.securityOfficer, user: 'sun.mi', clearance: 'INTERNAL' };
    const hidden = await change({ classification: 'INTERNAL', grounds }, internalOfficer);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toBe('RECORD_NOT_FOUND');
    expect(await t.eventCount()).toBe(filedCount);
  });
});
