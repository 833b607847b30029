import { randomUUID } from 'node:crypto';
import { describeSealStoreContract } from './seal-store.contract';
import { MongoSealStore } from './mongo-seal-store';

/**
 * The MongoDB seal store runs the shared seal-store contract suite against a real server when
 * MONGODB_URL is set (a replica set: each batch is a transaction, e.g.
 * `mongodb://localhost:27017/?replicaSet=rs0`). Each store gets a fresh database, dropped when it is
 * disposed. Without MONGODB_URL the suite is skipped, loudly: the adapter is then NOT tested
 * against a server at all.
 */
const url = process.env.MONGODB_URL?.trim() || undefined;

/**
 * EventStoreDB positions: commit/prepare pairs with gaps, beyond 2^53 here so that a position that
 * went through a JS number would no longer match.
 */
const eventStoreDbPosition = (n: number) => {
  const at = 18_446_744_000_000_000_000n + BigInt(n) * 4_096n;
  return `${at}/${at}`;
};

// No server needed: nothing listens on port 1, so the driver fails fast (connection refused).
describe('MongoSealStore.connect without a server', () => {
  it('rejects, and leaves no client behind to keep the process alive', async () => {
    await expect(
      MongoSealStore.connect('mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300'),
    ).rejects.toThrow();
  });
});

if (url === undefined) {
  console.warn('skipped: no MONGODB_URL — the MongoDB seal-store contract suite did not run');
  describe.skip('MongoDB seal-store adapter contract (skipped: no MONGODB_URL set)', () => {
    it('runs the seal-store contract against a real MongoDB replica set', () => undefined);
  });
} else {
  const connectionString = url;
  describeSealStoreContract(
    'MongoDB',
    async () => {
      const dbName = `seal_contract_${randomUUID().replace(/-/g, '')}`;
      const store = await MongoSealStore.connect(connectionString, dbName);
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
    },
    eventStoreDbPosition,
  );
}
