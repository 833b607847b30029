import { Module } from '@nestjs/common';
import { HoldsRegisterController } from './holds-register.controller';
import { LoanLedgerController } from './loan-ledger.controller';
import { ModificationLedgerController } from './modification-ledger.controller';

/**
 * The ledgers (台账): loan ledger, overdue list, open loans by person, substitute cards, utilisation
 * ledger, modification ledger and holds register. READ_STORE, ProjectionFreshness and CLOCK are
 * global (ProjectionsModule, ConfigModule).
 */
@Module({
  controllers: [LoanLedgerController, ModificationLedgerController, HoldsRegisterController],
})
export class LedgersQueriesModule {}
