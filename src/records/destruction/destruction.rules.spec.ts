import {
  currentSalesRecord,
  expiredSalesRecord,
  filed,
  permanentSalesRecord,
  released,
} from '../../destruction/destruction.fixtures.spec-helper';
import { deciderSpecification } from '../../../test/support/decider-specification';
import { actorOf, people } from '../../../test/support/people';
import type { DestroyRecord, RecordCommand } from '../record.commands';
import { recordDecider } from '../record.decider';
import type { RecordEvent } from '../record.events';

const archivist = actorOf(people.archivist);
const spec = deciderSpecification(recordDecider, { actor: archivist, now: new Date('2026-03-01T09:00:00Z') });
const record = expiredSalesRecord(1);

const destroy: DestroyRecord = {
  type: 'DestroyRecord',
  listId: 'XH-20260301-0000000A',
  destroyedOn: '2026-03-01',
  policyVersion: 1,
  signatures: [
    {
      capacity: 'office_head',
      role: 'department_head',
      signer: { id: 'feng.yu', unit: 'BGS' },
      opinion: '同意销毁',
    },
  ],
  witnesses: [
    { capacity: 'archive', witness: { id: 'song.jie', unit: 'ARCHIVE' } },
    { capacity: 'business', witness: { id: 'deng.hui', unit: 'SALES' } },
  ],
  electronicContent: 'none_held',
};
const destroyed: RecordEvent = {
  type: 'Destroyed',
  data: {
    listId: destroy.listId,
    destroyedOn: '2026-03-01',
    policyVersion: 1,
    signatures: destroy.signatures,
    witnesses: destroy.witnesses,
    electronicContent: 'none_held',
  },
};
const held: RecordEvent = {
  type: 'HoldPlaced',
  data: { holdId: 'H1', kind: 'legal', reason: '涉诉保全', placedBy: { id: 'xu.he', unit: 'LEGAL' } },
};
const kept: RecordEvent = {
  type: 'AppraisalRecorded',
  data: {
    appraisalId: 'AP1',
    members: [{ id: 'guo.jian', unit: 'ARCHIVE' }],
    decision: 'keep',
    grounds: '仍有查考价值',
    retentionClass: 'D10',
    retentionExpiredOn: '2021-01-01',
    newRetentionClass: 'D30',
  },
};
const loanedOut: RecordEvent[] = [
  {
    type: 'LoanRequested',
    data: {
      loanId: `${record.archiveCode}.L1`,
      borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
      requestedBy: { id: 'li.lei', unit: 'SALES' },
      mode: 'lend_out',
      purpose: '合同纠纷查证',
      days: 7,
      excerpts: false,
      classification: 'INTERNAL',
      policyVersion: 1,
      requiredApprovals: [],
    },
  },
  {
    type: 'LoanApproved',
    data: { loanId: `${record.archiveCode}.L1`, policyVersion: 1, approvals: [] },
  },
  {
    type: 'Borrowed',
    data: {
      loanId: `${record.archiveCode}.L1`,
      borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
      mode: 'lend_out',
      handedOverBy: { id: 'wang.fang', unit: 'ARCHIVE' },
      handedOverAt: '2026-02-27T09:00:00.000Z',
      dueAt: '2026-03-06T09:00:00.000Z',
      shelfLocation: record.shelfLocation,
    },
  },
];

describe('destroying a record (销毁) — D1, D6', () => {
  it('D6: an expired record the committee released is destroyed, citing the list, its signatures and witnesses', () => {
    spec([filed(record), released(record)])
      .when(destroy)
      .then([destroyed]);
  });

  it('D1: a PERMANENT record is never destroyed (R3)', () => {
    spec([filed(permanentSalesRecord)])
      .when(destroy)
      .thenRefused({ kind: 'rule', rule: 'D1', code: 'PERMANENT_NEVER_DESTROYED' });
  });

  it('D1: a record whose retention has not expired is not destroyed', () => {
    spec([filed(currentSalesRecord)])
      .when(destroy)
      .thenRefused({ rule: 'D1', code: 'RETENTION_NOT_EXPIRED' });
  });

  it('D1: an unappraised record is not destroyed (R5)', () => {
    spec([filed(record)])
      .when(destroy)
      .thenRefused({ rule: 'D1', code: 'NOT_APPRAISED' });
  });

  it('D1: a record the committee kept is not destroyed', () => {
    spec([filed(record), kept])
      .when(destroy)
      .thenRefused({ rule: 'D1', code: 'NOT_RELEASED_FOR_DESTRUCTION' });
  });

  it('D1: a record under a legal or audit hold is not destroyed (R6)', () => {
    spec([filed(record), released(record), held])
      .when(destroy)
      .thenRefused({ rule: 'D1', code: 'RECORD_UNDER_HOLD' });
  });

  it('D1: a record out on loan is not destroyed', () => {
    spec([filed(record), released(record), ...loanedOut])
      .when(destroy)
      .thenRefused({ rule: 'D1', code: 'RECORD_ON_LOAN' });
  });

  it('D6: only an archivist carries a destruction out', () => {
    spec([filed(record), released(record)])
      .when(destroy, { actor: actorOf(people.appraiser) })
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it.each<[string, RecordCommand]>([
    ['destroying it again', destroy],
    ['a hold', { type: 'PlaceHold', kind: 'legal', reason: '涉诉' }],
    [
      'a loan request',
      {
        type: 'RequestLoan',
        borrower: { type: 'staff' },
        mode: 'reading_room',
        purpose: '查阅',
        policy: undefined as never,
      },
    ],
    ['a correction', { type: 'ProposeCorrection', changes: { title: '新题名' }, reason: '更正' }],
    ['a retention extension', { type: 'ExtendRetention', to: 'PERMANENT', grounds: '补充鉴定' }],
    [
      'an appraisal',
      {
        type: 'RecordAppraisal',
        decision: 'keep',
        grounds: '复核',
        otherMembers: [],
        newRetentionClass: 'D30',
      },
    ],
    ['a damage report', { type: 'ReportDamage', condition: 'damaged', description: '水渍' }],
  ])('D6: a destroyed record refuses %s (409 naming D6)', (_what, command) => {
    spec([filed(record), released(record), destroyed])
      .when(command, {
        actor: { ...archivist, roles: ['archivist', 'appraisal_committee', 'compliance_officer'] },
      })
      .thenRefused({ kind: 'rule', rule: 'D6', code: 'RECORD_DESTROYED' });
  });
});
