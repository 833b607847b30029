import { performance } from 'node:perf_hooks';
import type { LeaseGrant, LeaseStore } from './lease.port';

export interface LeaseKeeperOptions {
  /** The lease's name, e.g. `sealer`, `projector:main`. */
  readonly name: string;
  /** This instance (LEASE_OWNER, or host:pid:random). */
  readonly owner: string;
  /** How long a grant lasts unless renewed (LEASE_TTL_MS). */
  readonly ttlMs: number;
  /** How often the holder renews and a standby tries to take over; default a third of the TTL. */
  readonly intervalMs?: number;
  /** Monotonic milliseconds for the holder's own deadline; default `performance.now`. */
  readonly now?: () => number;
}

/** Why the work's signal was aborted. */
export type LeaseEnd = 'lost' | 'stopping';

export interface LeaseWork {
  /**
   * Runs while this instance holds the lease; must return soon after `signal` aborts
   * (`signal.reason` is a LeaseEnd: `stopping` — finish cleanly, the lease is still held until it
   * returns; `lost` — stop writing at once, another instance may already hold it).
   */
  lead(signal: AbortSignal, grant: LeaseGrant): Promise<void>;
  /** Called on every interval while another instance holds the lease (e.g. refresh a read view). */
  standby?(): Promise<void>;
}

export interface LeaseStatus {
  readonly name: string;
  /** `holding`: this instance does the work; `standby`: another instance does (or nobody could take it yet). */
  readonly state: 'starting' | 'holding' | 'standby' | 'stopped';
  /** This instance's owner id. */
  readonly owner: string;
  /** Who holds the lease, as last seen (this instance when holding); null when nobody does. */
  readonly holder: { readonly owner: string; readonly token: number; readonly expiresAt: string } | null;
  readonly store: string;
  readonly ttlMs: number;
  readonly lastError?: string;
}

interface Logger {
  log(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
  error(message: unknown, ...rest: unknown[]): void;
}

/**
 * Keeps one lease for one role: tries to take it, runs the work while it holds it, renews it every
 * interval, and stops the work when it is lost — before it can lapse for the other instances: the
 * holder's deadline is when its last successful acquire or renew was *sent* plus the TTL (the store
 * set the expiry later than that), and it gives up one interval before that deadline if renewals
 * keep failing (the store unreachable), and at the deadline itself even while a renewal hangs.
 * A standby takes over on its next interval once the lease expired or was released. On stop it
 * ends the work (which may finish cleanly: a last checkpoint) and releases the lease at once.
 *
 * `tick()` is one step (tests drive it with a fake clock); `start()` runs it on a timer.
 */
export class LeaseKeeper {
  private grant: LeaseGrant | undefined;
  private holder: LeaseStatus['holder'] = null;
  private state: LeaseStatus['state'] = 'starting';
  private lastError: string | undefined;
  private deadline = 0;
  private work: { abort: AbortController; done: Promise<void> } | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Running on timers (start()), not driven by tick() alone. */
  private timed = false;
  private readonly now: () => number;
  private readonly intervalMs: number;

  constructor(
    private readonly store: LeaseStore,
    private readonly options: LeaseKeeperOptions,
    private readonly task: LeaseWork,
    private readonly logger?: Logger,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.intervalMs = options.intervalMs ?? Math.max(1, Math.floor(options.ttlMs / 3));
    if (this.intervalMs >= options.ttlMs / 2) {
      throw new Error(
        `the lease interval (${this.intervalMs} ms) must be under half its TTL (${options.ttlMs} ms)`,
      );
    }
  }

  /** True while this instance holds the lease and its work runs. */
  get holding(): boolean {
    return this.grant !== undefined && this.work !== undefined;
  }

  status(): LeaseStatus {
    return {
      name: this.options.name,
      state: this.state,
      owner: this.options.owner,
      holder: this.grant ? holderOf(this.grant) : this.holder,
      store: this.store.kind,
      ttlMs: this.options.ttlMs,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Make the first attempt (awaited), then keep going on a timer until `stop()`. */
  async start(): Promise<void> {
    this.timed = true;
    await this.tick();
    this.loop = (async () => {
      while (!this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.intervalMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (!this.stopped) await this.tick();
      }
    })();
  }

  /** One step: renew while holding, else try to take the lease. Never throws. */
  tick(): Promise<void> {
    this.ticking = this.ticking.then(() => this.step());
    return this.ticking;
  }

  private async step(): Promise<void> {
    if (this.stopped) return;
    const held = this.grant;
    if (held) {
      const sentAt = this.now();
      try {
        const renewed = await this.store.renew(held, this.options.ttlMs);
        if (this.grant !== held) {
          // Given up meanwhile (the deadline passed while the renewal hung): hand it back.
          if (renewed) await this.store.release(renewed).catch(() => undefined);
          return;
        }
        if (!renewed) return await this.lose('the lease was taken by another instance or released');
        this.hold(renewed, sentAt);
      } catch (error) {
        this.lastError = `renewing the lease failed: ${(error as Error).message}`;
        this.logger?.warn({ err: error, lease: this.options.name }, 'renewing the lease failed');
        // The next attempt would come too late: stop before the lease can lapse for the others.
        if (this.grant === held && this.now() + this.intervalMs >= this.deadline) {
          await this.lose(`could not renew the lease before it lapsed (${(error as Error).message})`);
        }
      }
      return;
    }
    const sentAt = this.now();
    try {
      const grant = await this.store.acquire(this.options.name, this.options.owner, this.options.ttlMs);
      if (grant) {
        this.hold(grant, sentAt);
        this.begin(grant);
        return;
      }
      const holder = await this.store.holder(this.options.name);
      this.holder = holder ? holderOf(holder) : null;
      this.state = 'standby';
      this.lastError = undefined;
    } catch (error) {
      this.state = 'standby';
      this.lastError = `taking the lease failed: ${(error as Error).message}`;
      this.logger?.warn({ err: error, lease: this.options.name }, 'taking the lease failed');
    }
    try {
      await this.task.standby?.();
    } catch (error) {
      this.logger?.warn({ err: error, lease: this.options.name }, 'refreshing the standby view failed');
    }
  }

  private hold(grant: LeaseGrant, sentAt: number): void {
    this.grant = grant;
    this.deadline = sentAt + this.options.ttlMs;
    this.lastError = undefined;
    if (this.timed) this.armWatchdog();
  }

  /** While running on timers: lose the lease at the deadline even if a renewal hangs. */
  private armWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(
      () => {
        if (this.grant && this.now() >= this.deadline) {
          void this.lose('the lease lapsed: no renewal succeeded before its deadline');
        } else if (this.grant) {
          this.armWatchdog();
        }
      },
      Math.max(1, this.deadline - this.now()),
    );
    this.watchdog.unref();
  }

  private begin(grant: LeaseGrant): void {
    const abort = new AbortController();
    this.state = 'holding';
    this.logger?.log(
      { lease: this.options.name, owner: this.options.owner, token: grant.token },
      'took the lease: this instance does the work',
    );
    const done = (async () => {
      try {
        await this.task.lead(abort.signal, grant);
      } catch (error) {
        this.lastError = `the work failed: ${(error as Error).message}`;
        this.logger?.error({ err: error, lease: this.options.name }, 'the work under the lease failed');
      }
      // The work ended by itself while we hold the lease: give it up so it can start again (here or elsewhere).
      if (!abort.signal.aborted && this.work?.abort === abort) {
        this.work = undefined;
        const held = this.grant;
        this.grant = undefined;
        this.state = 'standby';
        if (held) await this.store.release(held).catch(() => undefined);
      }
    })();
    this.work = { abort, done };
  }

  private async lose(reason: string): Promise<void> {
    const work = this.work;
    this.grant = undefined;
    this.work = undefined;
    this.state = 'standby';
    this.holder = null;
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
    this.lastError = reason;
    this.logger?.warn(
      { lease: this.options.name, owner: this.options.owner, reason },
      'lost the lease: stopping the work',
    );
    if (work) {
      work.abort.abort('lost' satisfies LeaseEnd);
      await work.done;
    }
  }

  /** End the work (cleanly), release the lease so a standby takes over at once, and stop trying. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    await this.ticking;
    await this.loop;
    if (this.watchdog) clearTimeout(this.watchdog);
    const work = this.work;
    const grant = this.grant;
    this.work = undefined;
    if (work) {
      work.abort.abort('stopping' satisfies LeaseEnd);
      await work.done;
    }
    this.grant = undefined;
    if (grant) {
      await this.store.release(grant).catch((error: unknown) => {
        this.logger?.warn(
          { err: error, lease: this.options.name },
          'releasing the lease failed (it will expire)',
        );
      });
    }
    this.state = 'stopped';
  }
}

function holderOf(grant: LeaseGrant): NonNullable<LeaseStatus['holder']> {
  return { owner: grant.owner, token: grant.token, expiresAt: grant.expiresAt.toISOString() };
}
