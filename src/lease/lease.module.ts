import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { LEASE_STORE, type LeaseStore } from './lease.port';
import { LocalLeaseStore } from './local-lease-store';

/**
 * The lease store of the deployment: with STORE=eventstoredb, MongoDB (the `leases` collection on
 * MONGODB_URL, the server every instance shares; the driver is loaded only then); with the embedded
 * store, in-process (one process holds the SQLite file's lock, so the lease is always granted).
 */
export async function openLeaseStore(config: AppConfig, clock: Clock): Promise<LeaseStore> {
  if (config.store === 'eventstoredb' && config.mongodbUrl !== undefined) {
    const { MongoLeaseStore } = await import('./mongo-lease-store');
    return MongoLeaseStore.connect(config.mongodbUrl);
  }
  return new LocalLeaseStore(clock);
}

let processOwner: string | undefined;

/** This instance's owner id: LEASE_OWNER, else `host:pid:random` (one per process). */
export function leaseOwner(config: AppConfig): string {
  processOwner ??= `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  return config.leaseOwner ?? processOwner;
}

@Injectable()
class LeaseStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(LEASE_STORE) private readonly leases: LeaseStore) {}
  // After every service's beforeApplicationShutdown: the sealer and projector release their leases first.
  async onApplicationShutdown(): Promise<void> {
    await this.leases.close();
  }
}

/** LEASE_STORE for the whole app (the sealer and the projector each keep one lease). */
@Global()
@Module({
  providers: [
    { provide: LEASE_STORE, useFactory: openLeaseStore, inject: [APP_CONFIG, CLOCK] },
    LeaseStoreCloser,
  ],
  exports: [LEASE_STORE],
})
export class LeaseModule {}
