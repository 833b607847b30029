import type { Actor } from '../../domain-kernel/actor';
import { conflict, DomainError, forbidden, invalid, ruleBroken } from '../../domain-kernel/domain-error';
import {
  evaluateLoanPolicy,
  type LoanApprovalPolicy,
  type LoanFacts,
} from '../../approval-policy/loan-approval.policy';
import { loanIdFor } from '../archive-code';
import type {
  DecideLoanApproval,
  HandOverLoan,
  RecordUtilisation,
  ReportDamage,
  RequestLoan,
  RequestRenewal,
  ReturnLoan,
  SendOverdueReminder,
  WithdrawLoan,
} from '../record.commands';
import type {
  ApprovalRequirement,
  Borrower,
  GivenApproval,
  LoanMode,
  RecordEvent,
  RecordMetadata,
} from '../record.events';
import { hasRole, personRef, requireLoan } from '../record.rules';
import {
  addDays,
  daysOverdue,
  isOverdue,
  openLoans,
  recordUnit,
  type FiledRecord,
  type LoanState,
} from '../record.state';

/**
 * Loans (借阅, BRIEF B1–B13) as pure decisions; docs/loans.md is the behaviour they implement.
 * The decider has already applied A2 (the caller sees the record) before any of these run.
 */

// ── Request (B1, B2, B4–B8) ─────────────────────────────────────────────────────────────────────

/** 借阅申请: a staff borrower asks for themself; an archivist registers an external visitor (B7). */
export function requestLoan(command: RequestLoan, record: FiledRecord, actor: Actor): RecordEvent[] {
  const { policy, mode } = command;
  const borrower = borrowerFor(command, actor);
  const purpose = requireText(
    command.purpose,
    'purpose',
    'PURPOSE_REQUIRED',
    'a loan registers its purpose (B1)',
  );
  const excerpts = command.excerpts ?? false;
  if (excerpts && borrower.type !== 'external') {
    throw invalid('EXCERPTS_ONLY_FOR_EXTERNAL', 'excerpts are asked for external borrowers (B7) only', [
      { field: 'excerpts', problems: ['only an external borrower takes excerpts out'] },
    ]);
  }
  const days = command.days ?? policy.defaultDays[mode];
  requireWholeDays(days, 'days', 'DAYS_INVALID');
  if (days > policy.maxTotalDays) {
    throw ruleBroken(
      'B8',
      'LOAN_TOO_LONG',
      `a loan runs at most ${policy.maxTotalDays} days in all; ${days} days were asked for`,
    );
  }
  const requiredApprovals = requiredApprovalsFor(
    policy,
    loanFacts(record.metadata, mode, borrower, days, excerpts),
  );
  if (mode === 'lend_out') {
    const lent = openLoans(record).find((l) => l.mode === 'lend_out');
    if (lent) {
      throw conflict(
        'RECORD_ALREADY_LENT',
        `B2: ${record.metadata.archiveCode} is already on an open lend-out loan (${lent.loanId}, ${lent.status})`,
        'B2',
      );
    }
  }
  const loanId = loanIdFor(record.metadata.archiveCode, record.loans.length + 1);
  const events: RecordEvent[] = [
    {
      type: 'LoanRequested',
      data: {
        loanId,
        borrower,
        requestedBy: personRef(actor),
        mode,
        purpose,
        days,
        excerpts,
        classification: record.metadata.classification,
        policyVersion: policy.version,
        requiredApprovals,
      },
    },
  ];
  if (requiredApprovals.length === 0) {
    events.push({ type: 'LoanApproved', data: { loanId, policyVersion: policy.version, approvals: [] } });
  }
  return events;
}

/** B1: a staff loan's borrower is always the caller; only an archivist registers an external borrower. */
function borrowerFor(command: RequestLoan, actor: Actor): Borrower {
  const request = command.borrower;
  if (request.type === 'staff') {
    if (!hasRole(actor, 'borrower')) {
      throw requestNotAllowed('a staff loan is requested by the borrower themself, under their own identity');
    }
    return { type: 'staff', id: actor.id, unit: actor.unit };
  }
  if (!hasRole(actor, 'archivist')) {
    throw requestNotAllowed('an external borrower (外单位) is registered by an archivist at the counter');
  }
  if (!request.introductionLetterRef?.trim()) {
    throw ruleBroken(
      'B7',
      'INTRODUCTION_LETTER_REQUIRED',
      'an external borrower presents an introduction letter (介绍信); its reference is recorded',
    );
  }
  const missing = (['name', 'organisation'] as const).filter((field) => !request[field]?.trim());
  if (missing.length > 0) {
    throw invalid(
      'EXTERNAL_BORROWER_INCOMPLETE',
      `an external borrower is registered with ${missing.join(' and ')}`,
      missing.map((field) => ({ field: `borrower.${field}`, problems: ['must not be blank'] })),
    );
  }
  return {
    type: 'external',
    name: request.name,
    organisation: request.organisation,
    introductionLetterRef: request.introductionLetterRef,
  };
}

function requestNotAllowed(message: string): DomainError {
  return new DomainError('forbidden', 'LOAN_REQUEST_NOT_ALLOWED', `B1: ${message}`, { rule: 'B1' });
}

/** What the approval policy needs to know about a loan of `totalDays` in all. */
function loanFacts(
  metadata: RecordMetadata,
  mode: LoanMode,
  borrower: Borrower,
  totalDays: number,
  excerpts: boolean,
): LoanFacts {
  return {
    mode,
    classification: metadata.classification,
    borrowerType: borrower.type,
    totalDays,
    ...(borrower.type === 'staff' ? { borrowerUnit: borrower.unit } : {}),
    recordUnit: recordUnit(metadata),
    clientRecord: Boolean(metadata.counterparty?.trim()),
    excerpts,
  };
}

/** The approvals the policy asks for; a policy refusal (B5, B7 …) refuses the command. */
function requiredApprovalsFor(policy: LoanApprovalPolicy, facts: LoanFacts): readonly ApprovalRequirement[] {
  const decision = evaluateLoanPolicy(policy, facts);
  if (decision.outcome === 'refused') throw ruleBroken(decision.rule, decision.code, decision.message);
  return decision.requirements;
}

// ── Approvals (B3, B8) ──────────────────────────────────────────────────────────────────────────

/** The approval round a decision applies to: the loan's request, or its pending renewal. */
interface ApprovalRound {
  readonly renewal?: number;
  readonly requiredApprovals: readonly ApprovalRequirement[];
  readonly approvals: readonly GivenApproval[];
}

/** An approver approves or refuses the loan's request, or its pending renewal (B3, B8). */
export function decideLoanApproval(
  command: DecideLoanApproval,
  record: FiledRecord,
  actor: Actor,
): RecordEvent[] {
  const loan = requireLoan(record, command.loanId);
  const round = approvalRound(loan);
  if (isBorrowerOrRegistrar(loan, actor)) {
    throw ruleBroken('B3', 'SELF_APPROVAL', 'a borrower (or whoever registered the loan) never approves it');
  }
  if (round.approvals.some((a) => a.approver.id === actor.id)) {
    throw ruleBroken(
      'B3',
      'APPROVER_ALREADY_APPROVED',
      `one person fills at most one required approval of a loan${round.renewal ? ' renewal' : ''}; you have already approved`,
    );
  }
  const requirement = chooseRequirement(outstandingOf(round), actor, command.role);
  const approver = personRef(actor);

  if (command.decision === 'refuse') {
    const reason = requireText(
      command.opinion,
      'opinion',
      'OPINION_REQUIRED',
      'a refusal states its opinion (意见)',
    );
    return [
      round.renewal === undefined
        ? { type: 'LoanRefused', data: { loanId: loan.loanId, role: requirement.role, approver, reason } }
        : {
            type: 'LoanRenewalRefused',
            data: { loanId: loan.loanId, renewal: round.renewal, role: requirement.role, approver, reason },
          },
    ];
  }

  const approval: GivenApproval = {
    role: requirement.role,
    ...(requirement.unit !== undefined ? { unit: requirement.unit } : {}),
    approver,
    ...(command.opinion?.trim() ? { opinion: command.opinion } : {}),
  };
  const outstanding = outstandingOf(round).length - 1;
  const approvals = [...round.approvals, approval];
  if (round.renewal === undefined) {
    const given: RecordEvent = {
      type: 'LoanApprovalGiven',
      data: { loanId: loan.loanId, approval, outstanding },
    };
    return outstanding > 0
      ? [given]
      : [
          given,
          {
            type: 'LoanApproved',
            data: { loanId: loan.loanId, policyVersion: loan.policyVersion, approvals },
          },
        ];
  }
  const pending = loan.pendingRenewal as NonNullable<LoanState['pendingRenewal']>;
  const given: RecordEvent = {
    type: 'LoanRenewalApprovalGiven',
    data: { loanId: loan.loanId, renewal: round.renewal, approval, outstanding },
  };
  return outstanding > 0
    ? [given]
    : [
        given,
        {
          type: 'LoanRenewed',
          data: {
            loanId: loan.loanId,
            renewal: pending.renewal,
            previousDueAt: loan.dueAt as string,
            dueAt: pending.dueAt,
            totalDays: pending.totalDays,
            approvals,
          },
        },
      ];
}

function approvalRound(loan: LoanState): ApprovalRound {
  if (loan.status === 'requested') return loan;
  if (loan.status === 'out' && loan.pendingRenewal) return loan.pendingRenewal;
  throw conflict(
    'NOTHING_TO_APPROVE',
    `loan ${loan.loanId} is ${loan.status}${loan.status === 'out' ? ' with no renewal pending' : ''}: nothing awaits approval`,
  );
}

/** B3: neither the borrower nor whoever registered the loan decides on it. */
function isBorrowerOrRegistrar(loan: LoanState, actor: Actor): boolean {
  return (
    (loan.borrower.type === 'staff' && loan.borrower.id === actor.id) || loan.requestedBy.id === actor.id
  );
}

/** The required approvals not yet given; an approval fills the requirement of its role and unit. */
function outstandingOf(round: ApprovalRound): readonly ApprovalRequirement[] {
  const filled = new Set<GivenApproval>();
  return round.requiredApprovals.filter((required) => {
    const match = round.approvals.find(
      (a) => !filled.has(a) && a.role === required.role && a.unit === required.unit,
    );
    if (match) filled.add(match);
    return !match;
  });
}

/** A person qualifies for a requirement when they hold its role and, when it names a unit, belong to that unit. */
function qualifies(actor: Actor, requirement: ApprovalRequirement): boolean {
  return (
    hasRole(actor, requirement.role) && (requirement.unit === undefined || requirement.unit === actor.unit)
  );
}

/** The outstanding requirement this approver fills (B3), chosen by `role` when they could fill several. */
function chooseRequirement(
  outstanding: readonly ApprovalRequirement[],
  actor: Actor,
  role: string | undefined,
): ApprovalRequirement {
  const candidates = outstanding.filter(
    (r) => qualifies(actor, r) && (role === undefined || r.role === role),
  );
  if (candidates.length === 0) {
    throw forbidden(
      'NOT_A_REQUIRED_APPROVER',
      `B3: you hold none of the outstanding required approvals${role !== undefined ? ` as ${role}` : ''}; ` +
        `outstanding: ${outstanding.map(describeRequirement).join(', ') || 'none'}`,
    );
  }
  const roles = [...new Set(candidates.map((c) => c.role))];
  if (roles.length > 1) {
    throw invalid('APPROVAL_ROLE_AMBIGUOUS', `you could approve as ${roles.join(' or ')}: say which (role)`, [
      { field: 'role', problems: [`one of: ${roles.join(', ')}`] },
    ]);
  }
  // One role left: a requirement for the approver's own unit is the more specific one.
  return candidates.find((c) => c.unit !== undefined) ?? candidates[0];
}

function describeRequirement(requirement: ApprovalRequirement): string {
  return requirement.unit !== undefined ? `${requirement.role} of ${requirement.unit}` : requirement.role;
}

// ── Withdrawal, hand-over (B1, B11) ─────────────────────────────────────────────────────────────

/** The requester withdraws a loan before it is handed over. */
export function withdrawLoan(command: WithdrawLoan, record: FiledRecord, actor: Actor): RecordEvent[] {
  const loan = requireLoan(record, command.loanId);
  const mayWithdraw =
    loan.borrower.type === 'staff' ? loan.borrower.id === actor.id : loan.requestedBy.id === actor.id;
  if (!mayWithdraw) {
    throw forbidden(
      'NOT_THE_BORROWER',
      loan.borrower.type === 'staff'
        ? 'only the borrower withdraws their loan'
        : 'only the archivist who registered this external loan withdraws it',
    );
  }
  if (loan.status !== 'requested' && loan.status !== 'approved') {
    throw conflict(
      'LOAN_NOT_WITHDRAWABLE',
      `loan ${loan.loanId} is ${loan.status}: only a loan not yet handed over is withdrawn`,
    );
  }
  const reason = requireText(command.reason, 'reason', 'REASON_REQUIRED', 'a withdrawal states its reason');
  return [{ type: 'LoanWithdrawn', data: { loanId: loan.loanId, by: personRef(actor), reason } }];
}

/** 借出: an archivist hands an approved loan over; the shelf shows a substitute card (B11). */
export function handOverLoan(
  command: HandOverLoan,
  record: FiledRecord,
  actor: Actor,
  now: Date,
): RecordEvent[] {
  const loan = requireLoan(record, command.loanId);
  switch (loan.status) {
    case 'approved':
      break;
    case 'requested': {
      const outstanding = outstandingOf(loan);
      const rule = outstanding[0]?.because[0]?.split('.')[0] || 'B3';
      throw ruleBroken(
        rule,
        'LOAN_NOT_APPROVED',
        `loan ${loan.loanId} still awaits approval by ${outstanding.map(describeRequirement).join(', ') || 'its approvers'}`,
      );
    }
    case 'out':
      throw conflict(
        'LOAN_ALREADY_HANDED_OVER',
        `loan ${loan.loanId} was already handed over (due ${loan.dueAt})`,
      );
    case 'returned':
    case 'refused':
    case 'withdrawn':
      throw conflict('LOAN_ENDED', `loan ${loan.loanId} has ended (${loan.status})`);
  }
  const out = record.loans.find((l) => l.status === 'out' && l.loanId !== loan.loanId);
  if (out) {
    throw conflict(
      'RECORD_OUT',
      `B11: ${record.metadata.archiveCode} is out with ${describeBorrower(out.borrower)} ` +
        `since ${out.handedOverAt} until ${out.dueAt} (${out.loanId})`,
      'B11',
    );
  }
  return [
    {
      type: 'Borrowed',
      data: {
        loanId: loan.loanId,
        borrower: loan.borrower,
        mode: loan.mode,
        handedOverBy: personRef(actor),
        handedOverAt: now.toISOString(),
        dueAt: addDays(now, loan.totalDays),
        shelfLocation: record.metadata.shelfLocation,
      },
    },
  ];
}

function describeBorrower(borrower: Borrower): string {
  return borrower.type === 'staff'
    ? `${borrower.id} (${borrower.unit})`
    : `${borrower.name} (${borrower.organisation}, external)`;
}

// ── Renewal (B8) ────────────────────────────────────────────────────────────────────────────────

/** 续借: the resulting loan needs the approvals of a new loan of that length (B8); never handed on (不得转借). */
export function requestRenewal(command: RequestRenewal, record: FiledRecord, actor: Actor): RecordEvent[] {
  const { policy } = command;
  const loan = requireLoan(record, command.loanId);
  if (loan.status !== 'out' || loan.dueAt === undefined) {
    throw conflict(
      'LOAN_NOT_OUT',
      `loan ${loan.loanId} is ${loan.status}: only a loan that is out is renewed`,
    );
  }
  const mayRenew =
    loan.borrower.type === 'staff' ? loan.borrower.id === actor.id : hasRole(actor, 'archivist');
  if (!mayRenew) {
    throw ruleBroken(
      'B8',
      'LOAN_NOT_TRANSFERABLE',
      'a loan is renewed by its borrower only (for an external borrower, by an archivist); it is never handed on (不得转借)',
    );
  }
  if (loan.pendingRenewal) {
    throw conflict(
      'RENEWAL_PENDING',
      `renewal ${loan.pendingRenewal.renewal} of loan ${loan.loanId} still awaits approval`,
    );
  }
  requireWholeDays(command.extraDays, 'extraDays', 'EXTRA_DAYS_INVALID');
  const totalDays = loan.totalDays + command.extraDays;
  if (totalDays > policy.maxTotalDays) {
    throw ruleBroken(
      'B8',
      'LOAN_TOO_LONG',
      `a loan runs at most ${policy.maxTotalDays} days in all, renewals included; this renewal makes ${totalDays}`,
    );
  }
  const requiredApprovals = requiredApprovalsFor(
    policy,
    loanFacts(record.metadata, loan.mode, loan.borrower, totalDays, loan.excerpts),
  );
  const reason = requireText(command.reason, 'reason', 'REASON_REQUIRED', 'a renewal states its reason');
  const renewal = loan.renewalRequests + 1;
  const dueAt = addDays(loan.dueAt, command.extraDays);
  const events: RecordEvent[] = [
    {
      type: 'LoanRenewalRequested',
      data: {
        loanId: loan.loanId,
        renewal,
        extraDays: command.extraDays,
        totalDays,
        dueAt,
        reason,
        policyVersion: policy.version,
        requiredApprovals,
      },
    },
  ];
  if (requiredApprovals.length === 0) {
    events.push({
      type: 'LoanRenewed',
      data: { loanId: loan.loanId, renewal, previousDueAt: loan.dueAt, dueAt, totalDays, approvals: [] },
    });
  }
  return events;
}

// ── Reminder, return, damage, utilisation (B9, B10, B13) ────────────────────────────────────────

/** 催还: recorded only for a loan that is overdue by the injected clock (B9). */
export function sendOverdueReminder(
  command: SendOverdueReminder,
  record: FiledRecord,
  now: Date,
): RecordEvent[] {
  const loan = requireLoan(record, command.loanId);
  if (loan.status !== 'out' || loan.dueAt === undefined) {
    throw conflict(
      'LOAN_NOT_OUT',
      `loan ${loan.loanId} is ${loan.status}: only a loan that is out is reminded`,
    );
  }
  if (!isOverdue(loan, now)) {
    throw ruleBroken('B9', 'LOAN_NOT_OVERDUE', `loan ${loan.loanId} is due ${loan.dueAt}: it is not overdue`);
  }
  const channel = requireText(
    command.channel,
    'channel',
    'CHANNEL_REQUIRED',
    'a reminder records how it was sent',
  );
  return [
    {
      type: 'OverdueReminderSent',
      data: {
        loanId: loan.loanId,
        dueAt: loan.dueAt,
        daysOverdue: daysOverdue(loan.dueAt, now),
        reminder: loan.reminders + 1,
        channel,
        ...optionalText('note', command.note),
      },
    },
  ];
}

/** 归还: the archivist checks the condition in person; damage or loss is reported with it (B10). */
export function returnLoan(command: ReturnLoan, record: FiledRecord, actor: Actor, now: Date): RecordEvent[] {
  const loan = requireLoan(record, command.loanId);
  if (loan.status !== 'out' || loan.dueAt === undefined) {
    throw conflict(
      'LOAN_NOT_OUT',
      `loan ${loan.loanId} is ${loan.status}: only a loan that is out is returned`,
    );
  }
  const note = command.note?.trim() ? command.note : undefined;
  if (command.condition !== 'intact' && note === undefined) {
    throw new DomainError(
      'invalid',
      'NOTE_REQUIRED',
      `B10: a return found ${command.condition} records what was found`,
      {
        rule: 'B10',
        fields: [{ field: 'note', problems: ['must describe what was found'] }],
      },
    );
  }
  const receivedBy = personRef(actor);
  const returned: RecordEvent = {
    type: 'Returned',
    data: {
      loanId: loan.loanId,
      receivedBy,
      returnedAt: now.toISOString(),
      condition: command.condition,
      ...(note !== undefined ? { note } : {}),
      overdueDays: daysOverdue(loan.dueAt, now),
    },
  };
  if (command.condition === 'intact' || note === undefined) return [returned];
  return [
    returned,
    {
      type: 'DamageReported',
      data: {
        reportId: `D${record.damage.length + 1}`,
        loanId: loan.loanId,
        condition: command.condition,
        description: note,
        reportedBy: receivedBy,
      },
    },
  ];
}

/** Damage or loss found outside a return: by an archivist, or by the borrower of a loan that is out (B10). */
export function reportDamage(command: ReportDamage, record: FiledRecord, actor: Actor): RecordEvent[] {
  const loan = command.loanId !== undefined ? requireLoan(record, command.loanId) : undefined;
  if (!hasRole(actor, 'archivist')) {
    const isBorrowerOfOutLoan =
      loan !== undefined &&
      loan.status === 'out' &&
      loan.borrower.type === 'staff' &&
      loan.borrower.id === actor.id;
    if (!isBorrowerOfOutLoan) {
      throw forbidden(
        'NOT_THE_BORROWER',
        'damage or loss is reported by an archivist, or by the borrower of a loan that is out (name the loan)',
      );
    }
  }
  const description = requireText(
    command.description,
    'description',
    'DESCRIPTION_REQUIRED',
    'a damage report describes what was found',
  );
  return [
    {
      type: 'DamageReported',
      data: {
        reportId: `D${record.damage.length + 1}`,
        ...(loan ? { loanId: loan.loanId } : {}),
        condition: command.condition,
        description,
        reportedBy: personRef(actor),
      },
    },
  ];
}

/** 利用效果登记: once, after hand-over, by the staff borrower or (external loans) an archivist (B13). */
export function recordUtilisation(
  command: RecordUtilisation,
  record: FiledRecord,
  actor: Actor,
): RecordEvent[] {
  const loan = requireLoan(record, command.loanId);
  const mayRecord =
    loan.borrower.type === 'staff' ? loan.borrower.id === actor.id : hasRole(actor, 'archivist');
  if (!mayRecord) {
    throw forbidden(
      'NOT_THE_BORROWER',
      loan.borrower.type === 'staff'
        ? 'utilisation feedback is recorded by the borrower'
        : 'utilisation feedback of an external loan is recorded by an archivist',
    );
  }
  if (loan.status !== 'out' && loan.status !== 'returned') {
    throw conflict(
      'LOAN_NOT_HANDED_OVER',
      `B13: loan ${loan.loanId} is ${loan.status}: feedback follows use, after hand-over`,
      'B13',
    );
  }
  if (loan.utilisationRecorded) {
    throw conflict(
      'UTILISATION_ALREADY_RECORDED',
      `B13: feedback on loan ${loan.loanId} is already recorded`,
      'B13',
    );
  }
  const usedFor = requireText(
    command.usedFor,
    'usedFor',
    'USED_FOR_REQUIRED',
    'feedback says what the loan was used for',
  );
  const effect = requireText(
    command.effect,
    'effect',
    'EFFECT_REQUIRED',
    'feedback says what the use achieved',
  );
  return [
    {
      type: 'UtilisationRecorded',
      data: { loanId: loan.loanId, usedFor, effect, recordedBy: personRef(actor) },
    },
  ];
}

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────

/** A required free-text field: refused (400) when missing or blank; returned as given otherwise. */
function requireText(value: string | undefined, field: string, code: string, message: string): string {
  if (typeof value !== 'string' || !value.trim()) {
    throw invalid(code, message, [{ field, problems: ['must not be blank'] }]);
  }
  return value;
}

/** An optional free-text field: its key is left out (not `undefined`) when missing or blank. */
function optionalText<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value?.trim() ? { [key]: value } : {}) as { [P in K]?: string };
}

function requireWholeDays(days: number, field: string, code: string): void {
  if (!Number.isInteger(days) || days < 1) {
    throw invalid(code, `${field} is a whole number of days, at least 1`, [
      { field, problems: ['must be an integer ≥ 1'] },
    ]);
  }
}
