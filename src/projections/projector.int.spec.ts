import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FixedClock } from '../clock/clock';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import type { RecordedEvent } from '../event-store/event-store.port';
import { SqliteReadStore } from '../read-store/embedded/sqlite-read-store';
import type { ReadDoc, ReadModelWrite, ReadStore } from '../read-store/read-store.port';
import { Projector } from './projector';
import type { ReadModel } from './read-model';
import { rebuildReadModels } from './rebuild';
import { appendTestEvent } from './test-events.spec-helper';
import { perEvent, perRecord } from './test-read-models.spec-helper';

const models = [perRecord, perEvent];

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'al-projector-'));
}

const append = appendTestEvent;

async function dump(reads: ReadStore, collection: string): Promise<ReadDoc[]> {
  const docs: ReadDoc[] = [];
  let cursor: string | undefined;
  do {
    const page = await reads.find(collection, { limit: 1000, ...(cursor ? { cursor } : {}) });
    docs.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return docs;
}

/** A read store whose commits fail on demand, as when the process dies before the transaction commits. */
function failingCommits(reads: ReadStore, failOnCommit: number): ReadStore {
  let commits = 0;
  return new Proxy(reads, {
    get(target, property, receiver) {
      if (property === 'commit') {
        return (name: string, write: ReadModelWrite, checkpoint: string) => {
          if (++commits === failOnCommit) return Promise.reject(new Error('killed before commit'));
          return target.commit(name, write, checkpoint);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('projector', () => {
  let store: SqliteEventStore;
  let reads: SqliteReadStore;
  const clock = new FixedClock(new Date('2026-03-01T09:00:00Z'));

  beforeEach(() => {
    store = SqliteEventStore.open({ dataDir: tempDir(), clock });
    reads = SqliteReadStore.open(store);
  });
  afterEach(async () => {
    await reads.close();
    await store.close();
  });

  async function seed(records: number, eventsEach: number): Promise<void> {
    for (let r = 0; r < records; r++) {
      for (let e = 0; e < eventsEach; e++) {
        await append(store, `record-R${r}`, 'Noted', { unit: `U${r % 3}`, title: `第${e}次 记录${r}` });
      }
    }
  }

  it('applies every event once and commits the checkpoint with the documents', async () => {
    await seed(5, 4);
    const projector = new Projector(store, reads, models, { name: 'main', batchSize: 7 });
    await projector.init();
    expect(await projector.catchUp()).toBe(20);
    expect(await reads.checkpoint('main')).toBe('20');
    const docs = await dump(reads, 'test_per_record');
    expect(docs.map((d) => [d.id, d.events])).toEqual([
      ['R0', 4],
      ['R1', 4],
      ['R2', 4],
      ['R3', 4],
      ['R4', 4],
    ]);
    expect(await reads.count('test_per_event', {})).toBe(20);
  });

  it('changes nothing when a batch it already applied is applied again', async () => {
    await seed(2, 3);
    const projector = new Projector(store, reads, models, { name: 'main', batchSize: 100 });
    await projector.init();
    await projector.catchUp();
    const before = await dump(reads, 'test_per_record');
    const all: RecordedEvent[] = await store.readAll({ limit: 100 });
    await projector.apply(all);
    expect(await dump(reads, 'test_per_record')).toEqual(before);
  });

  it('resumes after a crash before a commit without losing or double counting an event', async () => {
    await seed(6, 5);
    const crashing = new Projector(store, failingCommits(reads, 3), models, { name: 'main', batchSize: 4 });
    await crashing.init();
    await expect(crashing.catchUp()).rejects.toThrow('killed before commit');
    expect(await reads.checkpoint('main')).toBe('8');

    const restarted = new Projector(store, reads, models, { name: 'main', batchSize: 4 });
    await restarted.init();
    expect(restarted.checkpoint).toBe('8');
    await restarted.catchUp();
    const resumed = await dump(reads, 'test_per_record');

    const clean = SqliteEventStore.open({ dataDir: tempDir(), clock });
    const cleanReads = SqliteReadStore.open(clean);
    for (const event of await store.readAll({ limit: 1000 })) {
      await append(clean, event.stream, event.type, event.data as Record<string, string>);
    }
    const fresh = new Projector(clean, cleanReads, models, { name: 'main', batchSize: 1000 });
    await fresh.init();
    await fresh.catchUp();
    expect(resumed).toEqual(await dump(cleanReads, 'test_per_record'));
    expect(resumed.every((d) => d.events === 5)).toBe(true);
    await cleanReads.close();
    await clean.close();
  });

  it('writes nothing for an event that leaves a document as it was', async () => {
    const titles: ReadModel = {
      collection: { name: 'test_titles', indexes: [] },
      route: (event) => [event.stream],
      apply: (doc, event) =>
        event.type === 'Retitled' ? { id: event.stream, title: String(event.data.title) } : doc,
    };
    await append(store, 'record-R1', 'Retitled', { title: '客户合同档案' });
    await append(store, 'record-R1', 'Noted', { unit: 'SALES' });
    const projector = new Projector(store, reads, [titles], { name: 'main', batchSize: 100 });
    await projector.init();
    await projector.catchUp();
    expect(await reads.get('test_titles', 'record-R1')).toEqual({
      id: 'record-R1',
      title: '客户合同档案',
      _stream: 'record-R1',
      _revision: 0,
    });
    expect(await reads.checkpoint('main')).toBe('2');
  });

  it('fans one event out to every document matching a filter, including documents made in the same batch', async () => {
    await append(store, 'record-R1', 'Noted', { unit: 'SALES' });
    await append(store, 'record-R1', 'Noted', { unit: 'SALES' });
    const projector = new Projector(store, reads, models, { name: 'main', batchSize: 100 });
    await projector.init();
    await projector.catchUp();
    await append(store, 'record-R1', 'Noted', { unit: 'SALES' });
    await append(store, 'record-R1', 'UnitRenamed', { unit: 'MARKETING' });
    await append(store, 'record-R2', 'Noted', { unit: 'SALES' });
    await projector.catchUp();
    const docs = await dump(reads, 'test_per_event');
    expect(docs.map((d) => [d.id, d.unit])).toEqual([
      ['record-R1#0', 'MARKETING'],
      ['record-R1#1', 'MARKETING'],
      ['record-R1#2', 'MARKETING'],
      ['record-R2#0', 'SALES'],
    ]);
  });

  it('follows live appends, and answers read-your-writes once the position is applied', async () => {
    const projector = new Projector(store, reads, models, { name: 'main', batchSize: 50 });
    await projector.init();
    const abort = new AbortController();
    const following = projector.follow(abort.signal);
    const { position } = await append(store, 'record-R9', 'Noted', { unit: 'SALES', title: '客户合同档案' });
    expect(await projector.waitUntilPassed(position, 2000)).toBe(true);
    expect((await reads.get('test_per_record', 'R9'))?.titles).toEqual(['客户合同档案']);
    expect(await projector.waitUntilPassed(String(Number(position) + 5), 50)).toBe(false);
    abort.abort();
    await following;
  });

  it('lets the event loop turn between batches while catching up (requests and timers are served, nothing piles up)', async () => {
    await seed(10, 30);
    const projector = new Projector(store, reads, models, { name: 'main', batchSize: 20 });
    await projector.init();
    const abort = new AbortController();
    const seenByTimers: (string | undefined)[] = [];
    const tick = setInterval(() => seenByTimers.push(projector.checkpoint), 0);
    const following = projector.follow(abort.signal);
    expect(await projector.waitUntilPassed('300', 5000)).toBe(true);
    clearInterval(tick);
    abort.abort();
    await following;
    // Timers ran while the projector was still behind: it did not hold the event loop until the head.
    expect(seenByTimers.some((position) => position !== undefined && Number(position) < 300)).toBe(true);
  });

  it('rebuilds one read model from zero to the same documents, leaving the others as they were', async () => {
    await seed(4, 3);
    const projector = new Projector(store, reads, models, { name: 'main', batchSize: 5 });
    await projector.init();
    await projector.catchUp();
    const live = {
      perRecord: await dump(reads, 'test_per_record'),
      perEvent: await dump(reads, 'test_per_event'),
    };
    expect(await rebuildReadModels(store, reads, models, { only: 'test_per_record', batchSize: 3 })).toBe(12);
    expect(await dump(reads, 'test_per_record')).toEqual(live.perRecord);
    expect(await dump(reads, 'test_per_event')).toEqual(live.perEvent);
    expect(await reads.checkpoint('main')).toBe('12');
    await expect(rebuildReadModels(store, reads, models, { only: 'nope', batchSize: 3 })).rejects.toThrow(
      /no read model named nope; the read models are: test_per_record, test_per_event/,
    );
  });
});
