import {
  MongoClient,
  MongoServerError,
  WriteConcern,
  type ClientSession,
  type Db,
  type Document,
} from 'mongodb';

/**
 * What the MongoDB adapters (read store, seal store, lease store) share: connecting, choosing the
 * database, telling whether the server runs transactions, and running one. Written against the
 * driver's documentation; run against a server only by the adapters' suites when MONGODB_URL is set.
 */

/** Used when neither the caller nor the connection string names a database. */
export const DEFAULT_DB_NAME = 'archive_ledger';

/** The server's "Transaction numbers are only allowed on a replica set member or mongos". */
const ILLEGAL_OPERATION = 20;
const COMMAND_NOT_FOUND = 59;

/** The database named in a connection string's path (`mongodb://h1,h2/archive?…` → `archive`), if any. */
export function databaseInUrl(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?#]*\/([^?#]*)/.exec(url);
  const name = match ? decodeURIComponent(match[1]) : '';
  return name.length > 0 ? name : undefined;
}

/**
 * Connect to `url` and open the adapter on database `dbName`, else the one named in the URL, else
 * `archive_ledger`. When connecting or `open` fails, the client is closed and the error thrown.
 */
export async function connectMongo<T>(
  url: string,
  dbName: string | undefined,
  open: (client: MongoClient, db: Db) => T | Promise<T>,
): Promise<T> {
  const client = new MongoClient(url);
  try {
    await client.connect();
    return await open(client, client.db(dbName ?? databaseInUrl(url) ?? DEFAULT_DB_NAME));
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
}

/**
 * A replica-set member answers `hello` with `setName`, a mongos with `msg: 'isdbgrid'`; a standalone
 * with neither. (`hello` is in MongoDB 4.4.2+; the legacy `isMaster` answers the same fields.)
 */
export async function supportsTransactions(db: Db): Promise<boolean> {
  let reply: Document;
  try {
    reply = await db.admin().command({ hello: 1 });
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === COMMAND_NOT_FOUND)) throw error;
    reply = await db.admin().command({ isMaster: 1 });
  }
  return typeof reply.setName === 'string' || reply.msg === 'isdbgrid';
}

/**
 * Run `work` in one transaction (snapshot reads, majority writes). `withTransaction` retries the
 * whole callback on a transient error and the commit on an unknown commit result, so `work` must
 * re-read what it checks and only do idempotent writes, each given the session (an operation without
 * it would run outside the transaction); any other error aborts the transaction: nothing is written.
 *
 * On a standalone mongod (`transactions` false, or the server refusing) the error says so; it opens
 * with `needs`, what the adapter writes in transactions, e.g. `MongoDB read store: read-model writes
 * run in multi-document transactions, which need`.
 */
export async function inTransaction(
  client: MongoClient,
  transactions: boolean,
  needs: string,
  work: (session: ClientSession) => Promise<void>,
): Promise<void> {
  if (!transactions) throw standaloneError(needs);
  const session = client.startSession();
  try {
    await session.withTransaction(() => work(session), {
      readPreference: 'primary',
      readConcern: { level: 'snapshot' },
      writeConcern: new WriteConcern('majority'),
    });
  } catch (error) {
    if (error instanceof MongoServerError && error.code === ILLEGAL_OPERATION) {
      throw standaloneError(needs, error);
    }
    throw error;
  } finally {
    await session.endSession();
  }
}

function standaloneError(needs: string, cause?: Error): Error {
  return new Error(
    `${needs} a replica set (or a sharded cluster), and this server is a standalone mongod. Run it as a replica set ` +
      '(mongod --replSet rs0, then rs.initiate() — one node is enough) and add ?replicaSet=rs0 to MONGODB_URL.',
    cause === undefined ? undefined : { cause },
  );
}
