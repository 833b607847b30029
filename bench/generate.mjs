// Generates the benchmark's event store: `node bench/generate.mjs <records> <seed> <dataDir>`.
// Records come from ../shared/tools/gen-records.mjs; their events from the real decider
// (lib/workload.mjs); they are appended with the real SqliteEventStore, one append per command,
// as the service would. A manifest.json is written last: a directory without it is incomplete.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import {
  dist,
  endProgress,
  GEN_RECORDS,
  progressLine,
  round,
  throttle,
  writeChildResult,
} from './lib/common.mjs';
import { lifeOfRecord, rng, WORKLOAD_VERSION } from './lib/workload.mjs';

const [records, seed, dataDir, cacheKey] = [
  Number(process.argv[2]),
  Number(process.argv[3]),
  process.argv[4],
  process.argv[5],
];
if (!(records > 0) || !(seed > 0) || !dataDir) {
  process.stderr.write('usage: node bench/generate.mjs <records> <seed> <dataDir> [cacheKey]\n');
  process.exit(2);
}

const { SqliteEventStore } = dist('event-store/embedded/sqlite-event-store');

/** A store clock that answers each append with the time its command happened (appends are sealed in queue order). */
class AppendClock {
  queue = [];
  last = new Date(0);
  push(iso) {
    this.queue.push(iso);
  }
  now() {
    const next = this.queue.shift();
    if (next !== undefined) this.last = new Date(next);
    return new Date(this.last.getTime());
  }
}

/** Records filed per group commit (one transaction, one fsync). */
const RECORDS_PER_COMMIT = 500;

fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
const clock = new AppendClock();
const store = SqliteEventStore.open({ dataDir, clock });

const generator = spawn(process.execPath, [GEN_RECORDS, String(records), String(seed)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const generatorDone = new Promise((resolve, reject) => {
  generator.on('error', reject);
  generator.on('exit', (code) =>
    code === 0 ? resolve() : reject(new Error(`gen-records.mjs exited with ${code}`)),
  );
});
const lines = readline.createInterface({ input: generator.stdout, crlfDelay: Infinity });

const random = rng(seed * 7919 + 17);
const started = process.hrtime.bigint();
const eventsPerRecord = new Map();
const eventTypes = new Map();
let filed = 0;
let events = 0;
let appends = 0;
let pending = [];

const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
const report = throttle(1000, () => {
  const s = elapsed();
  progressLine(
    `generating: ${filed}/${records} records, ${events} events, ${Math.round(events / s)} events/s, ${Math.round(s)} s`,
  );
});

async function commit() {
  const batch = pending;
  pending = [];
  await Promise.all(batch);
  report(false);
}

for await (const text of lines) {
  if (text.trim() === '') continue;
  const { stream, appends: life } = lifeOfRecord(JSON.parse(text), random);
  let revision = -1;
  let count = 0;
  for (const { recordedAt, events: proposed } of life) {
    clock.push(recordedAt);
    pending.push(store.append(stream, proposed, { expectedRevision: revision < 0 ? 'no_stream' : revision }));
    revision += proposed.length;
    count += proposed.length;
    appends += 1;
    for (const event of proposed) eventTypes.set(event.type, (eventTypes.get(event.type) ?? 0) + 1);
  }
  events += count;
  eventsPerRecord.set(count, (eventsPerRecord.get(count) ?? 0) + 1);
  filed += 1;
  if (filed % RECORDS_PER_COMMIT === 0) await commit();
}
await commit();
await generatorDone;
report(true);
endProgress();
const head = await store.headPosition();
await store.close();
const seconds = elapsed();

const manifest = {
  cacheKey,
  records: filed,
  events,
  headPosition: head,
  appends,
  seed,
  workloadVersion: WORKLOAD_VERSION,
  eventsPerRecord: Object.fromEntries([...eventsPerRecord].sort((a, b) => a[0] - b[0])),
  eventTypes: Object.fromEntries([...eventTypes].sort((a, b) => b[1] - a[1])),
  storeBytes: fs.statSync(store.file).size,
  generationSeconds: round(seconds, 1),
  generationEventsPerSecond: Math.round(events / seconds),
  createdAt: new Date().toISOString(),
};
if (filed !== records) throw new Error(`gen-records.mjs gave ${filed} records, ${records} were asked for`);
fs.writeFileSync(path.join(dataDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
writeChildResult(manifest);
