import type { Clock } from '../clock/clock';
import type { LeaseGrant, LeaseStore } from './lease.port';

/**
 * Leases inside one process. This is the embedded deployment's adapter: the embedded store is one
 * SQLite file opened with an exclusive lock (`SqliteEventStore.open`), so no second process can run
 * a sealer or projector against it; the only owners are inside this process, one per role, and the
 * lease is always granted to them. It has the full lease semantics all the same (expiry by the
 * injected clock, tokens, refusal of a second owner), so it also serves as the in-process reference
 * of the contract suite and of the tests with several sealers or projectors sharing one store.
 */
export class LocalLeaseStore implements LeaseStore {
  readonly kind = 'in-process';
  private readonly leases = new Map<
    string,
    { owner: string | null; token: number; expiresAt: number; acquiredAt: number }
  >();

  constructor(private readonly clock: Clock) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<LeaseGrant | undefined> {
    const now = this.clock.now().getTime();
    const lease = this.leases.get(name);
    if (lease && lease.owner !== null && lease.owner !== owner && lease.expiresAt > now) return undefined;
    const same = lease !== undefined && lease.owner === owner && lease.expiresAt > now;
    const next = {
      owner,
      token: same ? lease.token : (lease?.token ?? 0) + 1,
      expiresAt: now + ttlMs,
      acquiredAt: same ? lease.acquiredAt : now,
    };
    this.leases.set(name, next);
    return grantOf(name, next);
  }

  async renew(grant: LeaseGrant, ttlMs: number): Promise<LeaseGrant | undefined> {
    const lease = this.leases.get(grant.name);
    if (!lease || lease.owner !== grant.owner || lease.token !== grant.token) return undefined;
    lease.expiresAt = this.clock.now().getTime() + ttlMs;
    return grantOf(grant.name, lease);
  }

  async release(grant: LeaseGrant): Promise<void> {
    const lease = this.leases.get(grant.name);
    if (!lease || lease.owner !== grant.owner || lease.token !== grant.token) return;
    lease.owner = null;
    lease.expiresAt = this.clock.now().getTime();
  }

  async holder(name: string): Promise<LeaseGrant | undefined> {
    const lease = this.leases.get(name);
    if (!lease || lease.owner === null || lease.expiresAt <= this.clock.now().getTime()) return undefined;
    return grantOf(name, lease);
  }

  async close(): Promise<void> {}
}

function grantOf(
  name: string,
  lease: { owner: string | null; token: number; expiresAt: number; acquiredAt: number },
): LeaseGrant {
  return {
    name,
    owner: lease.owner as string,
    token: lease.token,
    expiresAt: new Date(lease.expiresAt),
    acquiredAt: new Date(lease.acquiredAt),
  };
}
