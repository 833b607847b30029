import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EVENT_STORE, type EventStore } from './event-store.port';

/** Open the configured adapter. The EventStoreDB client is loaded only when it is used. */
export async function openEventStore(config: AppConfig, clock: Clock): Promise<EventStore> {
  if (config.store === 'eventstoredb') {
    const { KurrentEventStore } = await import('./eventstoredb/kurrent-event-store');
    return KurrentEventStore.connect({
      connectionString: config.eventStoreUrl as string,
      clock,
      logger: new Logger('KurrentEventStore'),
    });
  }
  const { SqliteEventStore } = await import('./embedded/sqlite-event-store');
  return SqliteEventStore.open({ dataDir: config.dataDir, clock });
}

@Injectable()
class EventStoreCloser implements OnApplicationShutdown {
  private readonly logger = new Logger('EventStore');
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    this.logger.log('event store closed');
  }
}

/** Provides EVENT_STORE to the whole app: a given instance (tests) or the configured adapter. */
@Global()
@Module({})
export class EventStoreModule {
  static forRoot(options: { store?: EventStore } = {}): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        options.store
          ? { provide: EVENT_STORE, useValue: options.store }
          : { provide: EVENT_STORE, useFactory: openEventStore, inject: [APP_CONFIG, CLOCK] },
        EventStoreCloser,
      ],
      exports: [EVENT_STORE],
    };
  }
}
