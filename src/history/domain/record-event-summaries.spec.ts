import { RECORD_EVENT_TYPES, type RecordEvent } from '../../records/record.events';
import { contractRecord } from '../../../test/support/record-fixtures';
import { SUMMARIES, summarise, type SummaryEnvelope } from './record-event-summaries';
import { changesOf } from './record-history';

const CODE = contractRecord.archiveCode;
const LOAN = `${CODE}.L1`;
const archivist = { id: 'wang.fang', unit: 'ARCHIVE' };
const head = { id: 'liu.yang', unit: 'ARCHIVE' };
const approval = { role: 'archive_department_head', approver: head, opinion: '同意借出' };

/** One realistic event of every type of the record stream: a new type needs a sample here. */
const SAMPLES: { readonly [T in RecordEvent['type']]: Extract<RecordEvent, { type: T }>['data'] } = {
  ArchiveFiled: contractRecord,
  MetadataCorrectionProposed: {
    correctionId: 'C1',
    before: { title: '旧题名', keywords: ['合同'] },
    after: { title: '新题名', keywords: ['合同', '续签'] },
    reason: '题名录入错误',
    proposedBy: archivist,
  },
  MetadataCorrected: {
    correctionId: 'C1',
    before: { title: '旧题名', counterparty: '华东精密机械有限公司' },
    after: { title: '新题名', counterparty: null },
    reason: '题名录入错误',
    proposedBy: archivist,
    approvedBy: head,
  },
  MetadataCorrectionRejected: { correctionId: 'C2', rejectedBy: head, reason: '依据不足' },
  ClassificationChanged: {
    from: 'SECRET',
    to: 'INTERNAL',
    lifted: true,
    grounds: '保密期满',
    approvedBy: { id: 'qian.bao', unit: 'SECURITY' },
  },
  LoanRequested: {
    loanId: LOAN,
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
      { role: 'department_head', unit: 'SALES', because: ['B4.lend-out-over-2-days'] },
    ],
  },
  LoanApprovalGiven: { loanId: LOAN, approval, outstanding: 1 },
  LoanApproved: { loanId: LOAN, policyVersion: 1, approvals: [approval] },
  LoanRefused: {
    loanId: LOAN,
    role: 'general_manager',
    approver: { id: 'ma.hua', unit: 'MGMT' },
    reason: '不宜外借',
  },
  LoanWithdrawn: { loanId: LOAN, by: { id: 'li.lei', unit: 'SALES' }, reason: '不再需要' },
  Borrowed: {
    loanId: LOAN,
    borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
    mode: 'lend_out',
    handedOverBy: archivist,
    handedOverAt: '2025-02-28T09:00:00.000Z',
    dueAt: '2025-03-10T09:00:00.000Z',
    shelfLocation: 'A-03-02-15',
  },
  LoanRenewalRequested: {
    loanId: LOAN,
    renewal: 1,
    extraDays: 5,
    totalDays: 15,
    dueAt: '2025-03-15T09:00:00.000Z',
    reason: '谈判延期',
    policyVersion: 1,
    requiredApprovals: [],
  },
  LoanRenewalApprovalGiven: { loanId: LOAN, renewal: 1, approval, outstanding: 0 },
  LoanRenewed: {
    loanId: LOAN,
    renewal: 1,
    previousDueAt: '2025-03-10T09:00:00.000Z',
    dueAt: '2025-03-15T09:00:00.000Z',
    totalDays: 15,
    approvals: [approval],
  },
  LoanRenewalRefused: {
    loanId: LOAN,
    renewal: 2,
    role: 'deputy_gm',
    approver: { id: 'he.jun', unit: 'MGMT' },
    reason: '超期',
  },
  OverdueReminderSent: {
    loanId: LOAN,
    dueAt: '2025-03-15T09:00:00.000Z',
    daysOverdue: 3,
    reminder: 1,
    channel: 'phone',
    note: '本人答应周五归还',
  },
  Returned: {
    loanId: LOAN,
    receivedBy: archivist,
    returnedAt: '2025-03-18T09:00:00.000Z',
    condition: 'damaged',
    note: '封皮破损',
    overdueDays: 3,
  },
  DamageReported: {
    reportId: 'DR1',
    loanId: LOAN,
    condition: 'damaged',
    description: '封皮破损',
    reportedBy: archivist,
  },
  UtilisationRecorded: {
    loanId: LOAN,
    usedFor: '续签谈判',
    effect: '合同顺利续签',
    recordedBy: { id: 'li.lei', unit: 'SALES' },
  },
  RetentionExtended: { from: 'D10', to: 'D30', grounds: '涉及长期合作', extendedBy: archivist },
  HoldPlaced: {
    holdId: 'H1',
    kind: 'legal',
    reason: '诉讼保全',
    reference: '(2025)沪01民初12号',
    placedBy: { id: 'xu.he', unit: 'LEGAL' },
  },
  HoldReleased: {
    holdId: 'H1',
    kind: 'legal',
    reason: '案件审结',
    releasedBy: { id: 'xu.he', unit: 'LEGAL' },
  },
  Transferred: {
    transferId: 'T1',
    receiver: { organisation: '上海市档案馆', representative: '周敏' },
    receiptReference: '沪档接〔2025〕3号',
    approvedBy: head,
    transferredBy: archivist,
    classification: 'INTERNAL',
  },
  MarkedMissing: { stockTakeId: 'ST1', shelfLocation: 'A-03-02-15', flaggedBy: archivist },
  FoundAgain: { stockTakeId: 'ST2', foundAt: 'A-03-02-16', foundBy: archivist, note: '错架' },
  AppraisalRecorded: {
    appraisalId: 'AP1',
    members: [{ id: 'guo.jian', unit: 'ARCHIVE' }, head],
    decision: 'release',
    grounds: '已无保存价值',
    retentionClass: 'D10',
    retentionExpiredOn: '2035-01-01',
  },
  Destroyed: {
    listId: 'DL1',
    destroyedOn: '2036-01-10',
    policyVersion: 1,
    signatures: [
      {
        capacity: 'office_head',
        role: 'destruction_signatory',
        signer: { id: 'ma.hua', unit: 'MGMT' },
        opinion: '同意',
      },
    ],
    witnesses: [
      { capacity: 'archive', witness: archivist },
      { capacity: 'business', witness: { id: 'li.lei', unit: 'SALES' } },
    ],
    electronicContent: 'none_held',
  },
};

const envelope: SummaryEnvelope = {
  archiveCode: CODE,
  metadata: {
    actor: { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE' },
    reason: '借出',
    occurredAt: '2025-02-28T09:00:00.000Z',
  },
};

const event = <T extends RecordEvent['type']>(type: T) => ({ type, data: SAMPLES[type] }) as RecordEvent;

describe('summary lines of a record’s events (档案历史)', () => {
  it('has a line for every type of the record stream, and a sample event for each', () => {
    expect(Object.keys(SUMMARIES).sort()).toEqual([...RECORD_EVENT_TYPES].sort());
    expect(Object.keys(SAMPLES).sort()).toEqual([...RECORD_EVENT_TYPES].sort());
  });

  it.each([...RECORD_EVENT_TYPES])('%s: a Chinese and an English line, without holes', (type) => {
    const line = summarise(event(type), envelope);
    for (const text of [line.zh, line.en]) {
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toMatch(/undefined|null|\[object Object\]|NaN/);
    }
    expect(line.zh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('names the acting person with their role, id, roles and unit', () => {
    const line = summarise(event('Borrowed'), envelope);
    expect(line.zh).toBe(
      `档案管理员 wang.fang (archivist, ARCHIVE) 借出 ${CODE} 给 li.lei (SALES)（${LOAN}），应还日期 2025-03-10，代替卡置于 A-03-02-15`,
    );
    expect(line.en).toBe(
      `wang.fang (archivist, ARCHIVE) lent out ${CODE} to li.lei (SALES) (${LOAN}), due 2025-03-10; substitute card at A-03-02-15`,
    );
  });

  it('F5: a correction shows every field before and after, and the reason', () => {
    const corrected = event('MetadataCorrected');
    const line = summarise(corrected, {
      ...envelope,
      metadata: {
        ...envelope.metadata,
        actor: { id: 'liu.yang', roles: ['archive_department_head'], unit: 'ARCHIVE' },
      },
    });
    expect(line.zh).toContain('题名 由 「旧题名」 改为 「新题名」');
    expect(line.zh).toContain('相对方 由 「华东精密机械有限公司」 改为 （空）');
    expect(line.zh).toContain('档案部门负责人 liu.yang');
    expect(line.en).toContain(
      'title "旧题名" → "新题名"; counterparty "华东精密机械有限公司" → (empty); reason: 题名录入错误',
    );
    expect(changesOf(corrected)).toEqual([
      { field: 'title', before: '旧题名', after: '新题名' },
      { field: 'counterparty', before: '华东精密机械有限公司', after: null },
    ]);
    expect(changesOf(event('MetadataCorrectionProposed'))).toEqual([
      { field: 'title', before: '旧题名', after: '新题名' },
      { field: 'keywords', before: ['合同'], after: ['合同', '续签'] },
    ]);
  });

  it('F6, R2: classification and retention changes show before and after too; other events change no field', () => {
    expect(changesOf(event('ClassificationChanged'))).toEqual([
      { field: 'classification', before: 'SECRET', after: 'INTERNAL' },
    ]);
    expect(summarise(event('ClassificationChanged'), envelope).zh).toContain('将密级由秘密解除为内部');
    expect(changesOf(event('RetentionExtended'))).toEqual([
      { field: 'retentionClass', before: 'D10', after: 'D30' },
    ]);
    expect(changesOf(event('Borrowed'))).toBeNull();
  });

  it('an event type this build does not know still gets a line naming it', () => {
    expect(summarise({ type: 'SomethingNew', data: {} }, envelope)).toEqual({
      zh: '档案管理员 wang.fang (archivist, ARCHIVE)：SomethingNew',
      en: 'wang.fang (archivist, ARCHIVE): SomethingNew',
    });
  });
});
