import { Module } from '@nestjs/common';
import { StockTakingController } from './stock-taking.controller';
import { StockTakingService } from './stock-taking.service';

/** Stock-taking (清点, X2): stream `stocktake-{stockTakeId}`. Shell, stores, clock and CommandBus are global. */
@Module({
  controllers: [StockTakingController],
  providers: [StockTakingService],
})
export class StockTakingModule {}
