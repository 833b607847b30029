import { Global, Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { BundleController } from './bundle/bundle.controller';
import { BundleService } from './bundle/bundle.service';
import { SEAL_STORE, type SealStore } from './sealer/seal-store.port';
import { SealerService } from './sealer/sealer.service';

/** The embedded seal store (tables in the event store's file), or none: no sealer with EventStoreDB yet. */
export async function openSealStore(events: EventStore): Promise<SealStore | null> {
  const { SqliteEventStore } = await import('../event-store/embedded/sqlite-event-store');
  if (!(events instanceof SqliteEventStore)) return null;
  const { SqliteSealStore } = await import('./sealer/sqlite-seal-store');
  return SqliteSealStore.open(events);
}

/**
 * The audit sealer and its API: SealerService (global, for health and metrics) follows the global
 * order into the Merkle tree and signs checkpoints; AuditController serves them.
 */
@Global()
@Module({
  controllers: [AuditController, BundleController],
  providers: [
    { provide: SEAL_STORE, useFactory: openSealStore, inject: [EVENT_STORE] },
    SealerService,
    AuditService,
    BundleService,
  ],
  exports: [SealerService],
})
export class AuditModule {}
