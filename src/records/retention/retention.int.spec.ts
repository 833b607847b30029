import { fileRecord, startWithRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { contractRecord, plainRecord } from '../../../test/support/record-fixtures';
import type { TestApp, TestUser } from '../../../test/support/test-app';

const code = contractRecord.archiveCode;
const url = `/records/${code}/retention`;
const grounds = '经鉴定具有长期保存价值';

describe('POST /records/{code}/retention — 延长保管期限 (R2, R3) over HTTP', () => {
  let t: TestApp;
  let filedCount: number;
  beforeEach(async () => {
    ({ t, filedCount } = await startWithRecord(contractRecord));
  });
  afterEach(() => t.close());

  const extend = (body: Record<string, unknown>, as: TestUser = people.appraiser, to = url) =>
    t.request({ method: 'POST', url: to, as, body });

  it('R2: extends retention with its grounds; the archive code stays as filed (F2)', async () => {
    const response = await extend({ retentionClass: 'PERMANENT', grounds });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      archiveCode: code,
      stream: `record-${code}`,
      revision: 1,
      events: ['RetentionExtended'],
    });
    const [filed, extended] = await t.store.readStream(`record-${code}`);
    expect(extended.type).toBe('RetentionExtended');
    expect(extended.data).toEqual({
      from: 'D30',
      to: 'PERMANENT',
      grounds,
      extendedBy: { id: 'guo.jian', unit: 'ARCHIVE' },
    });
    expect(extended.metadata).toMatchObject({
      actor: { id: 'guo.jian', roles: ['appraisal_committee'] },
      reason: grounds,
    });
    expect(filed.data.archiveCode).toBe(code);
  });

  it('R2: an archivist extends retention too', async () => {
    const d10 = plainRecord('Z001-WS-2024-D10-BGS-0001', 'INTERNAL');
    const record = { ...d10, retentionClass: 'D10' as const };
    await fileRecord(t, record);
    const response = await extend(
      { retentionClass: 'D30', grounds },
      people.archivist,
      `/records/${record.archiveCode}/retention`,
    );
    expect(response.status).toBe(201);
    const [, extended] = await t.store.readStream(`record-${record.archiveCode}`);
    expect(extended.data).toMatchObject({ from: 'D10', to: 'D30', extendedBy: { id: 'wang.fang' } });
    expect(extended.metadata.actor.id).toBe('wang.fang');
  });

  it('R2: refuses to shorten retention with 422 and a clear message, writing nothing', async () => {
    const response = await extend({ retentionClass: 'D10', grounds });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      error: 'RETENTION_NOT_LONGER',
      rule: 'R2',
      message: 'R2: retention can be extended, never shortened: D30 → D10 refused',
    });
    const same = await extend({ retentionClass: 'D30', grounds });
    expect(same.status).toBe(422);
    expect(same.body).toMatchObject({ error: 'RETENTION_NOT_LONGER', rule: 'R2' });
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('R3: a PERMANENT record’s retention is final (422, nothing written)', async () => {
    expect((await extend({ retentionClass: 'PERMANENT', grounds })).status).toBe(201);
    const count = await t.eventCount();
    const response = await extend({ retentionClass: 'D30', grounds: '重新鉴定' });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      error: 'PERMANENT_IS_FINAL',
      rule: 'R3',
      message: 'R3: PERMANENT records are never destroyed; retention cannot change',
    });
    expect(await t.eventCount()).toBe(count);
  });

  it('answers 400 naming the fields for an unknown class or blank grounds', async () => {
    const response = await extend({ retentionClass: 'D50', grounds: ' ' });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('VALIDATION_FAILED');
    expect(response.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'grounds',
      'retentionClass',
    ]);
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('refuses a caller who is neither an archivist nor an appraiser with 403', async () => {
    const response = await extend({ retentionClass: 'PERMANENT', grounds }, people.auditor);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'FORBIDDEN', code: 'ROLE_REQUIRED' });
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('answers 404 for an unknown record', async () => {
    const response = await extend(
      { retentionClass: 'PERMANENT', grounds },
      people.appraiser,
      '/records/Z001-WS-2024-D30-BGS-0099/retention',
    );
    expect(response.status).toBe(404);
    expect(response.body.error).toBe('RECORD_NOT_FOUND');
    expect(await t.eventCount()).toBe(filedCount);
  });
});
