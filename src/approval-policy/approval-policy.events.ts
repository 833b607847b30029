import type { DomainEvent } from '../domain-kernel/decider';
import type { LoanApprovalPolicy } from './loan-approval.policy';

/**
 * An administrator adopted a new loan approval policy (B3). It is in force for every loan
 * requested or renewed from then on; loans decided earlier keep the version they recorded.
 */
export type LoanApprovalPolicyAdopted = DomainEvent<
  'LoanApprovalPolicyAdopted',
  {
    /** The new version: the previous one plus 1 (the shipped default is version 1). */
    readonly version: number;
    /** The whole policy as adopted, its version included. */
    readonly policy: LoanApprovalPolicy;
    readonly reason: string;
    readonly adoptedBy: { readonly id: string; readonly unit: string };
  }
>;

/** One discriminated union per stream: every event of `policy-loan-approval`. */
export type ApprovalPolicyEvent = LoanApprovalPolicyAdopted;
