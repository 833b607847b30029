import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FixedClock } from '../../clock/clock';
import { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import type { ProposedEvent } from '../../event-store/event-store.port';
import { CompactRange, eventLeafHash, rootFromLeafHashes } from '../merkle';
import { generateSigner } from '../signed-note';
import { describeSealStoreContract } from './seal-store.contract';
import { SealStoreConflictError } from './seal-store.port';
import { Sealer } from './sealer';
import { SqliteSealStore } from './sqlite-seal-store';
import { testedEvent } from '../../../test/support/tested-event';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-seal-store-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));

// Embedded positions are the count of events: the n-th event is position "n".
describeSealStoreContract(
  'embedded SQLite adapter',
  async () => {
    const events = SqliteEventStore.open({ dataDir: tempDir(), clock });
    const store = SqliteSealStore.open(events);
    return {
      store,
      dispose: async () => {
        await store.close();
        await events.close();
      },
    };
  },
  (n) => String(n),
);

const proposed = (i: number): ProposedEvent => testedEvent(i, clock);

describe('embedded SQLite seal store: what only the embedded store does', () => {
  let events: SqliteEventStore;
  let store: SqliteSealStore;
  beforeEach(() => {
    events = SqliteEventStore.open({ dataDir: tempDir(), clock });
    store = SqliteSealStore.open(events);
  });
  afterEach(() => events.close());

  it('keeps leaf i = position i + 1 (positions are counts) and refuses a batch whose positions break it, writing nothing', async () => {
    const range = CompactRange.empty();
    const nodes = range.append(Buffer.alloc(32, 1));
    await expect(
      store.appendNodes({ nodes, leafPositions: ['2'], progress: { treeSize: 1, lastPosition: '2' } }),
    ).rejects.toThrow(
      /leaf 0 would be position 2, but the embedded order is gap-free: it must be position 1/,
    );
    expect(await store.progress()).toEqual({ treeSize: 0, lastPosition: undefined });
    await store.appendNodes({ nodes, leafPositions: ['1'], progress: { treeSize: 1, lastPosition: '1' } });
    expect(await store.leafIndexOf('1')).toBe(0);
    expect(store.denseLeafIndexOf('42')).toBe(41);
    expect(() => store.denseLeafIndexOf('1/1')).toThrow(/not an embedded global position/);
  });

  it('nodes and checkpoints are append-only: the triggers refuse UPDATE and DELETE', async () => {
    const range = CompactRange.empty();
    await store.appendNodes({
      nodes: range.append(Buffer.alloc(32, 1)),
      leafPositions: ['1'],
      progress: { treeSize: 1, lastPosition: '1' },
    });
    expect(() => events.connection.prepare('DELETE FROM seal_nodes').run()).toThrow(/IMMUTABLE/);
    expect(() => events.connection.prepare("UPDATE seal_nodes SET hash = x'00'").run()).toThrow(/IMMUTABLE/);
  });

  it('two sealers on one store never corrupt the tree: the one that lost the race writes nothing, reloads and goes on', async () => {
    for (let i = 0; i < 12; i++)
      await events.append(`s-${i % 2}`, [proposed(i)], { expectedRevision: 'any' });
    const signer = generateSigner('t/log');
    const options = { origin: 't/log', batchSize: 5, everyEvents: 1000 };
    const a = new Sealer(events, store, signer, clock, options);
    const b = new Sealer(events, SqliteSealStore.open(events), signer, clock, options);
    await a.init();
    await b.init();
    const firstFive = await events.readAll({ limit: 5 });
    await a.apply(firstFive);
    // b still believes the tree is empty: its batch extends a tree of 0 leaves.
    await expect(b.apply(firstFive)).rejects.toBeInstanceOf(SealStoreConflictError);
    expect(b.treeSize).toBe(5); // reloaded from the store
    expect(await b.catchUp()).toBe(7);
    // a is behind now: its next batch is refused in turn, and it reloads the 12 leaves b stored.
    await expect(a.catchUp()).rejects.toBeInstanceOf(SealStoreConflictError);
    expect(a.treeSize).toBe(12);
    expect(await a.catchUp()).toBe(0);
    const all = await events.readAll({ limit: 100 });
    expect(await b.rootAt(12)).toEqual(rootFromLeafHashes(all.map((e) => eventLeafHash(e.hash))));
    const leaves = events.connection
      .prepare('SELECT count(*) AS n FROM seal_nodes WHERE level = 0')
      .get() as {
      n: number;
    };
    expect(leaves.n).toBe(12);
    // a re-reads the store after a refused checkpoint too: b signed a larger tree meanwhile.
    const signed = await b.checkpoint();
    expect(signed?.treeSize).toBe(12);
  });
});
