// The benchmarks of the read side: `npm run bench` (builds first), options by environment:
//   BENCH_RECORDS=100000   records to generate (each ~10–14 events: see lib/workload.mjs)
//   BENCH_SEED=1           seed of gen-records.mjs and of the workload
//   BENCH_REBUILD_RUNS=2   rebuilds, each from zero on a fresh copy of the generated store
//   BENCH_QUERY_RUNS=200   measured requests per query shape (after 20 warm-up rounds)
//   BENCH_ONLY=rebuild|queries   run one benchmark only (generate: only make the cached store)
//   BENCH_CPU_PROF=1       write V8 CPU profiles of each benchmark to bench/.data/profiles/
//   BENCH_RESULTS=file     merge the results into another file than bench/results.json
// The generated event store is cached in bench/.data/stores/<key>/ (key: record count, seed,
// workload version and a digest of gen-records.mjs), so re-runs skip generation.
// Results are merged into bench/results.json per benchmark key; a table is printed.
import { spawn } from 'node:child_process';
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
import { WORKLOAD_VERSION } from './lib/workload.mjs';

const REBUILD_EVENTS_TARGET = 1_000_000;
const REBUILD_RATE_TARGET = 50_000;
const QUERY_RECORDS_TARGET = 100_000;
const REBUILD_BATCH_SIZE = 5000;

const records = envInt('BENCH_RECORDS', 100_000);
const seed = envInt('BENCH_SEED', 1);
const rebuildRuns = envInt('BENCH_REBUILD_RUNS', 2);
const queryRuns = envInt('BENCH_QUERY_RUNS', 200);
const only = process.env.BENCH_ONLY?.trim() || undefined;
if (only !== undefined && !['generate', 'rebuild', 'queries'].includes(only)) {
  throw new Error(`BENCH_ONLY=${only}: expected generate, rebuild or queries`);
}
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

let dataset;
const manifestFile = path.join(storeDir, 'manifest.json');
if (fs.existsSync(manifestFile)) {
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
const datasetSummary = {
  cacheKey,
  records: dataset.records,
  events: dataset.events,
  eventsPerRecord: dataset.eventsPerRecord,
  eventTypes: dataset.eventTypes,
  storeMiB: Math.round(dataset.storeBytes / 1024 / 1024),
  generator: `node ../shared/tools/gen-records.mjs ${records} ${seed}, lifecycle lib/workload.mjs v${WORKLOAD_VERSION}`,
};

if (only === 'generate') process.exit(0);

// ── results.json: merged per benchmark key ──
function saveResult(key, entry) {
  const all = fs.existsSync(RESULTS_FILE) ? JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) : {};
  all[key] = entry;
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(all, null, 2)}\n`);
}
const header = () => ({ date, command, machine, dataset: datasetSummary });
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
if (only !== 'queries') {
  const runs = [];
  for (let i = 1; i <= rebuildRuns; i++) {
    process.stderr.write(`rebuild ${i}/${rebuildRuns}: copying the store …\n`);
    fs.rmSync(workState, { force: true });
    freshCopy(storeDir, workDir);
    const result = await child('rebuild.mjs', [workDir, REBUILD_BATCH_SIZE], `rebuild-${i}`);
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
    what: `rebuildReadModels(events, reads, READ_MODELS, { batchSize: ${REBUILD_BATCH_SIZE} }) from zero on the embedded store (SqliteEventStore + SqliteReadStore), all read models, each run on a fresh copy of the generated store`,
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

// ── catalogue queries ──
if (only !== 'rebuild') {
  const state = fs.existsSync(workState) ? JSON.parse(fs.readFileSync(workState, 'utf8')) : undefined;
  if (!rebuilt && !(state?.cacheKey === cacheKey && state.rebuilt)) {
    process.stderr.write('queries need the read models: rebuilding them once (not measured) …\n');
    freshCopy(storeDir, workDir);
    await child('rebuild.mjs', [workDir, REBUILD_BATCH_SIZE], 'rebuild-for-queries');
    fs.writeFileSync(workState, JSON.stringify({ cacheKey, rebuilt: true }));
  }
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
