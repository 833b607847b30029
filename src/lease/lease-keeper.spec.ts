import { FixedClock } from '../clock/clock';
import { LeaseKeeper, type LeaseEnd } from './lease-keeper';
import type { LeaseGrant } from './lease.port';
import { LocalLeaseStore } from './local-lease-store';

/** Two instances' keepers on one lease store, driven step by step on a fake clock. */
const TTL = 9_000;

function instance(store: LocalLeaseStore, clock: FixedClock, owner: string) {
  const log: string[] = [];
  const ends: (LeaseEnd | undefined)[] = [];
  let grant: LeaseGrant | undefined;
  const keeper = new LeaseKeeper(
    store,
    { name: 'sealer', owner, ttlMs: TTL, now: () => clock.now().getTime() },
    {
      lead: (signal, g) => {
        grant = g;
        log.push('lead');
        return new Promise<void>((resolve) =>
          signal.addEventListener('abort', () => {
            ends.push(signal.reason as LeaseEnd);
            log.push(`end:${String(signal.reason)}`);
            resolve();
          }),
        );
      },
      standby: async () => void log.push('standby'),
    },
  );
  return { keeper, log, ends, grant: () => grant };
}

describe('LeaseKeeper: one instance works at a time, the other takes over', () => {
  let clock: FixedClock;
  let store: LocalLeaseStore;
  beforeEach(() => {
    clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));
    store = new LocalLeaseStore(clock);
  });

  it('the first takes the lease and works; the second stands by and sees who holds it', async () => {
    const a = instance(store, clock, 'a');
    const b = instance(store, clock, 'b');
    await a.keeper.tick();
    await b.keeper.tick();
    expect(a.keeper.holding).toBe(true);
    expect(b.keeper.holding).toBe(false);
    expect(a.log).toEqual(['lead']);
    expect(b.log).toEqual(['standby']);
    expect(b.keeper.status()).toMatchObject({
      state: 'standby',
      owner: 'b',
      holder: { owner: 'a' },
      store: 'in-process',
    });
    expect(a.keeper.status()).toMatchObject({ state: 'holding', holder: { owner: 'a', token: 1 } });
    // Renewals keep it with a, however long it runs.
    for (let i = 0; i < 10; i++) {
      clock.advance(TTL / 3);
      await a.keeper.tick();
      await b.keeper.tick();
    }
    expect(a.keeper.holding).toBe(true);
    expect(b.log.filter((l) => l === 'lead')).toHaveLength(0);
  });

  it('when the holder stops, its work ends cleanly (“stopping”), the lease is released, and the other takes over at once', async () => {
    const a = instance(store, clock, 'a');
    const b = instance(store, clock, 'b');
    await a.keeper.tick();
    await b.keeper.tick();
    await a.keeper.stop();
    expect(a.ends).toEqual(['stopping']);
    expect(a.keeper.status().state).toBe('stopped');
    await b.keeper.tick(); // no time passed: released, not expired
    expect(b.keeper.holding).toBe(true);
    expect(b.grant()!.token).toBeGreaterThan(1);
  });

  it('when the holder dies without releasing, the other takes over once its lease expired — not before; the old holder, back, stops (“lost”)', async () => {
    const a = instance(store, clock, 'a');
    const b = instance(store, clock, 'b');
    await a.keeper.tick();
    await b.keeper.tick();
    // a stalls (no more ticks): b keeps standing by until a's lease lapses.
    clock.advance(TTL - 1);
    await b.keeper.tick();
    expect(b.keeper.holding).toBe(false);
    clock.advance(2);
    await b.keeper.tick();
    expect(b.keeper.holding).toBe(true);
    // a wakes up: its renewal is refused (token changed), its work is aborted as lost.
    await a.keeper.tick();
    expect(a.keeper.holding).toBe(false);
    expect(a.ends).toEqual(['lost']);
    expect(a.keeper.status()).toMatchObject({ state: 'standby' });
    await a.keeper.tick();
    expect(a.keeper.status().holder).toMatchObject({ owner: 'b' });
  });

  it('renewals failing (store unreachable): keeps working within the deadline, gives up one interval before it', async () => {
    const a = instance(store, clock, 'a');
    await a.keeper.tick();
    const renew = jest.spyOn(store, 'renew').mockRejectedValue(new Error('connection refused'));
    clock.advance(TTL / 3);
    await a.keeper.tick();
    expect(a.keeper.holding).toBe(true);
    expect(a.keeper.status().lastError).toMatch(/renewing the lease failed: connection refused/);
    clock.advance(TTL / 3);
    await a.keeper.tick(); // the next try would be at the deadline: stop now
    expect(a.keeper.holding).toBe(false);
    expect(a.ends).toEqual(['lost']);
    renew.mockRestore();
  });

  it('work that ends by itself gives the lease up, so it can be taken again', async () => {
    let runs = 0;
    const keeper = new LeaseKeeper(
      store,
      { name: 'projector:main', owner: 'a', ttlMs: TTL, now: () => clock.now().getTime() },
      { lead: async () => void (runs += 1) },
    );
    await keeper.tick();
    await new Promise((resolve) => setImmediate(resolve));
    expect(keeper.holding).toBe(false);
    expect(await store.holder('projector:main')).toBeUndefined();
    await keeper.tick();
    expect(runs).toBe(2);
    await keeper.stop();
  });

  it('refuses an interval that would not leave time to renew', () => {
    expect(
      () =>
        new LeaseKeeper(
          store,
          { name: 'x', owner: 'a', ttlMs: 1000, intervalMs: 600 },
          { lead: async () => undefined },
        ),
    ).toThrow(/under half its TTL/);
  });

  it('on timers (start): takes the lease at start, and a stop releases it', async () => {
    const a = instance(store, clock, 'a');
    await a.keeper.start();
    expect(a.keeper.holding).toBe(true);
    await a.keeper.stop();
    expect(await store.holder('sealer')).toBeUndefined();
  });
});
