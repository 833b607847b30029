import { describeMongoAdapter, onFreshDatabase } from '../../../test/support/mongo-adapter-suite';
import { describeReadStoreContract } from '../read-store.contract';
import { MongoReadStore } from './mongo-read-store';

/**
 * The MongoDB read store runs the shared read-store contract suite against a real server when
 * MONGODB_URL is set (a replica set: commits are transactions, e.g.
 * `mongodb://localhost:27017/?replicaSet=rs0`). Each store gets a fresh database, dropped when it is
 * disposed. Without MONGODB_URL the suite is skipped, loudly: the adapter is then NOT tested against
 * a server — only its pure query translation is (mongo-filter.spec.ts).
 */
describeMongoAdapter(
  'read-store',
  'MongoReadStore',
  (url) => MongoReadStore.connect(url),
  (url) =>
    describeReadStoreContract('MongoDB', () =>
      onFreshDatabase('rs_contract', (dbName) => MongoReadStore.connect(url, dbName)),
    ),
);
