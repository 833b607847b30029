import { Module } from '@nestjs/common';
import { LoanApprovalPolicyService } from './loan-approval-policy.service';

@Module({
  providers: [LoanApprovalPolicyService],
  exports: [LoanApprovalPolicyService],
})
export class ApprovalPolicyModule {}
