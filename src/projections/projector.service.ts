import {
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { CLOCK, type Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { EVENT_STORE, type EventStore, type Position } from '../event-store/event-store.port';
import { LeaseKeeper, type LeaseStatus } from '../lease/lease-keeper';
import { leaseOwner } from '../lease/lease.module';
import { LEASE_STORE, type LeaseStore } from '../lease/lease.port';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port';
import { ProjectionFreshness } from './projection-freshness';
import { Projector } from './projector';
import { READ_MODELS } from './read-models';

/** Where the projector stands, for /health/ready and the metrics. */
export interface ProjectionStatus {
  /** `standby`: another instance holds the projector lease and applies the events. */
  readonly state: 'starting' | 'following' | 'failing' | 'standby' | 'stopped';
  readonly checkpoint: Position | null;
  readonly head: Position | null;
  /** Events not yet applied, when positions are countable (the embedded store); null otherwise. */
  readonly lagEvents: number | null;
  /** Age of the oldest event not yet applied, in seconds; 0 when caught up. */
  readonly lagSeconds: number;
  readonly lastError?: string;
  /** The projector lease: which instance applies events (one at a time). */
  readonly lease?: LeaseStatus;
}

const RETRY_MS = [100, 500, 1000, 5000, 15000];

/**
 * Runs the projector with the service: it catches up at start and then follows live appends. If
 * applying fails (the read store is down, say) it retries with back-off and /health/ready says so;
 * nothing is skipped. Queries call `ensure(after)` for read-your-writes.
 */
@Injectable()
export class ProjectorService
  extends ProjectionFreshness
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('Projector');
  readonly projector: Projector;
  private keeper: LeaseKeeper | undefined;
  /** While standing by: the checkpoint the holder committed, as last read from the read store. */
  private standbyCheckpoint: Position | undefined;
  private state: ProjectionStatus['state'] = 'starting';
  private lastError: string | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LEASE_STORE) private readonly leases: LeaseStore,
  ) {
    super();
    this.projector = new Projector(events, reads, READ_MODELS, {
      name: 'main',
      batchSize: config.projectionBatchSize,
    });
    registerLagMetrics(this);
  }

  /**
   * Only the holder of the `projector:<name>` lease applies events (one projector per projection
   * across instances, src/lease); the others stand by, read the holder's checkpoint for `?after=`,
   * and take over when it stops or its lease expires. The first attempt is awaited at start.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.projector.init();
    this.keeper = new LeaseKeeper(
      this.leases,
      {
        name: `projector:${this.projector.name}`,
        owner: leaseOwner(this.config),
        ttlMs: this.config.leaseTtlMs,
      },
      {
        lead: async (signal) => {
          await this.projector.init(); // from the checkpoint the previous holder committed
          await this.run(signal);
          this.state = signal.reason === 'stopping' ? 'stopped' : 'standby';
        },
        standby: async () => {
          this.state = 'standby';
          this.standbyCheckpoint = await this.reads.checkpoint(this.projector.name);
        },
      },
      this.logger,
    );
    await this.keeper.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.keeper?.stop();
    this.state = 'stopped';
  }

  private get leading(): boolean {
    return this.keeper?.holding ?? true;
  }

  /** The last committed position: this instance's projector, or (standing by) the holder's. */
  private get committed(): Position | undefined {
    return this.leading ? this.projector.checkpoint : this.standbyCheckpoint;
  }

  /** Standing by: wait for the holder's checkpoint (read from the read store) to pass `after`. */
  private async standbyWait(after: Position, timeoutMs: number): Promise<boolean> {
    const deadline = this.clock.now().getTime() + timeoutMs;
    for (let waited = 0; ; waited += 50) {
      this.standbyCheckpoint = await this.reads.checkpoint(this.projector.name);
      const at = this.standbyCheckpoint;
      if (at !== undefined && this.events.comparePositions(at, after) >= 0) return true;
      if (this.leading) return this.projector.waitUntilPassed(after, Math.max(0, timeoutMs - waited));
      if (waited >= timeoutMs || this.clock.now().getTime() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted;) {
      try {
        this.state = 'following';
        await this.projector.follow(signal);
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.state = 'failing';
        this.lastError = (error as Error).message;
        const wait = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)];
        this.logger.error({ err: error, retryInMs: wait }, 'applying events to the read models failed');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  async ensure(after: string | undefined): Promise<void> {
    if (after === undefined) return;
    // An ill-formed position is refused by the store's comparison (400 INVALID_POSITION).
    if (this.leading && this.projector.hasPassed(after)) return;
    const head = await this.events.headPosition();
    if (head === undefined || this.events.comparePositions(after, head) > 0) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'PROJECTION_BEHIND',
        message: `position ${after} has not been written yet (the newest is ${head ?? 'none'})`,
      });
    }
    const passed = this.leading
      ? await this.projector.waitUntilPassed(after, this.config.projectionWaitMs)
      : await this.standbyWait(after, this.config.projectionWaitMs);
    if (passed) return;
    throw new ServiceUnavailableException({
      statusCode: 503,
      error: 'PROJECTION_BEHIND',
      message: `the read models have not reached position ${after} within ${this.config.projectionWaitMs} ms (they are at ${this.committed ?? 'the start'}); retry shortly`,
    });
  }

  async status(): Promise<ProjectionStatus> {
    const head = (await this.events.headPosition()) ?? null;
    const checkpoint = this.committed ?? null;
    const numeric = (p: string | null) => (p === null ? 0 : /^\d+$/.test(p) ? Number(p) : undefined);
    const h = numeric(head);
    const c = numeric(checkpoint);
    const caughtUp =
      head === null || (checkpoint !== null && this.events.comparePositions(checkpoint, head) >= 0);
    let lagSeconds = 0;
    if (!caughtUp) {
      const [oldest] = await this.events.readAll({ after: checkpoint ?? undefined, limit: 1 });
      if (oldest)
        lagSeconds = Math.max(
          0,
          (this.clock.now().getTime() - Date.parse(oldest.metadata.recordedAt)) / 1000,
        );
    }
    return {
      state: this.state,
      checkpoint,
      head,
      lagEvents: h !== undefined && c !== undefined ? Math.max(0, h - c) : null,
      lagSeconds,
      ...(this.state === 'failing' && this.lastError ? { lastError: this.lastError } : {}),
      ...(this.keeper ? { lease: this.keeper.status() } : {}),
    };
  }
}

/** Gauges read at scrape time; registered once per process (tests start several apps). */
function registerLagMetrics(service: ProjectorService): void {
  current = service;
  if (register.getSingleMetric('archive_ledger_projection_lag_events')) return;
  new Gauge({
    name: 'archive_ledger_projection_lag_events',
    help: 'Events appended but not yet applied to the read models (embedded store only)',
    async collect() {
      const status = await current?.status();
      // NaN where positions cannot be counted (EventStoreDB), rather than a 0 that reads as caught up.
      if (status) this.set(status.lagEvents ?? Number.NaN);
    },
  });
  new Gauge({
    name: 'archive_ledger_projection_lag_seconds',
    help: 'Age in seconds of the oldest event the read models have not applied yet (0 when caught up)',
    async collect() {
      const status = await current?.status();
      if (status) this.set(status.lagSeconds);
    },
  });
}
let current: ProjectorService | undefined;
