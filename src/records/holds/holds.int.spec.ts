import { startWithRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { contractRecord } from '../../../test/support/record-fixtures';
import type { TestApp, TestUser } from '../../../test/support/test-app';

const code = contractRecord.archiveCode;
const holds = `/records/${code}/holds`;
const release = (holdId: string) => `${holds}/${holdId}/release`;
const legalHold = {
  kind: 'legal',
  reason: '涉及合同纠纷诉讼，依法保全相关档案',
  reference: '（2026）沪0115民初1234号',
};

describe('POST /records/{code}/holds — legal and audit holds (R6) over HTTP', () => {
  let t: TestApp;
  let filedCount: number;
  beforeEach(async () => {
    ({ t, filedCount } = await startWithRecord(contractRecord));
  });
  afterEach(() => t.close());

  const post = (url: string, body: Record<string, unknown>, as: TestUser = people.complianceOfficer) =>
    t.request({ method: 'POST', url, as, body });
  const stored = () => t.store.readStream(`record-${code}`);

  it('R6: a hold is placed and released with reasons', async () => {
    const placed = await post(holds, legalHold);
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      archiveCode: code,
      holdId: 'H1',
      stream: `record-${code}`,
      revision: 1,
      events: ['HoldPlaced'],
    });
    const released = await post(release('H1'), { reason: '诉讼已结案，解除保全' });
    expect(released.status).toBe(201);
    expect(released.body).toMatchObject({ holdId: 'H1', revision: 2, events: ['HoldReleased'] });

    const [, hold, unhold] = await stored();
    expect(hold.type).toBe('HoldPlaced');
    expect(hold.data).toEqual({ holdId: 'H1', ...legalHold, placedBy: { id: 'xu.he', unit: 'LEGAL' } });
    expect(hold.metadata).toMatchObject({
      actor: { id: 'xu.he', roles: ['compliance_officer'] },
      reason: legalHold.reason,
    });
    expect(unhold.type).toBe('HoldReleased');
    expect(unhold.data).toEqual({
      holdId: 'H1',
      kind: 'legal',
      reason: '诉讼已结案，解除保全',
      releasedBy: { id: 'xu.he', unit: 'LEGAL' },
    });
    expect(unhold.metadata.actor.id).toBe('xu.he');
  });

  it('R6: an auditor places and releases an audit hold; the next hold is H2', async () => {
    await post(holds, legalHold);
    const placed = await post(holds, { kind: 'audit', reason: '2025年度专项审计' }, people.auditor);
    expect(placed.status).toBe(201);
    expect(placed.body.holdId).toBe('H2');
    const released = await post(release('H2'), { reason: '审计完成' }, people.auditor);
    expect(released.status).toBe(201);
    const events = await stored();
    expect(events.map((e) => e.type)).toEqual(['ArchiveFiled', 'HoldPlaced', 'HoldPlaced', 'HoldReleased']);
    expect(events[2].data).toEqual({
      holdId: 'H2',
      kind: 'audit',
      reason: '2025年度专项审计',
      placedBy: { id: 'lin.shen', unit: 'AUDIT' },
    });
    expect(events[3].metadata.actor.id).toBe('lin.shen');
  });

  it('R6: an auditor can neither place nor release a legal hold (403, nothing written)', async () => {
    const placing = await post(holds, legalHold, people.auditor);
    expect(placing.status).toBe(403);
    expect(placing.body.error).toBe('HOLD_KIND_NOT_AUTHORISED');
    expect(await t.eventCount()).toBe(filedCount);

    await post(holds, legalHold);
    const count = await t.eventCount();
    const releasing = await post(release('H1'), { reason: '审计需要' }, people.auditor);
    expect(releasing.status).toBe(403);
    expect(releasing.body.error).toBe('HOLD_KIND_NOT_AUTHORISED');
    expect(await t.eventCount()).toBe(count);
  });

  it('R6: releasing an unknown hold is 404; releasing a released one is 409', async () => {
    const unknown = await post(release('H1'), { reason: '解除' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('HOLD_NOT_FOUND');
    expect(await t.eventCount()).toBe(filedCount);

    await post(holds, legalHold);
    await post(release('H1'), { reason: '诉讼已结案，解除保全' });
    const count = await t.eventCount();
    const again = await post(release('H1'), { reason: '再次解除' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'HOLD_NOT_ACTIVE', rule: 'R6' });
    expect(await t.eventCount()).toBe(count);
  });

  it('answers 400 naming the fields: reasons are required, kinds are legal or audit', async () => {
    const placing = await post(holds, { kind: 'tax', reason: '  ', reference: '' });
    expect(placing.status).toBe(400);
    expect(placing.body.error).toBe('VALIDATION_FAILED');
    expect(placing.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'kind',
      'reason',
      'reference',
    ]);
    expect(await t.eventCount()).toBe(filedCount);

    await post(holds, legalHold);
    const count = await t.eventCount();
    const releasing = await post(release('H1'), {});
    expect(releasing.status).toBe(400);
    expect(releasing.body.fields).toEqual([{ field: 'reason', problems: ['reason is required'] }]);
    expect(await t.eventCount()).toBe(count);
  });

  it('refuses a caller who is neither a compliance officer nor an auditor with 403, on both routes', async () => {
    const placing = await post(holds, { kind: 'audit', reason: '盘点' }, people.archivist);
    expect(placing.status).toBe(403);
    expect(placing.body).toMatchObject({ error: 'FORBIDDEN', code: 'ROLE_REQUIRED' });
    await post(holds, { kind: 'audit', reason: '2025年度专项审计' }, people.auditor);
    const count = await t.eventCount();
    const releasing = await post(release('H1'), { reason: '解除' }, people.archivist);
    expect(releasing.status).toBe(403);
    expect(releasing.body).toMatchObject({ error: 'FORBIDDEN', code: 'ROLE_REQUIRED' });
    expect(await t.eventCount()).toBe(count);
  });

  it('answers 404 for an unknown record', async () => {
    const response = await post('/records/Z001-WS-2024-D30-BGS-0099/holds', legalHold);
    expect(response.status).toBe(404);
    expect(response.body.error).toBe('RECORD_NOT_FOUND');
    expect(await t.eventCount()).toBe(filedCount);
  });
});
