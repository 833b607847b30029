import { Module } from '@nestjs/common';
import { FileRecordController } from './file-record/file-record.controller';
import { FileRecordHandler } from './file-record/file-record.handler';

@Module({
  controllers: [FileRecordController],
  providers: [FileRecordHandler],
})
export class RecordsModule {}
