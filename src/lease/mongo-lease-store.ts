import { MongoServerError, type Collection, type Db, type MongoClient } from 'mongodb';
import { connectMongo } from '../mongodb/mongo-connection';
import type { LeaseGrant, LeaseStore } from './lease.port';

/** A lease document: `_id` is the lease name; `owner` null once released. */
interface LeaseDoc {
  _id: string;
  owner: string | null;
  token: number;
  expiresAt: Date;
  acquiredAt: Date;
}

const DUPLICATE_KEY = 11000;

/**
 * Leases in MongoDB (official driver), for STORE=eventstoredb where several instances share the
 * read store's server: one collection `leases`, one document per lease. Every operation is ONE
 * atomic `findOneAndUpdate` whose filter is the condition (free, expired, or ours) and whose update
 * is a pipeline reading the server's clock (`$$NOW`), so instances need no synchronised clocks to
 * agree on expiry, and two instances cannot both take the lease: the one whose filter no longer
 * matches tries to insert the same `_id` (upsert) and gets a duplicate-key error, which means "held".
 * Needs MongoDB 4.2 or later (pipeline updates, `$$NOW`).
 *
 * Written against the driver's documentation; NOT run against a MongoDB server here (the contract
 * suite runs it when MONGODB_URL is set).
 */
export class MongoLeaseStore implements LeaseStore {
  readonly kind = 'mongodb';

  private constructor(
    private readonly client: MongoClient | undefined,
    private readonly collection: Collection<LeaseDoc>,
  ) {}

  static async connect(url: string, dbName?: string): Promise<MongoLeaseStore> {
    return connectMongo(url, dbName, (client, db) => new MongoLeaseStore(client, db.collection('leases')));
  }

  /** On a database someone else's client owns (tests). */
  static on(db: Db): MongoLeaseStore {
    return new MongoLeaseStore(undefined, db.collection<LeaseDoc>('leases'));
  }

  async acquire(name: string, owner: string, ttlMs: number): Promise<LeaseGrant | undefined> {
    // Ours and unexpired: a renewal (same token); otherwise a hand-over (token + 1).
    const stillOurs = { $and: [{ $eq: ['$owner', owner] }, { $gt: ['$expiresAt', '$$NOW'] }] };
    try {
      const doc = await this.collection.findOneAndUpdate(
        {
          _id: name,
          $or: [{ owner }, { owner: null }, { $expr: { $lte: ['$expiresAt', '$$NOW'] } }],
        },
        [
          {
            $set: {
              owner,
              token: { $cond: [stillOurs, '$token', { $add: [{ $ifNull: ['$token', 0] }, 1] }] },
              acquiredAt: { $cond: [stillOurs, '$acquiredAt', '$$NOW'] },
              expiresAt: { $add: ['$$NOW', ttlMs] },
            },
          },
        ],
        { upsert: true, returnDocument: 'after' },
      );
      return doc ? grantOf(doc) : undefined;
    } catch (error) {
      // The filter did not match an existing lease (held by another, unexpired), so the upsert tried
      // to insert a second document with the same _id.
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return undefined;
      throw error;
    }
  }

  async renew(grant: LeaseGrant, ttlMs: number): Promise<LeaseGrant | undefined> {
    const doc = await this.collection.findOneAndUpdate(
      { _id: grant.name, owner: grant.owner, token: grant.token },
      [{ $set: { expiresAt: { $add: ['$$NOW', ttlMs] } } }],
      { returnDocument: 'after' },
    );
    return doc ? grantOf(doc) : undefined;
  }

  async release(grant: LeaseGrant): Promise<void> {
    await this.collection.updateOne({ _id: grant.name, owner: grant.owner, token: grant.token }, [
      { $set: { owner: null, expiresAt: '$$NOW' } },
    ]);
  }

  async holder(name: string): Promise<LeaseGrant | undefined> {
    const doc = await this.collection.findOne({
      _id: name,
      owner: { $ne: null },
      $expr: { $gt: ['$expiresAt', '$$NOW'] },
    });
    return doc ? grantOf(doc) : undefined;
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}

function grantOf(doc: LeaseDoc): LeaseGrant {
  return {
    name: doc._id,
    owner: doc.owner as string,
    token: doc.token,
    expiresAt: doc.expiresAt,
    acquiredAt: doc.acquiredAt,
  };
}
