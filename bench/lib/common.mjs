// Shared helpers of the benchmarks: where things live, loading the compiled service, result files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = path.dirname(BENCH_DIR);
/** The compiled service (`npm run build`); BENCH_DIST points elsewhere for development builds. */
export const DIST_DIR = path.resolve(process.env.BENCH_DIST ?? path.join(REPO_DIR, 'dist'));
/** Cached generated event stores and the working copies the benchmarks run on. */
export const DATA_DIR = path.join(BENCH_DIR, '.data');
/** Where results are merged; BENCH_RESULTS sends a trial run elsewhere. */
export const RESULTS_FILE = path.resolve(process.env.BENCH_RESULTS ?? path.join(BENCH_DIR, 'results.json'));
export const GEN_RECORDS = path.resolve(REPO_DIR, '..', 'shared', 'tools', 'gen-records.mjs');

const require = createRequire(import.meta.url);

/** A compiled module of the service, by its path under src/ without extension: `records/record.decider`. */
export function dist(modulePath) {
  const file = path.join(DIST_DIR, `${modulePath}.js`);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`npm run build\` first (or set BENCH_DIST)`);
  }
  return require(file);
}

/** The embedded store's file name, as the adapter names it. */
export function storeFileName() {
  return dist('event-store/embedded/sqlite-event-store').EMBEDDED_STORE_FILE;
}

export function envInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1)
    throw new Error(`${name}=${raw}: expected a positive whole number`);
  return Number(raw);
}

/** Percentile by nearest rank over sorted samples. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
export const mib = (bytes) => round(bytes / 1024 / 1024, 0);

/** Samples RSS every `everyMs`; `peak()` is the highest seen (with the process's own maxRSS as a floor). */
export function rssSampler(everyMs = 50) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  timer.unref();
  return {
    peak() {
      return Math.max(peak, process.memoryUsage.rss());
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** A child benchmark hands its result back through the file named by BENCH_RESULT_FILE. */
export function writeChildResult(result) {
  const file = process.env.BENCH_RESULT_FILE;
  if (!file) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  fs.writeFileSync(file, JSON.stringify(result));
}

/**
 * Copy a closed store file into a fresh directory. A cleanly closed store leaves an empty -wal
 * (everything checkpointed into the main file), so the main file alone is the whole store.
 */
export function freshCopy(sourceDir, targetDir) {
  fs.rmSync(targetDir, { recursive: true, force: true });
  fs.mkdirSync(targetDir, { recursive: true });
  const name = storeFileName();
  const wal = path.join(sourceDir, `${name}-wal`);
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) {
    throw new Error(`${wal} is not empty: the cached store was not closed cleanly; delete ${sourceDir}`);
  }
  fs.copyFileSync(path.join(sourceDir, name), path.join(targetDir, name));
}

export function progressLine(text) {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
  else process.stderr.write(`${text}\n`);
}

export function endProgress() {
  if (process.stderr.isTTY) process.stderr.write('\n');
}

/** Throttle: calls `fn` at most every `everyMs` — every 10 s into a log — and always when `force`. */
export function throttle(everyMs, fn) {
  const interval = process.stderr.isTTY ? everyMs : Math.max(everyMs, 10_000);
  let last = 0;
  return (force, ...args) => {
    const now = Date.now();
    if (!force && now - last < interval) return;
    last = now;
    fn(...args);
  };
}
