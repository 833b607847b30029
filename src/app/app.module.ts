import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { BackupModule } from '../backup/backup.module';
import type { Clock } from '../clock/clock';
import { CommandShellModule } from '../command-shell/command-shell.module';
import type { AppConfig } from '../config/config';
import { ConfigModule } from '../config/config.module';
import { ConsoleModule } from '../console/console.module';
import { DestructionModule } from '../destruction/destruction.module';
import { EventStoreModule } from '../event-store/event-store.module';
import type { EventStore } from '../event-store/event-store.port';
import { HealthModule } from '../health/health.module';
import { HistoryModule } from '../history/history.module';
import { LeaseModule } from '../lease/lease.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ProjectionsModule } from '../projections/projections.module';
import { CatalogueQueriesModule } from '../queries/catalogue/catalogue-queries.module';
import { DestructionQueriesModule } from '../queries/destruction/destruction-queries.module';
import { LedgersQueriesModule } from '../queries/ledgers/ledgers-queries.module';
import { StatisticsModule } from '../queries/statistics/statistics.module';
import { RecordsModule } from '../records/records.module';
import { StockTakingQueriesModule } from '../queries/stock-taking/stock-taking-queries.module';
import { TransferQueriesModule } from '../queries/transfer/transfer-queries.module';
import { StockTakingModule } from '../stock-taking/stock-taking.module';
import { TransferModule } from '../transfer/transfer.module';

export interface AppOptions {
  readonly config: AppConfig;
  /** Injected clock (tests); the system clock otherwise. */
  readonly clock?: Clock;
  /** An already-open event store (tests); the configured adapter otherwise. */
  readonly eventStore?: EventStore;
}

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.config.logLevel,
            // Fastify assigns the request id; log it as the correlation id.
            genReqId: (request) => (request as { id?: string }).id ?? '',
            customProps: () => ({ service: 'archive-ledger' }),
            redact: ['req.headers.authorization'],
          },
        }),
        ConfigModule.forRoot(options.config, options.clock),
        EventStoreModule.forRoot({ store: options.eventStore }),
        CqrsModule.forRoot(),
        CommandShellModule,
        // One projector and one sealer at a time across instances (docs/architecture.md).
        LeaseModule,
        AuthModule,
        ConsoleModule,
        HealthModule,
        RecordsModule,
        DestructionModule,
        ProjectionsModule,
        CatalogueQueriesModule,
        LedgersQueriesModule,
        StatisticsModule,
        DestructionQueriesModule,
        // ── Transfer and stock-taking (X1, X2)
        TransferModule,
        StockTakingModule,
        TransferQueriesModule,
        StockTakingQueriesModule,
        HistoryModule,
        AuditModule,
        MetricsModule,
        BackupModule.forStore(options.config.store),
      ],
    };
  }
}
