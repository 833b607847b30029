// The benchmarks (docs/performance.md): `npm run bench` (builds first), options by environment:
//   BENCH_RECORDS=100000   records to generate (each ~10–14 events: see lib/workload.mjs)
//   BENCH_SEED=1           seed of gen-records.mjs and of the workloads
//   BENCH_REBUILD_RUNS=3   rebuilds, each from zero on a fresh copy of the generated store
//   BENCH_QUERY_RUNS=200   measured requests per query shape (after 20 warm-up rounds)
//   BENCH_APPEND_EVENTS=100000  events each append contestant appends (one event per append)
//   BENCH_APPEND_WRITERS=64     concurrent writers
//   BENCH_APPEND_SECONDS=30     a contestant stops starting appends after this long
//   BENCH_APPEND_ROUNDS=2       rounds of embedded, raw baseline, Emmett, side by side
//   BENCH_HTTP_SECONDS=20       seconds per load run (after a warm-up of up to 5 s per target)
//   BENCH_HTTP_CONNECTIONS=8,32,128   the connection counts tried for the peak
//   BENCH_HTTP_LOG_LEVEL        LOG_LEVEL of the service under load (default: the service's, info)
//   BENCH_MEMORY_SECONDS=30     seconds of RSS sampling at idle, then under light query load
//   BENCH_HISTORY_RUNS=200      measured requests per history / past-state shape (after 20 warm-up rounds)
//   BENCH_VERIFY_RUNS=2         full verifications (audit verify-all) of the sealed copy of the store
//   BENCH_CONSOLE_RUNS=20       walks through the console (catalogue, search, next page, record, past state)
//   BENCH_ONLY=name[,name…]  rebuild, queries, append, http, memory, history, verify, console (generate:
//                          only make the cached store); default all, in that order
//   BENCH_CPU_PROF=1       write V8 CPU profiles of each benchmark to bench/.data/profiles/
//   BENCH_RESULTS=file     merge the results into another file than bench/results.json
// The generated event store is cached in bench/.data/stores/<key>/ (key: record count, seed,
// workload version and a digest of gen-records.mjs), so re-runs skip generation.
// Results are merged into bench/results.json per benchmark key; a table is printed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BENCH_DIR,
  DATA_DIR,
  DIST_DIR,
  envInt,
  freshCopy,
  GEN_RECORDS,
  median,
  RESULTS_FILE,
  round,
} from './lib/common.mjs';
import { ensurePeers } from './lib/peers.mjs';
import { WORKLOAD_VERSION } from './lib/workload.mjs';

const REBUILD_EVENTS_TARGET = 1_000_000;
const REBUILD_RATE_TARGET = 50_000;
const QUERY_RECORDS_TARGET = 100_000;
const REBUILD_BATCH_SIZE = 5000;
// Issue 7: appends, HTTP commands, memory.
const APPEND_VS_RAW_TARGET = 0.6;
const APPEND_VS_EMMETT_TARGET = 3;
const HTTP_RATE_TARGET = 5000;
const HTTP_VS_BARE_TARGET = 0.3;
const HTTP_P99_TARGET_MS = 25;
const MEMORY_EVENTS_TARGET = 1_000_000;
/** The issue's 300 MB, in the MiB that /proc reports (300 × 10⁶ bytes = 286.1 MiB). */
const MEMORY_RSS_TARGET_MIB = round(300e6 / 2 ** 20, 1);
const APPEND_TARGET_EVENTS = 100_000;

const records = envInt('BENCH_RECORDS', 100_000);
const seed = envInt('BENCH_SEED', 1);
const rebuildRuns = envInt('BENCH_REBUILD_RUNS', 3);
const queryRuns = envInt('BENCH_QUERY_RUNS', 200);
const appendEvents = envInt('BENCH_APPEND_EVENTS', APPEND_TARGET_EVENTS);
const appendWriters = envInt('BENCH_APPEND_WRITERS', 64);
const appendSeconds = envInt('BENCH_APPEND_SECONDS', 30);
const appendRounds = envInt('BENCH_APPEND_ROUNDS', 2);
const httpSeconds = envInt('BENCH_HTTP_SECONDS', 20);
const httpConnections = process.env.BENCH_HTTP_CONNECTIONS?.trim() || '8,32,128';
if (!/^\d+(,\d+)*$/.test(httpConnections)) {
  throw new Error(`BENCH_HTTP_CONNECTIONS=${httpConnections}: expected connection counts such as 8,32,128`);
}
const memorySeconds = envInt('BENCH_MEMORY_SECONDS', 30);
const historyRuns = envInt('BENCH_HISTORY_RUNS', 200);
const consoleRuns = envInt('BENCH_CONSOLE_RUNS', 20);
const BENCHMARKS = ['rebuild', 'queries', 'append', 'http', 'memory', 'history', 'verify', 'console'];
const onlyList = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');
for (const name of onlyList) {
  if (name !== 'generate' && !BENCHMARKS.includes(name)) {
    throw new Error(
      `BENCH_ONLY=${process.env.BENCH_ONLY}: expected generate or any of ${BENCHMARKS.join(', ')}`,
    );
  }
}
/** Is this benchmark selected (all are when BENCH_ONLY is not set)? */
const selected = (name) => (onlyList.length === 0 ? name !== 'generate' : onlyList.includes(name));
const cpuProfile = process.env.BENCH_CPU_PROF === '1';
const PROFILE_DIR = path.join(DATA_DIR, 'profiles');

// ── machine and command ──
function cpuModel() {
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line ? line.split(':').slice(1).join(':').trim() : os.cpus()[0]?.model;
  } catch {
    return os.cpus()[0]?.model;
  }
}
const machine = {
  nproc: os.availableParallelism(),
  cpu: cpuModel(),
  memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
};
const setEnv = [
  'BENCH_RECORDS',
  'BENCH_SEED',
  'BENCH_REBUILD_RUNS',
  'BENCH_QUERY_RUNS',
  'BENCH_APPEND_EVENTS',
  'BENCH_APPEND_WRITERS',
  'BENCH_APPEND_SECONDS',
  'BENCH_APPEND_ROUNDS',
  'BENCH_HTTP_SECONDS',
  'BENCH_HTTP_CONNECTIONS',
  'BENCH_HTTP_LOG_LEVEL',
  'BENCH_MEMORY_SECONDS',
  'BENCH_HISTORY_RUNS',
  'BENCH_VERIFY_RUNS',
  'BENCH_CONSOLE_RUNS',
  'BENCH_ONLY',
  'BENCH_CPU_PROF',
  'BENCH_DIST',
  'BENCH_RESULTS',
]
  .filter((name) => process.env[name] !== undefined && process.env[name] !== '')
  .map((name) => `${name}=${process.env[name]}`);
const viaNpm = process.env.npm_lifecycle_event === 'bench';
const command = [...setEnv, viaNpm ? 'npm run bench' : 'node --expose-gc bench/run.mjs'].join(' ');
const date = new Date().toISOString();

// ── children ──
/** Run a benchmark script in its own process (its own heap and peak RSS); resolves with its result. */
function child(script, args, label) {
  const resultFile = path.join(DATA_DIR, `result-${process.pid}-${label}.json`);
  fs.rmSync(resultFile, { force: true });
  const nodeArgs = ['--expose-gc'];
  if (cpuProfile) {
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-name', `${label}.cpuprofile`);
  }
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...nodeArgs, path.join(BENCH_DIR, script), ...args.map(String)], {
      stdio: 'inherit',
      env: { ...process.env, BENCH_RESULT_FILE: resultFile, BENCH_DIST: DIST_DIR },
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (code !== 0)
        return reject(new Error(`${script} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
      const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
      fs.rmSync(resultFile, { force: true });
      resolve(result);
    });
  });
}

/** Run a benchmark script that prints its result as one JSON object on stdout (history, verify). */
function childJson(script, args) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(BENCH_DIR, script), ...args.map(String)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { BENCH_VERIFY_RUNS: '2', ...process.env, BENCH_DIST: DIST_DIR },
    });
    let out = '';
    proc.stdout.on('data', (chunk) => (out += chunk));
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (code !== 0)
        return reject(new Error(`${script} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
      resolve(JSON.parse(out));
    });
  });
}

// ── the generated store, cached ──
function digest(...files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(fs.readFileSync(file));
  return hash.digest('hex').slice(0, 10);
}
// The generator's version: gen-records.mjs (the shared tool) by digest, and the workload by
// WORKLOAD_VERSION, which lib/workload.mjs bumps whenever the events it makes change.
const generatorDigest = digest(GEN_RECORDS);
const cacheKey = `r${records}-s${seed}-w${WORKLOAD_VERSION}-g${generatorDigest}`;
const storeDir = path.join(DATA_DIR, 'stores', cacheKey);
const workDir = path.join(DATA_DIR, 'work');
const workState = path.join(DATA_DIR, 'work-state.json');
fs.mkdirSync(DATA_DIR, { recursive: true });

process.stderr.write(
  `archive-ledger benchmarks: ${records} records (seed ${seed}); ${machine.nproc} × ${machine.cpu}, Node ${machine.node}\n`,
);

// The append and HTTP benchmarks make their own data; the others need the generated store.
const needsDataset = ['generate', 'rebuild', 'queries', 'memory', 'verify', 'console'].some(selected);
let dataset;
const manifestFile = path.join(storeDir, 'manifest.json');
if (!needsDataset) {
  dataset = undefined;
} else if (fs.existsSync(manifestFile)) {
  dataset = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  process.stderr.write(
    `using the cached event store ${path.relative(process.cwd(), storeDir)} (${dataset.events} events)\n`,
  );
} else {
  process.stderr.write(`generating the event store into ${path.relative(process.cwd(), storeDir)} …\n`);
  dataset = await child('generate.mjs', [records, seed, storeDir, cacheKey], 'generate');
  process.stderr.write(
    `generated ${dataset.records} records, ${dataset.events} events in ${dataset.generationSeconds} s (${dataset.generationEventsPerSecond} events/s)\n`,
  );
}
const datasetSummary = dataset && {
  cacheKey,
  records: dataset.records,
  events: dataset.events,
  eventsPerRecord: dataset.eventsPerRecord,
  eventTypes: dataset.eventTypes,
  storeMiB: Math.round(dataset.storeBytes / 1024 / 1024),
  generator: `node ../shared/tools/gen-records.mjs ${records} ${seed}, lifecycle lib/workload.mjs v${WORKLOAD_VERSION}`,
};

if (onlyList.length > 0 && onlyList.every((name) => name === 'generate')) process.exit(0);

// ── results.json: merged per benchmark key ──
function saveResult(key, entry) {
  const all = fs.existsSync(RESULTS_FILE) ? JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) : {};
  all[key] = entry;
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(all, null, 2)}\n`);
}
const header = () => ({ date, command, machine, ...(datasetSummary ? { dataset: datasetSummary } : {}) });
/** A rate against its floor: +12% above it, or -30% below. */
const margin = (value, target) => `${value >= target ? '+' : ''}${round((value / target - 1) * 100, 1)}%`;
/** A latency against its ceiling: how far under it, or how far over. */
const latencyMargin = (ms, ceiling) =>
  ms < ceiling
    ? `${round(ceiling - ms, 1)} ms under (${round((1 - ms / ceiling) * 100, 0)}%)`
    : `${round(ms - ceiling, 1)} ms over (+${round((ms / ceiling - 1) * 100, 0)}%)`;

const table = [];

// ── rebuild ──
let rebuilt = false;
if (selected('rebuild')) {
  const runs = [];
  for (let i = 1; i <= rebuildRuns; i++) {
    process.stderr.write(`rebuild ${i}/${rebuildRuns}: copying the store …\n`);
    fs.rmSync(workState, { force: true });
    freshCopy(storeDir, workDir);
    // Not timed while the kernel writes back the copy just made (or the run before's files).
    const settledSeconds = settle(`rebuild ${i}/${rebuildRuns}`);
    const result = {
      ...(await child('rebuild.mjs', [workDir, REBUILD_BATCH_SIZE], `rebuild-${i}`)),
      settledSeconds,
    };
    process.stderr.write(
      `rebuild ${i}: ${result.events} events in ${result.wallSeconds} s = ${result.eventsPerSecond} events/s, peak RSS ${result.peakRssMiB} MiB\n`,
    );
    runs.push(result);
  }
  fs.writeFileSync(workState, JSON.stringify({ cacheKey, rebuilt: true }));
  rebuilt = true;
  const rate = Math.round(median(runs.map((r) => r.eventsPerSecond)));
  const atTargetSize = dataset.events >= REBUILD_EVENTS_TARGET;
  const pass = rate >= REBUILD_RATE_TARGET && atTargetSize;
  saveResult('projections.rebuild', {
    ...header(),
    what: `rebuildReadModels(events, reads, READ_MODELS, { batchSize: ${REBUILD_BATCH_SIZE}, worker: READ_MODELS_SOURCE }) from zero on the embedded store (SqliteEventStore + SqliteReadStore), all read models, events decoded and projected on a worker thread as the archive-ledger projections rebuild command does, each run on a fresh copy of the generated store`,
    target: { eventsPerSecondAtLeast: REBUILD_RATE_TARGET, eventsAtLeast: REBUILD_EVENTS_TARGET },
    runs,
    medianEventsPerSecond: rate,
    medianWallSeconds: round(median(runs.map((r) => r.wallSeconds)), 2),
    maxPeakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
    atTargetSize,
    pass,
    margin: margin(rate, REBUILD_RATE_TARGET),
  });
  runs.forEach((r, i) =>
    table.push([
      `rebuild run ${i + 1}`,
      `${r.events} events`,
      `${r.eventsPerSecond} ev/s (${r.wallSeconds} s, ${r.peakRssMiB} MiB)`,
      '',
      '',
      '',
    ]),
  );
  table.push([
    'rebuild (median)',
    `${dataset.events} events`,
    `${rate} ev/s`,
    `≥ ${REBUILD_RATE_TARGET} ev/s`,
    pass ? 'PASS' : atTargetSize ? 'MISS' : 'MISS (below 1M events)',
    margin(rate, REBUILD_RATE_TARGET),
  ]);
}

/**
 * Latency benchmarks, and each rebuild run, start once the kernel has written back what was written
 * before them (a rebuild leaves gigabytes of dirty pages, and each rebuild starts on a fresh 1.3 GB
 * copy): `sync`, timed and reported, so that the write-back is not measured as query latency or as
 * rebuild time.
 */
function settle(who) {
  const started = Date.now();
  spawnSync('sync', { stdio: 'ignore' });
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(
    `${who}: waited ${seconds.toFixed(1)} s for the kernel to write back the files written before it (sync)\n`,
  );
  return seconds;
}

/** The queries and console benchmarks read the work copy with its read models built once (not measured). */
async function ensureReadModels(who) {
  const state = fs.existsSync(workState) ? JSON.parse(fs.readFileSync(workState, 'utf8')) : undefined;
  if (!rebuilt && !(state?.cacheKey === cacheKey && state.rebuilt)) {
    process.stderr.write(`${who} need the read models: rebuilding them once (not measured) …\n`);
    freshCopy(storeDir, workDir);
    await child('rebuild.mjs', [workDir, REBUILD_BATCH_SIZE], 'rebuild-for-queries');
    fs.writeFileSync(workState, JSON.stringify({ cacheKey, rebuilt: true }));
  }
}

// ── catalogue queries ──
if (selected('queries')) {
  await ensureReadModels('queries');
  const settledSeconds = settle('catalogue queries');
  process.stderr.write(`catalogue queries: ${queryRuns} measured requests per shape …\n`);
  const result = await child('query.mjs', [workDir, queryRuns, 20], 'queries');
  for (const shape of result.shapes) shape.margin = latencyMargin(shape.p95Ms, shape.targetP95Ms);
  const atTargetSize = result.records >= QUERY_RECORDS_TARGET;
  const allPass = result.shapes.every((s) => s.pass) && atTargetSize;
  saveResult('queries.catalogue', {
    ...header(),
    what: 'GET /records through the real service booted in-process (createApp) and Fastify inject: auth, validation, the read-store query and its total, serialisation; default page size 50; caller TOP_SECRET-cleared unless stated',
    target: { nonTextP95MsBelow: 50, textP95MsBelow: 100, recordsAtLeast: QUERY_RECORDS_TARGET },
    ...result,
    settledSeconds,
    atTargetSize,
    pass: allPass,
  });
  for (const s of result.shapes) {
    table.push([
      s.name,
      `${s.items} items / ${s.total} total`,
      `p50 ${s.p50Ms} · p95 ${s.p95Ms} · p99 ${s.p99Ms} ms`,
      `p95 < ${s.targetP95Ms} ms`,
      `${s.pass ? 'PASS' : 'MISS'}${atTargetSize ? '' : ` (below ${QUERY_RECORDS_TARGET / 1000}k records)`}`,
      s.margin,
    ]);
  }
}

// ── appends: embedded store, raw baseline and Emmett side by side ──
/** The bench-only packages (Emmett, sqlite3, autocannon), installed once for append and http. */
let peers;
const installPeers = () => (peers ??= ensurePeers());
const ratio = (a, b) => (a > 0 && b > 0 ? round(a / b, 2) : null);
/** A ratio against its floor: "0.45× of ≥ 0.6×: -25%". */
const ratioMargin = (value, target) => (value === null ? 'n/a' : margin(value, target));

if (selected('append')) {
  const peersReady = installPeers();
  const appendDir = path.join(DATA_DIR, 'append');
  fs.rmSync(appendDir, { recursive: true, force: true });
  fs.mkdirSync(appendDir, { recursive: true });
  const workloadFile = path.join(appendDir, 'workload.jsonl');
  process.stderr.write(`append: preparing ${appendEvents} events for ${appendWriters} writers …\n`);
  const workload = await child(
    'append.mjs',
    ['prepare', workloadFile, appendEvents, appendWriters, seed],
    'append-prepare',
  );
  const contestantArgs = (contestant, round) => [
    contestant,
    workloadFile,
    path.join(appendDir, `${contestant}-${round}`),
    appendWriters,
    appendSeconds,
  ];
  /** A contestant's run, or what stopped it. */
  const attempt = async (label, args) => {
    try {
      return await child('append.mjs', args, label);
    } catch (error) {
      process.stderr.write(`${label}: ${error.message}\n`);
      return { error: error.message };
    }
  };
  const emmettUnavailable = peersReady.ok ? undefined : `Emmett not installed: ${peersReady.error}`;
  let probe;
  if (!emmettUnavailable) {
    process.stderr.write('append: Emmett under concurrent appends, without a queue (probe) …\n');
    probe = await attempt('append-emmett-probe', [
      'emmett-probe',
      workloadFile,
      path.join(appendDir, 'emmett-probe'),
      appendWriters,
      3,
    ]);
  }
  const rounds = [];
  for (let r = 1; r <= appendRounds; r++) {
    const entry = {};
    for (const contestant of ['embedded', 'raw', 'emmett']) {
      if (contestant === 'emmett' && emmettUnavailable) {
        entry.emmett = { error: emmettUnavailable };
        continue;
      }
      process.stderr.write(`append round ${r}/${appendRounds}: ${contestant} …\n`);
      const result = await attempt(`append-${contestant}-${r}`, contestantArgs(contestant, r));
      entry[contestant] = result;
      if (!result.error) {
        process.stderr.write(
          `append ${contestant}: ${result.appended} events in ${result.seconds} s = ${result.eventsPerSecond} events/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms\n`,
        );
      }
      fs.rmSync(path.join(appendDir, `${contestant}-${r}`), { recursive: true, force: true });
    }
    entry.embeddedVsRaw = ratio(entry.embedded.eventsPerSecond, entry.raw.eventsPerSecond);
    entry.embeddedVsEmmett = ratio(entry.embedded.eventsPerSecond, entry.emmett.eventsPerSecond);
    rounds.push(entry);
  }
  fs.rmSync(appendDir, { recursive: true, force: true });
  const medianOf = (contestant, field) => {
    const values = rounds.map((r) => r[contestant]?.[field]).filter((v) => typeof v === 'number');
    return values.length > 0 ? round(median(values), 2) : null;
  };
  const medianRatio = (field) => {
    const values = rounds.map((r) => r[field]).filter((v) => v !== null);
    return values.length > 0 ? round(median(values), 2) : null;
  };
  const summary = Object.fromEntries(
    ['embedded', 'raw', 'emmett'].map((c) => [
      c,
      {
        eventsPerSecond: medianOf(c, 'eventsPerSecond'),
        p50Ms: medianOf(c, 'p50Ms'),
        p99Ms: medianOf(c, 'p99Ms'),
        appended: medianOf(c, 'appended'),
      },
    ]),
  );
  const vsRaw = medianRatio('embeddedVsRaw');
  const vsEmmett = medianRatio('embeddedVsEmmett');
  const atTargetSize = workload.events >= APPEND_TARGET_EVENTS;
  const passVsRaw = vsRaw !== null && vsRaw >= APPEND_VS_RAW_TARGET;
  const passVsEmmett = vsEmmett !== null && vsEmmett >= APPEND_VS_EMMETT_TARGET;
  saveResult('events.append', {
    ...header(),
    what: `${appendWriters} concurrent writers, one event per append, each writer on its own record streams; (a) the embedded SqliteEventStore, (b) raw better-sqlite3 inserts of the same rows, 100 per transaction, same pragmas, (c) Emmett's SQLite event store; ${appendRounds} rounds of a, b, c in turn, each on a fresh file; a contestant stops starting appends after ${appendSeconds} s`,
    target: {
      embeddedVsRawAtLeast: APPEND_VS_RAW_TARGET,
      embeddedVsEmmettAtLeast: APPEND_VS_EMMETT_TARGET,
      defaultEvents: APPEND_TARGET_EVENTS,
    },
    workload,
    emmettProbe: probe ?? { error: emmettUnavailable },
    rounds,
    median: summary,
    embeddedVsRaw: vsRaw,
    embeddedVsEmmett: vsEmmett,
    atTargetSize,
    passVsRaw,
    passVsEmmett,
    pass: passVsRaw && passVsEmmett && atTargetSize,
    marginVsRaw: ratioMargin(vsRaw, APPEND_VS_RAW_TARGET),
    marginVsEmmett: ratioMargin(vsEmmett, APPEND_VS_EMMETT_TARGET),
  });
  const size = `${workload.events} events, ${appendWriters} writers`;
  const small = atTargetSize ? '' : ` (below ${APPEND_TARGET_EVENTS / 1000}k events)`;
  const figure = (c) =>
    summary[c].eventsPerSecond === null
      ? (rounds[0][c]?.error ?? 'failed')
      : `${summary[c].eventsPerSecond} ev/s · p50 ${summary[c].p50Ms} · p99 ${summary[c].p99Ms} ms` +
        (summary[c].appended < workload.events
          ? ` (${summary[c].appended} appended in the ${appendSeconds} s)`
          : '');
  table.push(['append (a) embedded store', size, figure('embedded'), '', '', '']);
  table.push(['append (b) raw better-sqlite3', size, figure('raw'), '', '', '']);
  table.push(['append (c) Emmett SQLite', size, figure('emmett'), '', '', '']);
  table.push([
    'append (a) / (b)',
    `median of ${appendRounds} rounds`,
    vsRaw === null ? 'n/a' : `${vsRaw}×`,
    `≥ ${APPEND_VS_RAW_TARGET}×`,
    `${passVsRaw ? 'PASS' : 'MISS'}${small}`,
    ratioMargin(vsRaw, APPEND_VS_RAW_TARGET),
  ]);
  table.push([
    'append (a) / (c)',
    `median of ${appendRounds} rounds`,
    vsEmmett === null ? `n/a: ${emmettUnavailable ?? 'Emmett failed'}` : `${vsEmmett}×`,
    `≥ ${APPEND_VS_EMMETT_TARGET}×`,
    vsEmmett === null ? 'NOT MEASURED' : `${passVsEmmett ? 'PASS' : 'MISS'}${small}`,
    ratioMargin(vsEmmett, APPEND_VS_EMMETT_TARGET),
  ]);
}

// ── HTTP commands under load, against a bare Nest + Fastify endpoint ──
if (selected('http')) {
  const peersReady = installPeers();
  const httpDir = path.join(DATA_DIR, 'http');
  let result;
  if (!peersReady.ok) {
    result = { error: `autocannon not installed: ${peersReady.error}` };
  } else {
    process.stderr.write(
      `http: ${httpSeconds} s per run at ${httpConnections} connections, service and bare app side by side …\n`,
    );
    try {
      result = await child('http.mjs', [httpDir, httpSeconds, httpConnections, seed], 'http');
    } catch (error) {
      result = { error: error.message };
    }
  }
  fs.rmSync(httpDir, { recursive: true, force: true });
  if (result.error) {
    saveResult('http.commands', { ...header(), error: result.error, pass: false });
    table.push(['http commands', '', result.error, `≥ ${HTTP_RATE_TARGET}/s`, 'NOT MEASURED', '']);
  } else {
    const peak = result.servicePeak.perSecond;
    const bare = result.barePeak.perSecond;
    const vsBare = ratio(peak, bare);
    const p99 = result.atRate.latencyMs.p99;
    const failures = [...result.runs.service, ...result.runs.bare, result.atRate].reduce(
      (n, r) => n + r.non2xx + r.errors + r.timeouts,
      0,
    );
    // Did the service answer at the rate asked (within 5 %), or fall behind it?
    const keptUp = result.atRate.perSecond >= 0.95 * result.atRate.overallRate;
    const passes = {
      rate: peak >= HTTP_RATE_TARGET,
      vsBare: vsBare !== null && vsBare >= HTTP_VS_BARE_TARGET,
      p99: p99 < HTTP_P99_TARGET_MS,
    };
    saveResult('http.commands', {
      ...header(),
      what: 'the built service (dist/main.js, STORE=embedded, empty data dir) and a bare Nest + Fastify endpoint as child processes, driven by autocannon from the benchmark process on the same machine; the service gets the life of a record (file, request loan, approve, issue, return), one command per request',
      target: {
        commandsPerSecondAtLeast: HTTP_RATE_TARGET,
        vsBareAtLeast: HTTP_VS_BARE_TARGET,
        p99MsBelowAt70PercentOfPeak: HTTP_P99_TARGET_MS,
      },
      ...result,
      vsBare,
      failures,
      keptUpAt70Percent: keptUp,
      passes,
      pass: passes.rate && passes.vsBare && passes.p99 && failures === 0,
      margins: {
        rate: margin(peak, HTTP_RATE_TARGET),
        vsBare: ratioMargin(vsBare, HTTP_VS_BARE_TARGET),
        p99: latencyMargin(p99, HTTP_P99_TARGET_MS),
      },
    });
    const invalid = failures > 0 ? ` (${failures} failed requests)` : '';
    table.push([
      'http commands: peak',
      `c=${result.servicePeak.connections}`,
      `${peak} cmd/s`,
      `≥ ${HTTP_RATE_TARGET}/s`,
      `${passes.rate ? 'PASS' : 'MISS'}${invalid}`,
      margin(peak, HTTP_RATE_TARGET),
    ]);
    table.push([
      'http commands / bare endpoint',
      `bare ${bare}/s at c=${result.barePeak.connections}`,
      vsBare === null ? 'n/a' : `${vsBare}×`,
      `≥ ${HTTP_VS_BARE_TARGET}×`,
      passes.vsBare ? 'PASS' : 'MISS',
      ratioMargin(vsBare, HTTP_VS_BARE_TARGET),
    ]);
    table.push([
      'http commands at 70 % of peak',
      `${result.atRate.overallRate}/s asked, ${result.atRate.perSecond}/s done${keptUp ? '' : ' (fell behind)'}`,
      `p50 ${result.atRate.latencyMs.p50} · p99 ${p99} ms`,
      `p99 < ${HTTP_P99_TARGET_MS} ms`,
      passes.p99 ? 'PASS' : 'MISS',
      latencyMargin(p99, HTTP_P99_TARGET_MS),
    ]);
  }
}

// ── memory: the service holding the generated store ──
if (selected('memory')) {
  process.stderr.write(`memory: the service on a copy of ${cacheKey} …\n`);
  const result = await child(
    'memory.mjs',
    [storeDir, path.join(DATA_DIR, 'work-memory'), memorySeconds],
    'memory',
  );
  // Strict: the highest sample at idle or under queries, after the in-process catch-up and after
  // the restart on the caught-up store.
  const afterCatchUp = Math.max(result.rss.idle?.maxMiB ?? 0, result.rss.queries?.maxMiB ?? 0);
  const restarted = Math.max(result.restart?.rss.idle?.maxMiB ?? 0, result.restart?.rss.queries?.maxMiB ?? 0);
  const steady = Math.max(afterCatchUp, restarted);
  const atTargetSize = result.events >= MEMORY_EVENTS_TARGET;
  const pass = steady < MEMORY_RSS_TARGET_MIB && atTargetSize;
  const rssMargin =
    steady < MEMORY_RSS_TARGET_MIB
      ? `${round(MEMORY_RSS_TARGET_MIB - steady, 1)} MiB under`
      : `${round(steady - MEMORY_RSS_TARGET_MIB, 1)} MiB over (+${round((steady / MEMORY_RSS_TARGET_MIB - 1) * 100, 0)}%)`;
  saveResult('memory.service', {
    ...header(),
    what: 'resident set (VmRSS) of the built service (dist/main.js, STORE=embedded) on a copy of the generated store, sampled every 250 ms: while it catches up (read models, audit sealer), at idle, and under a light query load (one client, the catalogue query shapes in turn); then the same after a restart on the caught-up copy; the figure is the highest sample at idle or under the query load in either life',
    target: { rssBelow: '300 MB', rssMiBBelow: MEMORY_RSS_TARGET_MIB, eventsAtLeast: MEMORY_EVENTS_TARGET },
    ...result,
    steadyMaxRssMiB: steady,
    afterCatchUpMaxRssMiB: afterCatchUp,
    restartedMaxRssMiB: restarted,
    atTargetSize,
    pass,
    margin: rssMargin,
  });
  table.push([
    'memory: service RSS, idle + light queries',
    `${result.events} events`,
    `after catch-up ${afterCatchUp} MiB, restarted ${restarted} MiB (catch-up peak ${result.rss.catchUp?.maxMiB ?? '?'} MiB)`,
    `< 300 MB (${MEMORY_RSS_TARGET_MIB} MiB)`,
    pass ? 'PASS' : atTargetSize ? 'MISS' : 'MISS (below 1M events)',
    rssMargin,
  ]);
}

// ── history and point-in-time state of a 1,000-event record ──
if (selected('history')) {
  const settledSeconds = settle('history');
  process.stderr.write('history: one record of 1,000 events …\n');
  const result = await childJson('history.mjs', [historyRuns, 20]);
  saveResult('history.record', { ...header(), ...result, settledSeconds });
  for (const shape of result.shapes) {
    table.push([
      `history: ${shape.name}`,
      `${result.eventsInStream} events, ${shape.answerBytes} B`,
      `p50 ${shape.p50Ms} · p99 ${shape.p99Ms} ms`,
      `p99 < ${shape.targetP99Ms} ms`,
      shape.pass ? 'PASS' : 'MISS',
      latencyMargin(shape.p99Ms, shape.targetP99Ms),
    ]);
  }
}

// ── full verification (audit verify-all) of the generated store, sealed ──
if (selected('verify')) {
  process.stderr.write(`verify: audit verify-all over a sealed copy of ${cacheKey} …\n`);
  const result = await childJson('verify.mjs', [storeDir]);
  saveResult('audit.verify', { ...header(), ...result });
  const atSize = result.events >= result.target.events;
  table.push([
    'audit verify-all',
    `${result.events} events`,
    `${result.eventsPerSecond} ev/s (median ${result.medianEventsPerSecond})`,
    `≥ ${result.target.eventsPerSecond} ev/s`,
    result.eventsPerSecond >= result.target.eventsPerSecond
      ? atSize
        ? 'PASS'
        : 'PASS (below 1M events)'
      : atSize
        ? 'MISS'
        : 'MISS (below 1M events)',
    margin(result.eventsPerSecond, result.target.eventsPerSecond),
  ]);
}

// ── the console at 100,000 records, in headless Chromium ──
if (selected('console')) {
  await ensureReadModels('the console');
  settle('console');
  process.stderr.write(`console: ${consoleRuns} walks through the console in headless Chromium …\n`);
  const result = await child('console.mjs', [workDir, consoleRuns], 'console');
  const atTargetSize = result.records >= QUERY_RECORDS_TARGET;
  const pass = Object.values(result.steps).every((s) => s.pass) && result.pageHeapMiB.pass && atTargetSize;
  saveResult('console.pages', {
    ...header(),
    what: 'the built service on the queries copy of the store; headless Debian Chromium (playwright-core) signed in as a TOP_SECRET archivist; each step timed from the click or navigation until its answer is drawn; page heap after a forced GC at the end of each walk',
    ...result,
    atTargetSize,
    pass,
  });
  for (const [name, step] of Object.entries(result.steps)) {
    table.push([
      `console: ${name}`,
      `${result.records} records`,
      `p50 ${step.p50Ms} · p95 ${step.p95Ms} ms`,
      `p95 < ${result.target.stepP95MsBelow} ms`,
      `${step.pass ? 'PASS' : 'MISS'}${atTargetSize ? '' : ` (below ${QUERY_RECORDS_TARGET / 1000}k records)`}`,
      latencyMargin(step.p95Ms, result.target.stepP95MsBelow),
    ]);
  }
  table.push([
    'console: page heap',
    `${result.records} records`,
    `max ${result.pageHeapMiB.maxMiB} MiB; catalogue answer ≤ ${result.catalogueAnswerKiB.max} KiB`,
    `< ${result.target.pageHeapMiBBelow} MiB`,
    result.pageHeapMiB.pass ? 'PASS' : 'MISS',
    `${round(result.target.pageHeapMiBBelow - result.pageHeapMiB.maxMiB, 1)} MiB under`,
  ]);
}

// ── table ──
const heads = ['benchmark', 'size', 'figure', 'target', 'result', 'margin'];
/** Columns a terminal gives the text: CJK characters take two. */
const width = (text) =>
  [...String(text)].reduce(
    (w, c) =>
      w +
      (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        c,
      )
        ? 2
        : 1),
    0,
  );
const widths = heads.map((h, i) => Math.max(h.length, ...table.map((row) => width(row[i]))));
const line = (cells) => cells.map((c, i) => String(c) + ' '.repeat(widths[i] - width(c))).join(' | ');
process.stdout.write(`\n${line(heads)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n`);
for (const row of table) process.stdout.write(`${line(row)}\n`);
process.stdout.write(`\n${command} on ${machine.nproc} × ${machine.cpu}, Node ${machine.node}, ${date}\n`);
process.stdout.write(`results merged into ${path.relative(process.cwd(), RESULTS_FILE)}\n`);
if (cpuProfile) process.stdout.write(`CPU profiles in ${path.relative(process.cwd(), PROFILE_DIR)}\n`);
