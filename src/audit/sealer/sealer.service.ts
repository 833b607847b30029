import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  ServiceUnavailableException,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { CLOCK, type Clock } from '../../clock/clock';
import { CommandShell, type CommandContext, type CommandOutcome } from '../../command-shell/command-shell';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { conflict } from '../../domain-kernel/domain-error';
import { readVerifiedStream } from '../../event-store/read-verified-stream';
import { EVENT_STORE, type EventStore, type Position } from '../../event-store/event-store.port';
import { LeaseKeeper, type LeaseStatus } from '../../lease/lease-keeper';
import { leaseOwner } from '../../lease/lease.module';
import { LEASE_STORE, type LeaseStore } from '../../lease/lease.port';
import {
  createSigner,
  formatVerifierKey,
  keyIdHex,
  parseVerifierKey,
  type NoteSigner,
  type NoteVerifier,
} from '../signed-note';
import { SEAL_STORE, type SealStore, type StoredCheckpoint } from './seal-store.port';
import { Sealer } from './sealer';
import {
  commitNextKey,
  discardNextKey,
  SealingKeyError,
  loadOrCreateSealingKey,
  prepareNextKey,
  readNextKey,
  sealingKeyLocation,
  type SealingKeyLocation,
} from './sealing-key-file';
import { SEALER_ACTOR_ID, sealingKeysDecider, type SealingKeyState } from './sealing-keys.decider';
import {
  SEALING_KEYS_STREAM,
  type PublishedSealingKey,
  type SealingKeyEvent,
  type SealingKeyRotated,
} from './sealing-keys.events';

/** Where the sealer stands, for /health/ready and the metrics. */
export interface SealerStatus {
  /**
   * `unavailable`: no seal store for this event store, or (STORE=eventstoredb) no usable signing
   * key; `lastError` then says why. `standby`: another instance holds the sealer lease and seals;
   * this one serves proofs and checkpoints from the stored tree.
   */
  readonly state: 'starting' | 'following' | 'failing' | 'standby' | 'stopped' | 'unavailable';
  readonly treeSize: number;
  readonly lastPosition: Position | null;
  readonly head: Position | null;
  /** Events not yet appended to the tree (embedded store only: its positions are counts; null otherwise). */
  readonly lagEvents: number | null;
  /** Leaves appended but not yet covered by a signed checkpoint. */
  readonly unsignedLeaves: number;
  readonly checkpoint: {
    readonly treeSize: number;
    readonly keyId: string;
    readonly signedAt: string;
  } | null;
  readonly lastError?: string;
  /** The sealer lease: who seals (one instance at a time). Absent when the sealer is unavailable. */
  readonly lease?: LeaseStatus;
}

/** A checkpoint key, current or retired, as `GET /audit/public-key` shows it. */
export interface SealingKeyInfo extends PublishedSealingKey {
  readonly status: 'current' | 'retired';
  /** Tree size at which the key took over (0: the first key). */
  readonly fromTreeSize: number;
  /** Tree size at which it was replaced (absent for the current key). */
  readonly untilTreeSize?: number;
  readonly rotation?: {
    readonly reason: string;
    readonly rotatedBy: { readonly id: string; readonly unit: string };
    readonly recordedAt: string;
  };
}

const RETRY_MS = [100, 500, 1000, 5000, 15000];

/**
 * Runs the sealer with the service: catch up at start, then follow live appends; a checkpoint every
 * SEAL_EVERY_EVENTS leaves or SEAL_EVERY_MS while any leaf is unsigned, and one at shutdown. Owns
 * the signing key and its rotation (an event in stream `sealer-keys`).
 *
 * Only while it holds the `sealer` lease (src/lease): one instance seals at a time. The others
 * stand by, serve proofs and checkpoints from the stored tree (refreshed every second), and take
 * over when the holder stops (it releases the lease) or its lease expires (LEASE_TTL_MS).
 */
@Injectable()
export class SealerService
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('Sealer');
  private sealer: Sealer | undefined;
  private readonly location: SealingKeyLocation;
  private keeper: LeaseKeeper | undefined;
  private refresher: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private state: SealerStatus['state'] = 'starting';
  private lastError: string | undefined;
  private rotating: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Optional() @Inject(SEAL_STORE) private readonly store: SealStore | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CommandShell) private readonly shell: CommandShell,
    @Inject(LEASE_STORE) private readonly leases: LeaseStore,
  ) {
    this.location = sealingKeyLocation(config.dataDir, config.sealKeyFile);
    registerSealMetrics(this);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.store) {
      this.state = 'unavailable';
      return;
    }
    const keys = await this.keyState();
    let signer: NoteSigner;
    try {
      await this.checkKeyLocation();
      signer = await this.loadSigner(keys);
    } catch (error) {
      // The embedded store keeps its key next to its file: a key that cannot be used there stops
      // the start. A cluster node without a usable key serves everything but the audit routes.
      if (this.config.store === 'embedded') throw error;
      this.state = 'unavailable';
      this.lastError =
        error instanceof SealingKeyError
          ? error.message
          : `cannot read or create the checkpoint signing key ${this.location.file}: ${(error as Error).message}` +
            (this.location.external ? '' : ' (with STORE=eventstoredb set SEAL_KEY_FILE, docs/audit.md)');
      this.logger.error({ err: error }, 'the audit sealer cannot start: no usable checkpoint signing key');
      return;
    }
    this.sealer = new Sealer(this.events, this.store, signer, this.clock, {
      origin: this.config.sealOrigin,
      batchSize: this.config.sealBatchSize,
      everyEvents: this.config.sealEveryEvents,
    });
    await this.sealer.init();
    this.sealer.standBy();
    this.keeper = new LeaseKeeper(
      this.leases,
      { name: 'sealer', owner: leaseOwner(this.config), ttlMs: this.config.leaseTtlMs },
      { lead: (signal) => this.lead(signal), standby: () => this.standBy() },
      this.logger,
    );
    // The first attempt is awaited: a single instance (and the embedded store) seals from the start.
    await this.keeper.start();
  }

  /** Holding the lease: seal from the stored tree on, sign on the timer, and once more when stopping. */
  private async lead(signal: AbortSignal): Promise<void> {
    const sealer = this.sealer as Sealer;
    this.stopRefreshing();
    await sealer.lead();
    await this.recordReplacedKey(await this.keyState(), sealer.currentSigner);
    this.timer = setInterval(() => void this.checkpointIfDue(), this.config.sealEveryMs);
    this.timer.unref();
    try {
      await this.run(signal);
    } finally {
      clearInterval(this.timer);
      this.timer = undefined;
      // Stopping with the lease still held: sign what is sealed. Lost: the new holder signs.
      if (signal.reason === 'stopping') await this.checkpointIfDue();
      sealer.standBy();
      this.state = signal.reason === 'stopping' ? 'stopped' : 'standby';
    }
  }

  /** Another instance seals: keep this one's view of the stored tree fresh for the audit routes. */
  private async standBy(): Promise<void> {
    this.state = 'standby';
    if (this.refresher) return;
    const refresh = () => void this.sealer?.init().catch(() => undefined);
    this.refresher = setInterval(refresh, Math.min(1000, this.config.sealEveryMs));
    this.refresher.unref();
    refresh();
  }

  private stopRefreshing(): void {
    if (this.refresher) clearInterval(this.refresher);
    this.refresher = undefined;
  }

  /**
   * With STORE=eventstoredb the key should be SEAL_KEY_FILE, shared by every instance. Without it,
   * a key is generated in DATA_DIR only where DATA_DIR exists (one instance with a persistent
   * volume): never a fresh key per node in a directory nobody keeps.
   */
  private async checkKeyLocation(): Promise<void> {
    if (this.config.store !== 'eventstoredb' || this.location.external) return;
    const dataDir = await fs.stat(this.config.dataDir).catch(() => undefined);
    if (!dataDir?.isDirectory()) {
      throw new SealingKeyError(
        `no checkpoint signing key: SEAL_KEY_FILE is not set and DATA_DIR (${this.config.dataDir}) does not exist on this node. ` +
          'With STORE=eventstoredb set SEAL_KEY_FILE to the Ed25519 key (JWK JSON or PKCS#8 PEM) every instance signs with (docs/audit.md)',
      );
    }
    this.logger.warn(
      { file: this.location.file },
      'STORE=eventstoredb without SEAL_KEY_FILE: the checkpoint key is kept in DATA_DIR; every instance must use the same key (set SEAL_KEY_FILE)',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store?.close();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopRefreshing();
    // Ends the work (a last checkpoint while the lease is still held), then releases the lease.
    await this.keeper?.stop();
    if (this.sealer && this.state !== 'unavailable') this.state = 'stopped';
  }

  private async run(signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted;) {
      try {
        this.state = 'following';
        await this.sealer?.follow(signal);
        return;
      } catch (error) {
        if (signal.aborted) return;
        this.state = 'failing';
        this.lastError = (error as Error).message;
        const wait = RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)];
        this.logger.error({ err: error, retryInMs: wait }, 'sealing events into the Merkle tree failed');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private async checkpointIfDue(): Promise<void> {
    try {
      if (this.sealer && this.sealer.unsignedLeaves > 0) await this.sealer.checkpoint();
    } catch (error) {
      this.logger.error({ err: error }, 'signing a checkpoint failed');
    }
  }

  /** The running sealer, or 503 SEALER_UNAVAILABLE. */
  running(): Sealer {
    if (!this.sealer) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'SEALER_UNAVAILABLE',
        message:
          this.state !== 'unavailable'
            ? 'the audit sealer is starting; retry shortly'
            : this.lastError
              ? `the audit sealer is not running: ${this.lastError}`
              : `the audit sealer is not available with STORE=${this.config.store} (see docs/audit.md)`,
      });
    }
    return this.sealer;
  }

  /** Seal everything appended so far and sign it now (tests, and the verify endpoint's freshness). */
  async sealNow(): Promise<StoredCheckpoint | undefined> {
    const sealer = this.running();
    await sealer.catchUp();
    return sealer.checkpoint();
  }

  async status(): Promise<SealerStatus> {
    const head = (await this.events.headPosition()) ?? null;
    const sealer = this.sealer;
    const lastPosition = sealer?.position ?? null;
    const numeric = (p: string | null) => (p === null ? 0 : /^\d+$/.test(p) ? Number(p) : undefined);
    const h = numeric(head);
    const s = numeric(lastPosition);
    const latest = sealer?.latestCheckpoint;
    return {
      state: this.state,
      treeSize: sealer?.treeSize ?? 0,
      lastPosition,
      head,
      lagEvents: sealer && h !== undefined && s !== undefined ? Math.max(0, h - s) : null,
      unsignedLeaves: sealer?.unsignedLeaves ?? 0,
      checkpoint: latest
        ? { treeSize: latest.treeSize, keyId: latest.keyId, signedAt: latest.signedAt }
        : null,
      ...((this.state === 'failing' || this.state === 'unavailable') && this.lastError
        ? { lastError: this.lastError }
        : {}),
      ...(this.keeper ? { lease: this.keeper.status() } : {}),
    };
  }

  /** The sealer lease (who seals), for /health/ready; undefined while the sealer is unavailable. */
  leaseStatus(): LeaseStatus | undefined {
    return this.keeper?.status();
  }

  // ---- keys ---------------------------------------------------------------------------------------

  private async rotations(): Promise<SealingKeyRotated[]> {
    const history = await readVerifiedStream(this.events, SEALING_KEYS_STREAM);
    return history.map((e) => ({
      type: e.type,
      data: e.data,
      recordedAt: e.metadata.recordedAt,
    })) as unknown as (SealingKeyRotated & { recordedAt: string })[];
  }

  private async keyState(): Promise<SealingKeyState> {
    return (await this.rotations()).reduce(
      (state, event) => sealingKeysDecider.evolve(state, event as SealingKeyEvent),
      sealingKeysDecider.initialState(),
    );
  }

  /** Load the key, finishing or undoing a rotation a crash interrupted. */
  private async loadSigner(keys: SealingKeyState): Promise<NoteSigner> {
    const next = this.location.external ? undefined : await readNextKey(this.location);
    if (next) {
      const nextSigner = createSigner(this.config.sealOrigin, next);
      if (keys.current?.keyId === keyIdHex(nextSigner.keyId)) await commitNextKey(this.location);
      else await discardNextKey(this.location);
    }
    return createSigner(this.config.sealOrigin, await loadOrCreateSealingKey(this.location));
  }

  /** A key that differs from the one on record (file replaced or lost) is itself recorded as a rotation. */
  private async recordReplacedKey(keys: SealingKeyState, signer: NoteSigner): Promise<void> {
    const latest = this.sealer?.latestCheckpoint;
    const onRecord: PublishedSealingKey | undefined =
      keys.current ?? (latest ? { keyId: latest.keyId, verifierKey: latest.verifierKey } : undefined);
    const now = published(signer);
    if (onRecord === undefined || onRecord.verifierKey === now.verifierKey) return;
    this.logger.warn({ previous: onRecord.keyId, current: now.keyId }, 'the checkpoint signing key changed');
    const id = randomUUID();
    await this.shell.execute({
      decider: sealingKeysDecider,
      stream: SEALING_KEYS_STREAM,
      commandType: 'RotateSealingKey',
      command: {
        type: 'RotateSealingKey',
        keyName: signer.name,
        previous: onRecord,
        next: now,
        treeSize: this.sealer?.treeSize ?? 0,
        reason: this.location.external
          ? `the key in SEAL_KEY_FILE (${this.location.file}) is not the key on record`
          : `the key file ${this.location.file} is not the key on record (replaced or lost); the sealer signs with the new key`,
      },
      context: {
        actor: { id: SEALER_ACTOR_ID, roles: ['system'], unit: 'SYSTEM', clearance: 'PUBLIC' },
        correlationId: id,
        causationId: id,
      },
    });
    await this.sealer?.checkpoint();
  }

  /**
   * Rotate the signing key (administrator): sign the tree with the old key, prepare the new key,
   * record `SealingKeyRotated`, switch, and re-sign the same tree size with the new key.
   */
  async rotate(
    reason: string,
    context: CommandContext,
  ): Promise<{ outcome: CommandOutcome<SealingKeyEvent>; previousKeyId: string; keyId: string }> {
    const run = this.rotating.then(() => this.rotateNow(reason, context));
    this.rotating = run.catch(() => undefined);
    return run;
  }

  private async rotateNow(reason: string, context: CommandContext) {
    const sealer = this.running();
    if (this.location.external) {
      throw conflict(
        'SEAL_KEY_EXTERNAL',
        'the checkpoint key is managed externally (SEAL_KEY_FILE): replace the file and restart; the sealer records the rotation itself',
      );
    }
    if (!sealer.writable) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'SEALER_STANDBY',
        message: `this instance does not hold the sealer lease (held by ${this.keeper?.status().holder?.owner ?? 'nobody yet'}); retry: the instance that seals rotates the key`,
      });
    }
    await sealer.checkpoint();
    const previous = published(sealer.currentSigner);
    const nextSigner = createSigner(this.config.sealOrigin, await prepareNextKey(this.location));
    const next = published(nextSigner);
    let outcome: CommandOutcome<SealingKeyEvent>;
    try {
      outcome = await this.shell.execute({
        decider: sealingKeysDecider,
        stream: SEALING_KEYS_STREAM,
        commandType: 'RotateSealingKey',
        command: {
          type: 'RotateSealingKey',
          keyName: nextSigner.name,
          previous,
          next,
          treeSize: sealer.treeSize,
          reason,
        },
        // A retried request (same Idempotency-Key) is the same rotation, though a new key was drawn.
        digestOf: { reason },
        context,
      });
    } catch (error) {
      await discardNextKey(this.location);
      throw error;
    }
    if (outcome.replayed) {
      await discardNextKey(this.location);
      const [event] = outcome.events as SealingKeyRotated[];
      return { outcome, previousKeyId: event.data.previous.keyId, keyId: event.data.next.keyId };
    }
    await commitNextKey(this.location);
    await sealer.useSigner(nextSigner);
    this.logger.log({ previous: previous.keyId, current: next.keyId }, 'checkpoint signing key rotated');
    return { outcome, previousKeyId: previous.keyId, keyId: next.keyId };
  }

  /** Every key that ever signed checkpoints, oldest first; the last is current. */
  async keys(): Promise<SealingKeyInfo[]> {
    const sealer = this.running();
    const rotations = (await this.rotations()) as (SealingKeyRotated & { recordedAt: string })[];
    const current = published(sealer.currentSigner);
    if (rotations.length === 0) return [{ ...current, status: 'current', fromTreeSize: 0 }];
    const keys: SealingKeyInfo[] = [
      {
        ...rotations[0].data.previous,
        status: 'retired',
        fromTreeSize: 0,
        untilTreeSize: rotations[0].data.treeSize,
      },
    ];
    rotations.forEach((rotation, i) => {
      const following = rotations[i + 1];
      keys.push({
        ...rotation.data.next,
        status: following ? 'retired' : 'current',
        fromTreeSize: rotation.data.treeSize,
        ...(following ? { untilTreeSize: following.data.treeSize } : {}),
        rotation: {
          reason: rotation.data.reason,
          rotatedBy: rotation.data.rotatedBy,
          recordedAt: rotation.recordedAt,
        },
      });
    });
    return keys;
  }

  /** Verifiers for every key on record, to open any checkpoint ever signed. */
  async verifiers(): Promise<NoteVerifier[]> {
    const unique = new Map<string, NoteVerifier>();
    for (const key of await this.keys()) unique.set(key.verifierKey, parseVerifierKey(key.verifierKey));
    return [...unique.values()];
  }
}

function published(signer: NoteSigner): PublishedSealingKey {
  return { keyId: keyIdHex(signer.keyId), verifierKey: formatVerifierKey(signer.name, signer.publicKey) };
}

/** Gauges read at scrape time; registered once per process (tests start several apps). */
function registerSealMetrics(service: SealerService): void {
  currentService = service;
  if (register.getSingleMetric('archive_ledger_seal_lag_events')) return;
  new Gauge({
    name: 'archive_ledger_seal_lag_events',
    help: 'Events appended but not yet in the audit Merkle tree (embedded store only)',
    async collect() {
      const status = await currentService?.status();
      if (status) this.set(status.lagEvents ?? Number.NaN);
    },
  });
  new Gauge({
    name: 'archive_ledger_seal_unsigned_leaves',
    help: 'Leaves of the audit Merkle tree not yet covered by a signed checkpoint',
    async collect() {
      const status = await currentService?.status();
      if (status) this.set(status.unsignedLeaves);
    },
  });
  new Gauge({
    name: 'archive_ledger_seal_tree_size',
    help: 'Leaves in the audit Merkle tree',
    async collect() {
      const status = await currentService?.status();
      if (status) this.set(status.treeSize);
    },
  });
}
let currentService: SealerService | undefined;
