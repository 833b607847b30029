import { Module } from '@nestjs/common';
import { ApprovalPolicyModule } from '../approval-policy/approval-policy.module';
import { ClassificationController } from './classification/classification.controller';
import { CorrectionsController } from './corrections/corrections.controller';
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
  ],
  providers: [FileRecordHandler, RecordCommandHandler],
})
export class RecordsModule {}
