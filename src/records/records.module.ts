import { Module } from '@nestjs/common';
import { ApprovalPolicyModule } from '../approval-policy/approval-policy.module';
import { AppraisalController } from './appraisal/appraisal.controller';
import { ClassificationController } from './classification/classification.controller';
import { CorrectionsController } from './corrections/corrections.controller';
import { CustodyController } from './custody/custody.controller';
import { FileRecordController } from './file-record/file-record.controller';
import { FileRecordHandler } from './file-record/file-record.handler';
import { HoldsController } from './holds/holds.controller';
import { LoansController } from './loans/loans.controller';
import { RecordCommandHandler } from './record-command.handler';
import { RetentionController } from './retention/retention.controller';

@Module({
  imports: [ApprovalPolicyModule],
  controllers: [
    FileRecordController,
    CorrectionsController,
    ClassificationController,
    LoansController,
    RetentionController,
    HoldsController,
    // ── Appraisal and destruction (R4, R5, D1–D8)
    AppraisalController,
    // ── Transfer and stock-taking (X1, X2)
    CustodyController,
  ],
  providers: [FileRecordHandler, RecordCommandHandler],
})
export class RecordsModule {}
