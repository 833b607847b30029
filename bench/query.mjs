// Catalogue queries against the real service, in-process: `node bench/query.mjs <dataDir> [runs]`.
// The data dir holds the generated event store with its read models rebuilt. The service is booted
// with createApp (every module, pipe, guard and filter, as `npm start` runs it) and driven with
// Fastify's inject, so each figure includes routing, token verification, validation, the read-store
// query with its total, and JSON serialisation — not the network.
import 'reflect-metadata';
import {
  dist,
  endProgress,
  percentile,
  progressLine,
  round,
  rssSampler,
  mib,
  throttle,
  writeChildResult,
} from './lib/common.mjs';
import { SHAPES, targetOf, urlOf, USERS } from './lib/shapes.mjs';

const dataDir = process.argv[2];
const runs = Number(process.argv[3] ?? 200);
const warmup = Number(process.argv[4] ?? 20);
if (!dataDir || !(runs > 0)) {
  process.stderr.write('usage: node bench/query.mjs <dataDir> [runs=200] [warmup=20]\n');
  process.exit(2);
}

const { createApp } = dist('app/create-app');
const { loadConfig } = dist('config/config');
const { mintToken } = dist('auth/mint-token');

const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
const bootStarted = Date.now();
const app = await createApp({ config });
const bootMs = Date.now() - bootStarted;
const fastify = app.getHttpAdapter().getInstance();

const tokens = {};
for (const [name, user] of Object.entries(USERS)) tokens[name] = await mintToken(config, user);

async function get(url, as = 'topSecret') {
  const response = await fastify.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${tokens[as]}` },
  });
  return response;
}

function json(response, url) {
  if (response.statusCode !== 200) {
    throw new Error(`GET ${url} answered ${response.statusCode}: ${response.body.slice(0, 500)}`);
  }
  return JSON.parse(response.body);
}

// ── wait until the read models and the audit sealer have caught up with the store ──
// (A fresh copy of the generated store has no seals: on its first start the service seals every
// event, on the thread that answers the queries. Measured during that, every shape's tail is the
// sealer's, not the query's.)
const waitStarted = Date.now();
let ready;
for (;;) {
  const response = await fastify.inject({ method: 'GET', url: '/health/ready' });
  ready = JSON.parse(response.body);
  const lag = ready.projection?.lagEvents;
  const sealerLag = ready.sealer?.lagEvents ?? 0;
  if (response.statusCode === 200 && lag === 0 && !(sealerLag > 0)) break;
  if (Date.now() - waitStarted > 30 * 60_000)
    throw new Error(`the projector and the sealer did not catch up: ${response.body}`);
  progressLine(`waiting for the projector and the sealer: lag ${lag} and ${sealerLag} events`);
  await new Promise((resolve) => setTimeout(resolve, 500));
}
const head = ready.headPosition;
// Read-your-writes through the query API itself: answers once the read models passed the head.
json(await get(`/records?after=${head}&limit=1`), `/records?after=${head}`);
const catchUpWaitMs = Date.now() - waitStarted;

// ── the query shapes (lib/shapes.mjs) ──
const shapes = SHAPES.map((shape) => ({ ...shape }));
// One request of each shape first: check it answers 200, and take the cursor for page 2.
const answers = {};
for (const shape of shapes) {
  let cursor;
  if (shape.cursorOf) {
    cursor = answers[shape.cursorOf].nextCursor;
    if (!cursor) throw new Error(`${shape.cursorOf} gave no nextCursor`);
  }
  shape.url = urlOf(shape, cursor);
  answers[shape.name] = json(await get(shape.url, shape.as), shape.url);
}

// Warm-up rounds (not measured), then measured rounds; each round runs every shape once, so no
// shape is measured only after many repeats of itself.
const samples = Object.fromEntries(shapes.map((s) => [s.name, []]));
const rss = rssSampler(50);
const show = throttle(1000, (done) => progressLine(`querying: round ${done}/${runs}`));
for (let r = -warmup; r < runs; r++) {
  for (const shape of shapes) {
    const started = process.hrtime.bigint();
    const response = await get(shape.url, shape.as);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (response.statusCode !== 200) throw new Error(`GET ${shape.url} answered ${response.statusCode}`);
    if (r >= 0) samples[shape.name].push(ms);
  }
  if (r >= 0) show(false, r + 1);
}
endProgress();
rss.stop();

/** The URL as a person reads it: decoded, a long cursor shortened. */
const readable = (url) =>
  decodeURIComponent(url.replace(/\+/g, ' ')).replace(/(cursor=[^&]{12})[^&]+/, '$1…');

const figures = shapes.map((shape) => {
  const sorted = samples[shape.name].sort((a, b) => a - b);
  const answer = answers[shape.name];
  const target = targetOf(shape);
  const p95 = percentile(sorted, 95);
  return {
    name: shape.name,
    kind: shape.kind,
    request: `GET ${readable(shape.url)}`,
    caller: USERS[shape.as ?? 'topSecret'].clearance,
    runs: sorted.length,
    items: answer.items.length,
    total: answer.total,
    p50Ms: round(percentile(sorted, 50), 2),
    p95Ms: round(p95, 2),
    p99Ms: round(percentile(sorted, 99), 2),
    maxMs: round(sorted[sorted.length - 1], 2),
    meanMs: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 2),
    targetP95Ms: target,
    pass: p95 < target,
  };
});

const records = json(await get('/records?limit=1'), '/records?limit=1').total;
await app.close();

writeChildResult({
  records,
  headPosition: head,
  runsPerShape: runs,
  warmupRoundsPerShape: warmup,
  bootMs,
  catchUpWaitMs,
  peakRssMiB: mib(rss.peak()),
  shapes: figures,
});
