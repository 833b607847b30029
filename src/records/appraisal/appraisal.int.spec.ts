import { currentSalesRecord, expiredSalesRecord } from '../../destruction/destruction.fixtures.spec-helper';
import { fileRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { startTestApp, type TestApp, type TestUser } from '../../../test/support/test-app';

const record = expiredSalesRecord(1);
const url = `/records/${record.archiveCode}/appraisals`;
const release = {
  decision: 'release',
  grounds: '保管期满，已无查考利用价值，同意销毁',
  members: [{ id: 'tang.ping', unit: 'LEGAL' }],
};

describe('POST /records/{code}/appraisals — appraisal (鉴定, R4, R5) over HTTP', () => {
  let t: TestApp;
  let filedCount: number;
  beforeEach(async () => {
    t = await startTestApp();
    await fileRecord(t, record);
    await fileRecord(t, currentSalesRecord);
    filedCount = await t.eventCount();
  });
  afterEach(() => t.close());

  const post = (body: unknown, as: TestUser = people.appraiser, to = url) =>
    t.request({ method: 'POST', url: to, as, body });

  it('R5: the committee releases an expired record, recorded with its members and grounds', async () => {
    const released = await post(release);
    expect(released.status).toBe(201);
    expect(released.body).toMatchObject({
      archiveCode: record.archiveCode,
      appraisalId: 'AP1',
      events: ['AppraisalRecorded'],
    });
    const [, appraisal] = await t.store.readStream(`record-${record.archiveCode}`);
    expect(appraisal.data).toEqual({
      appraisalId: 'AP1',
      members: [
        { id: 'guo.jian', unit: 'ARCHIVE' },
        { id: 'tang.ping', unit: 'LEGAL' },
      ],
      decision: 'release',
      grounds: release.grounds,
      retentionClass: 'D10',
      retentionExpiredOn: '2021-01-01',
    });
    expect(appraisal.metadata.actor.id).toBe('guo.jian');
  });

  it('R5: keep extends retention in the same append (RetentionExtended)', async () => {
    const kept = await post({
      ...release,
      decision: 'keep',
      grounds: '仍有查考价值',
      newRetentionClass: 'D30',
    });
    expect(kept.status).toBe(201);
    expect(kept.body.events).toEqual(['AppraisalRecorded', 'RetentionExtended']);
  });

  it('R4: a record not yet due is refused (422 R4), nothing written', async () => {
    const refused = await post(
      release,
      people.appraiser,
      `/records/${currentSalesRecord.archiveCode}/appraisals`,
    );
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'NOT_DUE_FOR_APPRAISAL', rule: 'R4' });
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('R5: only the appraisal committee appraises (403); a committee of one is refused (422 R5); nothing written', async () => {
    const archivist = await post(release, people.archivist);
    expect(archivist.status).toBe(403);
    expect(archivist.body.code).toBe('ROLE_REQUIRED');
    const alone = await post({ ...release, members: [] });
    expect(alone.status).toBe(422);
    expect(alone.body).toMatchObject({ error: 'COMMITTEE_REQUIRED', rule: 'R5' });
    expect(await t.eventCount()).toBe(filedCount);
  });

  it('answers 400 naming the fields: decision, grounds, members, keep without a class', async () => {
    const bad = await post({ decision: 'destroy', grounds: ' ', members: [{ id: '' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(
      expect.arrayContaining(['decision', 'grounds']),
    );
    const keep = await post({ ...release, decision: 'keep' });
    expect(keep.status).toBe(400);
    expect(keep.body).toMatchObject({ error: 'APPRAISAL_INVALID' });
    expect(keep.body.fields).toEqual([
      { field: 'newRetentionClass', problems: ['keep needs the new, longer retention class'] },
    ]);
    expect(await t.eventCount()).toBe(filedCount);
  });
});
