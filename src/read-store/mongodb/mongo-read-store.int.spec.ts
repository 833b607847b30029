import { randomUUID } from 'node:crypto';
import { describeReadStoreContract } from '../read-store.contract';
import { MongoReadStore } from './mongo-read-store';

/**
 * The MongoDB read store runs the shared read-store contract suite against a real server when
 * MONGODB_URL is set (a replica set: commits are transactions, e.g.
 * `mongodb://localhost:27017/?replicaSet=rs0`). Each store gets a fresh database, dropped when it is
 * disposed. Without MONGODB_URL the suite is skipped, loudly: the adapter is then NOT tested against
 * a server — only its pure query translation is (mongo-filter.spec.ts).
 */
const url = process.env.MONGODB_URL?.trim() || undefined;

// No server needed: nothing listens on port 1, so the driver fails fast (connection refused).
describe('MongoReadStore.connect without a server', () => {
  it('rejects, and leaves no client behind to keep the process alive', async () => {
    await expect(
      MongoReadStore.connect('mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300'),
    ).rejects.toThrow();
  });
});

if (url === undefined) {
  console.warn('skipped: no MONGODB_URL — the MongoDB read-store contract suite did not run');
  describe.skip('MongoDB read-store adapter contract (skipped: no MONGODB_URL set)', () => {
    it('runs the read-store contract against a real MongoDB replica set', () => undefined);
  });
} else {
  const connectionString = url;
  describeReadStoreContract('MongoDB', async () => {
    const dbName = `rs_contract_${randomUUID().replace(/-/g, '')}`;
    const store = await MongoReadStore.connect(connectionString, dbName);
    return {
      store,
      dispose: async () => {
        try {
          await store.database.dropDatabase();
        } finally {
          await store.close();
        }
      },
    };
  });
}
