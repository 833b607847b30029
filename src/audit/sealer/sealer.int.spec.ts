import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import type { ServiceUnavailableException } from '@nestjs/common';
import { FixedClock } from '../../clock/clock';
import { loadConfig } from '../../config/config';
import { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import type { ProposedEvent } from '../../event-store/event-store.port';
import { eventLeafHash, rootFromLeafHashes, verifyInclusion } from '../merkle';
import { generateSigner, parseVerifierKey, verifyCheckpoint } from '../signed-note';
import { verifyStream } from '../verification/stream-verification';
import { describeSealStoreContract } from './seal-store.contract';
import { MemorySealStore, SparsePositionEventStore, sparsePosition } from './seal-store.spec-helper';
import { SealIntegrityError, Sealer } from './sealer';
import { SealerService } from './sealer.service';
import { LocalLeaseStore } from '../../lease/local-lease-store';
import { testedEvent } from '../../../test/support/tested-event';

/**
 * The sealer where positions are NOT counts (as on EventStoreDB), without a server: the embedded
 * store seen through commit/prepare-like positions, and an in-memory seal store that records each
 * leaf's position like the MongoDB adapter does. What this proves is the sealer's and the callers'
 * logic; the MongoDB adapter itself runs only in mongo-seal-store.int.spec.ts, with MONGODB_URL.
 */
const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-sealer-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));
const proposed = (i: number): ProposedEvent => testedEvent(i, clock);

// The reference the MongoDB adapter must match, with positions that are not counts.
describeSealStoreContract(
  'in-memory reference adapter (test support, positions not counts)',
  async () => ({ store: new MemorySealStore(), dispose: async () => undefined }),
  sparsePosition,
);

describe('the sealer over positions that are not counts (EventStoreDB-like)', () => {
  let inner: SqliteEventStore;
  let events: SparsePositionEventStore;
  beforeEach(async () => {
    inner = SqliteEventStore.open({ dataDir: tempDir(), clock });
    events = new SparsePositionEventStore(inner);
    for (let i = 0; i < 11; i++)
      await events.append(`s-${i % 3}`, [proposed(i)], { expectedRevision: 'any' });
  });
  afterEach(() => inner.close());
  const options = { origin: 't/log', batchSize: 4, everyEvents: 1000 };

  it('numbers the leaves itself, records each leaf’s position, and proves inclusion by the stored leaf index', async () => {
    const store = new MemorySealStore();
    const sealer = new Sealer(events, store, generateSigner('t/log'), clock, options);
    await sealer.init();
    expect(await sealer.catchUp()).toBe(11);
    const all = await events.readAll({ limit: 100 });
    expect(all[0].position).toMatch(/^\d{20}\/\d{20}$/);
    expect(await store.progress()).toEqual({ treeSize: 11, lastPosition: all[10].position });
    const signed = await sealer.checkpoint();
    const root = verifyCheckpoint(signed!.note, [parseVerifierKey(signed!.verifierKey)]).rootHash;
    expect(root).toEqual(rootFromLeafHashes(all.map((e) => eventLeafHash(e.hash))));
    for (const [i, event] of all.entries()) {
      const leafIndex = await store.leafIndexOf(event.position);
      expect(leafIndex).toBe(i);
      expect(await store.positionOfLeaf(i)).toBe(event.position);
      const proof = await sealer.inclusionProof(leafIndex!, 11);
      expect(verifyInclusion(leafIndex!, 11, eventLeafHash(event.hash), proof, root)).toBe(true);
    }
    // A restart resumes from the stored edge and the stored last position.
    await events.append('s-0', [proposed(99)], { expectedRevision: 'any' });
    const again = new Sealer(events, store, generateSigner('t/log'), clock, options);
    await again.init();
    expect(again.treeSize).toBe(11);
    expect(await again.catchUp()).toBe(1);
    expect(await store.leafIndexOf((await events.headPosition())!)).toBe(11);
  });

  it('refuses a batch that goes back in the global order (a reordering), storing nothing', async () => {
    const store = new MemorySealStore();
    const sealer = new Sealer(events, store, generateSigner('t/log'), clock, options);
    await sealer.init();
    const all = await events.readAll({ limit: 100 });
    await sealer.apply(all.slice(0, 3));
    const error = await sealer.apply([all[3], all[1]]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SealIntegrityError);
    expect((error as Error).message).toBe(
      `the event at position ${all[1].position} does not come after position ${all[3].position}, the last one sealed (a reordering in the global order)`,
    );
    expect((await store.progress()).treeSize).toBe(3);
    expect(sealer.treeSize).toBe(3);
  });

  it('verifies a stream by the stored leaf indexes; an event the sealer passed without sealing it is a fault', async () => {
    const store = new MemorySealStore();
    const sealer = new Sealer(events, store, generateSigner('t/log'), clock, options);
    await sealer.init();
    await sealer.catchUp();
    const checkpoint = await sealer.checkpoint();
    await events.append('s-1', [proposed(50)], { expectedRevision: 'any' }); // not sealed yet
    const stream = await events.readStream('s-1');
    const sealedThrough = sealer.position!;
    const inputs = {
      stream: 's-1',
      checkpoint,
      verifiers: [parseVerifierKey(checkpoint!.verifierKey)],
      leafIndexesOf: (list: readonly { position: string }[]) =>
        store.leafIndexesOf(list.map((e) => e.position)),
      passedBySealer: (e: { position: string }) => events.comparePositions(e.position, sealedThrough) <= 0,
      inclusionProof: (leaf: number, size: number) => sealer.inclusionProof(leaf, size),
    };
    const verified = await verifyStream({ ...inputs, events: stream });
    expect(verified).toMatchObject({
      verified: true,
      sealedEvents: 4,
      unsealedEvents: 1,
      unsealedFromRevision: 4,
    });

    // The same stream, but the seal store has lost the leaf of revision 2 (or it was never sealed).
    const lost = stream[2].position;
    const faulty = await verifyStream({
      ...inputs,
      events: stream,
      leafIndexesOf: async (list) =>
        (await store.leafIndexesOf(list.map((e) => e.position))).map((l, i) =>
          list[i].position === lost ? undefined : l,
        ),
    });
    expect(faulty.verified).toBe(false);
    expect(faulty.fault).toEqual({
      stream: 's-1',
      revision: 2,
      problem: `the event (hash ${stream[2].hash}, position ${lost}) is not a leaf of the sealed tree, though the sealer has passed its position: it was not in the global order when the sealer went by`,
    });
  });
});

describe('SealerService with STORE=eventstoredb: the signing key', () => {
  const env = (extra: Record<string, string>) =>
    loadConfig({
      STORE: 'eventstoredb',
      EVENTSTORE_URL: 'kurrentdb://localhost:2113?tls=false',
      MONGODB_URL: 'mongodb://localhost:27017/archive?replicaSet=rs0',
      ...extra,
    });

  async function start(extra: Record<string, string>) {
    const inner = SqliteEventStore.open({ dataDir: tempDir(), clock });
    const events = new SparsePositionEventStore(inner);
    await events.append('s', [proposed(1)], { expectedRevision: 'no_stream' });
    // The shell is only used to record a replaced key, which a first start never does.
    const service = new SealerService(
      events,
      new MemorySealStore(),
      env(extra),
      clock,
      undefined as never,
      new LocalLeaseStore(clock),
    );
    await service.onApplicationBootstrap();
    return { service, inner };
  }

  it('without SEAL_KEY_FILE and without DATA_DIR on the node: the sealer is unavailable and says why (503, /health)', async () => {
    const missing = path.join(tempDir(), 'not-here');
    const { service, inner } = await start({ DATA_DIR: missing });
    try {
      const status = await service.status();
      expect(status.state).toBe('unavailable');
      expect(status.lastError).toMatch(
        /^no checkpoint signing key: SEAL_KEY_FILE is not set and DATA_DIR \(.*not-here\) does not exist on this node\. With STORE=eventstoredb set SEAL_KEY_FILE/,
      );
      let refused: ServiceUnavailableException | undefined;
      try {
        service.running();
      } catch (error) {
        refused = error as ServiceUnavailableException;
      }
      expect(refused?.getStatus()).toBe(503);
      expect(refused?.getResponse()).toMatchObject({
        error: 'SEALER_UNAVAILABLE',
        message: expect.stringMatching(/^the audit sealer is not running: no checkpoint signing key/),
      });
      expect(fs.existsSync(missing)).toBe(false); // no key generated in a directory nobody keeps
    } finally {
      await service.beforeApplicationShutdown();
      await inner.close();
    }
  });

  it('with SEAL_KEY_FILE missing: unavailable, naming the file', async () => {
    const file = path.join(tempDir(), 'absent.pem');
    const { service, inner } = await start({ SEAL_KEY_FILE: file, DATA_DIR: tempDir() });
    try {
      expect((await service.status()).lastError).toBe(`SEAL_KEY_FILE ${file} does not exist`);
    } finally {
      await service.beforeApplicationShutdown();
      await inner.close();
    }
  });

  it('with SEAL_KEY_FILE: the sealer runs and signs with that key over positions that are not counts', async () => {
    const file = path.join(tempDir(), 'seal.pem');
    fs.writeFileSync(
      file,
      generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    );
    const { service, inner } = await start({ SEAL_KEY_FILE: file, DATA_DIR: path.join(tempDir(), 'none') });
    try {
      const signed = await service.sealNow();
      expect(signed?.treeSize).toBe(1);
      expect(signed?.lastPosition).toBe(sparsePosition(1));
      const status = await service.status();
      expect(status).toMatchObject({ state: 'following', treeSize: 1, lagEvents: null });
    } finally {
      await service.beforeApplicationShutdown();
      await inner.close();
    }
  });
});
