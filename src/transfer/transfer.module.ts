import { Module } from '@nestjs/common';
import { TransferController } from './transfer.controller';
import { TransferService } from './transfer.service';

/**
 * Transfer lists (移交, X1): stream `transfer-{transferId}`. CommandShell, EVENT_STORE, READ_STORE,
 * ProjectionFreshness, CLOCK and the CommandBus (for the records' own commands) are global.
 */
@Module({
  controllers: [TransferController],
  providers: [TransferService],
})
export class TransferModule {}
