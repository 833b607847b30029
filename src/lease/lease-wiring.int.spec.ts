import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SealerService } from '../audit/sealer/sealer.service';
import type { SealStore } from '../audit/sealer/seal-store.port';
import { SqliteSealStore } from '../audit/sealer/sqlite-seal-store';
import { verifyAllThroughPorts } from '../audit/verify-all/verify-all-ports';
import { FixedClock } from '../clock/clock';
import { loadConfig } from '../config/config';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import type { ProposedEvent } from '../event-store/event-store.port';
import { ProjectorService } from '../projections/projector.service';
import { SqliteReadStore } from '../read-store/embedded/sqlite-read-store';
import type { ReadStore } from '../read-store/read-store.port';
import { LocalLeaseStore } from './local-lease-store';
import { testedEvent } from '../../test/support/tested-event';

/**
 * Two instances' sealers and two instances' projectors on one event store, one seal store, one read
 * store and one shared lease store (the in-process adapter on a fake clock, standing in for MongoDB's
 * `leases` collection): only the holder writes; the other stands by, and takes over when the holder
 * stops (it releases) or when a holder that died lets its lease expire. Real timers drive the
 * keepers (LEASE_TTL_MS 600: a try every 200 ms); the lease store's clock decides expiry.
 */
const TTL = 600;
const clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const proposed = (i: number): ProposedEvent => testedEvent(i, clock);

/** The same store, counting the writes made through this instance's handle. */
function counted<T extends object>(target: T, writes: readonly string[]): { handle: T; count: () => number } {
  let n = 0;
  const handle = new Proxy(target, {
    get(t, prop) {
      const value = (t as Record<string | symbol, unknown>)[prop];
      if (typeof value !== 'function') return value;
      if (writes.includes(String(prop))) {
        return (...args: unknown[]) => {
          n += 1;
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(t);
    },
  });
  return { handle, count: () => n };
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let dataDir: string;
let events: SqliteEventStore;
let leases: LocalLeaseStore;
let appended = 0;
const append = async (n: number) => {
  for (let i = 0; i < n; i++) {
    await events.append(`s-${appended % 3}`, [proposed(appended)], { expectedRevision: 'any' });
    appended += 1;
  }
};
const config = (owner: string) =>
  loadConfig({ DATA_DIR: dataDir, LEASE_OWNER: owner, LEASE_TTL_MS: String(TTL), LOG_LEVEL: 'silent' });

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-lease-'));
  dirs.push(dataDir);
  events = SqliteEventStore.open({ dataDir, clock });
  leases = new LocalLeaseStore(clock);
  appended = 0;
});
afterEach(() => events.close());

describe('two sealers on one lease: one seals at a time', () => {
  let seals: SealStore;
  const sealer = (owner: string) => {
    const store = counted(seals, ['appendNodes', 'saveCheckpoint']);
    // The shell records a replaced key only; both instances share DATA_DIR's key, so never here.
    const service = new SealerService(events, store.handle, config(owner), clock, undefined as never, leases);
    return { service, writes: store.count };
  };
  beforeEach(() => {
    seals = SqliteSealStore.open(events);
  });

  it('the first seals, the second stands by (showing the holder); after the first stops, the second takes over', async () => {
    const a = sealer('node-a');
    const b = sealer('node-b');
    await a.service.onApplicationBootstrap();
    await b.service.onApplicationBootstrap();
    try {
      await append(5);
      await eventually(async () => (await a.service.status()).treeSize === 5);
      expect(await a.service.status()).toMatchObject({ state: 'following', lease: { state: 'holding' } });
      expect(await b.service.status()).toMatchObject({
        state: 'standby',
        lease: { state: 'standby', owner: 'node-b', holder: { owner: 'node-a' } },
      });
      // The standby serves the stored tree (refreshed), but writes nothing — not even when asked to seal now.
      await b.service.sealNow();
      await eventually(async () => (await b.service.status()).treeSize === 5);
      expect(b.writes()).toBe(0);
      expect(a.writes()).toBeGreaterThan(0);

      await a.service.beforeApplicationShutdown(); // signs what it sealed, then releases the lease
      const aWrites = a.writes();
      expect((await seals.latestCheckpoint())?.treeSize).toBe(5);
      await append(3);
      await eventually(async () => (await b.service.status()).state === 'following');
      await eventually(async () => (await b.service.status()).treeSize === 8);
      await b.service.sealNow();
      expect(b.writes()).toBeGreaterThan(0);
      expect(a.writes()).toBe(aWrites);
      expect(await b.service.status()).toMatchObject({ lease: { holder: { owner: 'node-b', token: 2 } } });
    } finally {
      await a.service.beforeApplicationShutdown();
      await b.service.beforeApplicationShutdown();
    }
    // One tree, sealed by two instances in turn: it verifies end to end.
    const report = await verifyAllThroughPorts(events, seals, { description: 'test' });
    expect(report).toMatchObject({ verified: true, events: 8, storedTreeSize: 8 });
  });

  it('a holder that died without releasing: the standby waits for its lease to expire, then takes over', async () => {
    await leases.acquire('sealer', 'node-dead', TTL);
    const b = sealer('node-b');
    await b.service.onApplicationBootstrap();
    try {
      await append(2);
      await new Promise((resolve) => setTimeout(resolve, 3 * (TTL / 3)));
      expect(await b.service.status()).toMatchObject({
        state: 'standby',
        treeSize: 0,
        lease: { holder: { owner: 'node-dead' } },
      });
      expect(b.writes()).toBe(0);
      clock.advance(TTL + 1); // the dead holder's lease lapses
      await eventually(async () => (await b.service.status()).treeSize === 2);
      expect(await b.service.status()).toMatchObject({
        state: 'following',
        lease: { holder: { owner: 'node-b' } },
      });
    } finally {
      await b.service.beforeApplicationShutdown();
    }
  });
});

describe('two projectors on one lease: one applies events at a time', () => {
  let reads: SqliteReadStore;
  const projector = (owner: string) => {
    const store = counted<ReadStore>(reads, ['commit']);
    return {
      service: new ProjectorService(events, store.handle, config(owner), clock, leases),
      commits: store.count,
    };
  };
  beforeEach(() => {
    reads = SqliteReadStore.open(events);
  });

  it('the standby answers ?after= from the holder’s checkpoint, writes nothing, and takes over when the holder stops', async () => {
    const a = projector('node-a');
    const b = projector('node-b');
    await a.service.onApplicationBootstrap();
    await b.service.onApplicationBootstrap();
    try {
      await append(4);
      const head = (await events.headPosition()) as string;
      await b.service.ensure(head); // waits on the holder's committed checkpoint
      expect(await b.service.status()).toMatchObject({
        state: 'standby',
        checkpoint: head,
        lease: { holder: { owner: 'node-a' } },
      });
      expect(b.commits()).toBe(0);
      expect(a.commits()).toBeGreaterThan(0);

      await a.service.beforeApplicationShutdown();
      const aCommits = a.commits();
      await append(2);
      const newHead = (await events.headPosition()) as string;
      await eventually(async () => (await b.service.status()).state === 'following');
      await b.service.ensure(newHead);
      expect(await b.service.status()).toMatchObject({
        checkpoint: newHead,
        lease: { holder: { owner: 'node-b' } },
      });
      expect(b.commits()).toBeGreaterThan(0);
      expect(a.commits()).toBe(aCommits);
    } finally {
      await a.service.beforeApplicationShutdown();
      await b.service.beforeApplicationShutdown();
    }
  });
});
