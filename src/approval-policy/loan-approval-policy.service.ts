import { Injectable } from '@nestjs/common';
import { DEFAULT_LOAN_APPROVAL_POLICY, type LoanApprovalPolicy } from './loan-approval.policy';

/**
 * The loan approval policy in force: the last one adopted in stream `policy-loan-approval`, or
 * the shipped default (version 1) while none has been.
 */
@Injectable()
export class LoanApprovalPolicyService {
  // PLACEHOLDER until the policy stream lands: always the default.
  async current(): Promise<LoanApprovalPolicy> {
    return DEFAULT_LOAN_APPROVAL_POLICY;
  }
}
