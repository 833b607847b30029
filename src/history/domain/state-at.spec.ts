import type { RecordEvent } from '../../records/record.events';
import type { FiledRecord } from '../../records/record.state';
import { contractRecord } from '../../../test/support/record-fixtures';
import type { StoredRecordEvent } from './record-history';
import { replayTo } from './state-at';

const CODE = contractRecord.archiveCode;
const LOAN = `${CODE}.L1`;
const archivist = { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE' };
const archiveHead = { id: 'liu.yang', roles: ['archive_department_head'], unit: 'ARCHIVE' };
const salesHead = { id: 'zhao.qiang', roles: ['department_head', 'borrower'], unit: 'SALES' };
const borrower = { id: 'li.lei', roles: ['borrower'], unit: 'SALES' };
const securityOfficer = { id: 'qian.bao', roles: ['security_officer'], unit: 'SECURITY' };

/** A record stream as the store delivers it; `recordedAt` defaults to `occurredAt`. */
function stream(
  ...steps: [
    RecordEvent,
    { occurredAt: string; recordedAt?: string; actor: StoredRecordEvent['metadata']['actor'] },
  ][]
): StoredRecordEvent[] {
  return steps.map(([event, { occurredAt, recordedAt, actor }], revision) => ({
    eventId: `e${revision}`,
    stream: `record-${CODE}`,
    revision,
    position: String(100 + revision),
    type: event.type,
    data: event.data,
    metadata: {
      actor,
      occurredAt,
      recordedAt: recordedAt ?? occurredAt,
      correlationId: 'c',
      causationId: 'c',
      schemaVersion: 1,
      prevHash: '0'.repeat(64),
    },
    hash: `h${revision}`,
  }));
}

const approvalBy = (role: string, who: { id: string; unit: string }, opinion: string) => ({
  role,
  ...(role === 'department_head' ? { unit: 'SALES' } : {}),
  approver: { id: who.id, unit: who.unit },
  opinion,
});
const headApproval = approvalBy('archive_department_head', archiveHead, '同意借出');
const salesApproval = approvalBy('department_head', salesHead, '同意');

/**
 * A contract filed on 1 Feb 2025, lent to li.lei from 1 March (due 11 March) under two approvals.
 * Damage was reported on 7 March; the return happened on 5 March but the archivist recorded it only
 * on 8 March (back-dated). On 9 March the record was classified SECRET.
 */
const history = stream(
  [
    { type: 'ArchiveFiled', data: contractRecord },
    { occurredAt: '2025-02-01T09:00:00.000Z', actor: archivist },
  ],
  [
    {
      type: 'LoanRequested',
      data: {
        loanId: LOAN,
        borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
        requestedBy: { id: 'li.lei', unit: 'SALES' },
        mode: 'lend_out',
        purpose: '核对合同条款',
        days: 10,
        excerpts: false,
        classification: 'INTERNAL',
        policyVersion: 3,
        requiredApprovals: [
          { role: 'archive_department_head', because: ['B4.lend-out'] },
          { role: 'department_head', unit: 'SALES', because: ['B4.lend-out-over-2-days'] },
        ],
      },
    },
    { occurredAt: '2025-02-27T09:00:00.000Z', actor: borrower },
  ],
  [
    { type: 'LoanApprovalGiven', data: { loanId: LOAN, approval: headApproval, outstanding: 1 } },
    { occurredAt: '2025-02-27T10:00:00.000Z', actor: archiveHead },
  ],
  [
    { type: 'LoanApprovalGiven', data: { loanId: LOAN, approval: salesApproval, outstanding: 0 } },
    { occurredAt: '2025-02-28T10:00:00.000Z', actor: salesHead },
  ],
  [
    {
      type: 'LoanApproved',
      data: { loanId: LOAN, policyVersion: 3, approvals: [headApproval, salesApproval] },
    },
    { occurredAt: '2025-02-28T10:00:00.000Z', actor: salesHead },
  ],
  [
    {
      type: 'Borrowed',
      data: {
        loanId: LOAN,
        borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
        mode: 'lend_out',
        handedOverBy: { id: 'wang.fang', unit: 'ARCHIVE' },
        handedOverAt: '2025-03-01T09:00:00.000Z',
        dueAt: '2025-03-11T09:00:00.000Z',
        shelfLocation: 'A-03-02-15',
      },
    },
    { occurredAt: '2025-03-01T09:00:00.000Z', actor: archivist },
  ],
  [
    {
      type: 'DamageReported',
      data: {
        reportId: 'DR1',
        loanId: LOAN,
        condition: 'damaged',
        description: '封皮破损',
        reportedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
      },
    },
    { occurredAt: '2025-03-07T09:00:00.000Z', actor: archivist },
  ],
  [
    {
      type: 'Returned',
      data: {
        loanId: LOAN,
        receivedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
        returnedAt: '2025-03-05T09:00:00.000Z',
        condition: 'intact',
        overdueDays: 0,
      },
    },
    { occurredAt: '2025-03-05T09:00:00.000Z', recordedAt: '2025-03-08T09:00:00.000Z', actor: archivist },
  ],
  [
    {
      type: 'ClassificationChanged',
      data: {
        from: 'INTERNAL',
        to: 'SECRET',
        lifted: false,
        grounds: '涉及商业秘密',
        approvedBy: { id: 'qian.bao', unit: 'SECURITY' },
      },
    },
    { occurredAt: '2025-03-09T09:00:00.000Z', actor: securityOfficer },
  ],
);

const filed = (state: unknown) => state as FiledRecord;

describe('a record’s state at a past moment (two times)', () => {
  it('as known at T (by recorded): on 6 March the store still had li.lei holding it, under both approvals', () => {
    const at = replayTo(history, { kind: 'time', at: '2025-03-06T00:00:00.000Z', by: 'recorded' });
    expect(at.lastApplied?.revision).toBe(5);
    expect(at.eventsApplied).toBe(6);
    expect(at.eventsInStream).toBe(9);
    expect(at.recordedAfterAt).toEqual([]);
    expect(filed(at.state).loans[0]).toMatchObject({ loanId: LOAN, status: 'out' });
    expect(at.custody).toMatchObject({
      status: 'on_loan',
      holders: [
        {
          loanId: LOAN,
          borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
          since: '2025-03-01T09:00:00.000Z',
          due: '2025-03-11T09:00:00.000Z',
          overdue: false,
          handedOverBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          policyVersion: 3,
          approvals: [
            { ...headApproval, approvedAt: '2025-02-27T10:00:00.000Z', revision: 2 },
            { ...salesApproval, approvedAt: '2025-02-28T10:00:00.000Z', revision: 3 },
          ],
          renewals: [],
        },
      ],
    });
    expect(at.custody?.summary.zh).toBe(
      `li.lei (SALES) 持有（${LOAN}，自 2025-03-01 起，应还 2025-03-11），经 档案部门负责人 liu.yang、部门负责人 zhao.qiang 批准（审批策略第 3 版）；代替卡置于 A-03-02-15`,
    );
    expect(at.custody?.summary.en).toContain('Held by li.lei (SALES)');
  });

  it('as it was at T (by occurred): the back-dated return counts, the later damage report does not', () => {
    const at = replayTo(history, { kind: 'time', at: '2025-03-06T00:00:00.000Z', by: 'occurred' });
    expect(at.lastApplied?.revision).toBe(7);
    expect(at.eventsApplied).toBe(7);
    expect(at.recordedAfterAt).toEqual([7]);
    const record = filed(at.state);
    expect(record.loans[0]).toMatchObject({ status: 'returned', returnedAt: '2025-03-05T09:00:00.000Z' });
    expect(record.damage).toEqual([]);
    expect(at.custody).toMatchObject({ status: 'in_custody', holders: [] });
    expect(at.custody?.summary).toEqual({ zh: '在库，存放于 A-03-02-15', en: 'In custody at A-03-02-15' });
  });

  it('shows the classification at the moment next to the classification now', () => {
    const before = replayTo(history, { kind: 'time', at: '2025-03-08T12:00:00.000Z', by: 'recorded' });
    expect(filed(before.state).metadata.classification).toBe('INTERNAL');
    expect(before.currentClassification).toBe('SECRET');
    const after = replayTo(history, { kind: 'latest' });
    expect(filed(after.state).metadata.classification).toBe('SECRET');
    expect(after.eventsApplied).toBe(9);
  });

  it('by revision: the state right after that event', () => {
    const at = replayTo(history, { kind: 'revision', revision: 2 });
    expect(at.lastApplied?.type).toBe('LoanApprovalGiven');
    expect(filed(at.state).loans[0]).toMatchObject({ status: 'requested', approvals: [headApproval] });
    expect(at.custody?.status).toBe('in_custody');
  });

  it('before the filing there is no record yet', () => {
    const at = replayTo(history, { kind: 'time', at: '2025-01-31T23:59:59.999Z', by: 'occurred' });
    expect(at.state).toEqual({ status: 'not_filed' });
    expect(at.lastApplied).toBeUndefined();
    expect(at.custody).toBeUndefined();
    expect(at.currentClassification).toBe('SECRET');
  });

  it('B9: a loan still out after its due time shows as overdue at that moment', () => {
    const lentOnly = history.slice(0, 6);
    const at = replayTo(lentOnly, { kind: 'time', at: '2025-03-12T00:00:00.000Z', by: 'recorded' });
    expect(at.custody?.holders[0]?.overdue).toBe(true);
    expect(at.custody?.summary.zh).toContain('已逾期');
  });
});

describe('custody at a past moment after stock-taking, transfer and destruction (X1, X2, D6)', () => {
  const filedOn = { occurredAt: '2025-02-01T09:00:00.000Z', actor: archivist };
  const custodyStream = stream(
    [{ type: 'ArchiveFiled', data: contractRecord }, filedOn],
    [
      {
        type: 'MarkedMissing',
        data: {
          stockTakeId: 'ST1',
          shelfLocation: 'A-03-02-15',
          flaggedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
        },
      },
      { occurredAt: '2025-04-01T09:00:00.000Z', actor: archivist },
    ],
    [
      {
        type: 'FoundAgain',
        data: { stockTakeId: 'ST2', foundAt: 'A-03-02-16', foundBy: { id: 'wang.fang', unit: 'ARCHIVE' } },
      },
      { occurredAt: '2025-05-01T09:00:00.000Z', actor: archivist },
    ],
    [
      {
        type: 'Transferred',
        data: {
          transferId: 'T1',
          receiver: { organisation: '上海市档案馆', representative: '周敏' },
          receiptReference: '沪档接〔2025〕3号',
          approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
          transferredBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          classification: 'INTERNAL',
        },
      },
      { occurredAt: '2025-06-01T09:00:00.000Z', actor: archivist },
    ],
  );

  it('X2: flagged missing between the stock-take that missed it and the one that found it', () => {
    const missing = replayTo(custodyStream, { kind: 'revision', revision: 1 });
    expect(missing.custody).toMatchObject({ status: 'in_custody', missing: { stockTakeId: 'ST1' } });
    expect(missing.custody?.summary.zh).toBe('在库，存放于 A-03-02-15；清点 ST1 时缺失，尚未找回');
    expect(replayTo(custodyStream, { kind: 'revision', revision: 2 }).custody?.missing).toBeNull();
  });

  it('X1: transferred out of custody from the transfer on', () => {
    const before = replayTo(custodyStream, { kind: 'time', at: '2025-05-31T00:00:00.000Z', by: 'occurred' });
    expect(before.custody?.status).toBe('in_custody');
    const after = replayTo(custodyStream, { kind: 'latest' });
    expect(after.custody).toMatchObject({ status: 'transferred' });
    expect(after.custody?.summary.en).toBe('Transferred to 上海市档案馆 (T1), no longer in our custody');
  });

  it('D6: destroyed from the destruction on', () => {
    const destroyed = stream(
      [{ type: 'ArchiveFiled', data: contractRecord }, filedOn],
      [
        {
          type: 'Destroyed',
          data: {
            listId: 'DL1',
            destroyedOn: '2036-01-10',
            policyVersion: 1,
            signatures: [],
            witnesses: [],
            electronicContent: 'none_held',
          },
        },
        { occurredAt: '2036-01-10T09:00:00.000Z', actor: archivist },
      ],
    );
    const at = replayTo(destroyed, { kind: 'latest' });
    expect(at.custody).toMatchObject({ status: 'destroyed', holders: [] });
    expect(at.custody?.summary.zh).toBe('已于 2036-01-10 按销毁清册 DL1 销毁');
  });
});
