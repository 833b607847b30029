// One rebuild of every read model from the first event: `node bench/rebuild.mjs <dataDir>`.
// The data dir holds a fresh copy of the generated event store (no read models yet). Times
// rebuildReadModels(events, reads, READ_MODELS, { batchSize: 5000 }) — the same call the
// `archive-ledger projections rebuild` command makes — and reports events/s, wall time, peak RSS.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  dist,
  endProgress,
  progressLine,
  rssSampler,
  round,
  mib,
  throttle,
  writeChildResult,
} from './lib/common.mjs';

const dataDir = process.argv[2];
const batchSize = Number(process.argv[3] ?? 5000);
if (!dataDir) {
  process.stderr.write('usage: node bench/rebuild.mjs <dataDir> [batchSize]\n');
  process.exit(2);
}

const { systemClock } = dist('clock/clock');
const { SqliteEventStore } = dist('event-store/embedded/sqlite-event-store');
const { SqliteReadStore } = dist('read-store/embedded/sqlite-read-store');
const { READ_MODELS, READ_MODELS_SOURCE } = dist('projections/read-models');
const { rebuildReadModels } = dist('projections/rebuild');

const events = SqliteEventStore.open({ dataDir, clock: systemClock });
const reads = await SqliteReadStore.open(events);
const head = Number((await events.headPosition()) ?? 0);

globalThis.gc?.();
const rss = rssSampler(25);
const rssBefore = process.memoryUsage.rss();
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
const show = throttle(1000, (applied) => {
  const s = seconds();
  progressLine(
    `rebuilding: ${applied}/${head} events, ${Math.round(applied / s)} events/s, ${Math.round(s)} s, rss ${mib(process.memoryUsage.rss())} MiB`,
  );
});

// The projection ends with the last batch committed; the rest is the bulk load's end (n-grams, indexes).
let projectedAt = 0;
const applied = await rebuildReadModels(events, reads, READ_MODELS, {
  batchSize,
  onProgress: ({ applied: n }) => {
    projectedAt = seconds();
    show(false, n);
  },
  // As `archive-ledger projections rebuild` runs it: events decoded and projected on a worker thread.
  ...(READ_MODELS_SOURCE ? { worker: READ_MODELS_SOURCE } : {}),
});
const wall = seconds();
const cpu = process.cpuUsage(cpuBefore);
show(true, applied);
endProgress();
rss.stop();

const documents = {};
for (const model of READ_MODELS) {
  documents[model.collection.name] = await reads.count(model.collection.name, {});
}
await reads.close();
await events.close();
const storeFile = path.join(dataDir, 'archive-ledger.sqlite');

writeChildResult({
  events: applied,
  headPosition: head,
  batchSize,
  readModels: READ_MODELS.map((m) => m.collection.name),
  documents,
  wallSeconds: round(wall, 2),
  projectionSeconds: round(projectedAt, 2),
  finishingSeconds: round(wall - projectedAt, 2),
  eventsPerSecond: Math.round(applied / wall),
  cpuUserSeconds: round(cpu.user / 1e6, 2),
  cpuSystemSeconds: round(cpu.system / 1e6, 2),
  rssBeforeMiB: mib(rssBefore),
  peakRssMiB: mib(rss.peak()),
  maxRssMiB: mib(process.resourceUsage().maxRSS * 1024),
  storeFileMiB: fs.existsSync(storeFile) ? mib(fs.statSync(storeFile).size) : null,
});
