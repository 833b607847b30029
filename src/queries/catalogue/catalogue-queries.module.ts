import { Module } from '@nestjs/common';
import { AccessRegisterController } from './access-register.controller';
import { CatalogueController } from './catalogue.controller';
import { CatalogueService } from './catalogue.service';
import { RetentionDueController } from './retention-due.controller';

/**
 * The catalogue (GET /records, GET /records/{code}), the retention-due list (GET /retention-due)
 * and the access register (GET /access-register). READ_STORE, ProjectionFreshness, CLOCK and
 * CommandShell come from the app's global modules.
 */
@Module({
  controllers: [CatalogueController, RetentionDueController, AccessRegisterController],
  providers: [CatalogueService],
})
export class CatalogueQueriesModule {}
