import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { BundleController } from './bundle/bundle.controller';
import { BundleService } from './bundle/bundle.service';
import { SEAL_STORE, type SealStore } from './sealer/seal-store.port';
import { SealerService } from './sealer/sealer.service';

/**
 * The seal store of the configured event store: tables in the embedded store's own file, or, with
 * STORE=eventstoredb, collections in MongoDB (MONGODB_URL, the read store's server; the MongoDB
 * driver is loaded only then). None for any other event store: the sealer is then unavailable.
 */
export async function openSealStore(config: AppConfig, events: EventStore): Promise<SealStore | null> {
  const { SqliteEventStore } = await import('../event-store/embedded/sqlite-event-store');
  if (events instanceof SqliteEventStore) {
    const { SqliteSealStore } = await import('./sealer/sqlite-seal-store');
    return SqliteSealStore.open(events);
  }
  if (config.store === 'eventstoredb' && config.mongodbUrl !== undefined) {
    const { MongoSealStore } = await import('./sealer/mongo-seal-store');
    return MongoSealStore.connect(config.mongodbUrl);
  }
  return null;
}

/**
 * The audit sealer and its API: SealerService (global, for health and metrics) follows the global
 * order into the Merkle tree and signs checkpoints; AuditController serves them.
 */
@Global()
@Module({
  controllers: [AuditController, BundleController],
  providers: [
    { provide: SEAL_STORE, useFactory: openSealStore, inject: [APP_CONFIG, EVENT_STORE] },
    SealerService,
    AuditService,
    BundleService,
  ],
  exports: [SealerService],
})
export class AuditModule {}
