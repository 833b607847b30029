// Event-store appends, one contestant per process:
//   node bench/append.mjs prepare  <workload.jsonl> <events> <writers> <seed>
//   node bench/append.mjs embedded <workload.jsonl> <dataDir> <writers> <maxSeconds>
//   node bench/append.mjs raw      <workload.jsonl> <dataDir> <writers> <maxSeconds>
//   node bench/append.mjs emmett   <workload.jsonl> <dataDir> <writers> <maxSeconds>
//   node bench/append.mjs emmett-probe <workload.jsonl> <dataDir> <writers> <appendsPerWriter>
// embedded: the product's SqliteEventStore, W concurrent writers, each awaiting one single-event
//   append at a time on its own streams (expected revision as the service passes it).
// raw: the physical baseline — the same rows (sealed beforehand with the product's sealEvent)
//   inserted with plain better-sqlite3 statements into the same table and indexes, same pragmas
//   (locking_mode EXCLUSIVE, WAL, synchronous FULL), one transaction per 100 rows, no triggers.
// emmett: Emmett's SQLite event store (bench/peers), the same events and writers; its appends are
//   serialised through one queue, because 0.38.5 fails under concurrent appends (emmett-probe
//   measures that: the same writers without the queue).
// Each stops starting appends after maxSeconds; the rate is what it appended over the time taken.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { readAppendWorkload, writeAppendWorkload } from './lib/append-workload.mjs';
import { dist, mib, percentile, round, rssSampler, writeChildResult } from './lib/common.mjs';
import { loadPeer, peerVersion } from './lib/peers.mjs';

const [contestant, workloadFile, ...rest] = process.argv.slice(2);
const CONTESTANTS = ['prepare', 'embedded', 'raw', 'emmett', 'emmett-probe'];
if (!CONTESTANTS.includes(contestant) || !workloadFile) {
  process.stderr.write(`usage: node bench/append.mjs <${CONTESTANTS.join('|')}> <workload.jsonl> …\n`);
  process.exit(2);
}

if (contestant === 'prepare') {
  const [events, writers, seed] = rest.map(Number);
  writeChildResult(await writeAppendWorkload(workloadFile, { events, writers, seed }));
  process.exit(0);
}

const dataDir = rest[0];
const writers = Number(rest[1]);
const limit = Number(rest[2]);
fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
const queues = await readAppendWorkload(workloadFile, writers);
const workloadEvents = queues.reduce((n, q) => n + q.length, 0);

/** Figures common to every contestant, from per-append latencies in ms. */
function figures(latencies, appended, seconds) {
  const sorted = Float64Array.from(latencies.subarray(0, appended)).sort();
  return {
    appended,
    seconds: round(seconds, 2),
    eventsPerSecond: Math.round(appended / seconds),
    p50Ms: round(percentile(sorted, 50), 2),
    p90Ms: round(percentile(sorted, 90), 2),
    p99Ms: round(percentile(sorted, 99), 2),
    maxMs: round(sorted[sorted.length - 1] ?? NaN, 2),
  };
}

/**
 * Run every writer's queue: `appendOne(append)` resolves when its append is durable. Writers stop
 * starting appends after `limit` seconds.
 */
async function runWriters(appendOne) {
  const latencies = new Float64Array(workloadEvents);
  let appended = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(limit * 1e9));
  const rss = rssSampler(50);
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    queues.map(async (queue) => {
      for (const append of queue) {
        const t0 = process.hrtime.bigint();
        if (t0 > deadline) return;
        await appendOne(append);
        latencies[appended++] = Number(process.hrtime.bigint() - t0) / 1e6;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  rss.stop();
  return {
    ...figures(latencies, appended, seconds),
    stoppedByTimeLimit: appended < workloadEvents,
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    peakRssMiB: mib(rss.peak()),
  };
}

const fileSize = (file) => (fs.existsSync(file) ? mib(fs.statSync(file).size) : null);
const { SqliteEventStore, EMBEDDED_STORE_FILE } = dist('event-store/embedded/sqlite-event-store');
const { systemClock } = dist('clock/clock');
const expectedRevision = (revision) => (revision === 0 ? 'no_stream' : revision - 1);

if (contestant === 'embedded') {
  const store = SqliteEventStore.open({ dataDir, clock: systemClock });
  const result = await runWriters(({ stream, revision, event }) =>
    store.append(stream, [event], { expectedRevision: expectedRevision(revision) }),
  );
  const commits = store.commitCount;
  await store.close();
  writeChildResult({
    contestant,
    what: `SqliteEventStore.append(stream, [event], { expectedRevision }), ${writers} concurrent writers`,
    writers,
    workloadEvents,
    ...result,
    commits,
    eventsPerCommit: round(result.appended / commits, 1),
    storeFileMiB: fileSize(path.join(dataDir, EMBEDDED_STORE_FILE)),
  });
}

if (contestant === 'raw') {
  // The table and indexes exactly as the product creates them; then the insert trigger is dropped.
  await SqliteEventStore.open({ dataDir, clock: systemClock }).close();
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const { sealEvent, GENESIS_HASH } = dist('event-store/envelope');
  const db = new Database(path.join(dataDir, EMBEDDED_STORE_FILE));
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('DROP TRIGGER events_follow_stream_head');
  // The rows, in the order the writers would interleave them (round robin), sealed beforehand.
  const heads = new Map();
  const rows = [];
  const longest = Math.max(...queues.map((q) => q.length));
  for (let i = 0; i < longest; i++) {
    for (const queue of queues) {
      const append = queue[i];
      if (!append) continue;
      const prevHash = heads.get(append.stream) ?? GENESIS_HASH;
      const sealed = sealEvent(append.stream, append.revision, prevHash, append.event, append.recordedAt);
      heads.set(append.stream, sealed.hash);
      rows.push([
        rows.length + 1,
        append.stream,
        append.revision,
        append.event.eventId,
        append.event.type,
        prevHash,
        sealed.hash,
        sealed.canonical,
      ]);
    }
  }
  const insert = db.prepare(
    'INSERT INTO events (global_position, stream, revision, event_id, type, prev_hash, hash, canonical) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertBatch = db.transaction((batch) => {
    for (const row of batch) insert.run(...row);
  });
  const BATCH = 100;
  const latencies = new Float64Array(rows.length);
  const rss = rssSampler(50);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(limit * 1e9));
  let appended = 0;
  for (let i = 0; i < rows.length; i += BATCH) {
    const t0 = process.hrtime.bigint();
    if (t0 > deadline) break;
    const batch = rows.slice(i, i + BATCH);
    insertBatch(batch);
    // A row is durable when its transaction commits: its latency is its transaction's.
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    latencies.fill(ms, appended, appended + batch.length);
    appended += batch.length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  rss.stop();
  const { synchronous, journal } = {
    synchronous: db.pragma('synchronous', { simple: true }),
    journal: db.pragma('journal_mode', { simple: true }),
  };
  db.close();
  writeChildResult({
    contestant,
    what: `better-sqlite3 INSERTs of the same rows into the same table and indexes (insert trigger dropped), ${BATCH} rows per transaction, one after another; latency = the row's transaction`,
    writers: 1,
    workloadEvents,
    ...figures(latencies, appended, seconds),
    stoppedByTimeLimit: appended < rows.length,
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
    peakRssMiB: mib(rss.peak()),
    rowsPerTransaction: BATCH,
    pragmas: { locking_mode: 'exclusive', journal_mode: journal, synchronous },
    storeFileMiB: fileSize(path.join(dataDir, EMBEDDED_STORE_FILE)),
  });
}

if (contestant === 'emmett' || contestant === 'emmett-probe') {
  const versions = {
    '@event-driven-io/emmett-sqlite': peerVersion('@event-driven-io/emmett-sqlite'),
    '@event-driven-io/emmett': peerVersion('@event-driven-io/emmett'),
    sqlite3: peerVersion('sqlite3'),
  };
  const { getSQLiteEventStore } = loadPeer('@event-driven-io/emmett-sqlite');
  const sqlite3 = loadPeer('sqlite3');
  const fileName = path.join(dataDir, 'emmett.sqlite');
  // Emmett prints every failed transaction with console.log: count them instead.
  const logged = new Map();
  console.log = (...args) => {
    const text = String(args[0]?.message ?? args[0]).slice(0, 120);
    logged.set(text, (logged.get(text) ?? 0) + 1);
  };
  const store = getSQLiteEventStore({ fileName });
  const emmettEvent = ({ event }) => ({
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata, messageId: event.eventId },
  });
  const appendOnce = (append) =>
    store.appendToStream(append.stream, [emmettEvent(append)], {
      expectedStreamVersion: BigInt(append.revision),
    });

  /** What the file holds afterwards, through a connection of its own. */
  const pragmasAndCount = () =>
    new Promise((resolve) => {
      const db = new sqlite3.Database(fileName);
      db.get('PRAGMA synchronous', (e1, s) =>
        db.get('PRAGMA journal_mode', (e2, j) =>
          db.get('SELECT count(*) AS n FROM emt_messages', (e3, c) => {
            db.close();
            resolve({
              synchronous: s?.synchronous,
              journal_mode: j?.journal_mode,
              storedEvents: c?.n ?? null,
              error: (e1 ?? e2 ?? e3)?.message,
            });
          }),
        ),
      );
    });

  if (contestant === 'emmett-probe') {
    // The writers as they are, appending concurrently through the one store: what 0.38.5 does.
    const perWriter = limit;
    const errors = new Map();
    let ok = 0;
    let failed = 0;
    const probe = Promise.all(
      queues.map(async (queue) => {
        for (const append of queue.slice(0, perWriter)) {
          try {
            await appendOnce(append);
            ok += 1;
          } catch (error) {
            failed += 1;
            const text = String(error?.message ?? error).slice(0, 120);
            errors.set(text, (errors.get(text) ?? 0) + 1);
            return; // the stream's next revision would only conflict
          }
        }
      }),
    );
    const timedOut = await Promise.race([
      probe.then(() => false),
      new Promise((resolve) => setTimeout(() => resolve(true), 30_000).unref()),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 500)); // let Emmett close its connection
    const file = await pragmasAndCount();
    writeChildResult({
      contestant,
      versions,
      what: `${writers} writers appending concurrently through one getSQLiteEventStore (no queue), up to ${perWriter} appends each; a writer stops at its first failure`,
      writers,
      attempted: writers * perWriter,
      succeeded: ok,
      failed,
      // Appends that resolved (acknowledged to their writer) but are not in the file afterwards.
      acknowledgedButNotStored:
        typeof file.storedEvents === 'number' ? Math.max(0, ok - file.storedEvents) : null,
      timedOut,
      errors: Object.fromEntries(errors),
      loggedByEmmett: Object.fromEntries(logged),
      file,
    });
    process.exit(0);
  }

  // One queue in front of the store: each append runs alone (Emmett opens a connection, BEGIN
  // IMMEDIATE, inserts, COMMIT, closes the connection). A failed append is retried, up to 5 times.
  let tail = Promise.resolve();
  const serial = (fn) => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };
  await store.readStream('warm-up'); // creates Emmett's schema before the clock starts
  let retries = 0;
  let failures = 0;
  const errors = new Map();
  const result = await runWriters(async (append) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await serial(() => appendOnce(append));
      } catch (error) {
        const text = String(error?.message ?? error).slice(0, 120);
        errors.set(text, (errors.get(text) ?? 0) + 1);
        if (attempt >= 5) {
          failures += 1;
          throw error;
        }
        retries += 1;
      }
    }
  });
  const file = await pragmasAndCount();
  writeChildResult({
    contestant,
    versions,
    what: `getSQLiteEventStore({ fileName }).appendToStream(stream, [event], { expectedStreamVersion }), ${writers} writers, appends serialised through one queue (0.38.5 fails under concurrent appends: see the probe)`,
    writers,
    workloadEvents,
    ...result,
    retries,
    failures,
    errors: Object.fromEntries(errors),
    file,
    storeFileMiB: fileSize(fileName),
  });
}
