import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';

/**
 * The suites every MongoDB adapter runs. `connect` must reject without a server (nothing listens on
 * port 1, so the driver fails fast) and leave no client behind. The adapter's contract suite
 * (`describeContract`, given MONGODB_URL) runs only when MONGODB_URL is set — a replica set, e.g.
 * `mongodb://localhost:27017/?replicaSet=rs0` — and is otherwise skipped, loudly: the adapter is
 * then NOT tested against a server at all.
 *
 * `kind` names the contract (`seal-store`, `read-store`), `adapter` the class (`MongoSealStore`).
 */
export function describeMongoAdapter(
  kind: string,
  adapter: string,
  connect: (url: string) => Promise<unknown>,
  describeContract: (url: string) => void,
): void {
  describe(`${adapter}.connect without a server`, () => {
    it('rejects, and leaves no client behind to keep the process alive', async () => {
      await expect(
        connect('mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300'),
      ).rejects.toThrow();
    });
  });

  const url = process.env.MONGODB_URL?.trim() || undefined;
  if (url === undefined) {
    console.warn(`skipped: no MONGODB_URL — the MongoDB ${kind} contract suite did not run`);
    describe.skip(`MongoDB ${kind} adapter contract (skipped: no MONGODB_URL set)`, () => {
      it(`runs the ${kind} contract against a real MongoDB replica set`, () => undefined);
    });
  } else {
    describeContract(url);
  }
}

/** A store on a fresh database (named `<prefix>_<uuid>`), which its disposal drops. */
export async function onFreshDatabase<S extends { readonly database: Db; close(): Promise<void> }>(
  prefix: string,
  connect: (dbName: string) => Promise<S>,
): Promise<{ store: S; dispose: () => Promise<void> }> {
  const store = await connect(`${prefix}_${randomUUID().replace(/-/g, '')}`);
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
}
