import { randomUUID } from 'node:crypto';
import { describeLeaseStoreContract } from './lease-store.contract';
import { MongoLeaseStore } from './mongo-lease-store';

/**
 * The MongoDB lease store runs the shared lease contract against a real server when MONGODB_URL is
 * set, on a fresh database dropped afterwards, with a short TTL and real waits (expiry is the
 * server's clock). Without MONGODB_URL the suite is skipped, loudly: the adapter is then NOT tested
 * against a server at all.
 */
const url = process.env.MONGODB_URL?.trim() || undefined;

describe('MongoLeaseStore.connect without a server', () => {
  it('rejects (nothing listens on port 1)', async () => {
    await expect(
      MongoLeaseStore.connect('mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300'),
    ).rejects.toThrow();
  });
});

if (url === undefined) {
  console.warn('skipped: no MONGODB_URL — the MongoDB lease-store contract suite did not run');
  describe.skip('MongoDB lease-store adapter contract (skipped: no MONGODB_URL set)', () => {
    it('runs the lease contract against a real MongoDB server', () => undefined);
  });
} else {
  const connectionString = url;
  describeLeaseStoreContract(
    'MongoDB',
    async () => {
      const dbName = `lease_contract_${randomUUID().replace(/-/g, '')}`;
      const { MongoClient } = await import('mongodb');
      const client = await new MongoClient(connectionString).connect();
      const store = MongoLeaseStore.on(client.db(dbName));
      return {
        store,
        passTime: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        dispose: async () => {
          try {
            await client.db(dbName).dropDatabase();
          } finally {
            await client.close();
          }
        },
      };
    },
    400,
  );
}
