import { Module } from '@nestjs/common';
import { StockTakingQueriesController } from './stock-taking-queries.controller';

/** GET /stock-takes and /stock-takes/{stockTakeId}. READ_STORE and ProjectionFreshness are global. */
@Module({ controllers: [StockTakingQueriesController] })
export class StockTakingQueriesModule {}
