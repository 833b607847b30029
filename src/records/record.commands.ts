import type { Classification } from '../domain-kernel/actor';
import type { LoanApprovalPolicy } from '../approval-policy/loan-approval.policy';
import type { RetentionClass } from './archive-code';
import type {
  AppraisalDecision,
  DestructionSignatureRef,
  DestructionWitnessRef,
  DamageCondition,
  HoldKind,
  LoanMode,
  MetadataChanges,
  RecordMetadata,
  ReturnCondition,
  PersonRef,
  TransferReceiver,
} from './record.events';

/**
 * Every command on a record (stream `record-{archiveCode}`). The acting person and the time are
 * not part of a command: they come from the verified token and the injected clock
 * (DecisionContext), so no command can name someone else as the actor.
 */

/** 归档 — file a record (F1–F3, F6). */
export interface FileRecord {
  readonly type: 'FileRecord';
  readonly metadata: RecordMetadata;
}

/** 修改 — propose a metadata correction (F5); the archive department head decides. */
export interface ProposeCorrection {
  readonly type: 'ProposeCorrection';
  readonly changes: MetadataChanges;
  readonly reason: string;
}

export interface DecideCorrection {
  readonly type: 'DecideCorrection';
  readonly correctionId: string;
  readonly decision: 'approve' | 'reject';
  /** Required when rejecting. */
  readonly reason?: string;
}

/** 密级变更/解除 (F6). */
export interface ChangeClassification {
  readonly type: 'ChangeClassification';
  readonly to: Classification;
  readonly grounds: string;
}

/** Who the loan is for: the caller themself, or an external visitor registered by an archivist (B7). */
export type BorrowerRequest =
  | { readonly type: 'staff' }
  | {
      readonly type: 'external';
      readonly name: string;
      readonly organisation: string;
      readonly introductionLetterRef: string;
    };

/** 借阅申请 — request a loan (B1, B2, B3–B7). `policy` is the approval policy in force, loaded by the shell's caller. */
export interface RequestLoan {
  readonly type: 'RequestLoan';
  readonly borrower: BorrowerRequest;
  readonly mode: LoanMode;
  readonly purpose: string;
  /** Defaults to the policy's default period for the mode. */
  readonly days?: number;
  /** B7: an external borrower wants to take excerpts out. */
  readonly excerpts?: boolean;
  readonly policy: LoanApprovalPolicy;
}

/** An approver decides on the loan's request, or on its pending renewal (B3, B8). */
export interface DecideLoanApproval {
  readonly type: 'DecideLoanApproval';
  readonly loanId: string;
  readonly decision: 'approve' | 'refuse';
  /** Which required role the caller fills, when they could fill more than one. */
  readonly role?: string;
  /** Opinion (意见); required when refusing. */
  readonly opinion?: string;
}

export interface WithdrawLoan {
  readonly type: 'WithdrawLoan';
  readonly loanId: string;
  readonly reason: string;
}

/** 借出 — hand an approved loan over to its borrower (B1, B2, B11). */
export interface HandOverLoan {
  readonly type: 'HandOverLoan';
  readonly loanId: string;
}

/** 续借 (B8). */
export interface RequestRenewal {
  readonly type: 'RequestRenewal';
  readonly loanId: string;
  readonly extraDays: number;
  readonly reason: string;
  readonly policy: LoanApprovalPolicy;
}

/** 催还 (B9). */
export interface SendOverdueReminder {
  readonly type: 'SendOverdueReminder';
  readonly loanId: string;
  readonly channel: string;
  readonly note?: string;
}

/** 归还 — checked in person (B10). */
export interface ReturnLoan {
  readonly type: 'ReturnLoan';
  readonly loanId: string;
  readonly condition: ReturnCondition;
  /** Required when the condition is not intact: what was found. */
  readonly note?: string;
}

/** Damage or loss found outside a return (B10). */
export interface ReportDamage {
  readonly type: 'ReportDamage';
  readonly loanId?: string;
  readonly condition: DamageCondition;
  readonly description: string;
}

/** 利用效果登记 (B13). */
export interface RecordUtilisation {
  readonly type: 'RecordUtilisation';
  readonly loanId: string;
  readonly usedFor: string;
  readonly effect: string;
}

/** 延长保管期限 — only ever longer (R2); PERMANENT is final (R3). */
export interface ExtendRetention {
  readonly type: 'ExtendRetention';
  readonly to: RetentionClass;
  readonly grounds: string;
}

/** R6. */
export interface PlaceHold {
  readonly type: 'PlaceHold';
  readonly kind: HoldKind;
  readonly reason: string;
  readonly reference?: string;
}

export interface ReleaseHold {
  readonly type: 'ReleaseHold';
  readonly holdId: string;
  readonly reason: string;
}

// ── Transfer and stock-taking (X1, X2) ──────────────────────────────────────────────────────────

/**
 * 移交 — the record leaves custody on a signed transfer list (X1). Sent only by the transfer
 * list's completion (src/transfer/), never over a record route.
 */
export interface TransferRecord {
  readonly type: 'TransferRecord';
  readonly transferId: string;
  readonly receiver: TransferReceiver;
  readonly receiptReference: string;
  /** Our signatory of the list. */
  readonly approvedBy: PersonRef;
}

/** Flag the record missing: a closed stock-take did not find it (X2). Sent by the stock-take's close. */
export interface MarkMissing {
  readonly type: 'MarkMissing';
  readonly stockTakeId: string;
}

/** A missing record was found (X2): by a later stock-take, or reported by an archivist. */
export interface RecordFoundAgain {
  readonly type: 'RecordFoundAgain';
  readonly stockTakeId?: string;
  readonly location: string;
  readonly note?: string;
}

// ── Appraisal and destruction (R4, R5, D1–D8) ────────────────────────────────────────────────

/**
 * 鉴定 — record the appraisal committee's decision on a record due for appraisal (R4, R5). The
 * caller is a committee member; `otherMembers` names the rest of the committee.
 */
export interface RecordAppraisal {
  readonly type: 'RecordAppraisal';
  readonly decision: AppraisalDecision;
  readonly grounds: string;
  readonly otherMembers: readonly PersonRef[];
  /** keep: the new, longer retention class (R2). */
  readonly newRetentionClass?: RetentionClass;
}

/**
 * 销毁 — destroy the record as an item of an executed destruction list (D6). Sent only by the
 * destruction execution process (src/destruction/), never over a record route.
 */
export interface DestroyRecord {
  readonly type: 'DestroyRecord';
  readonly listId: string;
  readonly destroyedOn: string;
  readonly policyVersion: number;
  readonly signatures: readonly DestructionSignatureRef[];
  readonly witnesses: readonly DestructionWitnessRef[];
  readonly electronicContent: 'none_held' | 'purged';
}

export type RecordCommand =
  | FileRecord
  | ProposeCorrection
  | DecideCorrection
  | ChangeClassification
  | RequestLoan
  | DecideLoanApproval
  | WithdrawLoan
  | HandOverLoan
  | RequestRenewal
  | SendOverdueReminder
  | ReturnLoan
  | ReportDamage
  | RecordUtilisation
  | ExtendRetention
  | PlaceHold
  | ReleaseHold
  // ── Transfer and stock-taking (X1, X2)
  | TransferRecord
  | MarkMissing
  | RecordFoundAgain
  // ── Appraisal and destruction (R4, R5, D1–D8)
  | RecordAppraisal
  | DestroyRecord;

/** A command as a caller sends it: the commands that need the approval policy get it from the shell's caller. */
export type RecordCommandRequest =
  | Exclude<RecordCommand, RequestLoan | RequestRenewal>
  | Omit<RequestLoan, 'policy'>
  | Omit<RequestRenewal, 'policy'>;
