import { contractRecord, salesContract } from '../../../test/support/record-fixtures';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { ReadDoc } from '../../read-store/read-store.port';
import type { Borrower, GivenApproval, RecordEvent } from '../../records/record.events';
import { applyOne, entries, recordHistory, replay } from './ledger-replay.spec-helper';
import { loanLedgerReadModel } from './loan-ledger.read-model';

const CODE = salesContract.archiveCode;
const LOAN = `${CODE}.L1`;
const salesperson: Borrower = { type: 'staff', id: 'li.lei', unit: 'SALES' };
const archivist = { id: 'wang.fang', unit: 'ARCHIVE' };
const archiveHeadApproval: GivenApproval = {
  role: 'archive_department_head',
  approver: { id: 'liu.yang', unit: 'ARCHIVE' },
  opinion: '同意借出，请按期归还',
};
const salesHeadApproval: GivenApproval = {
  role: 'department_head',
  unit: 'SALES',
  approver: { id: 'zhao.qiang', unit: 'SALES' },
  opinion: '同意',
};
const required = [
  { role: 'archive_department_head', because: ['B4.lend-out'] },
  { role: 'department_head', unit: 'SALES', because: ['B4.lend-out-over-2-days', 'B6.own-client-records'] },
];

function requested(
  loanId = LOAN,
  borrower: Borrower = salesperson,
  extra: Partial<Record<string, unknown>> = {},
): RecordEvent {
  return {
    type: 'LoanRequested',
    data: {
      loanId,
      borrower,
      requestedBy: borrower.type === 'staff' ? { id: borrower.id, unit: borrower.unit } : archivist,
      mode: 'lend_out',
      purpose: '核对合同条款，准备续签谈判',
      days: 10,
      excerpts: false,
      classification: 'INTERNAL',
      policyVersion: 1,
      requiredApprovals: required,
      ...extra,
    },
  } as RecordEvent;
}

/** The sales contract's loan L1 from request to feedback, as docs/loans.md tells it. */
function lentOutAndBack(steps = Infinity): { events: RecordedEvent[]; at: ReturnType<typeof recordHistory> } {
  const at = recordHistory(CODE);
  const story: [RecordEvent, string, string?][] = [
    [{ type: 'ArchiveFiled', data: salesContract }, '2026-02-27T08:00:00.000Z'],
    [requested(), '2026-03-01T08:00:00.000Z', 'li.lei'],
    [
      { type: 'LoanApprovalGiven', data: { loanId: LOAN, approval: archiveHeadApproval, outstanding: 1 } },
      '2026-03-01T08:20:00.000Z',
    ],
    [
      { type: 'LoanApprovalGiven', data: { loanId: LOAN, approval: salesHeadApproval, outstanding: 0 } },
      '2026-03-01T08:40:00.000Z',
    ],
    [
      {
        type: 'LoanApproved',
        data: { loanId: LOAN, policyVersion: 1, approvals: [archiveHeadApproval, salesHeadApproval] },
      },
      '2026-03-01T08:40:00.000Z',
    ],
    [
      {
        type: 'Borrowed',
        data: {
          loanId: LOAN,
          borrower: salesperson,
          mode: 'lend_out',
          handedOverBy: archivist,
          handedOverAt: '2026-03-01T09:00:00.000Z',
          dueAt: '2026-03-11T09:00:00.000Z',
          shelfLocation: 'B-01-04-02',
        },
      },
      '2026-03-01T09:00:00.000Z',
    ],
    [
      {
        type: 'LoanRenewalRequested',
        data: {
          loanId: LOAN,
          renewal: 1,
          extraDays: 5,
          totalDays: 15,
          dueAt: '2026-03-16T09:00:00.000Z',
          reason: '续签谈判延期，需继续核对条款',
          policyVersion: 1,
          requiredApprovals: required,
        },
      },
      '2026-03-08T09:00:00.000Z',
      'li.lei',
    ],
    [
      {
        type: 'LoanRenewalApprovalGiven',
        data: { loanId: LOAN, renewal: 1, approval: archiveHeadApproval, outstanding: 1 },
      },
      '2026-03-08T10:00:00.000Z',
    ],
    [
      {
        type: 'LoanRenewed',
        data: {
          loanId: LOAN,
          renewal: 1,
          previousDueAt: '2026-03-11T09:00:00.000Z',
          dueAt: '2026-03-16T09:00:00.000Z',
          totalDays: 15,
          approvals: [archiveHeadApproval, salesHeadApproval],
        },
      },
      '2026-03-08T11:00:00.000Z',
    ],
    [
      {
        type: 'OverdueReminderSent',
        data: {
          loanId: LOAN,
          dueAt: '2026-03-16T09:00:00.000Z',
          daysOverdue: 1,
          reminder: 1,
          channel: 'phone',
          note: '电话催还',
        },
      },
      '2026-03-16T15:00:00.000Z',
    ],
    [
      {
        type: 'Returned',
        data: {
          loanId: LOAN,
          receivedBy: archivist,
          returnedAt: '2026-04-02T10:00:00.000Z',
          condition: 'damaged',
          note: '第3页右下角有水渍',
          overdueDays: 17,
        },
      },
      '2026-04-02T10:00:00.000Z',
    ],
    [
      {
        type: 'DamageReported',
        data: {
          reportId: 'D1',
          loanId: LOAN,
          condition: 'damaged',
          description: '第3页右下角有水渍',
          reportedBy: archivist,
        },
      },
      '2026-04-02T10:00:00.000Z',
    ],
    [
      {
        type: 'UtilisationRecorded',
        data: {
          loanId: LOAN,
          usedFor: '合同续签谈判',
          effect: '据此核实了供货条款，续签顺利完成',
          recordedBy: { id: 'li.lei', unit: 'SALES' },
        },
      },
      '2026-04-03T09:00:00.000Z',
      'li.lei',
    ],
  ];
  return {
    events: story.slice(0, steps).map(([event, occurredAt, actor]) => at(event, occurredAt, actor)),
    at,
  };
}

describe('loan ledger read model (借阅登记簿)', () => {
  it('B1: a requested loan is registered with its record, borrower, purpose, mode, period and the approvals it needs', async () => {
    const at = recordHistory(CODE);
    const docs = await replay(loanLedgerReadModel, [
      at({ type: 'ArchiveFiled', data: salesContract }, '2026-02-27T08:00:00.000Z'),
      at(requested(), '2026-03-01T08:00:00.000Z'),
    ]);
    expect(entries(docs)).toEqual([
      expect.objectContaining({
        id: LOAN,
        loanId: LOAN,
        archiveCode: CODE,
        title: salesContract.title,
        classification: 'INTERNAL',
        classificationRank: 1,
        shelfLocation: 'B-01-04-02',
        borrower: salesperson,
        borrowerKey: 'li.lei',
        requestedBy: { id: 'li.lei', unit: 'SALES' },
        mode: 'lend_out',
        purpose: '核对合同条款，准备续签谈判',
        days: 10,
        totalDays: 10,
        status: 'requested',
        policyVersion: 1,
        requiredApprovals: required,
        approvals: [],
        requestedAt: '2026-03-01T08:00:00.000Z',
        handedOverAt: null,
        handedOverMonth: null,
        dueAt: null,
        utilisation: null,
      }),
    ]);
  });

  it('B3, B8: `awaiting` names the outstanding approvers and who may not approve, for the request and then for a pending renewal', async () => {
    const awaitingAfter = async (steps: number) =>
      (await replay(loanLedgerReadModel, lentOutAndBack(steps).events)).get(LOAN)?.awaiting;
    // Requested: both heads outstanding; the borrower (who also registered it) barred.
    expect(await awaitingAfter(2)).toEqual({
      renewal: null,
      since: '2026-03-01T08:00:00.000Z',
      approvers: ['archive_department_head', 'department_head@SALES'],
      barred: ['li.lei'],
    });
    // One approval given: the archive head is now barred from this round.
    expect(await awaitingAfter(3)).toEqual({
      renewal: null,
      since: '2026-03-01T08:00:00.000Z',
      approvers: ['department_head@SALES'],
      barred: ['li.lei', 'liu.yang'],
    });
    // Approved, then out: nothing awaits.
    expect(await awaitingAfter(5)).toBeNull();
    expect(await awaitingAfter(6)).toBeNull();
    // A renewal asked: a new round, the earlier approvers may approve again (B8).
    expect(await awaitingAfter(7)).toEqual({
      renewal: 1,
      since: '2026-03-08T09:00:00.000Z',
      approvers: ['archive_department_head', 'department_head@SALES'],
      barred: ['li.lei'],
    });
    expect(await awaitingAfter(8)).toMatchObject({ approvers: ['department_head@SALES'] });
    expect(await awaitingAfter(9)).toBeNull();
  });

  it('B3, B8, B9, B10, B11, B13: the ledger follows the loan through approval, hand-over, renewal, reminder, return and feedback', async () => {
    const loan = (await replay(loanLedgerReadModel, lentOutAndBack().events)).get(LOAN);
    expect(loan).toMatchObject({
      status: 'returned',
      approvals: [archiveHeadApproval, salesHeadApproval],
      approvedAt: '2026-03-01T08:40:00.000Z',
      handedOverAt: '2026-03-01T09:00:00.000Z',
      handedOverBy: archivist,
      handedOverMonth: '2026-03',
      dueAt: '2026-03-16T09:00:00.000Z',
      totalDays: 15,
      shelfLocation: 'B-01-04-02',
      renewals: [
        {
          renewal: 1,
          extraDays: 5,
          totalDays: 15,
          dueAt: '2026-03-16T09:00:00.000Z',
          reason: '续签谈判延期，需继续核对条款',
          requestedAt: '2026-03-08T09:00:00.000Z',
          status: 'granted',
          policyVersion: 1,
          requiredApprovals: required,
          approvals: [archiveHeadApproval, salesHeadApproval],
          previousDueAt: '2026-03-11T09:00:00.000Z',
          decidedAt: '2026-03-08T11:00:00.000Z',
          refusal: null,
        },
      ],
      reminders: {
        count: 1,
        last: {
          reminder: 1,
          sentAt: '2026-03-16T15:00:00.000Z',
          channel: 'phone',
          note: '电话催还',
          dueAt: '2026-03-16T09:00:00.000Z',
          daysOverdue: 1,
        },
      },
      returnedAt: '2026-04-02T10:00:00.000Z',
      returnedMonth: '2026-04',
      receivedBy: archivist,
      condition: 'damaged',
      damageNote: '第3页右下角有水渍',
      overdueDaysAtReturn: 17,
      damage: [
        {
          reportId: 'D1',
          condition: 'damaged',
          description: '第3页右下角有水渍',
          reportedBy: archivist,
          reportedAt: '2026-04-02T10:00:00.000Z',
        },
      ],
      utilisation: {
        usedFor: '合同续签谈判',
        effect: '据此核实了供货条款，续签顺利完成',
        recordedBy: { id: 'li.lei', unit: 'SALES' },
        recordedAt: '2026-04-03T09:00:00.000Z',
      },
    });
  });

  it('B3, B8: a refused loan, a withdrawn one and a refused renewal say who refused and why', async () => {
    const at = recordHistory(CODE);
    const refusal = {
      role: 'department_head',
      approver: { id: 'zhao.qiang', unit: 'SALES' },
      reason: '不宜借出',
    };
    const docs = await replay(loanLedgerReadModel, [
      at({ type: 'ArchiveFiled', data: salesContract }, '2026-02-27T08:00:00.000Z'),
      at(requested(`${CODE}.L1`), '2026-03-01T08:00:00.000Z'),
      at({ type: 'LoanRefused', data: { loanId: `${CODE}.L1`, ...refusal } }, '2026-03-01T09:00:00.000Z'),
      at(requested(`${CODE}.L2`, salesperson, { mode: 'reading_room', days: 1 }), '2026-03-02T08:00:00.000Z'),
      at(
        {
          type: 'LoanWithdrawn',
          data: { loanId: `${CODE}.L2`, by: { id: 'li.lei', unit: 'SALES' }, reason: '不再需要' },
        },
        '2026-03-02T09:00:00.000Z',
      ),
    ]);
    expect(docs.get(`${CODE}.L1`)).toMatchObject({
      status: 'refused',
      refusal: { ...refusal, at: '2026-03-01T09:00:00.000Z' },
    });
    expect(docs.get(`${CODE}.L2`)).toMatchObject({
      status: 'withdrawn',
      withdrawal: { by: { id: 'li.lei', unit: 'SALES' }, reason: '不再需要', at: '2026-03-02T09:00:00.000Z' },
    });

    const { events: story, at: next } = lentOutAndBack(7);
    const renewalRefused = next(
      { type: 'LoanRenewalRefused', data: { loanId: LOAN, renewal: 1, ...refusal } },
      '2026-03-08T12:00:00.000Z',
    );
    const loan = (await replay(loanLedgerReadModel, [...story, renewalRefused])).get(LOAN);
    expect(loan).toMatchObject({
      status: 'out',
      dueAt: '2026-03-11T09:00:00.000Z',
      totalDays: 10,
      renewals: [
        expect.objectContaining({ status: 'refused', decidedAt: '2026-03-08T12:00:00.000Z', refusal }),
      ],
    });
  });

  it('B7: an external borrower is keyed by organisation and name, with the introduction letter kept', async () => {
    const visitor: Borrower = {
      type: 'external',
      name: '张审计',
      organisation: '立信会计师事务所',
      introductionLetterRef: '京审函〔2026〕18号',
    };
    const at = recordHistory(CODE);
    const docs = await replay(loanLedgerReadModel, [
      at({ type: 'ArchiveFiled', data: salesContract }, '2026-02-27T08:00:00.000Z'),
      at(requested(LOAN, visitor, { mode: 'reading_room' }), '2026-03-01T08:00:00.000Z'),
    ]);
    expect(docs.get(LOAN)).toMatchObject({
      borrower: visitor,
      borrowerKey: 'external:立信会计师事务所:张审计',
      requestedBy: archivist,
    });
  });

  it('F6, A2: a classification change reaches every loan of that record, and no other record’s', async () => {
    const sales = recordHistory(CODE);
    const other = recordHistory(contractRecord.archiveCode);
    const docs = await replay(loanLedgerReadModel, [
      sales({ type: 'ArchiveFiled', data: salesContract }, '2026-02-27T08:00:00.000Z'),
      other({ type: 'ArchiveFiled', data: contractRecord }, '2026-02-27T08:00:00.000Z'),
      sales(requested(`${CODE}.L1`), '2026-03-01T08:00:00.000Z'),
      sales(requested(`${CODE}.L2`, salesperson, { mode: 'reading_room' }), '2026-03-01T08:10:00.000Z'),
      other(requested(`${contractRecord.archiveCode}.L1`), '2026-03-01T08:20:00.000Z'),
      sales(
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
        '2026-03-02T08:00:00.000Z',
      ),
    ]);
    const byId = (id: string) => docs.get(id) as ReadDoc;
    expect(byId(`${CODE}.L1`)).toMatchObject({ classification: 'SECRET', classificationRank: 2 });
    expect(byId(`${CODE}.L2`)).toMatchObject({ classification: 'SECRET', classificationRank: 2 });
    expect(byId(`${contractRecord.archiveCode}.L1`)).toMatchObject({
      classification: 'INTERNAL',
      classificationRank: 1,
    });

    // A loan requested after the change starts at the record's current level.
    await applyOne(
      loanLedgerReadModel,
      docs,
      sales(requested(`${CODE}.L3`, salesperson, { classification: 'SECRET' }), '2026-03-03T08:00:00.000Z'),
    );
    expect(byId(`${CODE}.L3`)).toMatchObject({
      classification: 'SECRET',
      classificationRank: 2,
      title: salesContract.title,
    });
  });

  it('F5: a corrected title or shelf location shows on every loan of the record; other corrections touch nothing', async () => {
    const at = recordHistory(CODE);
    const events = [
      at({ type: 'ArchiveFiled', data: salesContract }, '2026-02-27T08:00:00.000Z'),
      at(requested(), '2026-03-01T08:00:00.000Z'),
    ];
    const corrected = at(
      {
        type: 'MetadataCorrected',
        data: {
          correctionId: 'C1',
          before: { title: salesContract.title, shelfLocation: 'B-01-04-02' },
          after: { title: '华东精密机械有限公司2024年度供货合同（更正）', shelfLocation: 'B-01-04-03' },
          reason: '题名与原件不符；上架位置调整',
          proposedBy: archivist,
          approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
        },
      },
      '2026-03-02T08:00:00.000Z',
    );
    const pages = at(
      {
        type: 'MetadataCorrected',
        data: {
          correctionId: 'C2',
          before: { pageCount: 12 },
          after: { pageCount: 14 },
          reason: '页数',
          proposedBy: archivist,
          approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
        },
      },
      '2026-03-03T08:00:00.000Z',
    );
    expect(loanLedgerReadModel.route(pages)).toBeUndefined();
    const docs = await replay(loanLedgerReadModel, [...events, corrected, pages]);
    expect(docs.get(LOAN)).toMatchObject({
      title: '华东精密机械有限公司2024年度供货合同（更正）',
      shelfLocation: 'B-01-04-03',
    });
    // A loan requested after the correction starts with the corrected title.
    await applyOne(loanLedgerReadModel, docs, at(requested(`${CODE}.L2`), '2026-03-04T08:00:00.000Z'));
    expect(docs.get(`${CODE}.L2`)).toMatchObject({
      title: '华东精密机械有限公司2024年度供货合同（更正）',
      shelfLocation: 'B-01-04-03',
    });
  });

  it('never changes the document it is given, through every event of a loan’s life', () => {
    let doc: ReadDoc | undefined;
    const seen: ReadDoc[] = [];
    for (const event of lentOutAndBack().events) {
      if (doc !== undefined) seen.push(deepFreeze(structuredClone(doc)));
      const given = doc === undefined ? undefined : deepFreeze(doc);
      // Frozen: an assignment to it would throw (specs run in strict mode).
      doc = loanLedgerReadModel.apply(given, event, undefined);
      if (given !== undefined) expect(given).toEqual(seen[seen.length - 1]);
    }
    expect(doc).toMatchObject({ status: 'returned', awaiting: null });
    expect(seen.some((before) => before.awaiting !== null)).toBe(true);
  });

  it('an event applied again changes nothing (idempotent by stream revision)', async () => {
    const { events } = lentOutAndBack();
    const docs = await replay(loanLedgerReadModel, events);
    const before = JSON.stringify([...docs.entries()]);
    for (const event of events) await applyOne(loanLedgerReadModel, docs, event);
    expect(JSON.stringify([...docs.entries()])).toBe(before);
  });

  it("keeps entries only: the title and classification (A2) come from the record's catalogue document", async () => {
    const docs = await replay(loanLedgerReadModel, lentOutAndBack().events);
    expect([...docs.keys()]).toEqual([LOAN]);
    expect(docs.get(LOAN)).toMatchObject({
      archiveCode: CODE,
      title: salesContract.title,
      classificationRank: 1,
    });
  });

  it('A2: a record header left by an older version is deleted when an event reaches it, never reclassified into view', () => {
    const at = recordHistory(CODE);
    at({ type: 'ArchiveFiled', data: salesContract }, '2026-02-27T08:00:00.000Z');
    const legacyHeader = {
      id: CODE,
      archiveCode: CODE,
      record: { title: salesContract.title, classification: 'INTERNAL', classificationRank: 1 },
    };
    const reclassify = at(
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
      '2026-03-02T08:00:00.000Z',
    );
    expect(loanLedgerReadModel.apply(legacyHeader, reclassify)).toBeUndefined();
  });

  it('A2: without the catalogue document a new loan still takes its classification from the request itself', async () => {
    const at = recordHistory(CODE);
    at({ type: 'ArchiveFiled', data: salesContract }, '2026-02-27T08:00:00.000Z');
    const noCatalogueDoc = undefined;
    const loan = loanLedgerReadModel.apply(
      noCatalogueDoc,
      at(requested(LOAN, salesperson, { classification: 'CONFIDENTIAL' }), '2026-03-01T08:00:00.000Z'),
    );
    expect(loan).toMatchObject({ classification: 'CONFIDENTIAL', classificationRank: 3 });
  });

  it('ignores events of other streams', async () => {
    const event = recordHistory(CODE)(
      { type: 'ArchiveFiled', data: salesContract },
      '2026-02-27T08:00:00.000Z',
    );
    expect(
      loanLedgerReadModel.route({
        ...event,
        stream: 'policy-loan-approval',
        type: 'LoanApprovalPolicyAdopted',
      }),
    ).toBeUndefined();
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
