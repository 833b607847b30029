import { Module } from '@nestjs/common';
import { ApprovalPolicyController } from './approval-policy.controller';
import { LoanApprovalPolicyService } from './loan-approval-policy.service';

/** The loan approval policy (B3): read by loan commands, adopted by administrators over HTTP. */
@Module({
  controllers: [ApprovalPolicyController],
  providers: [LoanApprovalPolicyService],
  exports: [LoanApprovalPolicyService],
})
export class ApprovalPolicyModule {}
