import { contractRecord } from '../../../test/support/record-fixtures';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { ReadDoc } from '../../read-store/read-store.port';
import type { RecordEvent, RecordMetadata } from '../../records/record.events';
import { catalogueReadModel, filingDeadline, type CatalogueDoc } from './catalogue.read-model';

/** The document an event finds when it starts one. */
const NO_DOC: ReadDoc | undefined = undefined;

const CODE = contractRecord.archiveCode; // Z001-WS-2024-D30-BGS-0007, INTERNAL, formed 2024-03-15
const STREAM = `record-${CODE}`;
const archivist = { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE' };
const person = { id: 'wang.fang', unit: 'ARCHIVE' };

/** A stored event of the record's stream, as the projector hands it over. */
function recorded(
  event: RecordEvent,
  revision: number,
  recordedAt = '2025-04-10T02:00:00.000Z',
  stream = STREAM,
): RecordedEvent {
  return {
    eventId: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    stream,
    revision,
    position: String(revision + 1),
    type: event.type,
    data: event.data as unknown as RecordedEvent['data'],
    metadata: {
      actor: archivist,
      occurredAt: recordedAt,
      recordedAt,
      correlationId: 'c',
      causationId: 'c',
      schemaVersion: 1,
      prevHash: '0'.repeat(64),
    },
    hash: 'f'.repeat(64),
    canonical: new Uint8Array(),
  };
}

/** Folds the events through `apply`, as the projector does for one document. */
function project(events: readonly RecordEvent[], filedAt?: string): CatalogueDoc | undefined {
  let doc: ReadDoc | undefined;
  events.forEach((event, revision) => {
    doc = catalogueReadModel.apply(doc, recorded(event, revision, revision === 0 ? filedAt : undefined));
  });
  return doc as CatalogueDoc | undefined;
}

const filed = (overrides: Partial<RecordMetadata> = {}): RecordEvent => ({
  type: 'ArchiveFiled',
  data: { ...contractRecord, ...overrides },
});

const borrowed = (loanId: string, dueAt = '2026-03-11T09:00:00.000Z'): RecordEvent => ({
  type: 'Borrowed',
  data: {
    loanId,
    borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
    mode: 'lend_out',
    handedOverBy: person,
    handedOverAt: '2026-03-01T09:00:00.000Z',
    dueAt,
    shelfLocation: contractRecord.shelfLocation,
  },
});

describe('catalogue read model (档案目录)', () => {
  describe('route', () => {
    it('sends every event of record-{code} to the document of that code', () => {
      expect(catalogueReadModel.route(recorded(filed(), 0))).toEqual([CODE]);
      expect(catalogueReadModel.route(recorded(borrowed(`${CODE}.L1`), 3))).toEqual([CODE]);
    });

    it('ignores other streams', () => {
      const policy = recorded(filed(), 0, undefined, 'policy-loan-approval');
      expect(catalogueReadModel.route(policy)).toBeUndefined();
      expect(catalogueReadModel.route(recorded(filed(), 0, undefined, `access-${CODE}`))).toBeUndefined();
    });
  });

  it('F1: a filing becomes one document holding all the metadata, keyed by the archive code', () => {
    expect(project([filed()], '2025-04-10T02:00:00.000Z')).toEqual({
      id: CODE,
      archiveCode: CODE,
      fonds: 'Z001',
      category: 'WS',
      year: 2024,
      retentionClass: 'D30',
      organisationalUnit: '办公室',
      title: '关于2024年度客户合同续签的请示',
      responsibleParty: '销售部',
      documentNumber: '销字〔2024〕12号',
      dateFormed: '2024-03-15',
      carrier: 'paper',
      itemCount: 1,
      pageCount: 12,
      classification: 'INTERNAL',
      custodianDepartment: 'ARCHIVE',
      shelfLocation: 'A-03-02-15',
      counterparty: '华东精密机械有限公司',
      keywords: ['合同', '续签'],
      isOriginal: true,
      copyReason: null,
      classificationRank: 1,
      unit: 'BGS',
      custody: 'in_custody',
      onLoan: false,
      openLoan: null,
      loansOut: [],
      loanCount: 0,
      held: false,
      holds: [],
      missing: false,
      retentionDueOn: '2055-01-01',
      filedAt: '2025-04-10T02:00:00.000Z',
      filedYear: 2025,
      filedMonth: '2025-04',
      filingDeadline: '2025-06-30',
      lateFiling: false,
      damage: [],
      corrections: 0,
      destroyedMonth: null,
      transferredMonth: null,
    });
  });

  it('F1: optional fields left out are null, never missing', () => {
    const { documentNumber: _d, pageCount: _p, counterparty: _c, ...bare } = contractRecord;
    const doc = project([{ type: 'ArchiveFiled', data: bare }]);
    expect(doc).toMatchObject({
      documentNumber: null,
      pageCount: null,
      counterparty: null,
      copyReason: null,
    });
  });

  it('R1: retention is due on 1 January of the year after the year formed plus its years; PERMANENT never', () => {
    expect(project([filed({ retentionClass: 'D10', dateFormed: '2014-12-31' })])?.retentionDueOn).toBe(
      '2025-01-01',
    );
    expect(project([filed({ retentionClass: 'PERMANENT' })])?.retentionDueOn).toBeNull();
  });

  it('A2: carries the classification rank, 0 PUBLIC … 4 TOP_SECRET', () => {
    expect(project([filed({ classification: 'PUBLIC' })])?.classificationRank).toBe(0);
    expect(project([filed({ classification: 'SECRET' })])?.classificationRank).toBe(2);
    expect(project([filed({ classification: 'TOP_SECRET' })])?.classificationRank).toBe(4);
  });

  describe('F4: late filing (deadline: 30 June of the year after the year formed, 次年6月底前归档)', () => {
    it('names the deadline', () => {
      expect(filingDeadline('2024-03-15')).toBe('2025-06-30');
      expect(filingDeadline('2024-12-31')).toBe('2025-06-30');
    });

    it('is on time up to the deadline day, late from the day after', () => {
      expect(project([filed()], '2025-06-30T23:59:59.999Z')?.lateFiling).toBe(false);
      expect(project([filed()], '2025-07-01T00:00:00.000Z')?.lateFiling).toBe(true);
    });

    it('follows a corrected date formed', () => {
      const corrected: RecordEvent = {
        type: 'MetadataCorrected',
        data: {
          correctionId: 'C1',
          before: { dateFormed: '2024-03-15' },
          after: { dateFormed: '2023-03-15' },
          reason: '形成时间登记有误',
          proposedBy: person,
          approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
        },
      };
      const doc = project([filed(), corrected], '2024-08-01T00:00:00.000Z');
      expect(doc).toMatchObject({
        filingDeadline: '2024-06-30',
        lateFiling: true,
        retentionDueOn: '2054-01-01',
      });
    });
  });

  it('F5: shows the metadata as corrected, clears fields corrected to null, and counts applied corrections only', () => {
    const proposed: RecordEvent = {
      type: 'MetadataCorrectionProposed',
      data: {
        correctionId: 'C1',
        before: { title: contractRecord.title },
        after: { title: '关于2024年度客户合同续签的报告' },
        reason: '题名有误',
        proposedBy: person,
      },
    };
    const corrected: RecordEvent = {
      type: 'MetadataCorrected',
      data: {
        correctionId: 'C1',
        before: { title: contractRecord.title, counterparty: '华东精密机械有限公司' },
        after: { title: '关于2024年度客户合同续签的报告', counterparty: null, keywords: ['合同'] },
        reason: '题名有误',
        proposedBy: person,
        approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
      },
    };
    const rejected: RecordEvent = {
      type: 'MetadataCorrectionRejected',
      data: { correctionId: 'C2', rejectedBy: { id: 'liu.yang', unit: 'ARCHIVE' }, reason: '无依据' },
    };
    const doc = project([filed(), proposed, corrected, rejected]);
    expect(doc).toMatchObject({
      title: '关于2024年度客户合同续签的报告',
      counterparty: null,
      keywords: ['合同'],
      corrections: 1,
    });
  });

  it('F6: a classification change moves the record to its new rank', () => {
    const changed: RecordEvent = {
      type: 'ClassificationChanged',
      data: {
        from: 'INTERNAL',
        to: 'CONFIDENTIAL',
        lifted: false,
        grounds: '涉及商业秘密',
        approvedBy: { id: 'qian.bao', unit: 'SECURITY' },
      },
    };
    expect(project([filed(), changed])).toMatchObject({
      classification: 'CONFIDENTIAL',
      classificationRank: 3,
    });
  });

  it('R2: an extended retention moves the due date', () => {
    const extended: RecordEvent = {
      type: 'RetentionExtended',
      data: { from: 'D30', to: 'PERMANENT', grounds: '具有长期查考价值', extendedBy: person },
    };
    expect(project([filed(), extended])).toMatchObject({ retentionClass: 'PERMANENT', retentionDueOn: null });
  });

  describe('B11: loans out', () => {
    const loanId = `${CODE}.L1`;
    const requested: RecordEvent = {
      type: 'LoanRequested',
      data: {
        loanId,
        borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
        requestedBy: { id: 'li.lei', unit: 'SALES' },
        mode: 'lend_out',
        purpose: '核对合同条款',
        days: 10,
        excerpts: false,
        classification: 'INTERNAL',
        policyVersion: 1,
        requiredApprovals: [],
      },
    };

    it('a requested loan is counted but not out', () => {
      expect(project([filed(), requested])).toMatchObject({ loanCount: 1, onLoan: false, openLoan: null });
    });

    it('a hand-over puts the record on loan and shows who has it, since and until when', () => {
      const doc = project([filed(), requested, borrowed(loanId)]);
      expect(doc).toMatchObject({
        onLoan: true,
        openLoan: {
          loanId,
          borrower: 'li.lei（SALES）',
          mode: 'lend_out',
          handedOverAt: '2026-03-01T09:00:00.000Z',
          dueAt: '2026-03-11T09:00:00.000Z',
        },
      });
    });

    it('B8: a renewal moves the due date', () => {
      const renewed: RecordEvent = {
        type: 'LoanRenewed',
        data: {
          loanId,
          renewal: 1,
          previousDueAt: '2026-03-11T09:00:00.000Z',
          dueAt: '2026-03-18T09:00:00.000Z',
          totalDays: 17,
          approvals: [],
        },
      };
      expect(project([filed(), requested, borrowed(loanId), renewed])?.openLoan?.dueAt).toBe(
        '2026-03-18T09:00:00.000Z',
      );
    });

    it('B10: a return takes the record off loan', () => {
      const returned: RecordEvent = {
        type: 'Returned',
        data: {
          loanId,
          receivedBy: person,
          returnedAt: '2026-03-05T09:00:00.000Z',
          condition: 'intact',
          overdueDays: 0,
        },
      };
      expect(project([filed(), requested, borrowed(loanId), returned])).toMatchObject({
        onLoan: false,
        openLoan: null,
        loansOut: [],
      });
    });

    it('shows an external borrower by name and organisation', () => {
      const external: RecordEvent = {
        type: 'Borrowed',
        data: {
          loanId,
          borrower: {
            type: 'external',
            name: '张三',
            organisation: '市档案馆',
            introductionLetterRef: '档介〔2026〕3号',
          },
          mode: 'reading_room',
          handedOverBy: person,
          handedOverAt: '2026-03-01T09:00:00.000Z',
          dueAt: '2026-03-01T17:00:00.000Z',
          shelfLocation: contractRecord.shelfLocation,
        },
      };
      expect(project([filed(), external])?.openLoan?.borrower).toBe('张三（市档案馆）');
    });

    it('with two loans out, a return of one leaves the other open', () => {
      const returnedFirst: RecordEvent = {
        type: 'Returned',
        data: {
          loanId,
          receivedBy: person,
          returnedAt: '2026-03-02T09:00:00.000Z',
          condition: 'intact',
          overdueDays: 0,
        },
      };
      const doc = project([filed(), borrowed(loanId), borrowed(`${CODE}.L2`), returnedFirst]);
      expect(doc).toMatchObject({ onLoan: true, openLoan: { loanId: `${CODE}.L2` } });
    });
  });

  it('R6: active holds freeze the record until released', () => {
    const placed = (holdId: string, kind: 'legal' | 'audit'): RecordEvent => ({
      type: 'HoldPlaced',
      data: { holdId, kind, reason: '合同纠纷诉讼', placedBy: { id: 'xu.he', unit: 'LEGAL' } },
    });
    const released: RecordEvent = {
      type: 'HoldReleased',
      data: { holdId: 'H1', kind: 'legal', reason: '诉讼结束', releasedBy: { id: 'xu.he', unit: 'LEGAL' } },
    };
    expect(project([filed(), placed('H1', 'legal'), placed('H2', 'audit')])).toMatchObject({
      held: true,
      holds: [
        { holdId: 'H1', kind: 'legal', reason: '合同纠纷诉讼' },
        { holdId: 'H2', kind: 'audit', reason: '合同纠纷诉讼' },
      ],
    });
    expect(project([filed(), placed('H1', 'legal'), released])).toMatchObject({ held: false, holds: [] });
  });

  it('B10: damage stays visible on the record', () => {
    const damage: RecordEvent = {
      type: 'DamageReported',
      data: {
        reportId: 'D1',
        loanId: `${CODE}.L1`,
        condition: 'damaged',
        description: '第3页有水渍',
        reportedBy: person,
      },
    };
    expect(project([filed(), damage])?.damage).toEqual([
      { reportId: 'D1', loanId: `${CODE}.L1`, condition: 'damaged', description: '第3页有水渍' },
    ]);
  });

  // ── Transfer and stock-taking (X1, X2)
  it('X1: a transferred record leaves custody in the month the transfer occurred', () => {
    const transferred: RecordEvent = {
      type: 'Transferred',
      data: {
        transferId: 'TR-2026-0001',
        receiver: { organisation: '上海市档案馆', representative: '周明' },
        receiptReference: '沪档接〔2026〕15号',
        approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
        transferredBy: person,
        classification: 'INTERNAL',
      },
    };
    expect(project([filed(), transferred])).toMatchObject({
      custody: 'transferred',
      transferredMonth: '2025-04',
    });
  });

  it('X2: a record is flagged missing until found again', () => {
    const flagged: RecordEvent = {
      type: 'MarkedMissing',
      data: { stockTakeId: 'ST-2026-0001', shelfLocation: 'A-03-02-15', flaggedBy: person },
    };
    const found: RecordEvent = { type: 'FoundAgain', data: { foundAt: 'A-03-02-16', foundBy: person } };
    expect(project([filed(), flagged])?.missing).toBe(true);
    expect(project([filed(), flagged, found])?.missing).toBe(false);
  });

  it('D6: a destroyed record leaves custody in the month it was destroyed; an appraisal changes nothing shown', () => {
    const appraised: RecordEvent = {
      type: 'AppraisalRecorded',
      data: {
        appraisalId: 'AP1',
        members: [person],
        decision: 'release',
        grounds: '保管期满，同意销毁',
        retentionClass: 'D30',
        retentionExpiredOn: '2055-01-01',
      },
    };
    const destroyed: RecordEvent = {
      type: 'Destroyed',
      data: {
        listId: 'XH-20550301-0000000A',
        destroyedOn: '2055-03-01',
        policyVersion: 1,
        signatures: [],
        witnesses: [],
        electronicContent: 'none_held',
      },
    };
    expect(project([filed(), appraised])).toEqual(project([filed()]));
    expect(project([filed(), appraised, destroyed])).toMatchObject({
      custody: 'destroyed',
      destroyedMonth: '2055-03',
    });
  });

  it('creates nothing for an event of a record that was never filed', () => {
    expect(catalogueReadModel.apply(NO_DOC, recorded(borrowed(`${CODE}.L1`), 0))).toBeUndefined();
  });

  it('leaves the document as it is for an event type it does not know', () => {
    const doc = catalogueReadModel.apply(NO_DOC, recorded(filed(), 0));
    const unknown = { ...recorded(filed(), 1), type: 'SomethingNew', data: {} };
    expect(catalogueReadModel.apply(doc, unknown)).toBe(doc);
  });

  it('is deterministic and never mutates the document it is given', () => {
    const doc = deepFreeze(catalogueReadModel.apply(NO_DOC, recorded(filed(), 0)) as ReadDoc);
    const event = recorded(borrowed(`${CODE}.L1`), 1);
    const once = catalogueReadModel.apply(doc, event);
    expect(catalogueReadModel.apply(doc, event)).toEqual(once);
    expect(doc).toMatchObject({ onLoan: false });
    expect(JSON.parse(JSON.stringify(once))).toEqual(once);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
