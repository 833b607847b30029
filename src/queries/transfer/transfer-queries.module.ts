import { Module } from '@nestjs/common';
import { TransferQueriesController } from './transfer-queries.controller';

/** GET /transfers and /transfers/{transferId}. READ_STORE and ProjectionFreshness are global. */
@Module({ controllers: [TransferQueriesController] })
export class TransferQueriesModule {}
