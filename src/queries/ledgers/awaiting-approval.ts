import type { Actor } from '../../domain-kernel/actor';
import {
  approverKey,
  openApprovalRound,
  outstandingApprovals,
  type LoanLedgerDoc,
} from '../../projections/read-models/loan-ledger.read-model';
import type { Filter, ReadDoc } from '../../read-store/read-store.port';
import type { AwaitingApprovalDto } from './ledgers.dto';

/**
 * "Awaiting my approval" (待我审批, B3, B8): the loans whose request, or pending renewal, still
 * needs an approval the caller could give. The same eligibility the decider applies when the
 * caller approves (src/records/loans/loans.rules.ts):
 * - they hold an outstanding requirement's role and, when it names a unit (a department head of
 *   the borrower's or the record's unit), that unit is theirs;
 * - they are neither the staff borrower nor whoever registered the loan (B3, SELF_APPROVAL);
 * - they have not already filled a requirement of this round (B3, APPROVER_ALREADY_APPROVED).
 * The read model keeps the round's outstanding approvers and the people barred from it
 * (`awaiting`), so this is one indexed query; clearance (A2) is laid over it by `ledgerPage`.
 */

/** The approver keys the caller answers to: each role they hold, alone and as head of their own unit. */
export function approverKeysOf(actor: Actor): string[] {
  return actor.roles.flatMap((role) => [approverKey(role, undefined), approverKey(role, actor.unit)]);
}

/** The read-store filter: something awaits approval, one outstanding approver is the caller, and the caller is not barred. */
export function awaitingApprovalFilter(actor: Actor): Filter {
  return {
    'awaiting.since': { gte: '' },
    'awaiting.approvers': { in: approverKeysOf(actor) },
    'awaiting.barred': { ne: actor.id },
  };
}

/** Whether the caller could fill this requirement (role, and unit when set). */
function couldFill(actor: Actor, requirement: { role: string; unit?: string }): boolean {
  return (
    actor.roles.includes(requirement.role) &&
    (requirement.unit === undefined || requirement.unit === actor.unit)
  );
}

/** One item of the list: the loan, what awaits (request or renewal), the approvals given and those outstanding. */
export function awaitingApprovalItem(doc: ReadDoc, actor: Actor): AwaitingApprovalDto {
  const loan = doc as unknown as LoanLedgerDoc;
  const round = openApprovalRound(loan);
  const outstanding = round ? outstandingApprovals(round) : [];
  const renewal = round?.renewal ?? null;
  const yours = outstanding.filter((r) => couldFill(actor, r));
  return {
    loanId: loan.loanId,
    archiveCode: loan.archiveCode,
    title: loan.title as string,
    classification: loan.classification as AwaitingApprovalDto['classification'],
    borrower: loan.borrower,
    requestedBy: loan.requestedBy,
    mode: loan.mode,
    purpose: loan.purpose,
    days: loan.days,
    totalDays: loan.totalDays,
    excerpts: loan.excerpts,
    status: loan.status,
    requestedAt: loan.requestedAt,
    dueAt: loan.dueAt,
    awaitingSince: round?.since ?? loan.requestedAt,
    renewal:
      renewal === null
        ? null
        : {
            renewal: renewal.renewal,
            extraDays: renewal.extraDays,
            totalDays: renewal.totalDays,
            dueAt: renewal.dueAt,
            reason: renewal.reason,
            requestedAt: renewal.requestedAt,
          },
    policyVersion: renewal?.policyVersion ?? loan.policyVersion,
    approvals: [...(round?.approvals ?? [])],
    outstanding: outstanding.map((r) => ({ ...r, because: [...r.because], yours: yours.includes(r) })),
    yourRoles: [...new Set(yours.map((r) => r.role))],
  };
}
