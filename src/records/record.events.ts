import type { Classification } from '../domain-kernel/actor';
import type { DomainEvent } from '../domain-kernel/decider';
import type { RetentionClass } from './archive-code';

export const CARRIERS = ['paper', 'electronic', 'photo', 'audio', 'video', 'microfilm', 'object'] as const;
/** 载体 — carrier. */
export type Carrier = (typeof CARRIERS)[number];

/** The metadata of a filed record (BRIEF F1). Chinese text is first-class in every field. */
export interface RecordMetadata {
  /** 档号 */
  readonly archiveCode: string;
  /** 全宗 */
  readonly fonds: string;
  /** 门类 */
  readonly category: string;
  readonly year: number;
  /** 保管期限 */
  readonly retentionClass: RetentionClass;
  /** 机构/问题 — organisational unit or issue. */
  readonly organisationalUnit: string;
  /** 题名 */
  readonly title: string;
  /** 责任者 */
  readonly responsibleParty: string;
  /** 文号 */
  readonly documentNumber?: string;
  /** 形成时间 (YYYY-MM-DD) */
  readonly dateFormed: string;
  readonly carrier: Carrier;
  readonly itemCount: number;
  readonly pageCount?: number;
  /** 密级 */
  readonly classification: Classification;
  readonly custodianDepartment: string;
  readonly shelfLocation: string;
  /** The client, supplier or partner the record is about. */
  readonly counterparty?: string;
  readonly keywords: readonly string[];
  /** F3: records are filed as originals; a copy carries the reason. */
  readonly isOriginal: boolean;
  readonly copyReason?: string;
}

/** Metadata fields a correction (F5) may change. Identity (code, fonds, category, year), retention (R2) and classification (F6) have their own paths. */
export const CORRECTABLE_FIELDS = [
  'organisationalUnit',
  'title',
  'responsibleParty',
  'documentNumber',
  'dateFormed',
  'carrier',
  'itemCount',
  'pageCount',
  'custodianDepartment',
  'shelfLocation',
  'counterparty',
  'keywords',
] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];
/** Some correctable fields with their values; `null` clears an optional field. */
export type MetadataChanges = { readonly [F in CorrectableField]?: RecordMetadata[F] | null };

/** Someone acting in the domain, as recorded inside event data (the envelope also carries the actor). */
export interface PersonRef {
  readonly id: string;
  readonly unit: string;
}

// ── Loans (B1–B13) ──────────────────────────────────────────────────────────────────────────────

/** 查阅 reading room, 借出 lend out, 复制 copy. */
export const LOAN_MODES = ['reading_room', 'lend_out', 'copy'] as const;
export type LoanMode = (typeof LOAN_MODES)[number];

/** A staff borrower acts under their own identity; an external one (外单位) is registered by an archivist at the counter. */
export type Borrower =
  | { readonly type: 'staff'; readonly id: string; readonly unit: string }
  | {
      readonly type: 'external';
      /** Name of the visitor. */
      readonly name: string;
      /** Their organisation (外单位). */
      readonly organisation: string;
      /** B7: reference of the introduction letter (介绍信) presented. */
      readonly introductionLetterRef: string;
    };

/** One approval a loan needs: a role, and for department heads whose department. */
export interface ApprovalRequirement {
  readonly role: string;
  /** Set when the approver must head a given department (B4 the borrower's, B6 the record's). */
  readonly unit?: string;
  /** The policy rules that asked for it, e.g. `B4.lend-out`. */
  readonly because: readonly string[];
}

export interface GivenApproval {
  readonly role: string;
  readonly unit?: string;
  readonly approver: PersonRef;
  readonly opinion?: string;
}

/** 借阅登记 — a loan was requested and registered (B1). Lists the approvals the policy requires (B3). */
export type LoanRequested = DomainEvent<
  'LoanRequested',
  {
    readonly loanId: string;
    readonly borrower: Borrower;
    /** Who registered it: the borrower, or for an external borrower the archivist. */
    readonly requestedBy: PersonRef;
    readonly mode: LoanMode;
    readonly purpose: string;
    readonly days: number;
    /** B7: an external borrower takes excerpts (摘抄) out. */
    readonly excerpts: boolean;
    readonly classification: Classification;
    readonly policyVersion: number;
    readonly requiredApprovals: readonly ApprovalRequirement[];
  }
>;

/** One required approval was given (by a person in the role, under their own identity — B3). */
export type LoanApprovalGiven = DomainEvent<
  'LoanApprovalGiven',
  { readonly loanId: string; readonly approval: GivenApproval; readonly outstanding: number }
>;

/** Every required approval is in (or none was needed): the loan may be handed over. */
export type LoanApproved = DomainEvent<
  'LoanApproved',
  { readonly loanId: string; readonly policyVersion: number; readonly approvals: readonly GivenApproval[] }
>;

/** An approver refused: the loan ends here (B3). */
export type LoanRefused = DomainEvent<
  'LoanRefused',
  { readonly loanId: string; readonly role: string; readonly approver: PersonRef; readonly reason: string }
>;

/** The requester withdrew a loan before it was handed over. */
export type LoanWithdrawn = DomainEvent<
  'LoanWithdrawn',
  { readonly loanId: string; readonly by: PersonRef; readonly reason: string }
>;

/** 借出 — handed over to the registered borrower; the shelf shows a substitute card (B11). */
export type Borrowed = DomainEvent<
  'Borrowed',
  {
    readonly loanId: string;
    readonly borrower: Borrower;
    readonly mode: LoanMode;
    readonly handedOverBy: PersonRef;
    readonly handedOverAt: string;
    readonly dueAt: string;
    /** B11: where the substitute card (代替卡) stands. */
    readonly shelfLocation: string;
  }
>;

/** 续借 requested: the resulting loan needs the approvals of a new loan of that length (B8). */
export type LoanRenewalRequested = DomainEvent<
  'LoanRenewalRequested',
  {
    readonly loanId: string;
    readonly renewal: number;
    readonly extraDays: number;
    readonly totalDays: number;
    readonly dueAt: string;
    readonly reason: string;
    readonly policyVersion: number;
    readonly requiredApprovals: readonly ApprovalRequirement[];
  }
>;

export type LoanRenewalApprovalGiven = DomainEvent<
  'LoanRenewalApprovalGiven',
  {
    readonly loanId: string;
    readonly renewal: number;
    readonly approval: GivenApproval;
    readonly outstanding: number;
  }
>;

/** 续借 granted: the due date moves (B8). */
export type LoanRenewed = DomainEvent<
  'LoanRenewed',
  {
    readonly loanId: string;
    readonly renewal: number;
    readonly previousDueAt: string;
    readonly dueAt: string;
    readonly totalDays: number;
    readonly approvals: readonly GivenApproval[];
  }
>;

export type LoanRenewalRefused = DomainEvent<
  'LoanRenewalRefused',
  {
    readonly loanId: string;
    readonly renewal: number;
    readonly role: string;
    readonly approver: PersonRef;
    readonly reason: string;
  }
>;

/** 催还 — a reminder to return an overdue loan was sent (B9). */
export type OverdueReminderSent = DomainEvent<
  'OverdueReminderSent',
  {
    readonly loanId: string;
    readonly dueAt: string;
    readonly daysOverdue: number;
    readonly reminder: number;
    readonly channel: string;
    readonly note?: string;
  }
>;

/** B10: the condition the archivist finds at return. */
export const RETURN_CONDITIONS = ['intact', 'damaged', 'pages_missing', 'lost'] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];
export type DamageCondition = Exclude<ReturnCondition, 'intact'>;

/** 归还 — checked in person by the archivist (B10). */
export type Returned = DomainEvent<
  'Returned',
  {
    readonly loanId: string;
    readonly receivedBy: PersonRef;
    readonly returnedAt: string;
    readonly condition: ReturnCondition;
    readonly note?: string;
    readonly overdueDays: number;
  }
>;

/** Damage or loss, reported at return or at any time; stays visible on the record (B10). */
export type DamageReported = DomainEvent<
  'DamageReported',
  {
    readonly reportId: string;
    readonly loanId?: string;
    readonly condition: DamageCondition;
    readonly description: string;
    readonly reportedBy: PersonRef;
  }
>;

/** 利用效果登记 — what the loan was used for and what it achieved (B13). */
export type UtilisationRecorded = DomainEvent<
  'UtilisationRecorded',
  {
    readonly loanId: string;
    readonly usedFor: string;
    readonly effect: string;
    readonly recordedBy: PersonRef;
  }
>;

// ── Metadata and classification (F5, F6) ────────────────────────────────────────────────────────

/** 修改 proposed: waits for the archive department head (F5). */
export type MetadataCorrectionProposed = DomainEvent<
  'MetadataCorrectionProposed',
  {
    readonly correctionId: string;
    readonly before: MetadataChanges;
    readonly after: MetadataChanges;
    readonly reason: string;
    readonly proposedBy: PersonRef;
  }
>;

/** 修改台帐 entry: fields before and after, the reason, who proposed and who approved (F5). */
export type MetadataCorrected = DomainEvent<
  'MetadataCorrected',
  {
    readonly correctionId: string;
    readonly before: MetadataChanges;
    readonly after: MetadataChanges;
    readonly reason: string;
    readonly proposedBy: PersonRef;
    readonly approvedBy: PersonRef;
  }
>;

export type MetadataCorrectionRejected = DomainEvent<
  'MetadataCorrectionRejected',
  { readonly correctionId: string; readonly rejectedBy: PersonRef; readonly reason: string }
>;

/** 密级变更/解除 — by an authorised approver (F6); `lifted` when it drops below SECRET. */
export type ClassificationChanged = DomainEvent<
  'ClassificationChanged',
  {
    readonly from: Classification;
    readonly to: Classification;
    readonly lifted: boolean;
    readonly grounds: string;
    readonly approvedBy: PersonRef;
  }
>;

// ── Retention and holds (R2, R3, R6) ────────────────────────────────────────────────────────────

/** 保管期限延长 — only ever lengthens (R2), with its grounds. */
export type RetentionExtended = DomainEvent<
  'RetentionExtended',
  {
    readonly from: RetentionClass;
    readonly to: RetentionClass;
    readonly grounds: string;
    readonly extendedBy: PersonRef;
  }
>;

export const HOLD_KINDS = ['legal', 'audit'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

/** A legal or audit hold freezes the record: no destruction, no transfer (R6). */
export type HoldPlaced = DomainEvent<
  'HoldPlaced',
  {
    readonly holdId: string;
    readonly kind: HoldKind;
    readonly reason: string;
    readonly reference?: string;
    readonly placedBy: PersonRef;
  }
>;

export type HoldReleased = DomainEvent<
  'HoldReleased',
  {
    readonly holdId: string;
    readonly kind: HoldKind;
    readonly reason: string;
    readonly releasedBy: PersonRef;
  }
>;

// ── Transfer and stock-taking (X1, X2) ──────────────────────────────────────────────────────────

/** 接收单位 — the custodian a transfer hands records to (e.g. the state archive) and who signs for it. */
export interface TransferReceiver {
  /** The receiving organisation, e.g. 上海市档案馆. */
  readonly organisation: string;
  /** The person who signs for the receiver (接收人). */
  readonly representative: string;
}

/**
 * 移交 — the record left our custody on a completed, signed transfer list (X1). It keeps its
 * metadata and history; it refuses loans and every other custody command from now on.
 */
export type Transferred = DomainEvent<
  'Transferred',
  {
    readonly transferId: string;
    readonly receiver: TransferReceiver;
    /** The receiver's receipt (接收凭证) reference, recorded with its signature. */
    readonly receiptReference: string;
    /** Who signed the list for us (档案部门负责人). */
    readonly approvedBy: PersonRef;
    /** Who carried the completion out. */
    readonly transferredBy: PersonRef;
    /** The classification the record left with, after the review (X1). */
    readonly classification: Classification;
  }
>;

/** 清点 — not found where the ledger says at a closed stock-take: flagged missing until found (X2). */
export type MarkedMissing = DomainEvent<
  'MarkedMissing',
  {
    readonly stockTakeId: string;
    /** Where the ledger said it was. */
    readonly shelfLocation: string;
    readonly flaggedBy: PersonRef;
  }
>;

/** A missing record was found again (X2): at a later stock-take, or reported by an archivist. */
export type FoundAgain = DomainEvent<
  'FoundAgain',
  {
    /** The stock-take that found it; absent when an archivist reported it outside one. */
    readonly stockTakeId?: string;
    /** Where it was found. */
    readonly foundAt: string;
    readonly foundBy: PersonRef;
    readonly note?: string;
  }
>;

// ── Appraisal and destruction (R4, R5, D1–D8) ────────────────────────────────────────────────

/** What the appraisal committee decides (R5): keep with a longer retention, or release for destruction. */
export const APPRAISAL_DECISIONS = ['keep', 'release'] as const;
export type AppraisalDecision = (typeof APPRAISAL_DECISIONS)[number];

/**
 * 鉴定 — the appraisal committee's decision on a record whose retention has expired (R4, R5): the
 * members, the decision and its grounds. `keep` is followed by RetentionExtended in the same
 * append; `release` makes the record eligible for a destruction list (D1) until a later
 * RetentionExtended (or a `keep`) voids it.
 */
export type AppraisalRecorded = DomainEvent<
  'AppraisalRecorded',
  {
    /** AP1, AP2 … numbered on the record. */
    readonly appraisalId: string;
    /** The committee (鉴定小组): the member who records it first, then the others named. */
    readonly members: readonly PersonRef[];
    readonly decision: AppraisalDecision;
    readonly grounds: string;
    /** Retention class when appraised, and the day it expired (R1, R4). */
    readonly retentionClass: RetentionClass;
    readonly retentionExpiredOn: string;
    /** keep: the new, longer retention class (R2, R5). */
    readonly newRetentionClass?: RetentionClass;
  }
>;

/** One signed opinion on a destruction list (D3), as the record's Destroyed event cites it. */
export interface DestructionSignatureRef {
  /** The capacity signed in, e.g. `office_head` (docs/disposition.md). */
  readonly capacity: string;
  readonly role: string;
  readonly signer: PersonRef;
  readonly opinion: string;
}

/** A supervising witness (监销人) of a destruction (D5), or the security officer for classified records. */
export interface DestructionWitnessRef {
  readonly capacity: 'archive' | 'business' | 'security';
  readonly witness: PersonRef;
}

/**
 * 销毁 — the record was destroyed as an item of an executed destruction list (D6). It keeps its
 * metadata and full history; it refuses every further command.
 */
export type Destroyed = DomainEvent<
  'Destroyed',
  {
    readonly listId: string;
    /** YYYY-MM-DD. */
    readonly destroyedOn: string;
    /** The signing policy version the list was signed under (D3). */
    readonly policyVersion: number;
    readonly signatures: readonly DestructionSignatureRef[];
    readonly witnesses: readonly DestructionWitnessRef[];
    /**
     * D6 purge of electronic content: `none_held` while the system stores no electronic content
     * (B12 is not built); see docs/disposition.md for the hook.
     */
    readonly electronicContent: 'none_held' | 'purged';
  }
>;

/** 归档 — a record was filed (F1). */
export type ArchiveFiled = DomainEvent<'ArchiveFiled', RecordMetadata>;

/** One discriminated union per stream: every event of `record-{archiveCode}`. */
export type RecordEvent =
  | ArchiveFiled
  | MetadataCorrectionProposed
  | MetadataCorrected
  | MetadataCorrectionRejected
  | ClassificationChanged
  | LoanRequested
  | LoanApprovalGiven
  | LoanApproved
  | LoanRefused
  | LoanWithdrawn
  | Borrowed
  | LoanRenewalRequested
  | LoanRenewalApprovalGiven
  | LoanRenewed
  | LoanRenewalRefused
  | OverdueReminderSent
  | Returned
  | DamageReported
  | UtilisationRecorded
  | RetentionExtended
  | HoldPlaced
  | HoldReleased
  // ── Transfer and stock-taking (X1, X2)
  | Transferred
  | MarkedMissing
  | FoundAgain
  // ── Appraisal and destruction (R4, R5, D1–D8)
  | AppraisalRecorded
  | Destroyed;

/** Stable type strings, as stored. Never rename one: add a new type and upcast instead. */
export const RECORD_EVENT_TYPES = [
  'ArchiveFiled',
  'MetadataCorrectionProposed',
  'MetadataCorrected',
  'MetadataCorrectionRejected',
  'ClassificationChanged',
  'LoanRequested',
  'LoanApprovalGiven',
  'LoanApproved',
  'LoanRefused',
  'LoanWithdrawn',
  'Borrowed',
  'LoanRenewalRequested',
  'LoanRenewalApprovalGiven',
  'LoanRenewed',
  'LoanRenewalRefused',
  'OverdueReminderSent',
  'Returned',
  'DamageReported',
  'UtilisationRecorded',
  'RetentionExtended',
  'HoldPlaced',
  'HoldReleased',
  // ── Transfer and stock-taking (X1, X2)
  'Transferred',
  'MarkedMissing',
  'FoundAgain',
  // ── Appraisal and destruction (R4, R5, D1–D8)
  'AppraisalRecorded',
  'Destroyed',
] as const satisfies readonly RecordEvent['type'][];
