import {
  currentSalesRecord,
  expiredSalesRecord,
  filed,
  permanentSalesRecord,
  released,
} from '../../destruction/destruction.fixtures.spec-helper';
import { deciderSpecification } from '../../../test/support/decider-specification';
import { actorOf, people } from '../../../test/support/people';
import type { RecordAppraisal } from '../record.commands';
import { recordDecider } from '../record.decider';
import type { RecordEvent } from '../record.events';
import { evolveRecord, type FiledRecord } from '../record.state';

const appraiser = actorOf(people.appraiser);
const spec = deciderSpecification(recordDecider, { actor: appraiser, now: new Date('2026-03-01T09:00:00Z') });
const record = expiredSalesRecord(1);
const others = [{ id: 'tang.ping', unit: 'LEGAL' }];
const members = [{ id: 'guo.jian', unit: 'ARCHIVE' }, ...others];

const release: RecordAppraisal = {
  type: 'RecordAppraisal',
  decision: 'release',
  grounds: '已无查考利用价值，保管期满，同意销毁',
  otherMembers: others,
};
const keep: RecordAppraisal = {
  type: 'RecordAppraisal',
  decision: 'keep',
  grounds: '涉及长期合作客户，仍有查考价值',
  otherMembers: others,
  newRetentionClass: 'D30',
};

const fold = (events: readonly RecordEvent[]) =>
  events.reduce(evolveRecord, { status: 'not_filed' }) as FiledRecord;

describe('appraisal (鉴定) — R4, R5', () => {
  it('R5: the committee releases an expired record for destruction, with its members and grounds', () => {
    spec([filed(record)])
      .when(release)
      .then([
        {
          type: 'AppraisalRecorded',
          data: {
            appraisalId: 'AP1',
            members,
            decision: 'release',
            grounds: release.grounds,
            retentionClass: 'D10',
            retentionExpiredOn: '2021-01-01',
          },
        },
      ]);
  });

  it('R5: keep records the decision and extends retention to the new, longer class (RetentionExtended)', () => {
    spec([filed(record)])
      .when(keep)
      .then([
        {
          type: 'AppraisalRecorded',
          data: {
            appraisalId: 'AP1',
            members,
            decision: 'keep',
            grounds: keep.grounds,
            retentionClass: 'D10',
            retentionExpiredOn: '2021-01-01',
            newRetentionClass: 'D30',
          },
        },
        {
          type: 'RetentionExtended',
          data: {
            from: 'D10',
            to: 'D30',
            grounds: `AP1: ${keep.grounds}`,
            extendedBy: { id: 'guo.jian', unit: 'ARCHIVE' },
          },
        },
      ]);
  });

  it('R4: a record whose retention has not expired is not due for appraisal', () => {
    spec([filed(currentSalesRecord)])
      .when(release)
      .thenRefused({ kind: 'rule', rule: 'R4', code: 'NOT_DUE_FOR_APPRAISAL' });
  });

  it('R4: retention expires on 1 January of the year after formed plus the years (R1): due that very day, not the day before', () => {
    spec([filed(record)])
      .when(release, { now: new Date('2020-12-31T23:59:59Z') })
      .thenRefused({ rule: 'R4', code: 'NOT_DUE_FOR_APPRAISAL' });
    const events = recordDecider.decide(release, fold([filed(record)]), {
      actor: appraiser,
      now: new Date('2021-01-01T00:00:00Z'),
    });
    expect(events.map((e) => e.type)).toEqual(['AppraisalRecorded']);
  });

  it('R4: a PERMANENT record never falls due for appraisal (R3)', () => {
    spec([filed(permanentSalesRecord)])
      .when(release)
      .thenRefused({ rule: 'R4', code: 'NOT_DUE_FOR_APPRAISAL' });
  });

  it('R5: only a member of the appraisal committee records an appraisal', () => {
    spec([filed(record)])
      .when(release, { actor: actorOf(people.archivist) })
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it('R5: an appraisal is a committee decision: at least one other member is named', () => {
    spec([filed(record)])
      .when({ ...release, otherMembers: [] })
      .thenRefused({ kind: 'rule', rule: 'R5', code: 'COMMITTEE_REQUIRED' });
  });

  it('R5: refuses keep without a new class, release with one, and the caller named among the others', () => {
    const error = spec([filed(record)])
      .when({ ...keep, newRetentionClass: undefined, otherMembers: [{ id: 'guo.jian', unit: 'ARCHIVE' }] })
      .thenRefused({ kind: 'invalid', code: 'APPRAISAL_INVALID' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['newRetentionClass', 'members']);
    spec([filed(record)])
      .when({ ...release, newRetentionClass: 'D30' })
      .thenRefused({ kind: 'invalid', code: 'APPRAISAL_INVALID' });
  });

  it('R2, R5: keep can only lengthen retention', () => {
    spec([filed(record)])
      .when({ ...keep, newRetentionClass: 'D10' })
      .thenRefused({ rule: 'R2', code: 'RETENTION_NOT_LONGER' });
  });

  it('R5: appraisals are numbered on the record; the last decision counts', () => {
    const state = fold([filed(record), released(record)]);
    expect(state.releasedForDestruction).toEqual({ appraisalId: 'AP1' });
    const events = recordDecider.decide({ ...keep, newRetentionClass: 'PERMANENT' }, state, {
      actor: appraiser,
      now: new Date('2026-03-01T09:00:00Z'),
    });
    const after = fold([filed(record), released(record), ...events]);
    expect(events[0]).toMatchObject({
      type: 'AppraisalRecorded',
      data: { appraisalId: 'AP2', decision: 'keep' },
    });
    expect(after.releasedForDestruction).toBeUndefined();
    expect(after.metadata.retentionClass).toBe('PERMANENT');
  });

  it('R5: a later retention extension voids an earlier release for destruction', () => {
    const extended: RecordEvent = {
      type: 'RetentionExtended',
      data: { from: 'D10', to: 'D30', grounds: '补充鉴定', extendedBy: { id: 'wang.fang', unit: 'ARCHIVE' } },
    };
    expect(fold([filed(record), released(record), extended]).releasedForDestruction).toBeUndefined();
  });
});
