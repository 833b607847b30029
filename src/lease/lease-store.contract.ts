import type { LeaseStore } from './lease.port';

export interface LeaseStoreUnderTest {
  readonly store: LeaseStore;
  /** Let `ms` pass on the store's clock (a fake clock moved, or real time slept). */
  passTime(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * The lease contract every adapter passes: the in-process one always (local-lease-store.spec.ts),
 * MongoDB when MONGODB_URL is set (mongo-lease-store.int.spec.ts). `ttl` is short for adapters on
 * real time.
 */
export function describeLeaseStoreContract(
  name: string,
  open: () => Promise<LeaseStoreUnderTest>,
  ttl = 60_000,
): void {
  describe(`lease store contract: ${name}`, () => {
    let t: LeaseStoreUnderTest;
    let lease: string;
    let n = 0;
    beforeEach(async () => {
      t = await open();
      lease = `test-lease-${Date.now()}-${n++}`;
    });
    afterEach(() => t.dispose());

    it('grants a free lease to its first owner, with a token and an expiry; holder() names it', async () => {
      const grant = await t.store.acquire(lease, 'a', ttl);
      expect(grant).toMatchObject({ name: lease, owner: 'a' });
      expect(grant!.token).toBeGreaterThanOrEqual(1);
      expect(grant!.expiresAt.getTime()).toBeGreaterThan(grant!.acquiredAt.getTime());
      expect(await t.store.holder(lease)).toMatchObject({ owner: 'a', token: grant!.token });
    });

    it('refuses a second owner while the lease has not expired', async () => {
      await t.store.acquire(lease, 'a', ttl);
      expect(await t.store.acquire(lease, 'b', ttl)).toBeUndefined();
      expect(await t.store.holder(lease)).toMatchObject({ owner: 'a' });
    });

    it('the holder acquiring again keeps its token (a renewal)', async () => {
      const first = await t.store.acquire(lease, 'a', ttl);
      const again = await t.store.acquire(lease, 'a', ttl);
      expect(again).toMatchObject({ owner: 'a', token: first!.token });
    });

    it('renew extends the holder’s lease; a grant with another token cannot renew', async () => {
      const grant = (await t.store.acquire(lease, 'a', ttl))!;
      await t.passTime(ttl / 2);
      const renewed = await t.store.renew(grant, ttl);
      expect(renewed).toMatchObject({ owner: 'a', token: grant.token });
      expect(renewed!.expiresAt.getTime()).toBeGreaterThan(grant.expiresAt.getTime());
      await t.passTime(ttl * 0.7); // past the first expiry, within the renewed one
      expect(await t.store.acquire(lease, 'b', ttl)).toBeUndefined();
      expect(await t.store.renew({ ...grant, token: grant.token + 1 }, ttl)).toBeUndefined();
    });

    it('an expired lease goes to another owner with a larger token; the old grant can no longer renew', async () => {
      const old = (await t.store.acquire(lease, 'a', ttl))!;
      await t.passTime(ttl * 1.5);
      expect(await t.store.holder(lease)).toBeUndefined();
      const taken = await t.store.acquire(lease, 'b', ttl);
      expect(taken).toMatchObject({ owner: 'b' });
      expect(taken!.token).toBeGreaterThan(old.token);
      expect(await t.store.renew(old, ttl)).toBeUndefined();
      expect(await t.store.holder(lease)).toMatchObject({ owner: 'b', token: taken!.token });
    });

    it('the holder may still renew a lease that lapsed if nobody took it (same token)', async () => {
      const grant = (await t.store.acquire(lease, 'a', ttl))!;
      await t.passTime(ttl * 1.5);
      expect(await t.store.renew(grant, ttl)).toMatchObject({ owner: 'a', token: grant.token });
    });

    it('release frees the lease at once: another owner takes it with a larger token; a stale release does nothing', async () => {
      const grant = (await t.store.acquire(lease, 'a', ttl))!;
      await t.store.release(grant);
      expect(await t.store.holder(lease)).toBeUndefined();
      const taken = (await t.store.acquire(lease, 'b', ttl))!;
      expect(taken.token).toBeGreaterThan(grant.token);
      await t.store.release(grant); // a's old grant: not the holder any more
      expect(await t.store.holder(lease)).toMatchObject({ owner: 'b' });
      expect(await t.store.renew(grant, ttl)).toBeUndefined();
    });

    it('owners racing for a free lease: exactly one gets it', async () => {
      const grants = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((o) => t.store.acquire(lease, o, ttl)));
      const granted = grants.filter((g) => g !== undefined);
      expect(granted).toHaveLength(1);
      expect(await t.store.holder(lease)).toMatchObject({ owner: granted[0]!.owner });
    });

    it('leases of different names are independent', async () => {
      expect(await t.store.acquire(`${lease}-x`, 'a', ttl)).toBeDefined();
      expect(await t.store.acquire(`${lease}-y`, 'b', ttl)).toBeDefined();
    });
  });
}
