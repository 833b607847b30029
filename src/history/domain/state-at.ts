import type { Classification } from '../../domain-kernel/actor';
import type { Borrower, GivenApproval, LoanMode, PersonRef, RecordEvent } from '../../records/record.events';
import {
  activeHolds,
  evolveRecord,
  isOverdue,
  type FiledRecord,
  type LoanState,
  type RecordState,
} from '../../records/record.state';
import { dayOf, roleZh, type Summary } from './record-event-summaries';
import type { StoredRecordEvent } from './record-history';

/**
 * Which past moment to replay (ARCHITECTURE "Two times"):
 * - `recorded`: the state **as known at T** — every event the store had recorded by T;
 * - `occurred`: the state **as it was at T** — every event that, as its actor stated, had happened by T,
 *   including ones recorded later (back-dated);
 * - `revision`: the state after the event at that revision;
 * - `latest`: every event.
 * Events are always applied in stream order.
 */
export type AsOf =
  | { readonly kind: 'time'; readonly at: string; readonly by: TimeBasis }
  | { readonly kind: 'revision'; readonly revision: number }
  | { readonly kind: 'latest' };

export const TIME_BASES = ['recorded', 'occurred'] as const;
export type TimeBasis = (typeof TIME_BASES)[number];
/** The basis a time query uses when none is asked for: what the system knew at T. */
export const DEFAULT_TIME_BASIS: TimeBasis = 'recorded';

/** One approval as given: by whom, in which role, and when (the approval event's occurredAt and revision). */
export interface TimedApproval extends GivenApproval {
  readonly approvedAt: string;
  readonly revision: number;
}

/** A renewal (续借) granted, with the approvals it needed. */
export interface GrantedRenewal {
  readonly renewal: number;
  readonly previousDueAt: string;
  readonly dueAt: string;
  readonly totalDays: number;
  readonly approvals: readonly TimedApproval[];
}

/** Who held the record at the moment shown (B11: who has it, since when, until when) and under which approvals. */
export interface Holder {
  readonly loanId: string;
  readonly borrower: Borrower;
  readonly mode: LoanMode;
  readonly purpose: string;
  readonly since: string | null;
  readonly due: string | null;
  /** Due time passed at the moment shown and still out (B9). */
  readonly overdue: boolean;
  readonly handedOverBy: PersonRef | null;
  readonly policyVersion: number;
  readonly approvals: readonly TimedApproval[];
  readonly renewals: readonly GrantedRenewal[];
}

export interface Custody {
  /** `on_loan` while at least one loan is handed over and not returned; `transferred` (X1) and `destroyed` (D6) end custody. */
  readonly status: 'in_custody' | 'on_loan' | 'transferred' | 'destroyed';
  readonly shelfLocation: string;
  /** X2: flagged missing at a stock-take and not found since, at the moment shown; otherwise null. */
  readonly missing: { readonly stockTakeId: string } | null;
  readonly holders: readonly Holder[];
  readonly summary: Summary;
}

/** The record replayed to a past moment. */
export interface PointInTime {
  /** The folded state at that moment (`not_filed` before filing). */
  readonly state: RecordState;
  /** The last event applied, or undefined when none was. */
  readonly lastApplied: StoredRecordEvent | undefined;
  readonly eventsApplied: number;
  readonly eventsInStream: number;
  /** `occurred` only: revisions applied although the store recorded them after T (back-dated). */
  readonly recordedAfterAt: readonly number[];
  /** The record's classification after every event (what A2 checks besides the one shown). */
  readonly currentClassification: Classification | undefined;
  /** Who held the record, from the events applied; undefined before filing. */
  readonly custody: Custody | undefined;
}

/** What the fold keeps about each loan besides `LoanState`: approval times, renewals granted, who handed it over. */
interface LoanTrail {
  approvals: TimedApproval[];
  pendingRenewalApprovals: TimedApproval[];
  renewals: GrantedRenewal[];
  handedOverBy: PersonRef | null;
}

/** What the caller already knows about the stream as it is now, so the replay need not fold it again. */
export interface ReplayOptions {
  /** The record's classification after every event (undefined: never filed), e.g. from `classificationsOf`. */
  readonly now?: { readonly classification: Classification | undefined };
}

/**
 * Replays a record stream to `asOf`: one pass over the events, evolving with the record's own
 * `evolveRecord` (no read model). The state now is folded in the same pass, for the clearance check,
 * unless `options.now` gives its classification: then only the events shown are folded.
 */
export function replayTo(
  events: readonly StoredRecordEvent[],
  asOf: AsOf,
  options: ReplayOptions = {},
): PointInTime {
  const foldNow = options.now === undefined;
  const atMs = asOf.kind === 'time' ? Date.parse(asOf.at) : undefined;
  const included = (event: StoredRecordEvent): boolean => {
    switch (asOf.kind) {
      case 'latest':
        return true;
      case 'revision':
        return event.revision <= asOf.revision;
      case 'time':
        return (
          Date.parse(asOf.by === 'recorded' ? event.metadata.recordedAt : event.metadata.occurredAt) <=
          (atMs as number)
        );
    }
  };

  let current: RecordState = { status: 'not_filed' };
  let shown: RecordState = current;
  // While every event so far is included, the state shown is the state now: fold once.
  let prefix = true;
  let lastApplied: StoredRecordEvent | undefined;
  let eventsApplied = 0;
  const recordedAfterAt: number[] = [];
  const trails = new Map<string, LoanTrail>();

  for (const event of events) {
    // Revisions ascend (the chain was verified): nothing after the revision asked for is shown.
    if (!foldNow && asOf.kind === 'revision' && event.revision > asOf.revision) break;
    const domainEvent = event as unknown as RecordEvent;
    if (foldNow) current = evolveRecord(current, domainEvent);
    if (!included(event)) {
      prefix = false;
      continue;
    }
    shown = prefix && foldNow ? current : evolveRecord(shown, domainEvent);
    lastApplied = event;
    eventsApplied += 1;
    if (atMs !== undefined && Date.parse(event.metadata.recordedAt) > atMs)
      recordedAfterAt.push(event.revision);
    followLoan(trails, event, domainEvent);
  }

  const instant = atMs ?? (lastApplied ? Date.parse(lastApplied.metadata.recordedAt) : 0);
  return {
    state: shown,
    lastApplied,
    eventsApplied,
    eventsInStream: events.length,
    recordedAfterAt,
    currentClassification: options.now
      ? options.now.classification
      : current.status === 'not_filed'
        ? undefined
        : current.metadata.classification,
    custody: shown.status === 'not_filed' ? undefined : custodyOf(shown, trails, instant),
  };
}

function trailOf(trails: Map<string, LoanTrail>, loanId: string): LoanTrail {
  let trail = trails.get(loanId);
  if (trail === undefined) {
    trail = { approvals: [], pendingRenewalApprovals: [], renewals: [], handedOverBy: null };
    trails.set(loanId, trail);
  }
  return trail;
}

function followLoan(trails: Map<string, LoanTrail>, stored: StoredRecordEvent, event: RecordEvent): void {
  const timed = (approval: GivenApproval): TimedApproval => ({
    ...approval,
    approvedAt: stored.metadata.occurredAt,
    revision: stored.revision,
  });
  switch (event.type) {
    case 'LoanApprovalGiven':
      trailOf(trails, event.data.loanId).approvals.push(timed(event.data.approval));
      return;
    case 'LoanRenewalRequested':
      trailOf(trails, event.data.loanId).pendingRenewalApprovals = [];
      return;
    case 'LoanRenewalApprovalGiven':
      trailOf(trails, event.data.loanId).pendingRenewalApprovals.push(timed(event.data.approval));
      return;
    case 'LoanRenewed': {
      const trail = trailOf(trails, event.data.loanId);
      const { renewal, previousDueAt, dueAt, totalDays } = event.data;
      trail.renewals.push({
        renewal,
        previousDueAt,
        dueAt,
        totalDays,
        approvals: trail.pendingRenewalApprovals,
      });
      trail.pendingRenewalApprovals = [];
      return;
    }
    case 'Borrowed':
      trailOf(trails, event.data.loanId).handedOverBy = event.data.handedOverBy;
      return;
    default:
      return;
  }
}

function holderOf(loan: LoanState, trail: LoanTrail | undefined, instant: number): Holder {
  return {
    loanId: loan.loanId,
    borrower: loan.borrower,
    mode: loan.mode,
    purpose: loan.purpose,
    since: loan.handedOverAt ?? null,
    due: loan.dueAt ?? null,
    overdue: isOverdue(loan, new Date(instant)),
    handedOverBy: trail?.handedOverBy ?? null,
    policyVersion: loan.policyVersion,
    approvals: trail?.approvals ?? [],
    renewals: trail?.renewals ?? [],
  };
}

/** Who held the record at the moment shown, and a readable line saying so. */
function custodyOf(record: FiledRecord, trails: Map<string, LoanTrail>, instant: number): Custody {
  const holders = record.loans
    .filter((l) => l.status === 'out')
    .map((l) => holderOf(l, trails.get(l.loanId), instant));
  const shelfLocation = record.metadata.shelfLocation;
  const held = activeHolds(record).map((h) => h.holdId);
  const missing = record.missing !== undefined ? { stockTakeId: record.missing.stockTakeId } : null;
  const notes: Summary = {
    zh:
      (held.length > 0 ? `；冻结中（${held.join('、')}）` : '') +
      (missing ? `；清点 ${missing.stockTakeId} 时缺失，尚未找回` : ''),
    en:
      (held.length > 0 ? `; under hold (${held.join(', ')})` : '') +
      (missing ? `; flagged missing at stock-take ${missing.stockTakeId}, not found since` : ''),
  };
  const custody = (status: Custody['status'], summary: Summary): Custody => ({
    status,
    shelfLocation,
    missing,
    holders,
    summary: { zh: `${summary.zh}${notes.zh}`, en: `${summary.en}${notes.en}` },
  });
  if (record.destroyed !== undefined) {
    const { listId, destroyedOn } = record.destroyed;
    return custody('destroyed', {
      zh: `已于 ${destroyedOn} 按销毁清册 ${listId} 销毁`,
      en: `Destroyed on ${destroyedOn} under destruction list ${listId}`,
    });
  }
  if (record.transfer !== undefined) {
    const { receiver, transferId } = record.transfer;
    return custody('transferred', {
      zh: `已移交 ${receiver.organisation}（${transferId}），不在本馆保管`,
      en: `Transferred to ${receiver.organisation} (${transferId}), no longer in our custody`,
    });
  }
  if (holders.length === 0) {
    return custody('in_custody', {
      zh: `在库，存放于 ${shelfLocation}`,
      en: `In custody at ${shelfLocation}`,
    });
  }
  const lines = holders.map(holderSummary);
  return custody('on_loan', {
    zh: `${lines.map((l) => l.zh).join('；')}；代替卡置于 ${shelfLocation}`,
    en: `${lines.map((l) => l.en).join('; ')}; substitute card at ${shelfLocation}`,
  });
}

function holderSummary(holder: Holder): Summary {
  const who =
    holder.borrower.type === 'staff'
      ? {
          zh: `${holder.borrower.id} (${holder.borrower.unit})`,
          en: `${holder.borrower.id} (${holder.borrower.unit})`,
        }
      : {
          zh: `外单位 ${holder.borrower.organisation} 的 ${holder.borrower.name}`,
          en: `${holder.borrower.name} of ${holder.borrower.organisation} (external)`,
        };
  const approvals = [...holder.approvals, ...holder.renewals.flatMap((r) => r.approvals)];
  const approved: Summary =
    approvals.length === 0
      ? { zh: '无需审批', en: 'no approval needed' }
      : {
          zh: `经 ${approvals.map((a) => `${roleZh(a.role)} ${a.approver.id}`).join('、')} 批准`,
          en: `approved by ${approvals.map((a) => `${a.approver.id} (${a.role})`).join(', ')}`,
        };
  const since = holder.since ? dayOf(holder.since) : '?';
  const due = holder.due ? dayOf(holder.due) : '?';
  const overdue: Summary = holder.overdue ? { zh: '，已逾期', en: ', overdue' } : { zh: '', en: '' };
  return {
    zh: `${who.zh} 持有（${holder.loanId}，自 ${since} 起，应还 ${due}${overdue.zh}），${approved.zh}（审批策略第 ${holder.policyVersion} 版）`,
    en: `Held by ${who.en} (${holder.loanId}, since ${since}, due ${due}${overdue.en}), ${approved.en} (approval policy v${holder.policyVersion})`,
  };
}
