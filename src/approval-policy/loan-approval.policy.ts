import { CLASSIFICATIONS, type Classification } from '../domain-kernel/actor';
import type { FieldProblem } from '../domain-kernel/domain-error';
import { LOAN_MODES, type ApprovalRequirement, type LoanMode } from '../records/record.events';

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

export const BORROWER_TYPES = ['staff', 'external'] as const;
export type BorrowerType = (typeof BORROWER_TYPES)[number];

/** Whose department an approving head must lead. */
export const APPROVER_UNITS = ['borrower_unit', 'record_unit'] as const;
export type ApproverUnit = (typeof APPROVER_UNITS)[number];

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
  | {
      readonly outcome: 'refused';
      readonly rule: string;
      readonly code: string;
      readonly message: string;
      readonly policyRule: string;
    }
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
      const unit =
        approver.of === 'borrower_unit'
          ? facts.borrowerUnit
          : approver.of === 'record_unit'
            ? facts.recordUnit
            : undefined;
      const same = requirements.findIndex((r) => r.role === approver.role && r.unit === unit);
      if (same >= 0) {
        requirements[same] = { ...requirements[same], because: [...requirements[same].because, rule.id] };
      } else {
        requirements.push({
          role: approver.role,
          ...(unit !== undefined ? { unit } : {}),
          because: [rule.id],
        });
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
      description:
        'consulting a SECRET or CONFIDENTIAL record, even in the reading room, needs the deputy GM',
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
      description:
        "a TOP_SECRET record is consulted in the reading room only, with the general manager's approval",
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
        message:
          'external borrowers (外单位) consult in the reading room only; records are never lent to them',
      },
    },
  ],
};

/** A policy as an administrator proposes it: its version is assigned when it is adopted. */
export type LoanApprovalPolicyDraft = Omit<LoanApprovalPolicy, 'version'>;

/** Bounds where the BRIEF is silent (docs/approval-policy.md): enough for any real policy, small enough to read. */
export const POLICY_LIMITS = {
  /** Ten years: no loan, renewals included, runs longer. */
  maxTotalDays: 3650,
  rules: 200,
  textLength: 500,
} as const;

const RULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const BRIEF_RULE_PATTERN = /^[A-Z]\d+$/;
const REFUSAL_CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/**
 * Checks a proposed policy before it can be adopted and returns every problem, each under its
 * field path relative to the policy (`rules[2].require[0].role`); empty when the policy is sound.
 * `knownRoles` are the roles a token may carry: an approver in any other role could never approve.
 */
export function validateLoanApprovalPolicy(
  draft: LoanApprovalPolicyDraft,
  knownRoles: readonly string[],
): FieldProblem[] {
  const problems = new ProblemList();
  const defaults = (draft.defaultDays ?? {}) as Partial<Record<LoanMode, unknown>>;
  for (const mode of LOAN_MODES) {
    const days = defaults[mode];
    if (!isWholeNumber(days) || days < 1) {
      problems.add(`defaultDays.${mode}`, 'must be a positive whole number of days');
    }
  }
  const max = draft.maxTotalDays;
  if (!isWholeNumber(max) || max < 1 || max > POLICY_LIMITS.maxTotalDays) {
    problems.add('maxTotalDays', `must be a whole number of days from 1 to ${POLICY_LIMITS.maxTotalDays}`);
  } else {
    const longer = LOAN_MODES.filter(
      (mode) => isWholeNumber(defaults[mode]) && (defaults[mode] as number) > max,
    );
    if (longer.length > 0) {
      problems.add(
        'maxTotalDays',
        `must be at least every default period (${longer.map((m) => `${m}: ${String(defaults[m])}`).join(', ')})`,
      );
    }
  }

  if (!Array.isArray(draft.rules)) {
    problems.add('rules', 'must be a list of rules');
    return problems.list();
  }
  if (draft.rules.length > POLICY_LIMITS.rules) {
    problems.add('rules', `must hold at most ${POLICY_LIMITS.rules} rules`);
  }
  const firstWithId = new Map<string, number>();
  draft.rules.forEach((rule: PolicyRule | null, index) => {
    const at = `rules[${index}]`;
    if (rule === null || typeof rule !== 'object') {
      problems.add(at, 'must be a rule object');
      return;
    }
    if (!isText(rule.id) || !RULE_ID_PATTERN.test(rule.id)) {
      problems.add(
        `${at}.id`,
        'must be 1 to 100 letters, digits, dots, hyphens or underscores, e.g. B4.lend-out',
      );
    } else if (firstWithId.has(rule.id)) {
      problems.add(
        `${at}.id`,
        `must be unique; rules[${firstWithId.get(rule.id)}] already has id ${rule.id}`,
      );
    } else {
      firstWithId.set(rule.id, index);
    }
    if (!isText(rule.rule) || !BRIEF_RULE_PATTERN.test(rule.rule)) {
      problems.add(`${at}.rule`, 'must name the BRIEF rule it implements, such as B4');
    }
    checkText(problems, `${at}.description`, rule.description);
    checkCondition(problems, `${at}.when`, rule.when);
    checkOutcome(problems, at, rule, knownRoles);
  });
  return problems.list();
}

/**
 * The adopted form of a draft: only the fields a policy has, in a fixed order, absent conditions
 * left out. This is what the adoption event stores and what every loan is decided under.
 */
export function normaliseLoanApprovalPolicy(
  draft: LoanApprovalPolicyDraft,
  version: number,
): LoanApprovalPolicy {
  return {
    version,
    defaultDays: {
      reading_room: draft.defaultDays.reading_room,
      lend_out: draft.defaultDays.lend_out,
      copy: draft.defaultDays.copy,
    },
    maxTotalDays: draft.maxTotalDays,
    rules: draft.rules.map((rule): PolicyRule => {
      const w = rule.when;
      const when: PolicyCondition = {
        ...(w.modes !== undefined ? { modes: [...w.modes] } : {}),
        ...(w.classifications !== undefined ? { classifications: [...w.classifications] } : {}),
        ...(w.borrowerTypes !== undefined ? { borrowerTypes: [...w.borrowerTypes] } : {}),
        ...(w.longerThanDays !== undefined ? { longerThanDays: w.longerThanDays } : {}),
        ...(w.ownUnit !== undefined ? { ownUnit: w.ownUnit } : {}),
        ...(w.clientRecord !== undefined ? { clientRecord: w.clientRecord } : {}),
        ...(w.excerpts !== undefined ? { excerpts: w.excerpts } : {}),
      };
      return {
        id: rule.id,
        rule: rule.rule,
        description: rule.description,
        when,
        ...(rule.require !== undefined
          ? {
              require: rule.require.map((a) => ({
                role: a.role,
                ...(a.of !== undefined ? { of: a.of } : {}),
              })),
            }
          : {}),
        ...(rule.refuse !== undefined
          ? { refuse: { code: rule.refuse.code, message: rule.refuse.message } }
          : {}),
      };
    }),
  };
}

function checkCondition(problems: ProblemList, at: string, when: PolicyCondition | undefined): void {
  if (when === null || typeof when !== 'object') {
    problems.add(at, 'must be an object of conditions ({} applies to every loan)');
    return;
  }
  checkChoices(problems, `${at}.modes`, when.modes, LOAN_MODES);
  checkChoices(problems, `${at}.classifications`, when.classifications, CLASSIFICATIONS);
  checkChoices(problems, `${at}.borrowerTypes`, when.borrowerTypes, BORROWER_TYPES);
  if (when.longerThanDays !== undefined && (!isWholeNumber(when.longerThanDays) || when.longerThanDays < 0)) {
    problems.add(`${at}.longerThanDays`, 'must be a whole number of days, 0 or more');
  }
  for (const flag of ['ownUnit', 'clientRecord', 'excerpts'] as const) {
    if (when[flag] !== undefined && typeof when[flag] !== 'boolean') {
      problems.add(`${at}.${flag}`, 'must be true or false, or left out');
    }
  }
}

/** A list condition names at least one known value, each once: an empty list would never hold. */
function checkChoices(
  problems: ProblemList,
  at: string,
  values: readonly string[] | undefined,
  allowed: readonly string[],
): void {
  if (values === undefined) return;
  if (!Array.isArray(values) || values.length === 0) {
    problems.add(at, `must list at least one of ${allowed.join(', ')}, or be left out to match any`);
    return;
  }
  values.forEach((value, i) => {
    if (!allowed.includes(value)) problems.add(`${at}[${i}]`, `must be one of ${allowed.join(', ')}`);
    else if (values.indexOf(value) !== i) problems.add(`${at}[${i}]`, `${value} is listed twice`);
  });
}

/** Each rule either requires approvers or refuses the loan: exactly one of the two. */
function checkOutcome(
  problems: ProblemList,
  at: string,
  rule: PolicyRule,
  knownRoles: readonly string[],
): void {
  const { require, refuse } = rule;
  if (require !== undefined && refuse !== undefined) {
    problems.add(at, 'must have exactly one of require or refuse, not both');
  } else if (require === undefined && refuse === undefined) {
    problems.add(at, 'must have exactly one of require (the approvers) or refuse (the refusal)');
  }
  if (require !== undefined) {
    if (!Array.isArray(require) || require.length === 0) {
      problems.add(`${at}.require`, 'must name at least one approver');
    } else {
      require.forEach((approver, i) => {
        if (!knownRoles.includes(approver.role)) {
          problems.add(`${at}.require[${i}].role`, `must be a known role: ${knownRoles.join(', ')}`);
        }
        if (approver.of !== undefined && !(APPROVER_UNITS as readonly string[]).includes(approver.of)) {
          problems.add(`${at}.require[${i}].of`, `must be one of ${APPROVER_UNITS.join(', ')}, or left out`);
        } else if (approver.of === 'borrower_unit' && !onlyStaff(rule.when)) {
          // An external borrower has no unit here: the requirement would fall to any department head.
          problems.add(
            `${at}.require[${i}].of`,
            'borrower_unit needs a rule limited to staff borrowers (when.borrowerTypes: ["staff"]); external borrowers have no unit',
          );
        }
      });
    }
  }
  if (refuse !== undefined) {
    if (!isText(refuse.code) || !REFUSAL_CODE_PATTERN.test(refuse.code) || refuse.code.length > 100) {
      problems.add(
        `${at}.refuse.code`,
        'must be an error code of at most 100 capitals, digits and underscores, such as TOP_SECRET_READING_ROOM_ONLY',
      );
    }
    checkText(problems, `${at}.refuse.message`, refuse.message);
  }
}

function onlyStaff(when: PolicyCondition | undefined): boolean {
  return (
    Array.isArray(when?.borrowerTypes) &&
    when.borrowerTypes.length > 0 &&
    when.borrowerTypes.every((t) => t === 'staff')
  );
}

function checkText(problems: ProblemList, at: string, value: unknown): void {
  if (!isText(value) || value.trim() === '') problems.add(at, 'must not be blank');
  else if (value.length > POLICY_LIMITS.textLength) {
    problems.add(at, `must be at most ${POLICY_LIMITS.textLength} characters`);
  }
}

function isText(value: unknown): value is string {
  return typeof value === 'string';
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Problems grouped by field, in the order first met. */
class ProblemList {
  private readonly byField = new Map<string, string[]>();

  add(field: string, problem: string): void {
    const list = this.byField.get(field);
    if (list) list.push(problem);
    else this.byField.set(field, [problem]);
  }

  list(): FieldProblem[] {
    return [...this.byField].map(([field, problems]) => ({ field, problems }));
  }
}
