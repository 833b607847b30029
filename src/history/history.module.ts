import { Module } from '@nestjs/common';
import { RecordHistoryController } from './record-history.controller';
import { RecordHistoryService } from './record-history.service';

/**
 * A record's history and its state at a past moment (`GET /records/{code}/history`, `…/state`),
 * replayed from the event store. EVENT_STORE, CommandShell and CLOCK come from the app's global modules.
 */
@Module({
  controllers: [RecordHistoryController],
  providers: [RecordHistoryService],
})
export class HistoryModule {}
