import type { Classification } from '../../domain-kernel/actor';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { PartialIndex, ReadDoc } from '../../read-store/read-store.port';
import { assertNever } from '../../domain-kernel/decider';
import type {
  ApprovalRequirement,
  Borrower,
  DamageCondition,
  GivenApproval,
  LoanMode,
  PersonRef,
  RecordEvent,
  ReturnCondition,
} from '../../records/record.events';
import type { LoanStatus } from '../../records/record.state';
import {
  catalogueEntryOf,
  isLegacyHeader,
  asRecordEvent,
  correctionTouches,
  corrected,
  factsFrom,
  monthOf,
  reclassified,
  wholeRecord,
} from './record-context';
import type { ReadModel } from '../read-model';

/** A renewal (续借) as the ledger shows it: asked, then granted or refused (B8). */
export interface LedgerRenewal {
  readonly renewal: number;
  readonly extraDays: number;
  /** Days of the loan in all if granted. */
  readonly totalDays: number;
  /** The due date asked for. */
  readonly dueAt: string;
  readonly reason: string;
  readonly requestedAt: string;
  readonly status: 'requested' | 'granted' | 'refused';
  readonly policyVersion: number;
  readonly requiredApprovals: readonly ApprovalRequirement[];
  readonly approvals: readonly GivenApproval[];
  readonly previousDueAt: string | null;
  readonly decidedAt: string | null;
  readonly refusal: { readonly role: string; readonly approver: PersonRef; readonly reason: string } | null;
}

/** 催还 — the last reminder sent (B9). */
export interface LedgerReminder {
  readonly reminder: number;
  readonly sentAt: string;
  readonly channel: string;
  readonly note: string | null;
  readonly dueAt: string;
  readonly daysOverdue: number;
}

/** 利用效果 — what the loan was used for and what it achieved (B13). */
export interface LedgerUtilisation {
  readonly usedFor: string;
  readonly effect: string;
  readonly recordedBy: PersonRef;
  readonly recordedAt: string;
}

/**
 * What awaits approval on a loan now (B3, B8): its request while `requested`, or its pending
 * renewal while `out`. Kept so that "awaiting my approval" is one indexed query; null otherwise.
 */
export interface LedgerAwaiting {
  /** The renewal awaiting approval, or null for the loan's request. */
  readonly renewal: number | null;
  /** When the request (or the renewal) was asked for. */
  readonly since: string;
  /** The outstanding requirements as keys: `role`, or `role@UNIT` when the approver must head UNIT. */
  readonly approvers: readonly string[];
  /** Who may not approve it: the staff borrower, whoever registered it, and who already approved this round (B3). */
  readonly barred: readonly string[];
}

export interface LedgerDamage {
  readonly reportId: string;
  readonly condition: DamageCondition;
  readonly description: string;
  readonly reportedBy: PersonRef;
  readonly reportedAt: string;
}

/**
 * 借阅登记簿 — one loan, as the loan ledger, the overdue list (B9), open loans by person (B14), the
 * substitute cards (B11), the utilisation ledger (B13) and the loan statistics read it. Times are
 * the events' `occurredAt`, or the times the domain recorded in the event (hand-over, due, return).
 */
export interface LoanLedgerDoc {
  /** The loan id, e.g. `Z001-WS-2024-D30-SALES-0001.L1`. */
  readonly id: string;
  readonly loanId: string;
  readonly archiveCode: string;
  /** The record's current title (kept current through corrections, F5). */
  readonly title?: string;
  /** The record's current classification (kept current through F6 changes). */
  readonly classification?: Classification;
  readonly classificationRank?: number;
  /** Where the record's shelf is: the substitute card stands there while it is out (B11). */
  readonly shelfLocation: string | null;
  readonly borrower: Borrower;
  /** One key per borrower: the staff id, or `external:{organisation}:{name}`. */
  readonly borrowerKey: string;
  readonly requestedBy: PersonRef;
  readonly mode: LoanMode;
  readonly purpose: string;
  /** Days asked for. */
  readonly days: number;
  /** Days approved in all, renewals included. */
  readonly totalDays: number;
  readonly excerpts: boolean;
  readonly status: LoanStatus;
  readonly policyVersion: number;
  readonly requiredApprovals: readonly ApprovalRequirement[];
  readonly approvals: readonly GivenApproval[];
  readonly requestedAt: string;
  readonly approvedAt: string | null;
  readonly refusal: {
    readonly role: string;
    readonly approver: PersonRef;
    readonly reason: string;
    readonly at: string;
  } | null;
  readonly withdrawal: { readonly by: PersonRef; readonly reason: string; readonly at: string } | null;
  readonly handedOverAt: string | null;
  readonly handedOverBy: PersonRef | null;
  /** `YYYY-MM` of the hand-over: the loans-per-month statistics group by it. */
  readonly handedOverMonth: string | null;
  readonly dueAt: string | null;
  readonly renewals: readonly LedgerRenewal[];
  readonly reminders: { readonly count: number; readonly last: LedgerReminder | null };
  readonly returnedAt: string | null;
  /** `YYYY-MM` of the return. */
  readonly returnedMonth: string | null;
  readonly receivedBy: PersonRef | null;
  /** B10: the condition found at return. */
  readonly condition: ReturnCondition | null;
  /** B10: what the archivist noted at a return not intact. */
  readonly damageNote: string | null;
  /** Whole days late at return (0 when on time). */
  readonly overdueDaysAtReturn: number | null;
  /** Damage or loss reported against this loan (at return or later, B10). */
  readonly damage: readonly LedgerDamage[];
  readonly utilisation: LedgerUtilisation | null;
  /** What awaits approval now and by whom (B3, B8); null when nothing does. Derived from the fields above. */
  readonly awaiting: LedgerAwaiting | null;
}

const COLLECTION = 'loan_ledger';

/** One key per borrower, so the ledger can be filtered by person (B14) and statistics count borrowers. */
export function borrowerKeyOf(borrower: Borrower): string {
  return borrower.type === 'staff' ? borrower.id : `external:${borrower.organisation}:${borrower.name}`;
}

/** Indexes: each list query's equality fields, then its sort field, then the A2 rank. */
const BY = (...fields: string[]) => [...fields, 'classificationRank'];
/** The same over only the loans where `field` has a value: most loans have no utilisation or open round. */
const WHERE_SET = (field: string, ...fields: string[]): PartialIndex => ({
  fields: BY(...fields),
  only: field,
  is: 'set',
});
/** The same over only the loans out now: a few among every loan the ledger has ever registered. */
const OUT_NOW = (...fields: string[]): PartialIndex => ({
  fields: BY('status', ...fields),
  only: 'status',
  is: { equals: 'out' },
});

export const loanLedgerReadModel: ReadModel = {
  collection: {
    name: COLLECTION,
    indexes: [
      // GET /loans, by request time, filtered by record, borrower, status or mode
      BY('requestedAt'),
      BY('archiveCode', 'requestedAt'),
      BY('borrowerKey', 'requestedAt'),
      BY('status', 'requestedAt'),
      BY('mode', 'requestedAt'),
      // B9 overdue list; B11 substitute cards by shelf location
      OUT_NOW('dueAt'),
      OUT_NOW('shelfLocation'),
      // B14 open loans of one person
      BY('borrowerKey', 'status', 'requestedAt'),
      // B13 utilisation ledger
      WHERE_SET('utilisation.recordedAt', 'utilisation.recordedAt'),
      WHERE_SET('utilisation.recordedAt', 'archiveCode', 'utilisation.recordedAt'),
      // statistics: loans handed over and returned per month
      BY('handedOverMonth'),
      BY('returnedMonth'),
      // B3, B8: awaiting approval, oldest first (GET /loans/awaiting-my-approval)
      WHERE_SET('awaiting.since', 'awaiting.since'),
    ],
  },

  route(event) {
    const e = asRecordEvent(event);
    if (!e) return undefined;
    switch (e.type) {
      case 'ClassificationChanged':
        return wholeRecord(event);
      case 'MetadataCorrected':
        return correctionTouches(e, ['title', 'shelfLocation']) ? wholeRecord(event) : undefined;
      case 'DamageReported':
        return e.data.loanId ? [e.data.loanId] : undefined;
      case 'LoanRequested':
      case 'LoanApprovalGiven':
      case 'LoanApproved':
      case 'LoanRefused':
      case 'LoanWithdrawn':
      case 'Borrowed':
      case 'LoanRenewalRequested':
      case 'LoanRenewalApprovalGiven':
      case 'LoanRenewed':
      case 'LoanRenewalRefused':
      case 'OverdueReminderSent':
      case 'Returned':
      case 'UtilisationRecorded':
        return [e.data.loanId];
      case 'MetadataCorrectionProposed':
      case 'ArchiveFiled':
      case 'MetadataCorrectionRejected':
      case 'RetentionExtended':
      case 'HoldPlaced':
      case 'HoldReleased':
      case 'Transferred':
      case 'MarkedMissing':
      case 'FoundAgain':
      case 'AppraisalRecorded':
      case 'Destroyed':
        return undefined;
      default:
        return assertNever(e);
    }
  },

  context(event) {
    return event.type === 'LoanRequested' && asRecordEvent(event) ? catalogueEntryOf(event) : undefined;
  },

  apply(doc, event, context) {
    const e = asRecordEvent(event);
    if (!e) return doc;
    if (doc && isLegacyHeader(doc)) return undefined;
    if (e.type === 'LoanRequested') return doc ?? requested(e, event, context);
    if (!doc || e.type === 'ArchiveFiled') return doc;
    const before = doc as unknown as LoanLedgerDoc;
    const loan = evolveLoan(before, e, event.metadata.occurredAt);
    // An event that changes nothing of the loan leaves the same document, which the store then
    // does not write again (`awaiting` is derived from the loan's own fields).
    if (loan === before) return doc;
    return withAwaiting(loan);
  },
};

function requested(
  e: Extract<RecordEvent, { type: 'LoanRequested' }>,
  event: RecordedEvent,
  context: ReadDoc | undefined,
): ReadDoc {
  const d = e.data;
  const { shelfLocation, ...facts } = factsFrom(event, context, { classification: d.classification });
  const loan: LoanLedgerDoc = {
    id: d.loanId,
    loanId: d.loanId,
    ...facts,
    shelfLocation: shelfLocation ?? null,
    borrower: d.borrower,
    borrowerKey: borrowerKeyOf(d.borrower),
    requestedBy: d.requestedBy,
    mode: d.mode,
    purpose: d.purpose,
    days: d.days,
    totalDays: d.days,
    excerpts: d.excerpts,
    status: 'requested',
    policyVersion: d.policyVersion,
    requiredApprovals: d.requiredApprovals,
    approvals: [],
    requestedAt: event.metadata.occurredAt,
    approvedAt: null,
    refusal: null,
    withdrawal: null,
    handedOverAt: null,
    handedOverBy: null,
    handedOverMonth: null,
    dueAt: null,
    renewals: [],
    reminders: { count: 0, last: null },
    returnedAt: null,
    returnedMonth: null,
    receivedBy: null,
    condition: null,
    damageNote: null,
    overdueDaysAtReturn: null,
    damage: [],
    utilisation: null,
    awaiting: null,
  };
  return withAwaiting(loan);
}

/**
 * `loan` with its open approval round. `loan` is an object just made for this event (by
 * `requested` or `evolveLoan`, never the document given to `apply`), so it is completed in place
 * rather than copied once more.
 */
function withAwaiting(loan: LoanLedgerDoc): ReadDoc {
  (loan as { awaiting: LedgerAwaiting | null }).awaiting = awaitingOf(loan);
  return loan as unknown as ReadDoc;
}

function evolveLoan(
  loan: LoanLedgerDoc,
  e: Exclude<RecordEvent, { type: 'ArchiveFiled' | 'LoanRequested' }>,
  occurredAt: string,
): LoanLedgerDoc {
  switch (e.type) {
    case 'ClassificationChanged':
      return reclassified(loan as unknown as ReadDoc, e) as unknown as LoanLedgerDoc;
    case 'MetadataCorrected':
      return corrected(loan as unknown as ReadDoc, e, ['title', 'shelfLocation']) as unknown as LoanLedgerDoc;
    case 'LoanApprovalGiven':
      return { ...loan, approvals: [...loan.approvals, e.data.approval] };
    case 'LoanApproved':
      return {
        ...loan,
        status: 'approved',
        approvedAt: occurredAt,
        policyVersion: e.data.policyVersion,
        approvals: e.data.approvals,
      };
    case 'LoanRefused': {
      const { role, approver, reason } = e.data;
      return { ...loan, status: 'refused', refusal: { role, approver, reason, at: occurredAt } };
    }
    case 'LoanWithdrawn':
      return {
        ...loan,
        status: 'withdrawn',
        withdrawal: { by: e.data.by, reason: e.data.reason, at: occurredAt },
      };
    case 'Borrowed': {
      const { handedOverAt, handedOverBy, dueAt, shelfLocation } = e.data;
      return {
        ...loan,
        status: 'out',
        handedOverAt,
        handedOverBy,
        handedOverMonth: monthOf(handedOverAt),
        dueAt,
        shelfLocation,
      };
    }
    case 'LoanRenewalRequested': {
      const d = e.data;
      const renewal: LedgerRenewal = {
        renewal: d.renewal,
        extraDays: d.extraDays,
        totalDays: d.totalDays,
        dueAt: d.dueAt,
        reason: d.reason,
        requestedAt: occurredAt,
        status: 'requested',
        policyVersion: d.policyVersion,
        requiredApprovals: d.requiredApprovals,
        approvals: [],
        previousDueAt: null,
        decidedAt: null,
        refusal: null,
      };
      return { ...loan, renewals: [...loan.renewals, renewal] };
    }
    case 'LoanRenewalApprovalGiven':
      return updateRenewal(loan, e.data.renewal, (r) => ({
        ...r,
        approvals: [...r.approvals, e.data.approval],
      }));
    case 'LoanRenewed': {
      const { renewal, previousDueAt, dueAt, totalDays, approvals } = e.data;
      const renewed = updateRenewal(loan, renewal, (r) => ({
        ...r,
        status: 'granted',
        approvals,
        previousDueAt,
        dueAt,
        totalDays,
        decidedAt: occurredAt,
      }));
      return { ...renewed, dueAt, totalDays };
    }
    case 'LoanRenewalRefused': {
      const { renewal, role, approver, reason } = e.data;
      return updateRenewal(loan, renewal, (r) => ({
        ...r,
        status: 'refused',
        decidedAt: occurredAt,
        refusal: { role, approver, reason },
      }));
    }
    case 'OverdueReminderSent': {
      const { reminder, channel, note, dueAt, daysOverdue } = e.data;
      return {
        ...loan,
        reminders: {
          count: loan.reminders.count + 1,
          last: { reminder, sentAt: occurredAt, channel, note: note ?? null, dueAt, daysOverdue },
        },
      };
    }
    case 'Returned': {
      const { returnedAt, receivedBy, condition, note, overdueDays } = e.data;
      return {
        ...loan,
        status: 'returned',
        returnedAt,
        returnedMonth: monthOf(returnedAt),
        receivedBy,
        condition,
        damageNote: condition === 'intact' ? null : (note ?? null),
        overdueDaysAtReturn: overdueDays,
      };
    }
    case 'DamageReported': {
      const { reportId, condition, description, reportedBy } = e.data;
      return {
        ...loan,
        damage: [...loan.damage, { reportId, condition, description, reportedBy, reportedAt: occurredAt }],
      };
    }
    case 'UtilisationRecorded': {
      const { usedFor, effect, recordedBy } = e.data;
      return { ...loan, utilisation: { usedFor, effect, recordedBy, recordedAt: occurredAt } };
    }
    case 'MetadataCorrectionProposed':
    case 'MetadataCorrectionRejected':
    case 'RetentionExtended':
    case 'HoldPlaced':
    case 'HoldReleased':
    case 'Transferred':
    case 'MarkedMissing':
    case 'FoundAgain':
    case 'AppraisalRecorded':
    case 'Destroyed':
      return loan;
    default:
      return assertNever(e);
  }
}

function updateRenewal(
  loan: LoanLedgerDoc,
  number: number,
  change: (renewal: LedgerRenewal) => LedgerRenewal,
): LoanLedgerDoc {
  return { ...loan, renewals: loan.renewals.map((r) => (r.renewal === number ? change(r) : r)) };
}

/** The approval round open on a loan: its request while requested, or its pending renewal while out. */
export function openApprovalRound(
  loan: Pick<LoanLedgerDoc, 'status' | 'requiredApprovals' | 'approvals' | 'renewals' | 'requestedAt'>,
): {
  readonly renewal: LedgerRenewal | null;
  readonly since: string;
  readonly requiredApprovals: readonly ApprovalRequirement[];
  readonly approvals: readonly GivenApproval[];
} | null {
  if (loan.status === 'requested') {
    const { requiredApprovals, approvals, requestedAt } = loan;
    return { renewal: null, since: requestedAt, requiredApprovals, approvals };
  }
  const pending = loan.status === 'out' ? loan.renewals.find((r) => r.status === 'requested') : undefined;
  if (!pending) return null;
  const { requiredApprovals, approvals, requestedAt } = pending;
  return { renewal: pending, since: requestedAt, requiredApprovals, approvals };
}

/** The required approvals not yet given, as the decider counts them: a given approval fills one requirement of its role and unit. */
export function outstandingApprovals(round: {
  readonly requiredApprovals: readonly ApprovalRequirement[];
  readonly approvals: readonly GivenApproval[];
}): ApprovalRequirement[] {
  const left = [...round.approvals];
  return round.requiredApprovals.filter((required) => {
    const index = left.findIndex((a) => a.role === required.role && a.unit === required.unit);
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}

/** The key of an approver: `role`, or `role@UNIT` for one who must head UNIT. */
export function approverKey(role: string, unit: string | undefined): string {
  return unit === undefined ? role : `${role}@${unit}`;
}

function awaitingOf(loan: LoanLedgerDoc): LedgerAwaiting | null {
  const round = openApprovalRound(loan);
  if (!round) return null;
  const outstanding = outstandingApprovals(round);
  if (outstanding.length === 0) return null;
  const barred = [
    ...(loan.borrower.type === 'staff' ? [loan.borrower.id] : []),
    loan.requestedBy.id,
    ...round.approvals.map((a) => a.approver.id),
  ];
  return {
    renewal: round.renewal?.renewal ?? null,
    since: round.since,
    approvers: [...new Set(outstanding.map((r) => approverKey(r.role, r.unit)))],
    barred: [...new Set(barred)],
  };
}
