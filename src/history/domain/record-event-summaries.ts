import type { Classification } from '../../domain-kernel/actor';
import type { RetentionClass } from '../../records/archive-code';
import type {
  ApprovalRequirement,
  Borrower,
  GivenApproval,
  LoanMode,
  MetadataChanges,
  PersonRef,
  RecordEvent,
  ReturnCondition,
} from '../../records/record.events';

/** One human-readable line per event, in Chinese and in English, shown beside the raw event. */
export interface Summary {
  readonly zh: string;
  readonly en: string;
}

/** What a summary line reads from the event's envelope (the stored metadata). */
export interface SummaryEnvelope {
  readonly archiveCode: string;
  readonly metadata: {
    readonly actor: { readonly id: string; readonly roles: readonly string[]; readonly unit: string };
    readonly reason?: string;
    readonly occurredAt: string;
  };
}

/** What every summary line gets besides the event's data. */
export interface SummaryContext {
  /** 档号 of the record. */
  readonly code: string;
  /** The acting person, e.g. `档案管理员 wang.fang (archivist, ARCHIVE)` / `wang.fang (archivist, ARCHIVE)`. */
  readonly by: Summary;
  /** The envelope's reason, if one was given. */
  readonly reason: string | undefined;
}

type SummaryOf<T extends RecordEvent['type']> = (
  data: Extract<RecordEvent, { type: T }>['data'],
  context: SummaryContext,
) => Summary;

/**
 * A summary line for EVERY type of the record stream. The compiler refuses this table when a type
 * of `RecordEvent` has no line: a new record event type adds its line here (and a sample event in
 * `record-event-summaries.spec.ts`, which checks every type of `RECORD_EVENT_TYPES` with a real event).
 */
export type SummaryTable = { readonly [T in RecordEvent['type']]: SummaryOf<T> };

// ── Vocabulary ──────────────────────────────────────────────────────────────────────────────────

const ROLE_ZH: Readonly<Record<string, string>> = {
  archivist: '档案管理员',
  borrower: '借阅人',
  department_head: '部门负责人',
  archive_department_head: '档案部门负责人',
  deputy_gm: '分管副总',
  general_manager: '总经理',
  appraisal_committee: '鉴定小组成员',
  destruction_signatory: '销毁签署人',
  witness: '监销人',
  security_officer: '保密员',
  compliance_officer: '合规官',
  auditor: '审计员',
  administrator: '系统管理员',
};

const CLASSIFICATION_ZH: Readonly<Record<Classification, string>> = {
  PUBLIC: '公开',
  INTERNAL: '内部',
  SECRET: '秘密',
  CONFIDENTIAL: '机密',
  TOP_SECRET: '绝密',
};

const RETENTION_ZH: Readonly<Record<RetentionClass, string>> = {
  PERMANENT: '永久',
  D30: '定期30年',
  D10: '定期10年',
};

const MODE_ZH: Readonly<Record<LoanMode, string>> = {
  reading_room: '阅览室查阅',
  lend_out: '借出',
  copy: '复制',
};
const MODE_EN: Readonly<Record<LoanMode, string>> = {
  reading_room: 'reading-room consultation',
  lend_out: 'lending out',
  copy: 'copying',
};

const CONDITION_ZH: Readonly<Record<ReturnCondition, string>> = {
  intact: '完好',
  damaged: '损坏',
  pages_missing: '缺页',
  lost: '遗失',
};
const CONDITION_EN: Readonly<Record<ReturnCondition, string>> = {
  intact: 'intact',
  damaged: 'damaged',
  pages_missing: 'pages missing',
  lost: 'lost',
};

const HOLD_ZH: Readonly<Record<string, string>> = { legal: '法律', audit: '审计' };

/** Chinese names of metadata fields (F1), as the modification ledger (修改台帐) shows them. */
export const FIELD_ZH: Readonly<Record<string, string>> = {
  organisationalUnit: '机构/问题',
  title: '题名',
  responsibleParty: '责任者',
  documentNumber: '文号',
  dateFormed: '形成时间',
  carrier: '载体',
  itemCount: '件数',
  pageCount: '页数',
  custodianDepartment: '保管部门',
  shelfLocation: '存放位置',
  counterparty: '相对方',
  keywords: '关键词',
  classification: '密级',
  retentionClass: '保管期限',
};

export function roleZh(role: string): string {
  return ROLE_ZH[role] ?? role;
}

/** The acting person as every line names them: their first role, id, all roles and unit. */
export function actorLabel(actor: SummaryEnvelope['metadata']['actor']): Summary {
  const roles = actor.roles.join(', ');
  const first = actor.roles[0];
  return {
    zh: `${first !== undefined ? `${roleZh(first)} ` : ''}${actor.id} (${roles}, ${actor.unit})`,
    en: `${actor.id} (${roles}, ${actor.unit})`,
  };
}

/** The day of an ISO timestamp (UTC), as the lines show dates. */
export function dayOf(timestamp: string): string {
  return timestamp.slice(0, 10);
}

function person(ref: PersonRef): string {
  return `${ref.id} (${ref.unit})`;
}

function borrowerZh(borrower: Borrower): string {
  return borrower.type === 'staff'
    ? `${borrower.id} (${borrower.unit})`
    : `外单位 ${borrower.organisation} 的 ${borrower.name}（介绍信 ${borrower.introductionLetterRef}）`;
}

function borrowerEn(borrower: Borrower): string {
  return borrower.type === 'staff'
    ? `${borrower.id} (${borrower.unit})`
    : `${borrower.name} of ${borrower.organisation} (external, introduction letter ${borrower.introductionLetterRef})`;
}

function requirementsOf(required: readonly ApprovalRequirement[]): Summary {
  if (required.length === 0) return { zh: '无需审批', en: 'no approval needed' };
  const zh = required.map((r) => `${roleZh(r.role)}${r.unit ? `(${r.unit})` : ''}`).join('、');
  const en = required.map((r) => `${r.role}${r.unit ? ` (${r.unit})` : ''}`).join(', ');
  return { zh: `需审批：${zh}`, en: `needs ${en}` };
}

function approvalsOf(approvals: readonly GivenApproval[]): Summary {
  if (approvals.length === 0) return { zh: '无需审批', en: 'no approval needed' };
  return {
    zh: approvals.map((a) => `${roleZh(a.role)} ${a.approver.id}`).join('、'),
    en: approvals.map((a) => `${a.approver.id} as ${a.role}`).join(', '),
  };
}

function opinionOf(opinion: string | undefined): Summary {
  return opinion ? { zh: `，意见：${opinion}`, en: `; opinion: ${opinion}` } : { zh: '', en: '' };
}

/** A field value as the lines show it: lists joined, absent values named. */
export function valueText(value: unknown, language: 'zh' | 'en'): string {
  if (value === null || value === undefined) return language === 'zh' ? '（空）' : '(empty)';
  if (Array.isArray(value)) return value.map(String).join(language === 'zh' ? '、' : ', ');
  return typeof value === 'string' ? (language === 'zh' ? `「${value}」` : `"${value}"`) : String(value);
}

/** One changed field: its value before and after (`null`: absent). */
export interface FieldChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** F5: the fields a correction changes, each with its value before and after. */
export function correctionChanges(before: MetadataChanges, after: MetadataChanges): FieldChange[] {
  const fields = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return fields.map((field) => ({
    field,
    before: (before as Record<string, unknown>)[field] ?? null,
    after: (after as Record<string, unknown>)[field] ?? null,
  }));
}

function changesText(changes: readonly FieldChange[]): Summary {
  return {
    zh: changes
      .map(
        (c) =>
          `${FIELD_ZH[c.field] ?? c.field} 由 ${valueText(c.before, 'zh')} 改为 ${valueText(c.after, 'zh')}`,
      )
      .join('；'),
    en: changes
      .map((c) => `${c.field} ${valueText(c.before, 'en')} → ${valueText(c.after, 'en')}`)
      .join('; '),
  };
}

// ── The table ───────────────────────────────────────────────────────────────────────────────────

export const SUMMARIES = {
  ArchiveFiled: (d, { code, by }) => ({
    zh: `${by.zh} 归档 ${code}《${d.title}》，密级${CLASSIFICATION_ZH[d.classification]}，保管期限${RETENTION_ZH[d.retentionClass]}，存放于 ${d.shelfLocation}${d.isOriginal ? '' : `（复制件，理由：${d.copyReason ?? ''}）`}`,
    en: `${by.en} filed ${code} "${d.title}" (${d.classification}, retention ${d.retentionClass}, shelf ${d.shelfLocation}${d.isOriginal ? '' : `; a copy: ${d.copyReason ?? ''}`})`,
  }),

  MetadataCorrectionProposed: (d, { by }) => {
    const changes = changesText(correctionChanges(d.before, d.after));
    return {
      zh: `${by.zh} 提出修改 ${d.correctionId}：${changes.zh}；理由：${d.reason}`,
      en: `${by.en} proposed correction ${d.correctionId}: ${changes.en}; reason: ${d.reason}`,
    };
  },
  MetadataCorrected: (d, { by }) => {
    const changes = changesText(correctionChanges(d.before, d.after));
    return {
      zh: `${by.zh} 批准修改 ${d.correctionId}（${person(d.proposedBy)} 提出）：${changes.zh}；理由：${d.reason}`,
      en: `${by.en} approved correction ${d.correctionId} (proposed by ${person(d.proposedBy)}): ${changes.en}; reason: ${d.reason}`,
    };
  },
  MetadataCorrectionRejected: (d, { by }) => ({
    zh: `${by.zh} 驳回修改 ${d.correctionId}，理由：${d.reason}`,
    en: `${by.en} rejected correction ${d.correctionId}: ${d.reason}`,
  }),
  ClassificationChanged: (d, { by }) => ({
    zh: `${by.zh} 将密级由${CLASSIFICATION_ZH[d.from]}${d.lifted ? '解除为' : '变更为'}${CLASSIFICATION_ZH[d.to]}（批准人 ${person(d.approvedBy)}），依据：${d.grounds}`,
    en: `${by.en} ${d.lifted ? 'lifted' : 'changed'} the classification from ${d.from} to ${d.to} (approved by ${person(d.approvedBy)}); grounds: ${d.grounds}`,
  }),

  LoanRequested: (d, { by }) => {
    const needs = requirementsOf(d.requiredApprovals);
    return {
      zh: `${by.zh} 登记借阅 ${d.loanId}：${borrowerZh(d.borrower)} ${MODE_ZH[d.mode]} ${d.days} 天，目的：${d.purpose}；${needs.zh}（审批策略第 ${d.policyVersion} 版）`,
      en: `${by.en} registered loan ${d.loanId}: ${borrowerEn(d.borrower)}, ${MODE_EN[d.mode]} for ${d.days} days, purpose: ${d.purpose}; ${needs.en} (approval policy v${d.policyVersion})`,
    };
  },
  LoanApprovalGiven: (d, { by }) => {
    const opinion = opinionOf(d.approval.opinion);
    return {
      zh: `${by.zh} 以${roleZh(d.approval.role)}身份批准借阅 ${d.loanId}${opinion.zh}；尚缺 ${d.outstanding} 项审批`,
      en: `${by.en} approved loan ${d.loanId} as ${d.approval.role}${opinion.en}; ${d.outstanding} approval(s) outstanding`,
    };
  },
  LoanApproved: (d) => {
    const approvals = approvalsOf(d.approvals);
    return {
      zh: `借阅 ${d.loanId} 审批齐全，可以交付：${approvals.zh}（审批策略第 ${d.policyVersion} 版）`,
      en: `Loan ${d.loanId} fully approved, ready to hand over: ${approvals.en} (approval policy v${d.policyVersion})`,
    };
  },
  LoanRefused: (d, { by }) => ({
    zh: `${by.zh} 以${roleZh(d.role)}身份拒绝借阅 ${d.loanId}，理由：${d.reason}`,
    en: `${by.en} refused loan ${d.loanId} as ${d.role}: ${d.reason}`,
  }),
  LoanWithdrawn: (d, { by }) => ({
    zh: `${by.zh} 撤回借阅申请 ${d.loanId}，理由：${d.reason}`,
    en: `${by.en} withdrew loan request ${d.loanId}: ${d.reason}`,
  }),
  Borrowed: (d, { code, by }) => {
    const due = dayOf(d.dueAt);
    const zhVerb = d.mode === 'lend_out' ? '借出' : d.mode === 'copy' ? '交付复制' : '交付阅览室查阅';
    const enVerb =
      d.mode === 'lend_out'
        ? 'lent out'
        : d.mode === 'copy'
          ? 'handed over for copying'
          : 'handed over for reading-room consultation';
    return {
      zh: `${by.zh} ${zhVerb} ${code} 给 ${borrowerZh(d.borrower)}（${d.loanId}），应还日期 ${due}，代替卡置于 ${d.shelfLocation}`,
      en: `${by.en} ${enVerb} ${code} to ${borrowerEn(d.borrower)} (${d.loanId}), due ${due}; substitute card at ${d.shelfLocation}`,
    };
  },
  LoanRenewalRequested: (d, { by }) => {
    const needs = requirementsOf(d.requiredApprovals);
    return {
      zh: `${by.zh} 申请续借 ${d.loanId}（第 ${d.renewal} 次）：延长 ${d.extraDays} 天，共 ${d.totalDays} 天，应还日期将为 ${dayOf(d.dueAt)}，理由：${d.reason}；${needs.zh}（审批策略第 ${d.policyVersion} 版）`,
      en: `${by.en} asked to renew loan ${d.loanId} (renewal ${d.renewal}) by ${d.extraDays} days to ${d.totalDays} in all, due ${dayOf(d.dueAt)}: ${d.reason}; ${needs.en} (approval policy v${d.policyVersion})`,
    };
  },
  LoanRenewalApprovalGiven: (d, { by }) => {
    const opinion = opinionOf(d.approval.opinion);
    return {
      zh: `${by.zh} 以${roleZh(d.approval.role)}身份批准续借 ${d.loanId}（第 ${d.renewal} 次）${opinion.zh}；尚缺 ${d.outstanding} 项审批`,
      en: `${by.en} approved renewal ${d.renewal} of loan ${d.loanId} as ${d.approval.role}${opinion.en}; ${d.outstanding} approval(s) outstanding`,
    };
  },
  LoanRenewed: (d) => {
    const approvals = approvalsOf(d.approvals);
    return {
      zh: `续借 ${d.loanId}（第 ${d.renewal} 次）获准：应还日期由 ${dayOf(d.previousDueAt)} 改为 ${dayOf(d.dueAt)}，共 ${d.totalDays} 天；审批：${approvals.zh}`,
      en: `Loan ${d.loanId} renewed (renewal ${d.renewal}): due ${dayOf(d.previousDueAt)} → ${dayOf(d.dueAt)}, ${d.totalDays} days in all; approvals: ${approvals.en}`,
    };
  },
  LoanRenewalRefused: (d, { by }) => ({
    zh: `${by.zh} 以${roleZh(d.role)}身份拒绝续借 ${d.loanId}（第 ${d.renewal} 次），理由：${d.reason}`,
    en: `${by.en} refused renewal ${d.renewal} of loan ${d.loanId} as ${d.role}: ${d.reason}`,
  }),
  OverdueReminderSent: (d, { by }) => ({
    zh: `${by.zh} 催还 ${d.loanId}（第 ${d.reminder} 次，经 ${d.channel}）：应还日期 ${dayOf(d.dueAt)}，已逾期 ${d.daysOverdue} 天${d.note ? `；${d.note}` : ''}`,
    en: `${by.en} sent overdue reminder ${d.reminder} for loan ${d.loanId} by ${d.channel}: due ${dayOf(d.dueAt)}, ${d.daysOverdue} day(s) overdue${d.note ? `; ${d.note}` : ''}`,
  }),
  Returned: (d, { code, by }) => ({
    zh: `${by.zh} 收回 ${code}（${d.loanId}），状况：${CONDITION_ZH[d.condition]}${d.overdueDays > 0 ? `，逾期 ${d.overdueDays} 天` : ''}${d.note ? `；备注：${d.note}` : ''}`,
    en: `${by.en} received ${code} back (${d.loanId}), condition: ${CONDITION_EN[d.condition]}${d.overdueDays > 0 ? `, ${d.overdueDays} day(s) overdue` : ''}${d.note ? `; note: ${d.note}` : ''}`,
  }),
  DamageReported: (d, { code, by }) => ({
    zh: `${by.zh} 报告 ${code} ${CONDITION_ZH[d.condition]}${d.loanId ? `（借阅 ${d.loanId}）` : ''}：${d.description}`,
    en: `${by.en} reported ${code} ${CONDITION_EN[d.condition]}${d.loanId ? ` (loan ${d.loanId})` : ''}: ${d.description}`,
  }),
  UtilisationRecorded: (d, { by }) => ({
    zh: `${by.zh} 登记借阅 ${d.loanId} 的利用效果：用于 ${d.usedFor}，效果：${d.effect}`,
    en: `${by.en} recorded the use of loan ${d.loanId}: used for ${d.usedFor}; effect: ${d.effect}`,
  }),

  RetentionExtended: (d, { by }) => ({
    zh: `${by.zh} 将保管期限由${RETENTION_ZH[d.from]}延长为${RETENTION_ZH[d.to]}，依据：${d.grounds}`,
    en: `${by.en} extended retention from ${d.from} to ${d.to}; grounds: ${d.grounds}`,
  }),
  HoldPlaced: (d, { code, by }) => ({
    zh: `${by.zh} 对 ${code} 设置${HOLD_ZH[d.kind] ?? d.kind}冻结 ${d.holdId}${d.reference ? `（${d.reference}）` : ''}，理由：${d.reason}`,
    en: `${by.en} placed ${d.kind} hold ${d.holdId} on ${code}${d.reference ? ` (${d.reference})` : ''}: ${d.reason}`,
  }),
  HoldReleased: (d, { by }) => ({
    zh: `${by.zh} 解除${HOLD_ZH[d.kind] ?? d.kind}冻结 ${d.holdId}，理由：${d.reason}`,
    en: `${by.en} released ${d.kind} hold ${d.holdId}: ${d.reason}`,
  }),

  // ── Transfer and stock-taking (X1, X2)
  Transferred: (d, { code, by }) => ({
    zh: `${by.zh} 按移交清册 ${d.transferId} 将 ${code} 移交 ${d.receiver.organisation}（接收人 ${d.receiver.representative}，凭证 ${d.receiptReference}），移交时密级为${CLASSIFICATION_ZH[d.classification]}；我方签署：${d.approvedBy.id}`,
    en: `${by.en} transferred ${code} to ${d.receiver.organisation} on transfer list ${d.transferId} (received by ${d.receiver.representative}, receipt ${d.receiptReference}), classification ${d.classification} at transfer; signed for us by ${d.approvedBy.id}`,
  }),
  MarkedMissing: (d, { code, by }) => ({
    zh: `${by.zh} 在清点 ${d.stockTakeId} 中未于 ${d.shelfLocation} 找到 ${code}，标记为缺失`,
    en: `${by.en} flagged ${code} missing: not found at ${d.shelfLocation} in stock-take ${d.stockTakeId}`,
  }),
  FoundAgain: (d, { code, by }) => ({
    zh: `${by.zh} 在 ${d.foundAt} 找回 ${code}${d.stockTakeId ? `（清点 ${d.stockTakeId}）` : ''}，撤销缺失标记${d.note ? `；${d.note}` : ''}`,
    en: `${by.en} found ${code} again at ${d.foundAt}${d.stockTakeId ? ` (stock-take ${d.stockTakeId})` : ''}; no longer missing${d.note ? `; ${d.note}` : ''}`,
  }),

  // ── Appraisal and destruction (R4, R5, D1–D8)
  AppraisalRecorded: (d, { code, by }) => {
    const members = d.members.map((m) => `${m.id}（${m.unit}）`).join('、');
    const membersEn = d.members.map((m) => `${m.id} (${m.unit})`).join(', ');
    const keep = d.decision === 'keep' && d.newRetentionClass !== undefined;
    return {
      zh: `${by.zh} 登记鉴定 ${d.appraisalId}：${code}（${RETENTION_ZH[d.retentionClass]}，${d.retentionExpiredOn} 到期）${keep ? `继续保存，保管期限改为${RETENTION_ZH[d.newRetentionClass as RetentionClass]}` : '准予销毁'}；鉴定小组：${members}；依据：${d.grounds}`,
      en: `${by.en} recorded appraisal ${d.appraisalId} of ${code} (${d.retentionClass}, expired ${d.retentionExpiredOn}): ${keep ? `keep, retention now ${d.newRetentionClass}` : 'released for destruction'}; committee: ${membersEn}; grounds: ${d.grounds}`,
    };
  },
  Destroyed: (d, { code, by }) => {
    const signers = d.signatures.map((s) => s.signer.id).join('、');
    const witnesses = d.witnesses.map((w) => w.witness.id).join('、');
    return {
      zh: `${by.zh} 按销毁清册 ${d.listId} 于 ${d.destroyedOn} 销毁 ${code}；签署人：${signers}（销毁签署策略第 ${d.policyVersion} 版）；监销人：${witnesses}`,
      en: `${by.en} destroyed ${code} on ${d.destroyedOn} under destruction list ${d.listId}; signed by ${d.signatures.map((s) => s.signer.id).join(', ')} (signing policy v${d.policyVersion}); witnessed by ${d.witnesses.map((w) => w.witness.id).join(', ')}`,
    };
  },
} as const satisfies SummaryTable;

/**
 * The summary line of one stored event of a record stream. A type without a line (an event type
 * this build does not know) still gets a line naming its type, so history never fails to show.
 */
export function summarise(
  event: { readonly type: string; readonly data: unknown },
  envelope: SummaryEnvelope,
): Summary {
  const context: SummaryContext = {
    code: envelope.archiveCode,
    by: actorLabel(envelope.metadata.actor),
    reason: envelope.metadata.reason,
  };
  const line = (SUMMARIES as Partial<Record<string, SummaryOf<RecordEvent['type']>>>)[event.type];
  if (line === undefined) {
    return { zh: `${context.by.zh}：${event.type}`, en: `${context.by.en}: ${event.type}` };
  }
  return line(event.data as never, context);
}
