// HTTP commands under load: `node bench/http.mjs <workDir> <seconds> <connections,…> <seed>`.
// Starts the built service (dist/main.js, STORE=embedded, on an empty data dir in workDir) and the
// bare Nest + Fastify app (lib/bare-app.mjs) as child processes, and drives both with autocannon
// from this process — client and servers share the machine's cores.
//
// The service's mix is the life of a record, one command per request, each connection running
// its own records through it: file (POST /records, an archivist), request a 2-day loan (POST
// /records/{code}/loans, a staff borrower), approve it (POST /loans/{id}/approvals, the archive
// department head — the one approval such a loan needs, B4), issue it (POST /loans/{id}/hand-over,
// an archivist), return it (POST /loans/{id}/return, an archivist). Records are PUBLIC or
// INTERNAL records without a counterparty from gen-records.mjs, so every loan needs exactly that
// one approval and every command in the cycle is accepted.
//
// Each target is warmed up, then run once per connection count; the highest rate of 2xx answers is
// its peak. The service is then run again at 70 % of its peak rate (autocannon overallRate, at the
// peak's connection count) for its latency. autocannon limits a rate by giving each connection a
// budget per second: requests leave in bursts at the start of each second, not evenly spaced.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { spawn } from 'node:child_process';
import { BENCH_DIR, dist, GEN_RECORDS, round, writeChildResult } from './lib/common.mjs';
import { loadPeer, peerVersion } from './lib/peers.mjs';
import { processStats, startListening, startService } from './lib/service.mjs';
import { PEOPLE, toMetadata } from './lib/workload.mjs';
import { BARE_BODY } from './lib/bare-app.mjs';

const [workDir, secondsArg, connectionsArg, seedArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 20);
const ladder = (connectionsArg ?? '8,32,128').split(',').map(Number);
const seed = Number(seedArg ?? 1);
if (!workDir || !(seconds > 0) || ladder.some((c) => !(c > 0))) {
  process.stderr.write('usage: node bench/http.mjs <workDir> [seconds=20] [connections=8,32,128] [seed=1]\n');
  process.exit(2);
}
const WARMUP_SECONDS = Math.min(5, seconds);
const RATE_SHARE = 0.7;
const logLevel = process.env.BENCH_HTTP_LOG_LEVEL?.trim() || undefined;

const autocannon = loadPeer('autocannon');
const { loadConfig } = dist('config/config');
const { mintToken } = dist('auth/mint-token');

// ── the records the connections file: enough for every phase at a high rate ──
/** Records from gen-records whose 2-day lend-out needs only the archive department head (B4). */
async function recordPool(count) {
  const generator = spawn(process.execPath, [GEN_RECORDS, String(count), String(seed)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pool = [];
  for await (const text of readline.createInterface({ input: generator.stdout, crlfDelay: Infinity })) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text);
    if (line.counterparty === undefined && ['PUBLIC', 'INTERNAL'].includes(line.classification)) {
      pool.push(JSON.stringify(toMetadata(line)));
    }
  }
  return pool;
}
const phases = 1 + 2 * ladder.length + 1; // warm-ups, ladders, the 70 % run
// A generous bound of records per second of load (each record is 5 commands).
const poolSize = Math.max(20_000, Math.ceil(phases * seconds * 2000));
process.stderr.write(`http: generating ${poolSize} candidate records …\n`);
const pool = await recordPool(poolSize);
let nextRecord = 0;

fs.rmSync(workDir, { recursive: true, force: true });
const serviceDir = path.join(workDir, 'service');
fs.mkdirSync(serviceDir, { recursive: true });

const service = await startService({
  dataDir: serviceDir,
  env: logLevel ? { LOG_LEVEL: logLevel } : {},
});
const bare = await startListening(path.join(BENCH_DIR, 'lib', 'bare-app.mjs'), [0]);

try {
  // Tokens signed with the key the service generated in its data dir (what `archive-ledger token` does).
  const config = loadConfig({ DATA_DIR: serviceDir });
  const token = async (person) =>
    `Bearer ${await mintToken(config, { user: person.id, roles: person.roles, unit: person.unit, clearance: person.clearance, ttl: '8h' })}`;
  const archivists = await Promise.all(PEOPLE.archivists.map(token));
  const borrowers = await Promise.all(PEOPLE.staff.map(token));
  const archiveHead = await token(PEOPLE.archiveHead);
  const pick = (list, i) => list[i % list.length];
  const PURPOSES = ['合同审查', '审计核对', '业务参考', '编写年度总结', '财务对账'];

  const statuses = {};
  const count = (step, status) => {
    const key = `${step} ${status}`;
    statuses[key] = (statuses[key] ?? 0) + 1;
  };
  const json = (auth) => ({ 'content-type': 'application/json', authorization: auth });

  /** The life of a record, request by request; `context` is the connection's own. */
  const lifeOfRecord = [
    {
      method: 'POST',
      path: '/records',
      setupRequest(req, context) {
        if (nextRecord >= pool.length) throw new Error('the record pool is exhausted: raise its size');
        context.n = nextRecord++;
        context.body = pool[context.n];
        return { ...req, headers: json(pick(archivists, context.n)), body: context.body };
      },
      onResponse(status, body, context) {
        count('file', status);
        context.code = status === 201 ? JSON.parse(body).archiveCode : undefined;
      },
    },
    {
      method: 'POST',
      setupRequest(req, context) {
        const body = { mode: 'lend_out', purpose: pick(PURPOSES, context.n), days: 2 };
        return {
          ...req,
          path: `/records/${encodeURIComponent(context.code ?? 'MISSING')}/loans`,
          headers: json(pick(borrowers, context.n)),
          body: JSON.stringify(body),
        };
      },
      onResponse(status, body, context) {
        count('request', status);
        context.loanId = status === 201 ? JSON.parse(body).loanId : undefined;
      },
    },
    {
      method: 'POST',
      setupRequest(req, context) {
        return {
          ...req,
          path: `/loans/${encodeURIComponent(context.loanId ?? 'MISSING')}/approvals`,
          headers: json(archiveHead),
          body: JSON.stringify({ decision: 'approve', opinion: '同意' }),
        };
      },
      onResponse: (status) => count('approve', status),
    },
    {
      method: 'POST',
      setupRequest(req, context) {
        return {
          ...req,
          path: `/loans/${encodeURIComponent(context.loanId ?? 'MISSING')}/hand-over`,
          headers: json(pick(archivists, context.n + 1)),
          body: '{}',
        };
      },
      onResponse: (status) => count('issue', status),
    },
    {
      method: 'POST',
      setupRequest(req, context) {
        return {
          ...req,
          path: `/loans/${encodeURIComponent(context.loanId ?? 'MISSING')}/return`,
          headers: json(pick(archivists, context.n + 2)),
          body: JSON.stringify({ condition: 'intact' }),
        };
      },
      onResponse: (status) => count('return', status),
    },
  ];
  const bareRequests = [
    {
      method: 'POST',
      path: '/items',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(BARE_BODY),
    },
  ];

  /** One autocannon run; the figures of its 2xx answers, and the CPU time each side used. */
  async function load(target, { connections, duration, overallRate }) {
    const server = target === 'service' ? service : bare;
    const serverBefore = processStats(server.pid);
    const clientBefore = process.cpuUsage();
    const result = await autocannon({
      url: server.url,
      connections,
      duration,
      // Record the latencies as measured: with a rate, autocannon would otherwise add synthetic
      // samples for an expected interval of 1 ms (its per-second rate, rounded up). It refuses the
      // option without a rate.
      ...(overallRate ? { overallRate, ignoreCoordinatedOmission: true } : {}),
      requests: target === 'service' ? lifeOfRecord : bareRequests,
      timeout: 30,
    });
    const serverAfter = processStats(server.pid);
    const client = process.cpuUsage(clientBefore);
    const ok = result['2xx'];
    // Work the service left for later: events its projector and audit sealer have not caught up with.
    let backlog;
    if (target === 'service') {
      const ready = await (await fetch(`${service.url}/health/ready`)).json().catch(() => undefined);
      backlog = {
        projectionLagEvents: ready?.projection?.lagEvents ?? null,
        sealerLagEvents: ready?.sealer?.lagEvents ?? null,
      };
    }
    return {
      target,
      connections,
      durationSeconds: round(result.duration, 2),
      ...(overallRate ? { overallRate } : {}),
      requests: result.requests.total,
      ok,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      perSecond: Math.round(ok / result.duration),
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: round(result.latency.average, 2),
      },
      serverCpuSeconds:
        serverAfter && serverBefore ? round(serverAfter.cpuSeconds - serverBefore.cpuSeconds, 2) : null,
      clientCpuSeconds: round((client.user + client.system) / 1e6, 2),
      serverRssMiB: serverAfter?.rssMiB ?? null,
      ...(backlog ? { backlogAfter: backlog } : {}),
    };
  }

  const say = (r) =>
    process.stderr.write(
      `http ${r.target} c=${r.connections}${r.overallRate ? ` rate=${r.overallRate}/s` : ''}: ${r.perSecond}/s, p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}` +
        (r.backlogAfter
          ? `, projection lag after ${r.backlogAfter.projectionLagEvents}, sealer lag ${r.backlogAfter.sealerLagEvents}`
          : '') +
        '\n',
    );

  // Warm-ups (not measured): JIT, the store's caches, the connection pool.
  for (const target of ['service', 'bare']) {
    process.stderr.write(`http: warming up ${target} (${WARMUP_SECONDS} s) …\n`);
    await load(target, { connections: ladder[ladder.length - 1], duration: WARMUP_SECONDS });
  }
  for (const key of Object.keys(statuses)) delete statuses[key];

  // The ladders, side by side: service then bare at each connection count.
  const runs = { service: [], bare: [] };
  for (const connections of ladder) {
    for (const target of ['service', 'bare']) {
      const r = await load(target, { connections, duration: seconds });
      say(r);
      runs[target].push(r);
    }
  }
  const peakOf = (list) => list.reduce((best, r) => (r.perSecond > best.perSecond ? r : best));
  const servicePeak = peakOf(runs.service);
  const barePeak = peakOf(runs.bare);

  // The service at 70 % of its peak rate.
  const overallRate = Math.max(1, Math.round(servicePeak.perSecond * RATE_SHARE));
  const atRate = await load('service', {
    connections: servicePeak.connections,
    duration: seconds,
    overallRate,
  });
  say(atRate);

  const ready = await (await fetch(`${service.url}/health/ready`)).json().catch(() => undefined);
  const serviceStats = processStats(service.pid);
  writeChildResult({
    versions: { autocannon: peerVersion('autocannon') },
    secondsPerRun: seconds,
    warmupSeconds: WARMUP_SECONDS,
    connectionLadder: ladder,
    logLevel: logLevel ?? 'service default (info)',
    mix: ['file', 'request loan', 'approve loan', 'issue loan (hand-over)', 'return loan'],
    recordsFiled: nextRecord,
    statuses,
    runs,
    servicePeak: { connections: servicePeak.connections, perSecond: servicePeak.perSecond },
    barePeak: { connections: barePeak.connections, perSecond: barePeak.perSecond },
    rateShare: RATE_SHARE,
    atRate,
    serviceHeadPosition: ready?.headPosition ?? null,
    servicePeakRssMiB: serviceStats?.peakRssMiB ?? null,
  });
} finally {
  await bare.stop();
  const code = await service.stop();
  if (code !== 0) process.stderr.write(`the service exited with ${code}: ${service.stderr()}\n`);
}
