import { deciderSpecification } from '../../../test/support/decider-specification';
import { actorOf, people } from '../../../test/support/people';
import { plainRecord, salesContract } from '../../../test/support/record-fixtures';
import {
  DEFAULT_LOAN_APPROVAL_POLICY,
  type LoanApprovalPolicy,
} from '../../approval-policy/loan-approval.policy';
import type { Actor } from '../../domain-kernel/actor';
import type { RecordCommand, RequestLoan, RequestRenewal, DecideLoanApproval } from '../record.commands';
import { recordDecider } from '../record.decider';
import type {
  ApprovalRequirement,
  Borrower,
  GivenApproval,
  LoanMode,
  LoanRequested,
  PersonRef,
  RecordEvent,
  RecordMetadata,
} from '../record.events';

// ── The people and the clock ─────────────────────────────────────────────────────────────────────

const archivist = actorOf(people.archivist);
const archivist2 = actorOf(people.archivist2);
const salesperson = actorOf(people.salesperson);
const engineer = actorOf(people.engineer);
const salesHead = actorOf(people.salesHead);
const financeHead = actorOf(people.financeHead);
const archiveHead = actorOf(people.archiveHead);
const deputyGm = actorOf(people.deputyGm);
const generalManager = actorOf(people.generalManager);
/** An archive department head who also heads SALES (acting): qualifies for two requirements at once. */
const doubleHead: Actor = {
  id: 'zhang.wei',
  roles: ['archive_department_head', 'department_head'],
  unit: 'SALES',
  clearance: 'SECRET',
};

const NOW = new Date('2026-03-02T09:00:00Z');
const spec = deciderSpecification(recordDecider, { actor: archivist, now: NOW });
const policy = DEFAULT_LOAN_APPROVAL_POLICY;

const ref = (actor: Actor): PersonRef => ({ id: actor.id, unit: actor.unit });
const staff = (actor: Actor): Borrower => ({ type: 'staff', id: actor.id, unit: actor.unit });
const visitor: Borrower = {
  type: 'external',
  name: '张三',
  organisation: '华东精密机械有限公司',
  introductionLetterRef: '华精函〔2026〕8号',
};

// ── The records ──────────────────────────────────────────────────────────────────────────────────

/** SALES client contract, INTERNAL (B6: it belongs to SALES and names a counterparty). */
const CODE = salesContract.archiveCode;
const L1 = `${CODE}.L1`;
const L2 = `${CODE}.L2`;
const internalMinutes = plainRecord('Z001-WS-2024-D30-BGS-0008', 'INTERNAL');
const publicMinutes = plainRecord('Z001-WS-2024-D30-BGS-0011', 'PUBLIC');
const secretMinutes = plainRecord('Z001-WS-2024-D30-BGS-0012', 'SECRET');
const confidentialMinutes = plainRecord('Z001-WS-2024-D30-BGS-0009', 'CONFIDENTIAL');
const topSecretMinutes = plainRecord('Z001-WS-2024-D30-BGS-0010', 'TOP_SECRET');

const filed = (metadata: RecordMetadata = salesContract): RecordEvent => ({
  type: 'ArchiveFiled',
  data: metadata,
});
const loanOf = (metadata: RecordMetadata, n = 1) => `${metadata.archiveCode}.L${n}`;

// ── Commands ─────────────────────────────────────────────────────────────────────────────────────

const requestLoan = (overrides: Partial<RequestLoan> = {}): RequestLoan => ({
  type: 'RequestLoan',
  borrower: { type: 'staff' },
  mode: 'lend_out',
  purpose: '核对合同条款',
  days: 10,
  policy,
  ...overrides,
});
const requestExternal = (overrides: Partial<RequestLoan> = {}): RequestLoan =>
  requestLoan({
    borrower: {
      type: 'external',
      name: '张三',
      organisation: '华东精密机械有限公司',
      introductionLetterRef: '华精函〔2026〕8号',
    },
    mode: 'reading_room',
    days: undefined,
    ...overrides,
  });
const decide = (overrides: Partial<DecideLoanApproval> = {}): DecideLoanApproval => ({
  type: 'DecideLoanApproval',
  loanId: L1,
  decision: 'approve',
  ...overrides,
});
const renew = (extraDays: number, overrides: Partial<RequestRenewal> = {}): RequestRenewal => ({
  type: 'RequestRenewal',
  loanId: L1,
  extraDays,
  reason: '合同谈判延期',
  policy,
  ...overrides,
});
const handOver = (loanId = L1): RecordCommand => ({ type: 'HandOverLoan', loanId });

// ── Events (givens) ──────────────────────────────────────────────────────────────────────────────

const ARCHIVE_HEAD: ApprovalRequirement = { role: 'archive_department_head', because: ['B4.lend-out'] };
/** B4 (borrower's head, lend-out over 2 days) and B6 (record's head, own client record) merged: both are SALES. */
const SALES_HEAD: ApprovalRequirement = {
  role: 'department_head',
  unit: 'SALES',
  because: ['B4.lend-out-over-2-days', 'B6.own-client-records'],
};

function requested(overrides: Partial<LoanRequested['data']> = {}): LoanRequested {
  return {
    type: 'LoanRequested',
    data: {
      loanId: L1,
      borrower: staff(salesperson),
      requestedBy: ref(salesperson),
      mode: 'lend_out',
      purpose: '核对合同条款',
      days: 10,
      excerpts: false,
      classification: 'INTERNAL',
      policyVersion: 1,
      requiredApprovals: [ARCHIVE_HEAD, SALES_HEAD],
      ...overrides,
    },
  };
}
const approvalOf = (approver: Actor, role: string, unit?: string): GivenApproval => ({
  role,
  ...(unit ? { unit } : {}),
  approver: ref(approver),
});
const approvalGiven = (approval: GivenApproval, outstanding: number, loanId = L1): RecordEvent => ({
  type: 'LoanApprovalGiven',
  data: { loanId, approval, outstanding },
});
const approved = (approvals: GivenApproval[] = [], loanId = L1): RecordEvent => ({
  type: 'LoanApproved',
  data: { loanId, policyVersion: 1, approvals },
});
function borrowed(
  days: number,
  loanId = L1,
  borrower = staff(salesperson),
  mode: LoanMode = 'lend_out',
): RecordEvent {
  return {
    type: 'Borrowed',
    data: {
      loanId,
      borrower,
      mode,
      handedOverBy: ref(archivist),
      handedOverAt: NOW.toISOString(),
      dueAt: new Date(NOW.getTime() + days * 86_400_000).toISOString(),
      shelfLocation: salesContract.shelfLocation,
    },
  };
}

const byArchiveHead = approvalOf(archiveHead, 'archive_department_head');
const bySalesHead = approvalOf(salesHead, 'department_head', 'SALES');

/** The salesperson's 10-day lend-out of the SALES contract, waiting for both approvals. */
const lendOutRequested: RecordEvent[] = [filed(), requested()];
/** …approved by the archive head and the sales head. */
const lendOutApproved: RecordEvent[] = [
  ...lendOutRequested,
  approvalGiven(byArchiveHead, 1),
  approvalGiven(bySalesHead, 0),
  approved([byArchiveHead, bySalesHead]),
];
/** …handed over now, due in 10 days (2026-03-12T09:00Z). */
const lendOutOut: RecordEvent[] = [...lendOutApproved, borrowed(10)];
const DUE = '2026-03-12T09:00:00.000Z';

/** An external visitor's reading-room loan of the SALES contract, registered by the archivist, approved by the GM. */
const externalRequested: RecordEvent[] = [
  filed(),
  requested({
    borrower: visitor,
    requestedBy: ref(archivist),
    mode: 'reading_room',
    days: 1,
    requiredApprovals: [{ role: 'general_manager', because: ['B7.external'] }],
  }),
];
const byGm = approvalOf(generalManager, 'general_manager');
const externalOut: RecordEvent[] = [
  ...externalRequested,
  approvalGiven(byGm, 0),
  approved([byGm]),
  borrowed(1, L1, visitor, 'reading_room'),
];

// ── Request (B1, B2, B4–B8, A2) ──────────────────────────────────────────────────────────────────

describe('loans — request', () => {
  it.each([
    ['PUBLIC', publicMinutes],
    ['INTERNAL', internalMinutes],
  ])(
    'B4: reading-room consultation of a %s record needs only registration (approved at once, default 1 day)',
    (_level, record) => {
      const loanId = loanOf(record);
      spec([filed(record)])
        .when(requestLoan({ mode: 'reading_room', days: undefined }), { actor: salesperson })
        .then([
          {
            type: 'LoanRequested',
            data: {
              loanId,
              borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
              requestedBy: { id: 'li.lei', unit: 'SALES' },
              mode: 'reading_room',
              purpose: '核对合同条款',
              days: 1,
              excerpts: false,
              classification: record.classification,
              policyVersion: 1,
              requiredApprovals: [],
            },
          },
          { type: 'LoanApproved', data: { loanId, policyVersion: 1, approvals: [] } },
        ]);
    },
  );

  it("B4/B6: lending out 10 days of the borrower's own client record needs the archive head and the SALES head once", () => {
    spec([filed()])
      .when(requestLoan(), { actor: salesperson })
      .then([
        {
          type: 'LoanRequested',
          data: {
            loanId: 'Z001-WS-2024-D30-SALES-0001.L1',
            borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
            requestedBy: { id: 'li.lei', unit: 'SALES' },
            mode: 'lend_out',
            purpose: '核对合同条款',
            days: 10,
            excerpts: false,
            classification: 'INTERNAL',
            policyVersion: 1,
            requiredApprovals: [
              { role: 'archive_department_head', because: ['B4.lend-out'] },
              {
                role: 'department_head',
                unit: 'SALES',
                because: ['B4.lend-out-over-2-days', 'B6.own-client-records'],
              },
            ],
          },
        },
      ]);
  });

  it('B4: a lend-out period defaults to 7 days', () => {
    spec([filed()])
      .when(requestLoan({ days: undefined }), { actor: salesperson })
      .then([requested({ days: 7 })]);
  });

  it('B4: lending out for 2 days or less needs only the archive department head', () => {
    spec([filed(internalMinutes)])
      .when(requestLoan({ days: 2 }), { actor: salesperson })
      .then([
        requested({
          loanId: loanOf(internalMinutes),
          days: 2,
          requiredApprovals: [{ role: 'archive_department_head', because: ['B4.lend-out'] }],
        }),
      ]);
  });

  it('B4: a long-term lend-out (over 30 days) needs the deputy GM', () => {
    spec([filed(internalMinutes)])
      .when(requestLoan({ days: 31 }), { actor: salesperson })
      .then([
        requested({
          loanId: loanOf(internalMinutes),
          days: 31,
          requiredApprovals: [
            { role: 'archive_department_head', because: ['B4.lend-out'] },
            { role: 'department_head', unit: 'SALES', because: ['B4.lend-out-over-2-days'] },
            { role: 'deputy_gm', because: ['B4.long-term'] },
          ],
        }),
      ]);
  });

  it("B6: reading a department's own client record needs its head", () => {
    spec([filed()])
      .when(requestLoan({ mode: 'reading_room', days: undefined }), { actor: salesperson })
      .then([
        requested({
          mode: 'reading_room',
          days: 1,
          requiredApprovals: [{ role: 'department_head', unit: 'SALES', because: ['B6.own-client-records'] }],
        }),
      ]);
  });

  it("B6: another department's client record needs the general manager", () => {
    spec([filed()])
      .when(requestLoan({ mode: 'reading_room', days: undefined }), { actor: financeHead })
      .then([
        requested({
          borrower: staff(financeHead),
          requestedBy: ref(financeHead),
          mode: 'reading_room',
          days: 1,
          requiredApprovals: [{ role: 'general_manager', because: ['B6.other-client-records'] }],
        }),
      ]);
  });

  it('B5: lending out a CONFIDENTIAL record needs the general manager', () => {
    spec([filed(confidentialMinutes)])
      .when(requestLoan({ days: undefined }), { actor: engineer })
      .then([
        requested({
          loanId: loanOf(confidentialMinutes),
          borrower: staff(engineer),
          requestedBy: ref(engineer),
          days: 7,
          classification: 'CONFIDENTIAL',
          requiredApprovals: [
            { role: 'archive_department_head', because: ['B4.lend-out'] },
            { role: 'department_head', unit: 'SALES', because: ['B4.lend-out-over-2-days'] },
            { role: 'general_manager', because: ['B5.classified-lend-out'] },
          ],
        }),
      ]);
  });

  it('B5: even reading-room consultation of a SECRET record needs the deputy GM', () => {
    spec([filed(secretMinutes)])
      .when(requestLoan({ mode: 'reading_room', days: undefined }), { actor: engineer })
      .then([
        requested({
          loanId: loanOf(secretMinutes),
          borrower: staff(engineer),
          requestedBy: ref(engineer),
          mode: 'reading_room',
          days: 1,
          classification: 'SECRET',
          requiredApprovals: [{ role: 'deputy_gm', because: ['B5.classified-reading-room'] }],
        }),
      ]);
  });

  it("B5: a TOP_SECRET record is consulted in the reading room only, with the general manager's approval", () => {
    spec([filed(topSecretMinutes)])
      .when(requestLoan({ mode: 'reading_room', days: undefined }), { actor: deputyGm })
      .then([
        requested({
          loanId: loanOf(topSecretMinutes),
          borrower: staff(deputyGm),
          requestedBy: ref(deputyGm),
          mode: 'reading_room',
          days: 1,
          classification: 'TOP_SECRET',
          requiredApprovals: [{ role: 'general_manager', because: ['B5.top-secret-reading-room'] }],
        }),
      ]);
  });

  it.each<LoanMode>(['lend_out', 'copy'])('B5: a TOP_SECRET record is refused for %s', (mode) => {
    spec([filed(topSecretMinutes)])
      .when(requestLoan({ mode }), { actor: deputyGm })
      .thenRefused({ kind: 'rule', rule: 'B5', code: 'TOP_SECRET_READING_ROOM_ONLY' });
  });

  it("B7: an external borrower consults in the reading room with the general manager's approval, excerpts included", () => {
    spec([filed()])
      .when(requestExternal({ excerpts: true }))
      .then([
        {
          type: 'LoanRequested',
          data: {
            loanId: L1,
            borrower: {
              type: 'external',
              name: '张三',
              organisation: '华东精密机械有限公司',
              introductionLetterRef: '华精函〔2026〕8号',
            },
            requestedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
            mode: 'reading_room',
            purpose: '核对合同条款',
            days: 1,
            excerpts: true,
            classification: 'INTERNAL',
            policyVersion: 1,
            requiredApprovals: [{ role: 'general_manager', because: ['B7.external'] }],
          },
        },
      ]);
  });

  it.each<LoanMode>(['lend_out', 'copy'])('B7: an external borrower is refused %s', (mode) => {
    spec([filed()])
      .when(requestExternal({ mode, days: 3 }))
      .thenRefused({ kind: 'rule', rule: 'B7', code: 'EXTERNAL_READING_ROOM_ONLY' });
  });

  it.each(['', '   '])(
    'B7: an external borrower without an introduction letter (%j) is refused',
    (letter) => {
      spec([filed()])
        .when(
          requestExternal({
            borrower: {
              type: 'external',
              name: '张三',
              organisation: '华东精密',
              introductionLetterRef: letter,
            },
          }),
        )
        .thenRefused({ kind: 'rule', rule: 'B7', code: 'INTRODUCTION_LETTER_REQUIRED' });
    },
  );

  it('B7: an external borrower is registered with a name and an organisation', () => {
    const error = spec([filed()])
      .when(
        requestExternal({
          borrower: { type: 'external', name: ' ', organisation: '华东精密', introductionLetterRef: '函8号' },
        }),
      )
      .thenRefused({ kind: 'invalid', code: 'EXTERNAL_BORROWER_INCOMPLETE' });
    expect(error.details.fields).toEqual([{ field: 'borrower.name', problems: ['must not be blank'] }]);
  });

  it('B7: only an external borrower takes excerpts out (400 for a staff borrower)', () => {
    const error = spec([filed()])
      .when(requestLoan({ mode: 'reading_room', excerpts: true }), { actor: salesperson })
      .thenRefused({ kind: 'invalid', code: 'EXCERPTS_ONLY_FOR_EXTERNAL' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['excerpts']);
  });

  it('B1: an archivist does not register a staff loan', () => {
    spec([filed()])
      .when(requestLoan(), { actor: archivist })
      .thenRefused({ kind: 'forbidden', code: 'LOAN_REQUEST_NOT_ALLOWED', rule: 'B1' });
  });

  it('B1: a borrower does not register an external loan', () => {
    spec([filed()])
      .when(requestExternal(), { actor: salesperson })
      .thenRefused({ kind: 'forbidden', code: 'LOAN_REQUEST_NOT_ALLOWED', rule: 'B1' });
  });

  it('B1: a loan registers its purpose', () => {
    const error = spec([filed()])
      .when(requestLoan({ purpose: '  ' }), { actor: salesperson })
      .thenRefused({ kind: 'invalid', code: 'PURPOSE_REQUIRED' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['purpose']);
  });

  it.each([0, -3, 1.5])('B1: a loan of %s days is refused', (days) => {
    spec([filed()])
      .when(requestLoan({ days }), { actor: salesperson })
      .thenRefused({ kind: 'invalid', code: 'DAYS_INVALID' });
  });

  it("A2: a staff borrower asking for a record above their clearance is told it doesn't exist", () => {
    spec([filed(secretMinutes)])
      .when(requestLoan({ mode: 'reading_room' }), { actor: salesperson })
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });

  it("B8: a loan longer than the policy's maximum is refused", () => {
    spec([filed(internalMinutes)])
      .when(requestLoan({ days: 91 }), { actor: salesperson })
      .thenRefused({ kind: 'rule', rule: 'B8', code: 'LOAN_TOO_LONG' });
  });

  it('B3: the loan records the version of the policy it was decided under', () => {
    const v2: LoanApprovalPolicy = { ...policy, version: 2, rules: [] };
    const loanId = loanOf(internalMinutes);
    spec([filed(internalMinutes)])
      .when(requestLoan({ policy: v2 }), { actor: salesperson })
      .then([
        requested({ loanId, policyVersion: 2, requiredApprovals: [] }),
        { type: 'LoanApproved', data: { loanId, policyVersion: 2, approvals: [] } },
      ]);
  });

  it.each([
    ['requested', lendOutRequested],
    ['approved', lendOutApproved],
    ['out', lendOutOut],
  ])('B2: refuses a second lend-out request while one is %s', (_status, given) => {
    spec(given)
      .when(requestLoan(), { actor: engineer })
      .thenRefused({ kind: 'conflict', code: 'RECORD_ALREADY_LENT', rule: 'B2' });
  });

  it('B2: once the lend-out loan has ended the record is lent again, as loan 2', () => {
    spec([
      ...lendOutRequested,
      { type: 'LoanWithdrawn', data: { loanId: L1, by: ref(salesperson), reason: '不需要了' } },
    ])
      .when(requestLoan(), { actor: engineer })
      .then([requested({ loanId: L2, borrower: staff(engineer), requestedBy: ref(engineer) })]);
  });

  it('B2: a reading-room request is registered while a lend-out is open', () => {
    spec(lendOutOut)
      .when(requestLoan({ mode: 'reading_room', days: undefined }), { actor: financeHead })
      .then([
        requested({
          loanId: L2,
          borrower: staff(financeHead),
          requestedBy: ref(financeHead),
          mode: 'reading_room',
          days: 1,
          requiredApprovals: [{ role: 'general_manager', because: ['B6.other-client-records'] }],
        }),
      ]);
  });
});

// ── Approvals (B3) ───────────────────────────────────────────────────────────────────────────────

describe('loans — approvals', () => {
  it('B3: each approver fills one required role; the last approval approves the loan', () => {
    spec(lendOutRequested)
      .when(decide(), { actor: archiveHead })
      .then([
        {
          type: 'LoanApprovalGiven',
          data: {
            loanId: L1,
            approval: { role: 'archive_department_head', approver: { id: 'liu.yang', unit: 'ARCHIVE' } },
            outstanding: 1,
          },
        },
      ]);
    spec([...lendOutRequested, approvalGiven(byArchiveHead, 1)])
      .when(decide({ opinion: '同意' }), { actor: salesHead })
      .then([
        {
          type: 'LoanApprovalGiven',
          data: {
            loanId: L1,
            approval: {
              role: 'department_head',
              unit: 'SALES',
              approver: { id: 'zhao.qiang', unit: 'SALES' },
              opinion: '同意',
            },
            outstanding: 0,
          },
        },
        {
          type: 'LoanApproved',
          data: {
            loanId: L1,
            policyVersion: 1,
            approvals: [
              { role: 'archive_department_head', approver: { id: 'liu.yang', unit: 'ARCHIVE' } },
              {
                role: 'department_head',
                unit: 'SALES',
                approver: { id: 'zhao.qiang', unit: 'SALES' },
                opinion: '同意',
              },
            ],
          },
        },
      ]);
  });

  it('B3: a borrower never approves their own loan', () => {
    spec([filed(), requested({ borrower: staff(salesHead), requestedBy: ref(salesHead) })])
      .when(decide(), { actor: salesHead })
      .thenRefused({ kind: 'rule', rule: 'B3', code: 'SELF_APPROVAL' });
  });

  it('B3: the archivist who registered an external loan never approves it', () => {
    const archivistAndGm: Actor = { ...archivist, roles: ['archivist', 'general_manager'] };
    spec(externalRequested)
      .when(decide(), { actor: archivistAndGm })
      .thenRefused({ kind: 'rule', rule: 'B3', code: 'SELF_APPROVAL' });
  });

  it('B3: one person cannot fill two required approvals', () => {
    const byDoubleHead = approvalOf(doubleHead, 'archive_department_head');
    spec([...lendOutRequested, approvalGiven(byDoubleHead, 1)])
      .when(decide({ role: 'department_head' }), { actor: doubleHead })
      .thenRefused({ kind: 'rule', rule: 'B3', code: 'APPROVER_ALREADY_APPROVED' });
  });

  it('B3: an approver who could fill several outstanding roles must say which', () => {
    const error = spec(lendOutRequested)
      .when(decide(), { actor: doubleHead })
      .thenRefused({ kind: 'invalid', code: 'APPROVAL_ROLE_AMBIGUOUS' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['role']);
    spec(lendOutRequested)
      .when(decide({ role: 'department_head' }), { actor: doubleHead })
      .then([approvalGiven(approvalOf(doubleHead, 'department_head', 'SALES'), 1)]);
  });

  it('B3: a department head of another unit is not a required approver', () => {
    const error = spec(lendOutRequested)
      .when(decide(), { actor: financeHead })
      .thenRefused({ kind: 'forbidden', code: 'NOT_A_REQUIRED_APPROVER' });
    expect(error.message).toContain('archive_department_head, department_head of SALES');
  });

  it('B3: someone holding none of the outstanding roles is not a required approver', () => {
    spec(lendOutRequested)
      .when(decide(), { actor: engineer })
      .thenRefused({ kind: 'forbidden', code: 'NOT_A_REQUIRED_APPROVER' });
    spec(lendOutRequested)
      .when(decide({ role: 'general_manager' }), { actor: archiveHead })
      .thenRefused({ kind: 'forbidden', code: 'NOT_A_REQUIRED_APPROVER' });
  });

  it('B3: a requirement already filled is not filled again by another holder of the role', () => {
    const otherArchiveHead: Actor = { ...archiveHead, id: 'tian.yu' };
    const error = spec([...lendOutRequested, approvalGiven(byArchiveHead, 1)])
      .when(decide(), { actor: otherArchiveHead })
      .thenRefused({ kind: 'forbidden', code: 'NOT_A_REQUIRED_APPROVER' });
    expect(error.message).toContain('outstanding: department_head of SALES');
  });

  it('B3: one refusal ends the loan', () => {
    spec([...lendOutRequested, approvalGiven(byArchiveHead, 1)])
      .when(decide({ decision: 'refuse', opinion: '借期过长' }), { actor: salesHead })
      .then([
        {
          type: 'LoanRefused',
          data: {
            loanId: L1,
            role: 'department_head',
            approver: { id: 'zhao.qiang', unit: 'SALES' },
            reason: '借期过长',
          },
        },
      ]);
  });

  it.each([undefined, '', '  '])('B3: a refusal without an opinion (%j) is refused', (opinion) => {
    const error = spec(lendOutRequested)
      .when(decide({ decision: 'refuse', opinion }), { actor: salesHead })
      .thenRefused({ kind: 'invalid', code: 'OPINION_REQUIRED' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['opinion']);
  });

  it.each([
    ['approved', lendOutApproved],
    ['out with no renewal pending', lendOutOut],
    [
      'refused',
      [
        ...lendOutRequested,
        {
          type: 'LoanRefused',
          data: { loanId: L1, role: 'department_head', approver: ref(salesHead), reason: '不同意' },
        },
      ],
    ],
  ] as [string, RecordEvent[]][])('B3: nothing awaits approval once the loan is %s', (_status, given) => {
    spec(given)
      .when(decide(), { actor: archiveHead })
      .thenRefused({ kind: 'conflict', code: 'NOTHING_TO_APPROVE' });
  });

  it('A2: an approver without clearance for the record does not see it', () => {
    const actingGm: Actor = {
      id: 'acting.gm',
      roles: ['general_manager'],
      unit: 'MGMT',
      clearance: 'SECRET',
    };
    const loanId = loanOf(topSecretMinutes);
    spec([
      filed(topSecretMinutes),
      requested({
        loanId,
        borrower: staff(deputyGm),
        requestedBy: ref(deputyGm),
        mode: 'reading_room',
        days: 1,
        classification: 'TOP_SECRET',
        requiredApprovals: [{ role: 'general_manager', because: ['B5.top-secret-reading-room'] }],
      }),
    ])
      .when(decide({ loanId }), { actor: actingGm })
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });

  it('an unknown loan id is not found', () => {
    spec(lendOutRequested)
      .when(decide({ loanId: `${CODE}.L9` }), { actor: archiveHead })
      .thenRefused({ kind: 'not_found', code: 'LOAN_NOT_FOUND' });
  });
});

// ── Withdrawal ───────────────────────────────────────────────────────────────────────────────────

describe('loans — withdrawal', () => {
  it.each([
    ['requested', lendOutRequested],
    ['approved', lendOutApproved],
  ])('the borrower withdraws a %s loan before hand-over', (_status, given) => {
    spec(given)
      .when({ type: 'WithdrawLoan', loanId: L1, reason: '项目取消' }, { actor: salesperson })
      .then([
        {
          type: 'LoanWithdrawn',
          data: { loanId: L1, by: { id: 'li.lei', unit: 'SALES' }, reason: '项目取消' },
        },
      ]);
  });

  it('the archivist who registered an external loan withdraws it; another archivist may not', () => {
    spec(externalRequested)
      .when({ type: 'WithdrawLoan', loanId: L1, reason: '来访取消' }, { actor: archivist })
      .then([{ type: 'LoanWithdrawn', data: { loanId: L1, by: ref(archivist), reason: '来访取消' } }]);
    spec(externalRequested)
      .when({ type: 'WithdrawLoan', loanId: L1, reason: '来访取消' }, { actor: archivist2 })
      .thenRefused({ kind: 'forbidden', code: 'NOT_THE_BORROWER' });
  });

  it.each([archivist, engineer])(
    'someone other than the borrower ($id) does not withdraw a staff loan',
    (actor) => {
      spec(lendOutRequested)
        .when({ type: 'WithdrawLoan', loanId: L1, reason: '项目取消' }, { actor })
        .thenRefused({ kind: 'forbidden', code: 'NOT_THE_BORROWER' });
    },
  );

  it.each([
    ['out', lendOutOut],
    [
      'refused',
      [
        ...lendOutRequested,
        {
          type: 'LoanRefused',
          data: { loanId: L1, role: 'department_head', approver: ref(salesHead), reason: '不同意' },
        },
      ],
    ],
  ] as [string, RecordEvent[]][])('a loan that is %s is not withdrawn', (_status, given) => {
    spec(given)
      .when({ type: 'WithdrawLoan', loanId: L1, reason: '项目取消' }, { actor: salesperson })
      .thenRefused({ kind: 'conflict', code: 'LOAN_NOT_WITHDRAWABLE' });
  });

  it('a withdrawal states its reason', () => {
    const error = spec(lendOutRequested)
      .when({ type: 'WithdrawLoan', loanId: L1, reason: ' ' }, { actor: salesperson })
      .thenRefused({ kind: 'invalid', code: 'REASON_REQUIRED' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['reason']);
  });
});

// ── Hand-over (B1, B3, B5, B11) ──────────────────────────────────────────────────────────────────

describe('loans — hand-over', () => {
  it('B11: an approved loan is handed over, due after its days, with a substitute card at its shelf', () => {
    spec(lendOutApproved)
      .when(handOver())
      .then([
        {
          type: 'Borrowed',
          data: {
            loanId: L1,
            borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
            mode: 'lend_out',
            handedOverBy: { id: 'wang.fang', unit: 'ARCHIVE' },
            handedOverAt: '2026-03-02T09:00:00.000Z',
            dueAt: '2026-03-12T09:00:00.000Z',
            shelfLocation: 'B-01-04-02',
          },
        },
      ]);
  });

  it('B4: a lend-out still waiting for the archive head is not handed over', () => {
    const error = spec(lendOutRequested)
      .when(handOver())
      .thenRefused({ kind: 'rule', rule: 'B4', code: 'LOAN_NOT_APPROVED' });
    expect(error.message).toContain('archive_department_head, department_head of SALES');
  });

  it("B5: a classified lend-out is not handed over before the general manager's approval", () => {
    const loanId = loanOf(confidentialMinutes);
    const bySales = approvalOf(salesHead, 'department_head', 'SALES');
    const error = spec([
      filed(confidentialMinutes),
      requested({
        loanId,
        borrower: staff(engineer),
        requestedBy: ref(engineer),
        days: 7,
        classification: 'CONFIDENTIAL',
        requiredApprovals: [
          { role: 'archive_department_head', because: ['B4.lend-out'] },
          { role: 'department_head', unit: 'SALES', because: ['B4.lend-out-over-2-days'] },
          { role: 'general_manager', because: ['B5.classified-lend-out'] },
        ],
      }),
      approvalGiven(byArchiveHead, 2, loanId),
      approvalGiven(bySales, 1, loanId),
    ])
      .when(handOver(loanId), { actor: archivist2 })
      .thenRefused({ kind: 'rule', rule: 'B5', code: 'LOAN_NOT_APPROVED' });
    expect(error.message).toContain('general_manager');
    expect(error.message).not.toContain('department_head');
  });

  it('B1: a loan already out is not handed over again', () => {
    spec(lendOutOut).when(handOver()).thenRefused({ kind: 'conflict', code: 'LOAN_ALREADY_HANDED_OVER' });
  });

  it.each([
    [
      'returned',
      [
        ...lendOutOut,
        {
          type: 'Returned',
          data: {
            loanId: L1,
            receivedBy: ref(archivist),
            returnedAt: DUE,
            condition: 'intact',
            overdueDays: 0,
          },
        },
      ],
    ],
    [
      'refused',
      [
        ...lendOutRequested,
        {
          type: 'LoanRefused',
          data: { loanId: L1, role: 'department_head', approver: ref(salesHead), reason: '不同意' },
        },
      ],
    ],
    [
      'withdrawn',
      [
        ...lendOutApproved,
        { type: 'LoanWithdrawn', data: { loanId: L1, by: ref(salesperson), reason: '不需要了' } },
      ],
    ],
  ] as [string, RecordEvent[]][])('B1: a %s loan is not handed over', (_status, given) => {
    spec(given).when(handOver()).thenRefused({ kind: 'conflict', code: 'LOAN_ENDED' });
  });

  it('B11: a record out on one loan is not handed over on another (paper is in one place)', () => {
    const error = spec([
      ...lendOutOut,
      requested({
        loanId: L2,
        borrower: staff(financeHead),
        requestedBy: ref(financeHead),
        mode: 'reading_room',
        days: 1,
        requiredApprovals: [],
      }),
      approved([], L2),
    ])
      .when(handOver(L2))
      .thenRefused({ kind: 'conflict', code: 'RECORD_OUT', rule: 'B11' });
    expect(error.message).toContain('li.lei');
    expect(error.message).toContain(DUE);
  });
});

// ── Renewal (B8) ─────────────────────────────────────────────────────────────────────────────────

describe('loans — renewal', () => {
  const DEPUTY_GM: ApprovalRequirement = { role: 'deputy_gm', because: ['B4.long-term'] };
  const renewalRequested = (extraDays: number, requiredApprovals: ApprovalRequirement[]): RecordEvent => ({
    type: 'LoanRenewalRequested',
    data: {
      loanId: L1,
      renewal: 1,
      extraDays,
      totalDays: 10 + extraDays,
      dueAt: new Date(Date.parse(DUE) + extraDays * 86_400_000).toISOString(),
      reason: '合同谈判延期',
      policyVersion: 1,
      requiredApprovals,
    },
  });
  const renewalGiven = (approval: GivenApproval, outstanding: number): RecordEvent => ({
    type: 'LoanRenewalApprovalGiven',
    data: { loanId: L1, renewal: 1, approval, outstanding },
  });

  it('B8: a renewal needs the approvals of a new loan of the resulting length', () => {
    spec(lendOutOut)
      .when(renew(10), { actor: salesperson })
      .then([
        {
          type: 'LoanRenewalRequested',
          data: {
            loanId: L1,
            renewal: 1,
            extraDays: 10,
            totalDays: 20,
            dueAt: '2026-03-22T09:00:00.000Z',
            reason: '合同谈判延期',
            policyVersion: 1,
            requiredApprovals: [ARCHIVE_HEAD, SALES_HEAD],
          },
        },
      ]);
  });

  it('B4: a renewal to more than 30 days in all needs the deputy GM too', () => {
    spec(lendOutOut)
      .when(renew(25), { actor: salesperson })
      .then([
        {
          type: 'LoanRenewalRequested',
          data: {
            loanId: L1,
            renewal: 1,
            extraDays: 25,
            totalDays: 35,
            dueAt: '2026-04-06T09:00:00.000Z',
            reason: '合同谈判延期',
            policyVersion: 1,
            requiredApprovals: [ARCHIVE_HEAD, SALES_HEAD, DEPUTY_GM],
          },
        },
      ]);
  });

  it('B8: the renewal is granted with its last approval and the due date moves', () => {
    const given = [...lendOutOut, renewalRequested(25, [ARCHIVE_HEAD, SALES_HEAD, DEPUTY_GM])];
    // The archive head approved the loan itself; a renewal is a new round.
    spec(given)
      .when(decide(), { actor: archiveHead })
      .then([renewalGiven(byArchiveHead, 2)]);
    const byDeputy = approvalOf(deputyGm, 'deputy_gm');
    spec([...given, renewalGiven(byArchiveHead, 2), renewalGiven(bySalesHead, 1)])
      .when(decide(), { actor: deputyGm })
      .then([
        {
          type: 'LoanRenewalApprovalGiven',
          data: {
            loanId: L1,
            renewal: 1,
            approval: { role: 'deputy_gm', approver: { id: 'he.jun', unit: 'MGMT' } },
            outstanding: 0,
          },
        },
        {
          type: 'LoanRenewed',
          data: {
            loanId: L1,
            renewal: 1,
            previousDueAt: '2026-03-12T09:00:00.000Z',
            dueAt: '2026-04-06T09:00:00.000Z',
            totalDays: 35,
            approvals: [byArchiveHead, bySalesHead, byDeputy],
          },
        },
      ]);
  });

  it('B8: a refused renewal ends the renewal, and the loan stays out', () => {
    const given = [...lendOutOut, renewalRequested(10, [ARCHIVE_HEAD, SALES_HEAD])];
    spec(given)
      .when(decide({ decision: 'refuse', opinion: '请按期归还' }), { actor: archiveHead })
      .then([
        {
          type: 'LoanRenewalRefused',
          data: {
            loanId: L1,
            renewal: 1,
            role: 'archive_department_head',
            approver: { id: 'liu.yang', unit: 'ARCHIVE' },
            reason: '请按期归还',
          },
        },
      ]);
    const refused: RecordEvent = {
      type: 'LoanRenewalRefused',
      data: {
        loanId: L1,
        renewal: 1,
        role: 'archive_department_head',
        approver: ref(archiveHead),
        reason: '请按期归还',
      },
    };
    spec([...given, refused])
      .when(decide(), { actor: salesHead })
      .thenRefused({ code: 'NOTHING_TO_APPROVE' });
    spec([...given, refused])
      .when(handOver())
      .thenRefused({ code: 'LOAN_ALREADY_HANDED_OVER' });
  });

  it('B8: a renewal asked after a refused one gets the next number', () => {
    const refused: RecordEvent = {
      type: 'LoanRenewalRefused',
      data: {
        loanId: L1,
        renewal: 1,
        role: 'archive_department_head',
        approver: ref(archiveHead),
        reason: '不同意',
      },
    };
    spec([...lendOutOut, renewalRequested(5, [ARCHIVE_HEAD, SALES_HEAD]), refused])
      .when(renew(5), { actor: salesperson })
      .then([
        {
          type: 'LoanRenewalRequested',
          data: {
            loanId: L1,
            renewal: 2,
            extraDays: 5,
            totalDays: 15,
            dueAt: new Date(Date.parse(DUE) + 5 * 86_400_000).toISOString(),
            reason: '合同谈判延期',
            policyVersion: 1,
            requiredApprovals: [ARCHIVE_HEAD, SALES_HEAD],
          },
        },
      ]);
  });

  it('B3: one person fills at most one requirement of each renewal', () => {
    const byDoubleHead = approvalOf(doubleHead, 'archive_department_head');
    spec([...lendOutOut, renewalRequested(10, [ARCHIVE_HEAD, SALES_HEAD]), renewalGiven(byDoubleHead, 1)])
      .when(decide({ role: 'department_head' }), { actor: doubleHead })
      .thenRefused({ kind: 'rule', rule: 'B3', code: 'APPROVER_ALREADY_APPROVED' });
  });

  it('B3: a borrower never approves their own renewal', () => {
    const own = [
      filed(),
      requested({
        borrower: staff(salesHead),
        requestedBy: ref(salesHead),
        requiredApprovals: [ARCHIVE_HEAD],
      }),
      approvalGiven(byArchiveHead, 0),
      approved([byArchiveHead]),
      borrowed(10, L1, staff(salesHead)),
      renewalRequested(10, [ARCHIVE_HEAD, SALES_HEAD]),
    ];
    spec(own).when(decide(), { actor: salesHead }).thenRefused({ rule: 'B3', code: 'SELF_APPROVAL' });
  });

  it('B8: a renewal that needs no approval is granted at once', () => {
    const loanId = loanOf(internalMinutes);
    const readingOut: RecordEvent[] = [
      filed(internalMinutes),
      requested({ loanId, mode: 'reading_room', days: 1, requiredApprovals: [] }),
      approved([], loanId),
      borrowed(1, loanId, staff(salesperson), 'reading_room'),
    ];
    spec(readingOut)
      .when(renew(2, { loanId }), { actor: salesperson })
      .then([
        {
          type: 'LoanRenewalRequested',
          data: {
            loanId,
            renewal: 1,
            extraDays: 2,
            totalDays: 3,
            dueAt: '2026-03-05T09:00:00.000Z',
            reason: '合同谈判延期',
            policyVersion: 1,
            requiredApprovals: [],
          },
        },
        {
          type: 'LoanRenewed',
          data: {
            loanId,
            renewal: 1,
            previousDueAt: '2026-03-03T09:00:00.000Z',
            dueAt: '2026-03-05T09:00:00.000Z',
            totalDays: 3,
            approvals: [],
          },
        },
      ]);
  });

  it('B8: an archivist renews an external loan, which again needs the general manager', () => {
    spec(externalOut)
      .when(renew(1), { actor: archivist2 })
      .then([
        {
          type: 'LoanRenewalRequested',
          data: {
            loanId: L1,
            renewal: 1,
            extraDays: 1,
            totalDays: 2,
            dueAt: '2026-03-04T09:00:00.000Z',
            reason: '合同谈判延期',
            policyVersion: 1,
            requiredApprovals: [{ role: 'general_manager', because: ['B7.external'] }],
          },
        },
      ]);
  });

  it.each([
    ['another borrower', lendOutOut, engineer],
    ['an archivist, for a staff loan', lendOutOut, archivist],
    ['a borrower, for an external loan', externalOut, salesperson],
  ] as [string, RecordEvent[], Actor][])(
    'B8: a loan is never handed on: %s does not renew it',
    (_who, given, actor) => {
      spec(given)
        .when(renew(5), { actor })
        .thenRefused({ kind: 'rule', rule: 'B8', code: 'LOAN_NOT_TRANSFERABLE' });
    },
  );

  it("B8: a renewal beyond the policy's maximum in all is refused", () => {
    spec(lendOutOut)
      .when(renew(81), { actor: salesperson })
      .thenRefused({ kind: 'rule', rule: 'B8', code: 'LOAN_TOO_LONG' });
  });

  it('B8: a loan that is not out is not renewed', () => {
    spec(lendOutApproved)
      .when(renew(5), { actor: salesperson })
      .thenRefused({ kind: 'conflict', code: 'LOAN_NOT_OUT' });
  });

  it('B8: a renewal waits while another renewal of the loan awaits approval', () => {
    spec([...lendOutOut, renewalRequested(10, [ARCHIVE_HEAD, SALES_HEAD])])
      .when(renew(5), { actor: salesperson })
      .thenRefused({ kind: 'conflict', code: 'RENEWAL_PENDING' });
  });

  it.each([0, -1, 2.5])('B8: a renewal of %s extra days is refused', (extraDays) => {
    const error = spec(lendOutOut)
      .when(renew(extraDays), { actor: salesperson })
      .thenRefused({ kind: 'invalid', code: 'EXTRA_DAYS_INVALID' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['extraDays']);
  });

  it('B8: a renewal states its reason', () => {
    const error = spec(lendOutOut)
      .when(renew(5, { reason: '' }), { actor: salesperson })
      .thenRefused({ kind: 'invalid', code: 'REASON_REQUIRED' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['reason']);
  });
});

// ── Reminders (B9) ───────────────────────────────────────────────────────────────────────────────

describe('loans — overdue reminders', () => {
  const remind = (note?: string): RecordCommand => ({
    type: 'SendOverdueReminder',
    loanId: L1,
    channel: 'phone',
    ...(note ? { note } : {}),
  });
  const late = new Date('2026-03-14T10:00:00Z');

  it('B9: a reminder to return an overdue loan is recorded, with the days overdue (a started day counts)', () => {
    spec(lendOutOut)
      .when(remind('电话催还，本人称周五归还'), { now: late })
      .then([
        {
          type: 'OverdueReminderSent',
          data: {
            loanId: L1,
            dueAt: DUE,
            daysOverdue: 3,
            reminder: 1,
            channel: 'phone',
            note: '电话催还，本人称周五归还',
          },
        },
      ]);
  });

  it('B9: each reminder is counted; a missing note is left out', () => {
    const first: RecordEvent = {
      type: 'OverdueReminderSent',
      data: { loanId: L1, dueAt: DUE, daysOverdue: 1, reminder: 1, channel: 'phone' },
    };
    spec([...lendOutOut, first])
      .when(remind(), { now: late })
      .then([
        {
          type: 'OverdueReminderSent',
          data: { loanId: L1, dueAt: DUE, daysOverdue: 3, reminder: 2, channel: 'phone' },
        },
      ]);
  });

  it.each([new Date('2026-03-05T09:00:00Z'), new Date(DUE)])(
    'B9: a loan that is not overdue (at %s) gets no reminder',
    (now) => {
      spec(lendOutOut)
        .when(remind(), { now })
        .thenRefused({ kind: 'rule', rule: 'B9', code: 'LOAN_NOT_OVERDUE' });
    },
  );

  it('B9: a loan that is not out gets no reminder', () => {
    spec(lendOutApproved)
      .when(remind(), { now: late })
      .thenRefused({ kind: 'conflict', code: 'LOAN_NOT_OUT' });
  });
});

// ── Return and damage (B10) ──────────────────────────────────────────────────────────────────────

describe('loans — return and damage', () => {
  const returnAs = (
    condition: 'intact' | 'damaged' | 'pages_missing' | 'lost',
    note?: string,
  ): RecordCommand => ({
    type: 'ReturnLoan',
    loanId: L1,
    condition,
    ...(note !== undefined ? { note } : {}),
  });
  const priorDamage: RecordEvent = {
    type: 'DamageReported',
    data: { reportId: 'D1', condition: 'damaged', description: '封面破损', reportedBy: ref(archivist) },
  };

  it('B10: an intact return is checked in by the archivist, with the days it was late', () => {
    spec(lendOutOut)
      .when(returnAs('intact'), { now: new Date('2026-03-13T08:00:00Z') })
      .then([
        {
          type: 'Returned',
          data: {
            loanId: L1,
            receivedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
            returnedAt: '2026-03-13T08:00:00.000Z',
            condition: 'intact',
            overdueDays: 1,
          },
        },
      ]);
  });

  it('B10: a return found not intact reports the damage, which stays on the record', () => {
    spec([...lendOutOut, priorDamage])
      .when(returnAs('pages_missing', '缺第3-4页'))
      .then([
        {
          type: 'Returned',
          data: {
            loanId: L1,
            receivedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
            returnedAt: '2026-03-02T09:00:00.000Z',
            condition: 'pages_missing',
            note: '缺第3-4页',
            overdueDays: 0,
          },
        },
        {
          type: 'DamageReported',
          data: {
            reportId: 'D2',
            loanId: L1,
            condition: 'pages_missing',
            description: '缺第3-4页',
            reportedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          },
        },
      ]);
  });

  it.each([undefined, '  '])('B10: a return not intact without a note (%j) is refused', (note) => {
    const error = spec(lendOutOut)
      .when(returnAs('damaged', note))
      .thenRefused({ kind: 'invalid', code: 'NOTE_REQUIRED', rule: 'B10' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['note']);
  });

  it('B10: a loan that is not out is not returned', () => {
    spec(lendOutApproved).when(returnAs('intact')).thenRefused({ kind: 'conflict', code: 'LOAN_NOT_OUT' });
  });

  it('B10: an archivist reports damage found on the shelf, without a loan', () => {
    spec([filed(), priorDamage])
      .when({ type: 'ReportDamage', condition: 'lost', description: '清点时未找到' })
      .then([
        {
          type: 'DamageReported',
          data: {
            reportId: 'D2',
            condition: 'lost',
            description: '清点时未找到',
            reportedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          },
        },
      ]);
  });

  it('B10: the borrower of a loan that is out reports damage on it', () => {
    spec(lendOutOut)
      .when(
        { type: 'ReportDamage', loanId: L1, condition: 'damaged', description: '水渍' },
        { actor: salesperson },
      )
      .then([
        {
          type: 'DamageReported',
          data: {
            reportId: 'D1',
            loanId: L1,
            condition: 'damaged',
            description: '水渍',
            reportedBy: { id: 'li.lei', unit: 'SALES' },
          },
        },
      ]);
  });

  it.each([
    ['another borrower', lendOutOut, engineer, L1],
    ['the borrower of a loan not out', lendOutApproved, salesperson, L1],
    ['a borrower naming no loan', lendOutOut, salesperson, undefined],
  ] as [string, RecordEvent[], Actor, string | undefined][])(
    'B10: %s does not report damage',
    (_who, given, actor, loanId) => {
      spec(given)
        .when(
          { type: 'ReportDamage', ...(loanId ? { loanId } : {}), condition: 'damaged', description: '水渍' },
          { actor },
        )
        .thenRefused({ kind: 'forbidden', code: 'NOT_THE_BORROWER' });
    },
  );

  it('B10: a damage report on an unknown loan is not found', () => {
    spec(lendOutOut)
      .when({ type: 'ReportDamage', loanId: `${CODE}.L7`, condition: 'damaged', description: '水渍' })
      .thenRefused({ kind: 'not_found', code: 'LOAN_NOT_FOUND' });
  });

  it('B10: a damage report describes what was found', () => {
    const error = spec([filed()])
      .when({ type: 'ReportDamage', condition: 'damaged', description: ' ' })
      .thenRefused({ kind: 'invalid', code: 'DESCRIPTION_REQUIRED' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['description']);
  });
});

// ── Utilisation feedback (B13) ───────────────────────────────────────────────────────────────────

describe('loans — utilisation feedback', () => {
  const feedback = (loanId = L1): RecordCommand => ({
    type: 'RecordUtilisation',
    loanId,
    usedFor: '合同续签谈判',
    effect: '确认了原合同价格条款',
  });
  const returned: RecordEvent = {
    type: 'Returned',
    data: { loanId: L1, receivedBy: ref(archivist), returnedAt: DUE, condition: 'intact', overdueDays: 0 },
  };

  it.each([
    ['out', lendOutOut],
    ['returned', [...lendOutOut, returned]],
  ])('B13: the borrower records what a loan that is %s was used for', (_status, given) => {
    spec(given)
      .when(feedback(), { actor: salesperson })
      .then([
        {
          type: 'UtilisationRecorded',
          data: {
            loanId: L1,
            usedFor: '合同续签谈判',
            effect: '确认了原合同价格条款',
            recordedBy: { id: 'li.lei', unit: 'SALES' },
          },
        },
      ]);
  });

  it("B13: an archivist records an external loan's feedback", () => {
    spec(externalOut)
      .when(feedback(), { actor: archivist2 })
      .then([
        {
          type: 'UtilisationRecorded',
          data: {
            loanId: L1,
            usedFor: '合同续签谈判',
            effect: '确认了原合同价格条款',
            recordedBy: ref(archivist2),
          },
        },
      ]);
  });

  it.each([
    ['an archivist, for a staff loan', lendOutOut, archivist],
    ['another borrower', lendOutOut, engineer],
    ['a borrower, for an external loan', externalOut, salesperson],
  ] as [string, RecordEvent[], Actor][])('B13: %s does not record feedback', (_who, given, actor) => {
    spec(given).when(feedback(), { actor }).thenRefused({ kind: 'forbidden', code: 'NOT_THE_BORROWER' });
  });

  it.each([
    ['requested', lendOutRequested],
    ['approved', lendOutApproved],
    [
      'withdrawn',
      [
        ...lendOutApproved,
        { type: 'LoanWithdrawn', data: { loanId: L1, by: ref(salesperson), reason: '不需要了' } },
      ],
    ],
  ] as [string, RecordEvent[]][])(
    'B13: feedback on a %s loan (never handed over) is refused',
    (_status, given) => {
      spec(given)
        .when(feedback(), { actor: salesperson })
        .thenRefused({ kind: 'conflict', code: 'LOAN_NOT_HANDED_OVER', rule: 'B13' });
    },
  );

  it('B13: feedback is recorded once', () => {
    const recorded: RecordEvent = {
      type: 'UtilisationRecorded',
      data: { loanId: L1, usedFor: '谈判', effect: '有效', recordedBy: ref(salesperson) },
    };
    spec([...lendOutOut, recorded])
      .when(feedback(), { actor: salesperson })
      .thenRefused({ kind: 'conflict', code: 'UTILISATION_ALREADY_RECORDED', rule: 'B13' });
  });

  it.each(['usedFor', 'effect'] as const)('B13: feedback states %s', (field) => {
    const error = spec(lendOutOut)
      .when({ ...feedback(), [field]: '' } as RecordCommand, { actor: salesperson })
      .thenRefused({ kind: 'invalid' });
    expect(error.details.fields?.map((f) => f.field)).toEqual([field]);
  });
});
