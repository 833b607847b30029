import { describeMongoAdapter, onFreshDatabase } from '../../../test/support/mongo-adapter-suite';
import { describeSealStoreContract } from './seal-store.contract';
import { MongoSealStore } from './mongo-seal-store';
import { sparsePosition } from './seal-store.spec-helper';

/**
 * The MongoDB seal store runs the shared seal-store contract suite against a real server when
 * MONGODB_URL is set (a replica set: each batch is a transaction, e.g.
 * `mongodb://localhost:27017/?replicaSet=rs0`). Each store gets a fresh database, dropped when it is
 * disposed. Without MONGODB_URL the suite is skipped, loudly: the adapter is then NOT tested
 * against a server at all.
 *
 * Positions are EventStoreDB's (commit/prepare pairs with gaps, beyond 2^53 so that a position that
 * went through a JS number would no longer match), as `sparsePosition` makes them.
 */
describeMongoAdapter(
  'seal-store',
  'MongoSealStore',
  (url) => MongoSealStore.connect(url),
  (url) =>
    describeSealStoreContract(
      'MongoDB',
      () => onFreshDatabase('seal_contract', (dbName) => MongoSealStore.connect(url, dbName)),
      (n) => sparsePosition(n),
    ),
);
