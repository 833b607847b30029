import { fileRecord, startWithRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { contractRecord, plainRecord } from '../../../test/support/record-fixtures';
import type { TestApp, TestUser } from '../../../test/support/test-app';

const code = contractRecord.archiveCode;
const corrections = `/records/${code}/corrections`;
const decision = (correctionId: string) => `${corrections}/${correctionId}/decision`;
const newTitle = '关于2024年度客户合同续签的请示（更正）';
const reason = '题名录入错误，与原件不符';

describe('POST /records/{code}/corrections — metadata corrections (F5) over HTTP', () => {
  let t: TestApp;
  let filedCount: number;
  beforeEach(async () => {
    ({ t, filedCount } = await startWithRecord(contractRecord));
  });
  afterEach(() => t.close());

  const propose = (body: Record<string, unknown>, as: TestUser = people.archivist, url = corrections) =>
    t.request({ method: 'POST', url, as, body });
  const decide = (correctionId: string, body: Record<string, unknown>, as: TestUser = people.archiveHead) =>
    t.request({ method: 'POST', url: decision(correctionId), as, body });
  const stored = () => t.store.readStream(`record-${code}`);

  it('F5: a correction carries the fields before and after, the reason and who approved it', async () => {
    const proposed = await propose({ changes: { title: newTitle, pageCount: 14 }, reason });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({
      archiveCode: code,
      correctionId: 'C1',
      stream: `record-${code}`,
      revision: 1,
      events: ['MetadataCorrectionProposed'],
      replayed: false,
    });

    const approved = await decide('C1', { decision: 'approve', reason: '与原件核对无误，同意更正' });
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({
      archiveCode: code,
      correctionId: 'C1',
      revision: 2,
      events: ['MetadataCorrected'],
    });

    const [, proposal, correction] = await stored();
    expect(proposal.type).toBe('MetadataCorrectionProposed');
    expect(proposal.data).toEqual({
      correctionId: 'C1',
      before: { title: contractRecord.title, pageCount: 12 },
      after: { title: newTitle, pageCount: 14 },
      reason,
      proposedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
    });
    expect(proposal.metadata).toMatchObject({ actor: { id: 'wang.fang' }, reason });
    expect(correction.type).toBe('MetadataCorrected');
    expect(correction.data).toEqual({
      correctionId: 'C1',
      before: { title: contractRecord.title, pageCount: 12 },
      after: { title: newTitle, pageCount: 14 },
      reason,
      proposedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
      approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
    });
    expect(correction.metadata).toMatchObject({
      actor: { id: 'liu.yang', roles: ['archive_department_head', 'borrower'] },
      reason: '与原件核对无误，同意更正',
    });
  });

  it('F5: a rejection is recorded with who rejected it and why', async () => {
    await propose({ changes: { shelfLocation: 'A-03-02-16' }, reason: '上架位置调整' });
    const rejected = await decide('C1', { decision: 'reject', reason: '实物仍在原位置' });
    expect(rejected.status).toBe(201);
    expect(rejected.body.events).toEqual(['MetadataCorrectionRejected']);
    const events = await stored();
    const last = events[events.length - 1];
    expect(last.data).toEqual({
      correctionId: 'C1',
      rejectedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
      reason: '实物仍在原位置',
    });
    expect(last.metadata.actor.id).toBe('liu.yang');
  });

  it('F5: clears an optional field with null', async () => {
    const response = await propose({ changes: { documentNumber: null }, reason: '该文件无文号' });
    expect(response.status).toBe(201);
    const events = await stored();
    expect(events[events.length - 1].data).toMatchObject({
      before: { documentNumber: '销字〔2024〕12号' },
      after: { documentNumber: null },
    });
  });

  it('F5: nobody approves their own correction (422, nothing written)', async () => {
    const headWhoFiles: TestUser = { ...people.archiveHead, roles: ['archivist', 'archive_department_head'] };
    expect((await propose({ changes: { title: newTitle }, reason }, headWhoFiles)).status).toBe(201);
    const count = await t.eventCount();
    const response = await decide('C1', { decision: 'approve' }, headWhoFiles);
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ error: 'SELF_APPROVAL', rule: 'F5' });
    expect(await t.eventCount()).toBe(count);
  });

  it('F5: refuses a correction that changes nothing with 400 NO_CHANGE naming the fields', async () => {
    const empty = await propose({ changes: {}, reason });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ error: 'NO_CHANGE' });
    expect(empty.body.fields.map((f: { field: string }) => f.field)).toEqual(['changes']);

    const same = await propose({ changes: { title: contractRecord.title, itemCount: 2 }, reason });
    expect(same.status).toBe(400);
    expect(same.body).toMatchObject({ error: 'NO_CHANGE' });
    expect(same.body.fields.map((f: { field: string }) => f.field)).toEqual(['changes.title']);
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('answers 400 naming unknown, malformed and cleared required fields, and writes nothing', async () => {
    const response = await propose({
      changes: { archiveCode: 'Z001-WS-2024-D30-BGS-0099', itemCount: 0, title: null, carrier: 'papyrus' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('VALIDATION_FAILED');
    expect(response.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'changes.archiveCode',
      'changes.carrier',
      'changes.itemCount',
      'changes.title',
      'reason',
    ]);
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('answers 400 when changes is not an object', async () => {
    const response = await propose({ changes: ['title'], reason });
    expect(response.status).toBe(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toContain('changes');
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('F5: refuses a second proposal while one is pending with 409 CORRECTION_PENDING', async () => {
    await propose({ changes: { title: newTitle }, reason });
    const count = await t.eventCount();
    const second = await propose({ changes: { shelfLocation: 'A-03-02-16' }, reason: '上架位置调整' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: 'CORRECTION_PENDING', rule: 'F5' });
    expect(await t.eventCount()).toBe(count);
  });

  it('F5: a rejection without a reason is refused with 400 naming reason', async () => {
    await propose({ changes: { title: newTitle }, reason });
    const count = await t.eventCount();
    const response = await decide('C1', { decision: 'reject' });
    expect(response.status).toBe(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    const unknownDecision = await decide('C1', { decision: 'maybe' });
    expect(unknownDecision.status).toBe(400);
    expect(unknownDecision.body.fields.map((f: { field: string }) => f.field)).toEqual(['decision']);
    expect(await t.eventCount()).toBe(count);
  });

  it('F5: an unknown correction is 404; a decided one is 409', async () => {
    const unknown = await decide('C1', { decision: 'approve' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('CORRECTION_NOT_FOUND');
    await propose({ changes: { title: newTitle }, reason });
    await decide('C1', { decision: 'approve' });
    const count = await t.eventCount();
    const again = await decide('C1', { decision: 'reject', reason: '再议' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'CORRECTION_ALREADY_DECIDED', rule: 'F5' });
    expect(await t.eventCount()).toBe(count);
  });

  it('refuses a proposer who is not an archivist with 403', async () => {
    const response = await propose({ changes: { title: newTitle }, reason }, people.archiveHead);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'FORBIDDEN', code: 'ROLE_REQUIRED' });
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('refuses a decider who is not the archive department head with 403', async () => {
    await propose({ changes: { title: newTitle }, reason });
    const count = await t.eventCount();
    const response = await decide('C1', { decision: 'approve' }, people.archivist2);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'FORBIDDEN', code: 'ROLE_REQUIRED' });
    expect(await t.eventCount()).toBe(count);
  });

  it('answers 404 for an unknown record, and for one above the caller’s clearance (A2)', async () => {
    const unknown = await propose(
      { changes: { title: newTitle }, reason },
      people.archivist,
      '/records/Z001-WS-2024-D30-BGS-0099/corrections',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('RECORD_NOT_FOUND');

    const secret = plainRecord('Z001-WS-2024-D30-BGS-0008', 'CONFIDENTIAL');
    await fileRecord(t, secret, people.archivist2);
    const count = await t.eventCount();
    const hidden = await propose(
      { changes: { title: newTitle }, reason },
      people.archivist,
      `/records/${secret.archiveCode}/corrections`,
    );
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toBe('RECORD_NOT_FOUND');
    expect(await t.eventCount()).toBe(count);
  });
});
