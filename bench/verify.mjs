// Benchmark of `archive-ledger audit verify-all` (not a test): the whole embedded store verified —
// every chain, the Merkle tree recomputed and compared with every signed checkpoint. Target:
// ≥ 100,000 events/s over ≥ 1,000,000 events.
//
//   npm run build && node bench/verify.mjs [dataDir]
//
// dataDir: a data directory holding archive-ledger.sqlite. Default: the largest store that
// `npm run bench` generated and cached in bench/.data/stores/ (1.13M events at 100,000 records).
// Those stores were never sealed: the first run makes a sealed copy in bench/.data/verify/<name>/
// (the real Sealer with a throwaway key, a checkpoint every 100,000 events; cached for later
// runs). A store that already holds checkpoints is verified in place, read-only.
// BENCH_VERIFY_RUNS=2 runs the check that many times and reports the best and the median.
// Prints one JSON object on stdout; progress on stderr.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DATA_DIR, dist, envInt, median, round, storeFileName } from './lib/common.mjs';

const TARGET_EVENTS_PER_SECOND = 100_000;
const TARGET_EVENTS = 1_000_000;
const runs = envInt('BENCH_VERIFY_RUNS', 1);

const { openStoreReadOnly, verifyAll } = dist('audit/verify-all/verify-all');

function defaultStore() {
  const root = path.join(DATA_DIR, 'stores');
  const stores = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .map((name) => path.join(root, name))
        .filter((dir) => fs.existsSync(path.join(dir, 'manifest.json')))
        .map((dir) => ({
          dir,
          events: JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).events,
        }))
        .sort((a, b) => b.events - a.events)
    : [];
  if (stores.length === 0) {
    process.stderr.write(
      'no data directory given and no cached bench store: run `BENCH_ONLY=generate npm run bench` first\n',
    );
    process.exit(2);
  }
  return stores[0].dir;
}

function isSealed(dataDir) {
  const db = openStoreReadOnly(dataDir);
  try {
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'seal_checkpoints'")
      .get();
    return !!table && db.prepare('SELECT count(*) AS n FROM seal_checkpoints').get().n > 0;
  } finally {
    db.close();
  }
}

/** A sealed copy of an unsealed store: the real Sealer, catch-up in batches, a checkpoint every 100,000 leaves. */
async function sealedCopy(source) {
  const target = path.join(DATA_DIR, 'verify', path.basename(source));
  const marker = path.join(target, 'sealed.json');
  if (fs.existsSync(marker)) return target;
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  fs.copyFileSync(path.join(source, storeFileName()), path.join(target, storeFileName()));
  const { SqliteEventStore } = dist('event-store/embedded/sqlite-event-store');
  const { SqliteSealStore } = dist('audit/sealer/sqlite-seal-store');
  const { Sealer } = dist('audit/sealer/sealer');
  const { generateSigner } = dist('audit/signed-note/index');
  const { systemClock } = dist('clock/clock');
  const origin = 'archive-ledger.bench/log';
  const events = SqliteEventStore.open({ dataDir: target, clock: systemClock });
  const started = Date.now();
  try {
    const sealer = new Sealer(events, SqliteSealStore.open(events), generateSigner(origin), systemClock, {
      origin,
      batchSize: 5000,
      everyEvents: 100_000,
    });
    await sealer.init();
    process.stderr.write(`sealing a copy of ${source} into ${target} …\n`);
    const appended = await sealer.catchUp();
    await sealer.checkpoint();
    fs.writeFileSync(
      marker,
      JSON.stringify({ source, leaves: appended, seconds: (Date.now() - started) / 1000 }),
    );
    process.stderr.write(`sealed ${appended} events in ${round((Date.now() - started) / 1000)} s\n`);
  } finally {
    await events.close();
  }
  return target;
}

const given = process.argv[2];
let dataDir = given ? path.resolve(given) : defaultStore();
if (!isSealed(dataDir)) dataDir = await sealedCopy(dataDir);

const results = [];
for (let i = 0; i < runs; i++) {
  const db = openStoreReadOnly(dataDir);
  try {
    const report = verifyAll(db, { batchSize: 5000 });
    if (!report.verified) {
      process.stderr.write(`the store does not verify: ${JSON.stringify(report.fault)}\n`);
      process.exit(1);
    }
    results.push(report);
    process.stderr.write(
      `run ${i + 1}: ${report.events} events in ${report.seconds} s (${report.eventsPerSecond} events/s)\n`,
    );
  } finally {
    db.close();
  }
}
const rates = results.map((r) => r.eventsPerSecond);
const best = Math.max(...rates);
const last = results[results.length - 1];
process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'audit verify-all',
      dataDir,
      events: last.events,
      streams: last.streams,
      checkpointsVerified: last.checkpointsVerified,
      runs,
      seconds: results.map((r) => r.seconds),
      eventsPerSecond: best,
      medianEventsPerSecond: median(rates),
      target: { events: TARGET_EVENTS, eventsPerSecond: TARGET_EVENTS_PER_SECOND },
      met: last.events >= TARGET_EVENTS && best >= TARGET_EVENTS_PER_SECOND,
      machine: {
        nproc: os.cpus().length,
        cpu: os.cpus()[0]?.model,
        node: process.version,
        loadavg: os.loadavg().map((l) => round(l, 2)),
      },
    },
    null,
    2,
  )}\n`,
);
