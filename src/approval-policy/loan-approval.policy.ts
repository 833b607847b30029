import type { Classification } from '../domain-kernel/actor';
import type { ApprovalRequirement, LoanMode } from '../records/record.events';

/**
 * The loan approval policy (BRIEF B3–B7) as data: which roles must approve which loan. A loan is
 * described by its facts; every rule whose conditions all hold contributes its approvers (or
 * refuses the loan). The policy is versioned in its own stream (`policy-loan-approval`) and each
 * loan records the version it was decided under.
 */
export interface LoanApprovalPolicy {
  readonly version: number;
  /** Period granted when the borrower names none, per mode (B4: lend-out default 7 days). */
  readonly defaultDays: Readonly<Record<LoanMode, number>>;
  /** B8: the longest a loan may run in all, renewals included. */
  readonly maxTotalDays: number;
  readonly rules: readonly PolicyRule[];
}

export type BorrowerType = 'staff' | 'external';

/** Whose department an approving head must lead. */
export type ApproverUnit = 'borrower_unit' | 'record_unit';

export interface PolicyApprover {
  readonly role: string;
  /** When set, the approver must head this department (B4: the borrower's; B6: the record's). */
  readonly of?: ApproverUnit;
}

/** Conditions on a loan's facts; an absent condition always holds. */
export interface PolicyCondition {
  readonly modes?: readonly LoanMode[];
  readonly classifications?: readonly Classification[];
  readonly borrowerTypes?: readonly BorrowerType[];
  /** Holds when the loan runs longer than this many days in all. */
  readonly longerThanDays?: number;
  /** Holds when the record belongs (true) or does not belong (false) to the borrower's own unit. */
  readonly ownUnit?: boolean;
  /** Holds when the record is (true) or is not (false) a client record: one that names a counterparty. */
  readonly clientRecord?: boolean;
  /** Holds when an external borrower takes excerpts out (true) or not (false). */
  readonly excerpts?: boolean;
}

export interface PolicyRule {
  /** Stable id, cited in the loan's requirements, e.g. `B4.lend-out`. */
  readonly id: string;
  /** The BRIEF rule it implements; a refusal names it. */
  readonly rule: string;
  readonly description: string;
  readonly when: PolicyCondition;
  /** Approvals required when the rule applies. */
  readonly require?: readonly PolicyApprover[];
  /** Or: the loan is refused when the rule applies. */
  readonly refuse?: { readonly code: string; readonly message: string };
}

/** What the policy needs to know about a loan. */
export interface LoanFacts {
  readonly mode: LoanMode;
  readonly classification: Classification;
  readonly borrowerType: BorrowerType;
  /** Days in all, renewals included. */
  readonly totalDays: number;
  readonly borrowerUnit?: string;
  readonly recordUnit: string;
  readonly clientRecord: boolean;
  readonly excerpts: boolean;
}

export type PolicyDecision =
  | { readonly outcome: 'refused'; readonly rule: string; readonly code: string; readonly message: string; readonly policyRule: string }
  | { readonly outcome: 'approvals'; readonly requirements: readonly ApprovalRequirement[] };

/** Applies the policy to a loan: a refusal, or the approvals it needs (none: registration suffices). */
export function evaluateLoanPolicy(policy: LoanApprovalPolicy, facts: LoanFacts): PolicyDecision {
  const applicable = policy.rules.filter((rule) => conditionHolds(rule.when, facts));
  const refusal = applicable.find((rule) => rule.refuse);
  if (refusal?.refuse) {
    return {
      outcome: 'refused',
      rule: refusal.rule,
      code: refusal.refuse.code,
      message: refusal.refuse.message,
      policyRule: refusal.id,
    };
  }
  const requirements: ApprovalRequirement[] = [];
  for (const rule of applicable) {
    for (const approver of rule.require ?? []) {
      const unit = approver.of === 'borrower_unit' ? facts.borrowerUnit : approver.of === 'record_unit' ? facts.recordUnit : undefined;
      const same = requirements.findIndex((r) => r.role === approver.role && r.unit === unit);
      if (same >= 0) {
        requirements[same] = { ...requirements[same], because: [...requirements[same].because, rule.id] };
      } else {
        requirements.push({ role: approver.role, ...(unit !== undefined ? { unit } : {}), because: [rule.id] });
      }
    }
  }
  return { outcome: 'approvals', requirements };
}

function conditionHolds(when: PolicyCondition, facts: LoanFacts): boolean {
  const ownUnit = facts.borrowerUnit !== undefined && facts.borrowerUnit === facts.recordUnit;
  return (
    (when.modes === undefined || when.modes.includes(facts.mode)) &&
    (when.classifications === undefined || when.classifications.includes(facts.classification)) &&
    (when.borrowerTypes === undefined || when.borrowerTypes.includes(facts.borrowerType)) &&
    (when.longerThanDays === undefined || facts.totalDays > when.longerThanDays) &&
    (when.ownUnit === undefined || when.ownUnit === ownUnit) &&
    (when.clientRecord === undefined || when.clientRecord === facts.clientRecord) &&
    (when.excerpts === undefined || when.excerpts === facts.excerpts)
  );
}

/** Version 1: the BRIEF's defaults (B4–B7). In force until an administrator adopts another. */
export const DEFAULT_LOAN_APPROVAL_POLICY: LoanApprovalPolicy = {
  version: 1,
  defaultDays: { reading_room: 1, lend_out: 7, copy: 1 },
  maxTotalDays: 90,
  rules: [
    {
      id: 'B4.lend-out',
      rule: 'B4',
      description: 'lending out needs the archive department head',
      when: { modes: ['lend_out'] },
      require: [{ role: 'archive_department_head' }],
    },
    {
      id: 'B4.lend-out-over-2-days',
      rule: 'B4',
      description: "a lend-out period over 2 days needs the borrower's department head too",
      when: { modes: ['lend_out'], borrowerTypes: ['staff'], longerThanDays: 2 },
      require: [{ role: 'department_head', of: 'borrower_unit' }],
    },
    {
      id: 'B4.long-term',
      rule: 'B4',
      description: 'a loan of more than 30 days in all (renewals included) needs the deputy GM',
      when: { modes: ['lend_out'], longerThanDays: 30 },
      require: [{ role: 'deputy_gm' }],
    },
    {
      id: 'B4.copy',
      rule: 'B4',
      description: 'copying a PUBLIC or INTERNAL record needs the archive department head',
      when: { modes: ['copy'], classifications: ['PUBLIC', 'INTERNAL'] },
      require: [{ role: 'archive_department_head' }],
    },
    {
      id: 'B5.classified-reading-room',
      rule: 'B5',
      description: 'consulting a SECRET or CONFIDENTIAL record, even in the reading room, needs the deputy GM',
      when: { modes: ['reading_room'], classifications: ['SECRET', 'CONFIDENTIAL'] },
      require: [{ role: 'deputy_gm' }],
    },
    {
      id: 'B5.classified-copy',
      rule: 'B5',
      description: 'copying a SECRET or CONFIDENTIAL record needs the deputy GM',
      when: { modes: ['copy'], classifications: ['SECRET', 'CONFIDENTIAL'] },
      require: [{ role: 'deputy_gm' }],
    },
    {
      id: 'B5.classified-lend-out',
      rule: 'B5',
      description: 'lending out a SECRET or CONFIDENTIAL record needs the general manager',
      when: { modes: ['lend_out'], classifications: ['SECRET', 'CONFIDENTIAL'] },
      require: [{ role: 'general_manager' }],
    },
    {
      id: 'B5.top-secret-reading-room',
      rule: 'B5',
      description: "a TOP_SECRET record is consulted in the reading room only, with the general manager's approval",
      when: { modes: ['reading_room'], classifications: ['TOP_SECRET'] },
      require: [{ role: 'general_manager' }],
    },
    {
      id: 'B5.top-secret-never-out',
      rule: 'B5',
      description: 'a TOP_SECRET record is never lent out and never copied',
      when: { modes: ['lend_out', 'copy'], classifications: ['TOP_SECRET'] },
      refuse: {
        code: 'TOP_SECRET_READING_ROOM_ONLY',
        message: 'a TOP_SECRET record is consulted in the reading room only; it is never lent out or copied',
      },
    },
    {
      id: 'B6.own-client-records',
      rule: 'B6',
      description: "a department's own client records need its head's approval",
      when: { clientRecord: true, ownUnit: true, borrowerTypes: ['staff'] },
      require: [{ role: 'department_head', of: 'record_unit' }],
    },
    {
      id: 'B6.other-client-records',
      rule: 'B6',
      description: "another department's client records need the general manager's approval",
      when: { clientRecord: true, ownUnit: false, borrowerTypes: ['staff'] },
      require: [{ role: 'general_manager' }],
    },
    {
      id: 'B7.external',
      rule: 'B7',
      description:
        "an external borrower (外单位) needs the general manager's approval, which also covers excerpts taken out",
      when: { borrowerTypes: ['external'] },
      require: [{ role: 'general_manager' }],
    },
    {
      id: 'B7.external-reading-room-only',
      rule: 'B7',
      description: 'an external borrower consults in the reading room only: never lent out, never copied',
      when: { borrowerTypes: ['external'], modes: ['lend_out', 'copy'] },
      refuse: {
        code: 'EXTERNAL_READING_ROOM_ONLY',
        message: 'external borrowers (外单位) consult in the reading room only; records are never lent to them',
      },
    },
  ],
};
