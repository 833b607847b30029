/**
 * Leases: at most one holder of a named role at a time across the service's instances — one sealer
 * per log, one projector per projection (ARCHITECTURE: "a lease when several app instances run").
 *
 * A lease is held by an owner (an instance id) until it expires; the holder renews it well before
 * that. Whoever finds it expired (or released) may take it. Each hand-over increases its `token`
 * (a fencing token): a grant whose token is no longer the stored one cannot be renewed.
 *
 * Two adapters pass one contract suite (lease-store.contract.ts): `LocalLeaseStore` (in-process:
 * the embedded deployment, where one process holds the SQLite file's lock) and `MongoLeaseStore`
 * (collection `leases`, one atomic `findOneAndUpdate` per operation, the server's clock).
 */
export interface LeaseGrant {
  readonly name: string;
  readonly owner: string;
  /** Fencing token: grows each time the lease changes hands or is taken again after it lapsed. */
  readonly token: number;
  /** When the lease lapses unless renewed, by the lease store's clock. */
  readonly expiresAt: Date;
  /** When this owner took it (kept across renewals). */
  readonly acquiredAt: Date;
}

export interface LeaseStore {
  /**
   * Take the lease for `ttlMs`: granted when nobody holds it, when the holder's lease has expired or
   * was released, or when `owner` already holds it (then it is renewed, same token). Undefined when
   * another owner holds an unexpired lease. Atomic: two owners never both get it.
   */
  acquire(name: string, owner: string, ttlMs: number): Promise<LeaseGrant | undefined>;
  /**
   * Extend a lease this grant still holds (same owner and token, even if it has just expired and
   * nobody took it). Undefined when the lease was taken by someone else or released: stop working.
   */
  renew(grant: LeaseGrant, ttlMs: number): Promise<LeaseGrant | undefined>;
  /** Give the lease up now (no-op unless the grant still holds it), so a standby takes over at once. */
  release(grant: LeaseGrant): Promise<void>;
  /** The current unexpired holder, if any. */
  holder(name: string): Promise<LeaseGrant | undefined>;
  /** What backs the leases, for /health/ready (e.g. `mongodb`, `in-process`). */
  readonly kind: string;
  close(): Promise<void>;
}

export const LEASE_STORE = Symbol('LEASE_STORE');
