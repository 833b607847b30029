import { assertNever, type Decider } from '../domain-kernel/decider';
import { conflict, forbidden, invalid, type FieldProblem } from '../domain-kernel/domain-error';
import type { ApprovalPolicyEvent } from './approval-policy.events';
import {
  DEFAULT_LOAN_APPROVAL_POLICY,
  normaliseLoanApprovalPolicy,
  validateLoanApprovalPolicy,
  type LoanApprovalPolicy,
  type LoanApprovalPolicyDraft,
} from './loan-approval.policy';

/** Only an administrator adopts a policy (also enforced at the HTTP edge; this is defence in depth). */
export const POLICY_ADOPTER_ROLE = 'administrator';

/**
 * Adopt a new loan approval policy (B3). `basedOnVersion` is the version the administrator read
 * and changed: if another was adopted since, the command is refused rather than silently
 * overwriting it.
 */
export interface AdoptLoanApprovalPolicy {
  readonly type: 'AdoptLoanApprovalPolicy';
  readonly basedOnVersion: number;
  readonly policy: LoanApprovalPolicyDraft;
  readonly reason: string;
}

export type ApprovalPolicyCommand = AdoptLoanApprovalPolicy;

/** The policy in force: the shipped default (version 1) until one is adopted. */
export type ApprovalPolicyState = LoanApprovalPolicy;

export function evolveApprovalPolicy(
  state: ApprovalPolicyState,
  event: ApprovalPolicyEvent,
): ApprovalPolicyState {
  switch (event.type) {
    case 'LoanApprovalPolicyAdopted':
      return event.data.policy;
    default:
      return assertNever(event.type);
  }
}

export const initialApprovalPolicyState = (): ApprovalPolicyState => DEFAULT_LOAN_APPROVAL_POLICY;

/**
 * The decider of stream `policy-loan-approval`. `knownRoles` are the roles a token may carry
 * (src/auth/roles.ts, passed in so the domain imports no infrastructure): a policy may only ask
 * for approvers in those roles.
 */
export function approvalPolicyDecider(
  knownRoles: readonly string[],
): Decider<ApprovalPolicyCommand, ApprovalPolicyEvent, ApprovalPolicyState> {
  return {
    initialState: initialApprovalPolicyState,
    evolve: evolveApprovalPolicy,
    decide(command, state, { actor }) {
      switch (command.type) {
        case 'AdoptLoanApprovalPolicy': {
          if (!actor.roles.includes(POLICY_ADOPTER_ROLE)) {
            throw forbidden(
              'ADMINISTRATOR_REQUIRED',
              'B3: only an administrator adopts a loan approval policy',
            );
          }
          const problems: FieldProblem[] = [];
          if (!Number.isSafeInteger(command.basedOnVersion) || command.basedOnVersion < 1) {
            problems.push({ field: 'basedOnVersion', problems: ['must be a policy version: 1 or more'] });
          }
          if (typeof command.reason !== 'string' || command.reason.trim() === '') {
            problems.push({ field: 'reason', problems: ['must not be blank: say why the policy changes'] });
          }
          for (const problem of validateLoanApprovalPolicy(command.policy, knownRoles)) {
            problems.push({ field: `policy.${problem.field}`, problems: problem.problems });
          }
          if (problems.length > 0) {
            throw invalid(
              'POLICY_INVALID',
              `The loan approval policy cannot be adopted: ${problems.map((p) => p.field).join(', ')}`,
              problems,
            );
          }
          if (command.basedOnVersion !== state.version) {
            throw conflict(
              'POLICY_VERSION_MOVED',
              `The policy is at version ${state.version}, not ${command.basedOnVersion}: read the current policy, apply your change to it and send basedOnVersion ${state.version}`,
            );
          }
          const version = state.version + 1;
          return [
            {
              type: 'LoanApprovalPolicyAdopted',
              data: {
                version,
                policy: normaliseLoanApprovalPolicy(command.policy, version),
                reason: command.reason,
                adoptedBy: { id: actor.id, unit: actor.unit },
              },
            },
          ];
        }
        default:
          return assertNever(command.type);
      }
    },
  };
}
