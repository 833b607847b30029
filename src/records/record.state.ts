import { assertNever } from '../domain-kernel/decider';
import { parseArchiveCode, type RetentionClass } from './archive-code';
import type {
  AppraisalDecision,
  ApprovalRequirement,
  Borrower,
  DamageCondition,
  GivenApproval,
  HoldKind,
  LoanMode,
  MetadataChanges,
  PersonRef,
  RecordEvent,
  RecordMetadata,
  ReturnCondition,
  TransferReceiver,
} from './record.events';

/** Where a loan stands. `requested` → `approved` → `out` → `returned`; or `refused` / `withdrawn`. */
export type LoanStatus = 'requested' | 'approved' | 'out' | 'returned' | 'refused' | 'withdrawn';

/** A renewal (续借) waiting for its approvals (B8). */
export interface PendingRenewal {
  readonly renewal: number;
  readonly extraDays: number;
  readonly totalDays: number;
  readonly dueAt: string;
  readonly requiredApprovals: readonly ApprovalRequirement[];
  readonly approvals: readonly GivenApproval[];
}

export interface LoanState {
  readonly loanId: string;
  readonly status: LoanStatus;
  readonly borrower: Borrower;
  readonly requestedBy: PersonRef;
  readonly mode: LoanMode;
  readonly purpose: string;
  /** Days approved so far, renewals included. */
  readonly totalDays: number;
  readonly excerpts: boolean;
  readonly policyVersion: number;
  readonly requiredApprovals: readonly ApprovalRequirement[];
  readonly approvals: readonly GivenApproval[];
  readonly handedOverAt?: string;
  readonly dueAt?: string;
  /** Renewals granted. */
  readonly renewals: number;
  /** Renewals asked for, granted or not: numbers each request. */
  readonly renewalRequests: number;
  readonly pendingRenewal?: PendingRenewal;
  readonly reminders: number;
  readonly returnedAt?: string;
  readonly condition?: ReturnCondition;
  readonly utilisationRecorded: boolean;
}

export interface DamageReport {
  readonly reportId: string;
  readonly loanId?: string;
  readonly condition: DamageCondition;
  readonly description: string;
}

export interface PendingCorrection {
  readonly correctionId: string;
  readonly before: MetadataChanges;
  readonly after: MetadataChanges;
  readonly reason: string;
  readonly proposedBy: PersonRef;
}

export interface HoldState {
  readonly holdId: string;
  readonly kind: HoldKind;
  readonly reason: string;
  readonly active: boolean;
}

/** A filed record, folded from its stream. Plain data, so any past state can be replayed and shown. */
export interface FiledRecord {
  readonly status: 'filed';
  /** Current metadata: corrections (F5), classification changes (F6) and retention extensions (R2) applied. */
  readonly metadata: RecordMetadata;
  /** In filing order; a loan's number is its index + 1. */
  readonly loans: readonly LoanState[];
  readonly pendingCorrection?: PendingCorrection;
  readonly corrections: number;
  /** B10: damage and loss stay visible on the record. */
  readonly damage: readonly DamageReport[];
  readonly holds: readonly HoldState[];
  // ── Transfer and stock-taking (X1, X2)
  /** X1: set once the record was transferred out of custody; absent while we hold it. */
  readonly transfer?: TransferState;
  /** X2: set while the record is flagged missing; removed when it is found again. */
  readonly missing?: MissingState;
  // ── Appraisal and destruction (R4, R5, D1–D8)
  /** R5: appraisals recorded so far (numbers the next one). Absent: none. */
  readonly appraisalCount?: number;
  /** R5, D1: the last appraisal released the record for destruction and no extension voided it since. */
  readonly releasedForDestruction?: { readonly appraisalId: string };
  /** The last appraisal's decision (R5): `undefined` while never appraised. */
  readonly lastAppraisal?: { readonly appraisalId: string; readonly decision: AppraisalDecision };
  /** D6: set once the record was destroyed; it then refuses every command. */
  readonly destroyed?: { readonly listId: string; readonly destroyedOn: string };
}

/** 移交 — where the record went (X1). */
export interface TransferState {
  readonly transferId: string;
  readonly receiver: TransferReceiver;
}

/** X2: the stock-take that did not find the record. */
export interface MissingState {
  readonly stockTakeId: string;
}

export type RecordState = { readonly status: 'not_filed' } | FiledRecord;

export function evolveRecord(state: RecordState, event: RecordEvent): RecordState {
  if (event.type === 'ArchiveFiled') {
    return { status: 'filed', metadata: event.data, loans: [], corrections: 0, damage: [], holds: [] };
  }
  if (state.status !== 'filed') return state;
  return evolveFiled(state, event);
}

function evolveFiled(
  record: FiledRecord,
  event: Exclude<RecordEvent, { type: 'ArchiveFiled' }>,
): FiledRecord {
  switch (event.type) {
    case 'MetadataCorrectionProposed': {
      const { correctionId, before, after, reason, proposedBy } = event.data;
      return { ...record, pendingCorrection: { correctionId, before, after, reason, proposedBy } };
    }
    case 'MetadataCorrected':
      return {
        ...record,
        metadata: applyChanges(record.metadata, event.data.after),
        pendingCorrection: undefined,
        corrections: record.corrections + 1,
      };
    case 'MetadataCorrectionRejected':
      return { ...record, pendingCorrection: undefined, corrections: record.corrections + 1 };
    case 'ClassificationChanged':
      return { ...record, metadata: { ...record.metadata, classification: event.data.to } };
    case 'RetentionExtended':
      // R5: a longer retention voids an earlier release for destruction.
      return {
        ...record,
        metadata: { ...record.metadata, retentionClass: event.data.to },
        releasedForDestruction: undefined,
      };
    case 'HoldPlaced': {
      const { holdId, kind, reason } = event.data;
      return { ...record, holds: [...record.holds, { holdId, kind, reason, active: true }] };
    }
    case 'HoldReleased':
      return {
        ...record,
        holds: record.holds.map((h) => (h.holdId === event.data.holdId ? { ...h, active: false } : h)),
      };
    case 'DamageReported': {
      const { reportId, loanId, condition, description } = event.data;
      const report: DamageReport = { reportId, condition, description, ...(loanId ? { loanId } : {}) };
      return { ...record, damage: [...record.damage, report] };
    }
    case 'LoanRequested': {
      const d = event.data;
      const loan: LoanState = {
        loanId: d.loanId,
        status: 'requested',
        borrower: d.borrower,
        requestedBy: d.requestedBy,
        mode: d.mode,
        purpose: d.purpose,
        totalDays: d.days,
        excerpts: d.excerpts,
        policyVersion: d.policyVersion,
        requiredApprovals: d.requiredApprovals,
        approvals: [],
        renewals: 0,
        renewalRequests: 0,
        reminders: 0,
        utilisationRecorded: false,
      };
      return { ...record, loans: [...record.loans, loan] };
    }
    case 'LoanApprovalGiven':
      return updateLoan(record, event.data.loanId, (l) => ({
        ...l,
        approvals: [...l.approvals, event.data.approval],
      }));
    case 'LoanApproved':
      return updateLoan(record, event.data.loanId, (l) => ({ ...l, status: 'approved' }));
    case 'LoanRefused':
      return updateLoan(record, event.data.loanId, (l) => ({ ...l, status: 'refused' }));
    case 'LoanWithdrawn':
      return updateLoan(record, event.data.loanId, (l) => ({ ...l, status: 'withdrawn' }));
    case 'Borrowed':
      return updateLoan(record, event.data.loanId, (l) => ({
        ...l,
        status: 'out',
        handedOverAt: event.data.handedOverAt,
        dueAt: event.data.dueAt,
      }));
    case 'LoanRenewalRequested': {
      const d = event.data;
      return updateLoan(record, d.loanId, (l) => ({
        ...l,
        renewalRequests: l.renewalRequests + 1,
        pendingRenewal: {
          renewal: d.renewal,
          extraDays: d.extraDays,
          totalDays: d.totalDays,
          dueAt: d.dueAt,
          requiredApprovals: d.requiredApprovals,
          approvals: [],
        },
      }));
    }
    case 'LoanRenewalApprovalGiven':
      return updateLoan(record, event.data.loanId, (l) =>
        l.pendingRenewal
          ? {
              ...l,
              pendingRenewal: {
                ...l.pendingRenewal,
                approvals: [...l.pendingRenewal.approvals, event.data.approval],
              },
            }
          : l,
      );
    case 'LoanRenewed':
      return updateLoan(record, event.data.loanId, (l) => ({
        ...l,
        dueAt: event.data.dueAt,
        totalDays: event.data.totalDays,
        renewals: l.renewals + 1,
        pendingRenewal: undefined,
      }));
    case 'LoanRenewalRefused':
      return updateLoan(record, event.data.loanId, (l) => ({ ...l, pendingRenewal: undefined }));
    case 'OverdueReminderSent':
      return updateLoan(record, event.data.loanId, (l) => ({ ...l, reminders: l.reminders + 1 }));
    case 'Returned':
      return updateLoan(record, event.data.loanId, (l) => ({
        ...l,
        status: 'returned',
        returnedAt: event.data.returnedAt,
        condition: event.data.condition,
        pendingRenewal: undefined,
      }));
    case 'UtilisationRecorded':
      return updateLoan(record, event.data.loanId, (l) => ({ ...l, utilisationRecorded: true }));
    // ── Transfer and stock-taking (X1, X2)
    case 'Transferred': {
      const { transferId, receiver } = event.data;
      return { ...record, transfer: { transferId, receiver } };
    }
    case 'MarkedMissing':
      return { ...record, missing: { stockTakeId: event.data.stockTakeId } };
    case 'FoundAgain':
      return { ...record, missing: undefined };
    // ── Appraisal and destruction (R4, R5, D1–D8)
    case 'AppraisalRecorded': {
      const { appraisalId, decision } = event.data;
      return {
        ...record,
        appraisalCount: (record.appraisalCount ?? 0) + 1,
        lastAppraisal: { appraisalId, decision },
        releasedForDestruction: decision === 'release' ? { appraisalId } : undefined,
      };
    }
    case 'Destroyed':
      return { ...record, destroyed: { listId: event.data.listId, destroyedOn: event.data.destroyedOn } };
    default:
      return assertNever(event);
  }
}

function updateLoan(
  record: FiledRecord,
  loanId: string,
  change: (loan: LoanState) => LoanState,
): FiledRecord {
  return { ...record, loans: record.loans.map((l) => (l.loanId === loanId ? change(l) : l)) };
}

function applyChanges(metadata: RecordMetadata, changes: MetadataChanges): RecordMetadata {
  const next: Record<string, unknown> = { ...metadata };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next as unknown as RecordMetadata;
}

// ── Derived facts, computed from the injected clock (never from the wall clock) ─────────────────

const DAY_MS = 24 * 60 * 60 * 1000;

/** The loans still open: requested, approved or out. */
export function openLoans(record: FiledRecord): readonly LoanState[] {
  return record.loans.filter(
    (l) => l.status === 'requested' || l.status === 'approved' || l.status === 'out',
  );
}

/** B9: a loan is overdue once its due time has passed and it is still out. */
export function isOverdue(loan: LoanState, now: Date): boolean {
  return loan.status === 'out' && loan.dueAt !== undefined && now.getTime() > Date.parse(loan.dueAt);
}

/** Whole days overdue, counting a started day as one (0 when not overdue). */
export function daysOverdue(dueAt: string, now: Date): number {
  const late = now.getTime() - Date.parse(dueAt);
  return late > 0 ? Math.ceil(late / DAY_MS) : 0;
}

/** `from` plus a number of days, as an ISO timestamp. */
export function addDays(from: string | Date, days: number): string {
  const start = typeof from === 'string' ? Date.parse(from) : from.getTime();
  return new Date(start + days * DAY_MS).toISOString();
}

/** Years kept for each retention class (R1); PERMANENT never expires. */
export const RETENTION_YEARS: Readonly<Record<RetentionClass, number | undefined>> = {
  PERMANENT: undefined,
  D30: 30,
  D10: 10,
};

/**
 * R1: retention counts from 1 January of the year after the year formed. Returns the date
 * (YYYY-MM-DD) on which retention expires, or undefined for PERMANENT records.
 */
export function retentionExpiresOn(
  metadata: Pick<RecordMetadata, 'dateFormed' | 'retentionClass'>,
): string | undefined {
  const years = RETENTION_YEARS[metadata.retentionClass];
  if (years === undefined) return undefined;
  const yearFormed = Number(metadata.dateFormed.slice(0, 4));
  return `${String(yearFormed + 1 + years).padStart(4, '0')}-01-01`;
}

/** R4: retention has expired on or before `now`. */
export function isRetentionExpired(
  metadata: Pick<RecordMetadata, 'dateFormed' | 'retentionClass'>,
  now: Date,
): boolean {
  const expires = retentionExpiresOn(metadata);
  return expires !== undefined && now.getTime() >= Date.parse(`${expires}T00:00:00Z`);
}

/** The active holds (R6). */
export function activeHolds(record: FiledRecord): readonly HoldState[] {
  return record.holds.filter((h) => h.active);
}

/** The unit that formed the record: the `{unit}` part of its archive code (used by B6). */
export function recordUnit(metadata: RecordMetadata): string {
  const parts = parseArchiveCode(metadata.archiveCode);
  return parts ? parts.unit : '';
}
