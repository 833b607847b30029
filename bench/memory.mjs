// Resident set of the service holding the generated store:
//   node bench/memory.mjs <storeDir> <workDir> [sampleSeconds=30]
// Copies the cached event store (no read models yet) to workDir, starts the built service on it
// (dist/main.js, STORE=embedded) and samples its resident set (VmRSS from /proc) every 250 ms:
// while the projector and the audit sealer catch up with the store, then at idle, then under a
// light query load (one client sending the catalogue query shapes one after another). Then it
// stops the service (SIGTERM) and starts it again on the same, caught-up copy — the steady state
// of a service holding the store — and samples the same phases again.
import * as fs from 'node:fs';
import {
  dist,
  freshCopy,
  median,
  percentile,
  progressLine,
  endProgress,
  round,
  writeChildResult,
} from './lib/common.mjs';
import { processStats, startService } from './lib/service.mjs';
import { SHAPES, urlOf, USERS } from './lib/shapes.mjs';

const [storeDir, workDir, secondsArg] = process.argv.slice(2);
const sampleSeconds = Number(secondsArg ?? 30);
if (!storeDir || !workDir || !(sampleSeconds > 0)) {
  process.stderr.write('usage: node bench/memory.mjs <storeDir> <workDir> [sampleSeconds=30]\n');
  process.exit(2);
}
const CATCH_UP_LIMIT_MS = 45 * 60_000;
const logLevel = process.env.BENCH_HTTP_LOG_LEVEL?.trim() || undefined;

const { loadConfig } = dist('config/config');
const { mintToken } = dist('auth/mint-token');
const manifest = JSON.parse(fs.readFileSync(`${storeDir}/manifest.json`, 'utf8'));

process.stderr.write(`memory: copying the store (${manifest.events} events) …\n`);
freshCopy(storeDir, workDir);

/** Samples the service's resident set every 250 ms into the current phase. */
const phases = {};
let phase = 'catchUp';
let pid;
const sampler = setInterval(() => {
  const stats = pid && processStats(pid);
  if (stats) (phases[phase] ??= []).push(stats);
}, 250);
/** RSS over a phase; anonymous and file-backed parts at the sample where RSS was highest. */
const summary = (samples = []) => {
  if (samples.length === 0) return null;
  const sorted = samples.map((s) => s.rssMiB).sort((a, b) => a - b);
  const highest = samples.reduce((a, b) => (b.rssMiB > a.rssMiB ? b : a));
  return {
    samples: sorted.length,
    minMiB: sorted[0],
    medianMiB: median(sorted),
    p95MiB: percentile(sorted, 95),
    maxMiB: sorted[sorted.length - 1],
    atMax: { anonMiB: highest.rssAnonMiB, fileMiB: highest.rssFileMiB },
  };
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const config = loadConfig({ DATA_DIR: workDir });

/**
 * One life of the service on the copy: start, wait until the projector and the sealer are caught
 * up, then idle, then light queries; every phase's RSS samples go under `prefix` + phase name.
 */
async function session(prefix) {
  const started = Date.now();
  phase = `${prefix}catchUp`;
  const service = await startService({
    dataDir: workDir,
    env: logLevel ? { LOG_LEVEL: logLevel } : {},
    readyTimeoutMs: CATCH_UP_LIMIT_MS,
    onSpawn: (spawned) => (pid = spawned),
  });
  const startMs = Date.now() - started;
  try {
    let ready;
    for (;;) {
      const response = await fetch(`${service.url}/health/ready`);
      ready = await response.json();
      const projectionLag = ready.projection?.lagEvents;
      const sealerLag = ready.sealer?.lagEvents ?? 0;
      const rss = processStats(pid)?.rssMiB;
      progressLine(
        `memory: catching up: projection lag ${projectionLag}, sealer lag ${sealerLag}, rss ${rss} MiB`,
      );
      if (response.status === 200 && projectionLag === 0 && !(sealerLag > 0)) break;
      if (Date.now() - started > CATCH_UP_LIMIT_MS)
        throw new Error(`no catch-up within ${CATCH_UP_LIMIT_MS / 60_000} min: ${JSON.stringify(ready)}`);
      await sleep(1000);
    }
    endProgress();
    // From the start of the process: the service may catch up before it listens.
    const catchUpSeconds = round((Date.now() - started) / 1000, 1);

    // ── idle ──
    phase = 'settle';
    await sleep(5000);
    phase = `${prefix}idle`;
    process.stderr.write(`memory: idle for ${sampleSeconds} s …\n`);
    await sleep(sampleSeconds * 1000);

    // ── light query load: one client, the catalogue shapes one after another ──
    const tokens = {};
    for (const [name, user] of Object.entries(USERS)) tokens[name] = await mintToken(config, user);
    const get = async (url, as = 'topSecret') => {
      const response = await fetch(`${service.url}${url}`, {
        headers: { authorization: `Bearer ${tokens[as]}` },
      });
      const body = await response.text();
      if (response.status !== 200)
        throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
      return JSON.parse(body);
    };
    const answers = {};
    const urls = SHAPES.map((shape) => ({ shape, url: urlOf(shape) }));
    phase = `${prefix}queries`;
    process.stderr.write(`memory: light query load for ${sampleSeconds} s …\n`);
    let queries = 0;
    const until = Date.now() + sampleSeconds * 1000;
    while (Date.now() < until) {
      for (const entry of urls) {
        if (entry.shape.cursorOf) {
          const cursor = answers[entry.shape.cursorOf]?.nextCursor;
          if (!cursor) continue;
          entry.url = urlOf(entry.shape, cursor);
        }
        answers[entry.shape.name] = await get(entry.url, entry.shape.as);
        queries += 1;
      }
    }
    phase = 'done';
    return {
      startMs,
      catchUpSeconds,
      queries,
      headPosition: ready.headPosition,
      peakRssMiB: processStats(pid)?.peakRssMiB ?? null,
    };
  } finally {
    phase = 'done';
    const code = await service.stop();
    if (code !== 0) process.stderr.write(`the service exited with ${code}: ${service.stderr()}\n`);
  }
}

try {
  // First life: a fresh copy, so the service builds every read model and seals every event.
  process.stderr.write('memory: first start, on the store without read models …\n');
  const first = await session('');
  // Second life: restarted on the same, now caught-up copy — the steady state of a running service.
  process.stderr.write('memory: restart on the caught-up store …\n');
  const restart = await session('restart.');
  clearInterval(sampler);
  writeChildResult({
    events: manifest.events,
    records: manifest.records,
    headPosition: first.headPosition,
    logLevel: logLevel ?? 'service default (info)',
    sampleSeconds,
    startMs: first.startMs,
    catchUpSeconds: first.catchUpSeconds,
    queries: first.queries,
    rss: {
      catchUp: summary(phases.catchUp),
      idle: summary(phases.idle),
      queries: summary(phases.queries),
    },
    peakRssMiB: first.peakRssMiB,
    restart: {
      startMs: restart.startMs,
      catchUpSeconds: restart.catchUpSeconds,
      queries: restart.queries,
      rss: {
        catchUp: summary(phases['restart.catchUp']),
        idle: summary(phases['restart.idle']),
        queries: summary(phases['restart.queries']),
      },
      peakRssMiB: restart.peakRssMiB,
    },
  });
} finally {
  clearInterval(sampler);
  fs.rmSync(workDir, { recursive: true, force: true });
}
