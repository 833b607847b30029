import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FixedClock } from '../../clock/clock';
import { SqliteEventStore } from '../../event-store/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../read-store/embedded/sqlite-read-store';
import type { ReadDoc } from '../../read-store/read-store.port';
import type { ReadModel } from '../read-model';
import { MAIN_PROJECTOR, rebuildReadModels } from '../rebuild';
import { appendTestEvent } from '../test-events.spec-helper';
import { projectInWorker } from './rebuild-in-worker';
import {
  INVALID_DOCUMENT_MODELS,
  THROWING_MODELS,
  WORKER_TEST_MODELS,
} from '../test-read-models.spec-helper';

const HELPER = path.join(__dirname, '..', 'test-read-models.spec-helper.ts');
const source = (exportName: string) => ({ module: HELPER, exportName });

let dir: string;
let store: SqliteEventStore;
let reads: SqliteReadStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-rebuild-worker-'));
  store = SqliteEventStore.open({
    dataDir: dir,
    clock: new FixedClock(new Date('2026-03-01T09:00:00.000Z')),
  });
  reads = SqliteReadStore.open(store);
});

afterEach(async () => {
  await reads.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function append(stream: string, type: string, data: Record<string, string>): Promise<string> {
  return (await appendTestEvent(store, stream, type, data)).position;
}

/**
 * Eight records whose events interleave (so a record's documents are written in many batches),
 * with fan-outs (UnitRenamed), a deleted document (Withdrawn) and Chinese titles for the text.
 */
async function history(): Promise<void> {
  for (let round = 0; round < 6; round++) {
    for (let r = 0; r < 8; r++) {
      const stream = `record-R${r}`;
      if (round === 3 && r % 3 === 0) await append(stream, 'UnitRenamed', { unit: `U${r}-${round}` });
      else await append(stream, 'Noted', { unit: `U${r}`, title: `客户合同 ${r}-${round}` });
    }
  }
  await append('record-R5', 'Withdrawn', {});
  await append('other-stream', 'Ignored', {});
}

async function dumpAll(models: readonly ReadModel[]): Promise<Record<string, readonly ReadDoc[]>> {
  const all: Record<string, readonly ReadDoc[]> = {};
  for (const { collection } of models) {
    all[collection.name] = (await reads.find(collection.name, { limit: 1000 })).items;
  }
  return all;
}

async function emptied(models: readonly ReadModel[]): Promise<void> {
  await reads.ensureCollections(models.map((m) => m.collection));
  await reads.reset(
    MAIN_PROJECTOR,
    models.map((m) => m.collection.name),
  );
}

describe('rebuild on a projection worker thread', () => {
  it('gives exactly the documents the single-threaded rebuild gives, and the same checkpoint', async () => {
    await history();
    const onThisThread = await rebuildReadModels(store, reads, WORKER_TEST_MODELS, { batchSize: 5 });
    const expected = await dumpAll(WORKER_TEST_MODELS);
    expect(expected.test_per_record).toHaveLength(7); // R5 was withdrawn
    expect(expected.test_per_event.filter((d) => d.record === 'R3' && d.unit === 'U3-3')).toHaveLength(3);
    expect(expected.test_shadow.find((d) => d.id === 'R0')).toMatchObject({ seenEvents: 6 });

    const progress: string[] = [];
    const inWorker = await rebuildReadModels(store, reads, WORKER_TEST_MODELS, {
      batchSize: 5,
      worker: source('WORKER_TEST_MODELS'),
      onProgress: ({ position }) => progress.push(position),
    });
    expect(inWorker).toBe(onThisThread);
    expect(await dumpAll(WORKER_TEST_MODELS)).toEqual(expected);
    expect(await reads.checkpoint(MAIN_PROJECTOR)).toBe(await store.headPosition());
    expect(progress.at(-1)).toBe(await store.headPosition());
    // Searching the rebuilt text works as after the single-threaded rebuild.
    expect(
      (await reads.find('test_per_record', { limit: 10, text: '合同 2-5' })).items.map((d) => d.id),
    ).toEqual(['R2']);
  });

  it('gives the same documents when it keeps only two in memory and asks the main thread for the rest', async () => {
    await history();
    await rebuildReadModels(store, reads, WORKER_TEST_MODELS, { batchSize: 50 });
    const expected = await dumpAll(WORKER_TEST_MODELS);
    await emptied(WORKER_TEST_MODELS);
    const applied = await projectInWorker(store, reads, {
      projector: MAIN_PROJECTOR,
      models: source('WORKER_TEST_MODELS'),
      rebuilt: WORKER_TEST_MODELS.map((m) => m.collection.name),
      after: 0,
      batchSize: 4,
      workerBatchSize: 2,
      readAhead: 3,
      cacheDocuments: 2,
    });
    expect(applied).toBe(Number(await store.headPosition()));
    expect(await dumpAll(WORKER_TEST_MODELS)).toEqual(expected);
  });

  it('rebuilds one read model alone, reading the others’ documents from the store', async () => {
    await history();
    await rebuildReadModels(store, reads, WORKER_TEST_MODELS, { batchSize: 50 });
    const expected = await dumpAll(WORKER_TEST_MODELS);
    await rebuildReadModels(store, reads, WORKER_TEST_MODELS, {
      only: 'test_shadow',
      batchSize: 3,
      worker: source('WORKER_TEST_MODELS'),
    });
    expect(await dumpAll(WORKER_TEST_MODELS)).toEqual(expected);
  });

  it('fails with the read model’s own error and leaves the checkpoint at the last committed batch', async () => {
    await history();
    const failing = await append('record-R1', 'Noted', { unit: 'U1', title: 'boom' });
    await append('record-R2', 'Noted', { unit: 'U2', title: 'after' });
    await expect(
      rebuildReadModels(store, reads, THROWING_MODELS, { batchSize: 4, worker: source('THROWING_MODELS') }),
    ).rejects.toThrow(`cannot project record-R1#6`);
    const checkpoint = Number(await reads.checkpoint(MAIN_PROJECTOR));
    expect(checkpoint).toBeLessThan(Number(failing));
    // What is committed is what the checkpoint says: R1's document holds its events up to it.
    const r1 = await reads.get('test_per_record', 'R1');
    expect(r1?.titles).not.toContain('boom');
  });

  it('refuses a document JSON cannot hold, as the store does, and commits nothing of its batch', async () => {
    await history();
    await append('record-R4', 'Noted', { unit: 'U4', title: 'nan' });
    const before = await store.headPosition();
    const failure = rebuildReadModels(store, reads, INVALID_DOCUMENT_MODELS, {
      batchSize: 1000,
      worker: source('INVALID_DOCUMENT_MODELS'),
    });
    await expect(failure).rejects.toThrow('events is not a finite number');
    await expect(failure).rejects.toMatchObject({ name: 'InvalidDocumentError' });
    expect(await reads.checkpoint(MAIN_PROJECTOR)).toBeUndefined();
    expect(before).toBeDefined();
    expect(await reads.count('test_per_record', {})).toBe(0);
  });
});
