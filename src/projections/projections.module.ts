import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port';
import { ProjectionFreshness } from './projection-freshness';
import { ProjectorService } from './projector.service';

/** Open the configured read store: tables in the embedded store's file, or MongoDB. */
export async function openReadStore(config: AppConfig, events: EventStore): Promise<ReadStore> {
  if (config.readStore === 'mongodb') {
    const { MongoReadStore } = await import('../read-store/mongodb/mongo-read-store');
    return MongoReadStore.connect(config.mongodbUrl as string);
  }
  const { SqliteEventStore } = await import('../event-store/embedded/sqlite-event-store');
  const { SqliteReadStore } = await import('../read-store/embedded/sqlite-read-store');
  if (!(events instanceof SqliteEventStore)) {
    throw new Error('READ_STORE=embedded needs the embedded event store (STORE=embedded)');
  }
  return SqliteReadStore.open(events);
}

@Injectable()
class ReadStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(READ_STORE) private readonly reads: ReadStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.reads.close();
  }
}

/**
 * The read side's engine, available to every query module: READ_STORE, and the projector that
 * keeps the read models current (also as ProjectionFreshness, for `?after=`).
 */
@Global()
@Module({
  providers: [
    { provide: READ_STORE, useFactory: openReadStore, inject: [APP_CONFIG, EVENT_STORE] },
    ReadStoreCloser,
    ProjectorService,
    { provide: ProjectionFreshness, useExisting: ProjectorService },
  ],
  exports: [READ_STORE, ProjectorService, ProjectionFreshness],
})
export class ProjectionsModule {}
