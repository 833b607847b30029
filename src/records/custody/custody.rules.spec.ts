import { deciderSpecification } from '../../../test/support/decider-specification';
import { actorOf, people } from '../../../test/support/people';
import { contractRecord, plainRecord } from '../../../test/support/record-fixtures';
import type { RecordCommand } from '../record.commands';
import { recordDecider } from '../record.decider';
import type { RecordEvent } from '../record.events';
import { evolveRecord, type FiledRecord } from '../record.state';
import { transferBlockers } from './custody.rules';

const archivist = actorOf(people.archivist);
const archiveHead = actorOf(people.archiveHead);
const now = new Date('2026-03-01T09:00:00Z');
const spec = deciderSpecification(recordDecider, { actor: archivist, now });

const code = contractRecord.archiveCode;
const filed: RecordEvent = { type: 'ArchiveFiled', data: contractRecord };
const receiver = { organisation: '上海市档案馆', representative: '周明' };
const transfer: RecordCommand = {
  type: 'TransferRecord',
  transferId: 'TR-2026-0001',
  receiver,
  receiptReference: '沪档接〔2026〕15号',
  approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
};
const transferred: RecordEvent = {
  type: 'Transferred',
  data: {
    transferId: 'TR-2026-0001',
    receiver,
    receiptReference: '沪档接〔2026〕15号',
    approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
    transferredBy: { id: 'wang.fang', unit: 'ARCHIVE' },
    classification: 'INTERNAL',
  },
};
const held: RecordEvent = {
  type: 'HoldPlaced',
  data: { holdId: 'H1', kind: 'legal', reason: '诉讼保全', placedBy: { id: 'xu.he', unit: 'LEGAL' } },
};
const missing: RecordEvent = {
  type: 'MarkedMissing',
  data: {
    stockTakeId: 'ST-2026-0001',
    shelfLocation: 'A-03-02-15',
    flaggedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
  },
};
const requested: RecordEvent = {
  type: 'LoanRequested',
  data: {
    loanId: `${code}.L1`,
    borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
    requestedBy: { id: 'li.lei', unit: 'SALES' },
    mode: 'reading_room',
    purpose: '核对合同条款',
    days: 1,
    excerpts: false,
    classification: 'INTERNAL',
    policyVersion: 1,
    requiredApprovals: [],
  },
};
const approved: RecordEvent = {
  type: 'LoanApproved',
  data: { loanId: `${code}.L1`, policyVersion: 1, approvals: [] },
};

function fold(events: readonly RecordEvent[]): FiledRecord {
  return events.reduce(evolveRecord, recordDecider.initialState()) as FiledRecord;
}

describe('custody: transfer out (X1) and missing records (X2) on the record', () => {
  it('X1: a record in custody is transferred, naming the list, the receiver and both signatories', () => {
    spec([filed]).when(transfer).then([transferred]);
    expect(fold([filed, transferred]).transfer).toEqual({ transferId: 'TR-2026-0001', receiver });
  });

  it('X1: transferring again on the same list changes nothing (a resumed completion appends nothing twice)', () => {
    spec([filed, transferred]).when(transfer).then([]);
  });

  it('X1: a record transferred on one list cannot be transferred on another', () => {
    spec([filed, transferred])
      .when({ ...transfer, transferId: 'TR-2026-0002' } as RecordCommand)
      .thenRefused({ kind: 'rule', code: 'RECORD_TRANSFERRED', rule: 'X1' });
  });

  it('R6: no transfer while a hold is active', () => {
    spec([filed, held]).when(transfer).thenRefused({ kind: 'rule', code: 'RECORD_HELD', rule: 'R6' });
  });

  it('R6: once the hold is released the record can be transferred', () => {
    const released: RecordEvent = {
      type: 'HoldReleased',
      data: { holdId: 'H1', kind: 'legal', reason: '结案', releasedBy: { id: 'xu.he', unit: 'LEGAL' } },
    };
    spec([filed, held, released]).when(transfer).then([transferred]);
  });

  it('X1: a record with an open loan is not transferred until the loan is closed', () => {
    spec([filed, requested, approved])
      .when(transfer)
      .thenRefused({ kind: 'rule', code: 'RECORD_ON_LOAN', rule: 'X1' });
  });

  it('X2: a record flagged missing cannot be transferred', () => {
    spec([filed, missing]).when(transfer).thenRefused({ kind: 'rule', code: 'RECORD_MISSING', rule: 'X2' });
  });

  it('X1: a transferred record refuses further loans', () => {
    spec([filed, transferred])
      .when(
        {
          type: 'RequestLoan',
          borrower: { type: 'staff' },
          mode: 'reading_room',
          purpose: '查阅',
        } as RecordCommand,
        { actor: actorOf(people.salesperson) },
      )
      .thenRefused({ kind: 'rule', code: 'RECORD_TRANSFERRED', rule: 'X1' });
  });

  it.each<[string, RecordCommand]>([
    ['a hold', { type: 'PlaceHold', kind: 'legal', reason: '诉讼' }],
    ['a correction', { type: 'ProposeCorrection', changes: { title: '新题名' }, reason: '更正' }],
    ['a retention extension', { type: 'ExtendRetention', to: 'PERMANENT', grounds: '长期价值' }],
    ['a missing flag', { type: 'MarkMissing', stockTakeId: 'ST-2026-0002' }],
  ])('X1: a transferred record refuses %s', (_what, command) => {
    spec([filed, transferred])
      .when(command, {
        actor: { ...archivist, roles: ['archivist', 'compliance_officer', 'appraisal_committee'] },
      })
      .thenRefused({ kind: 'rule', code: 'RECORD_TRANSFERRED', rule: 'X1' });
  });

  it('X1: a transfer is carried out by an archivist or the archive department head only', () => {
    spec([filed])
      .when(transfer, { actor: archiveHead })
      .then([
        {
          ...transferred,
          data: { ...transferred.data, transferredBy: { id: 'liu.yang', unit: 'ARCHIVE' } },
        } as RecordEvent,
      ]);
    spec([filed])
      .when(transfer, { actor: actorOf(people.salesperson) })
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it('X1: the blockers name every reason a record cannot be transferred now', () => {
    expect(transferBlockers(fold([filed, held, requested, missing])).map((e) => e.code)).toEqual([
      'RECORD_HELD',
      'RECORD_ON_LOAN',
      'RECORD_MISSING',
    ]);
    expect(transferBlockers(fold([filed]))).toEqual([]);
  });

  it('X2: a record not found at a closed stock-take is flagged missing, once', () => {
    spec([filed]).when({ type: 'MarkMissing', stockTakeId: 'ST-2026-0001' }).then([missing]);
    spec([filed, missing]).when({ type: 'MarkMissing', stockTakeId: 'ST-2026-0002' }).then([]);
  });

  it('X2: a missing record stays flagged until found, and cannot be handed over meanwhile', () => {
    expect(fold([filed, missing]).missing).toEqual({ stockTakeId: 'ST-2026-0001' });
    spec([filed, requested, approved, missing])
      .when({ type: 'HandOverLoan', loanId: `${code}.L1` })
      .thenRefused({ kind: 'rule', code: 'RECORD_MISSING', rule: 'X2' });
  });

  it('X2: a missing record found again is no longer flagged', () => {
    const found: RecordEvent = {
      type: 'FoundAgain',
      data: { foundAt: 'A-03-02-16', foundBy: { id: 'wang.fang', unit: 'ARCHIVE' }, note: '错架' },
    };
    spec([filed, missing])
      .when({ type: 'RecordFoundAgain', location: 'A-03-02-16', note: '错架' })
      .then([found]);
    expect(fold([filed, missing, found]).missing).toBeUndefined();
  });

  it('X2: reporting a record found that is not missing is a conflict; from a stock-take it is a no-op', () => {
    spec([filed])
      .when({ type: 'RecordFoundAgain', location: 'A-03-02-15' })
      .thenRefused({ kind: 'conflict', code: 'RECORD_NOT_MISSING', rule: 'X2' });
    spec([filed])
      .when({ type: 'RecordFoundAgain', stockTakeId: 'ST-2026-0001', location: 'A-03-02-15' })
      .then([]);
  });

  it('X2: a record out on loan is not flagged missing (its substitute card accounts for it)', () => {
    const out: RecordEvent = {
      type: 'Borrowed',
      data: {
        loanId: `${code}.L1`,
        borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
        mode: 'reading_room',
        handedOverBy: { id: 'wang.fang', unit: 'ARCHIVE' },
        handedOverAt: '2026-03-01T09:00:00.000Z',
        dueAt: '2026-03-02T09:00:00.000Z',
        shelfLocation: 'A-03-02-15',
      },
    };
    spec([filed, requested, approved, out])
      .when({ type: 'MarkMissing', stockTakeId: 'ST-2026-0001' })
      .thenRefused({ kind: 'rule', code: 'RECORD_OUT_ON_LOAN', rule: 'X2' });
  });

  it('A2: a record above the caller’s clearance cannot be flagged: it is not found', () => {
    spec([{ type: 'ArchiveFiled', data: plainRecord('Z001-WS-2024-D30-BGS-0009', 'TOP_SECRET') }])
      .when({ type: 'MarkMissing', stockTakeId: 'ST-2026-0001' })
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });
});
