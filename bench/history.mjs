// Benchmark of a long record's history and point-in-time state (not a test). Target (issue 6):
// p99 < 10 ms for GET /records/{code}/history and GET /records/{code}/state of a 1,000-event record.
//
//   npm run build && node bench/history.mjs [runs=200] [warmup=20]
//
// The store: one INTERNAL record filed, then lent out again and again (request, the approvals the
// default policy asks for, hand-over, return, the borrower's utilisation feedback), every event
// made by the product's own pure decider (as bench/lib/workload.mjs does) and appended with the
// real SqliteEventStore, one append per command, until the stream holds exactly
// BENCH_HISTORY_EVENTS events (default 1,000). Cached in bench/.data/history/store-…/; each run
// works on a fresh copy in bench/.data/history/work/.
//
// The service is booted with createApp (every module, pipe, guard, filter, as `npm start` runs it)
// and driven in-process with Fastify's inject, so each figure includes routing, token
// verification, validation, reading and verifying the stream, the fold, and JSON serialisation —
// not the network. The requests, each 20 warm-up + 200 measured rounds, interleaved:
//   - history: GET /records/{code}/history — the default page (fromRevision 0, limit 1,000:
//     HISTORY_PAGE_MAX, so all 1,000 entries in one answer);
//   - history, one page of 100: GET /records/{code}/history?limit=100;
//   - state at a moment: GET /records/{code}/state?at=<recordedAt of the middle event>;
//   - state at a revision: GET /records/{code}/state?revision=<middle revision>;
//   - latest state: GET /records/{code}/state.
// BENCH_CPU_PROF is not read here: run `node --cpu-prof --cpu-prof-dir=… bench/history.mjs` and
// summarise with bench/profile-summary.mjs.
// Prints one JSON object on stdout; progress on stderr.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DATA_DIR, dist, envInt, freshCopy, percentile, round } from './lib/common.mjs';
import { PEOPLE, rng } from './lib/workload.mjs';

const TARGET_P99_MS = 10;
/** Bump when the generated record changes: it keys the cache. */
const HISTORY_WORKLOAD_VERSION = 1;

const runs = Number(process.argv[2] ?? 200);
const warmup = Number(process.argv[3] ?? 20);
const targetEvents = envInt('BENCH_HISTORY_EVENTS', 1000);
if (!(runs > 0) || !(warmup >= 0)) {
  process.stderr.write('usage: node bench/history.mjs [runs=200] [warmup=20]\n');
  process.exit(2);
}

const ROOT = path.join(DATA_DIR, 'history');
const storeDir = path.join(ROOT, `store-v${HISTORY_WORKLOAD_VERSION}-e${targetEvents}`);
const workDir = path.join(ROOT, 'work');

const ARCHIVE_CODE = 'Z001-WS-2024-D30-XSB-0001';
const METADATA = {
  archiveCode: ARCHIVE_CODE,
  fonds: 'Z001',
  category: 'WS',
  year: 2024,
  retentionClass: 'D30',
  organisationalUnit: '销售部',
  title: '华东精密机械有限公司2024年度供货合同',
  responsibleParty: '销售部',
  documentNumber: '销合〔2024〕031号',
  dateFormed: '2024-03-15',
  carrier: 'paper',
  itemCount: 1,
  pageCount: 12,
  classification: 'INTERNAL',
  custodianDepartment: 'DAS',
  shelfLocation: 'B-01-04-02',
  counterparty: '华东精密机械有限公司',
  keywords: ['合同', '供货'],
  isOriginal: true,
};
const PURPOSES = ['合同审查', '审计核对', '业务参考', '诉讼取证', '客户回访准备', '编写年度总结', '财务对账'];
const HOUR = 3_600_000;

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

function approverFor(requirement) {
  switch (requirement.role) {
    case 'archive_department_head':
      return PEOPLE.archiveHead;
    case 'deputy_gm':
      return PEOPLE.deputyGm;
    case 'general_manager':
      return PEOPLE.generalManager;
    case 'department_head':
      return (
        PEOPLE.departmentHeads[requirement.unit] ?? {
          id: `head.${String(requirement.unit).toLowerCase()}`,
          roles: ['department_head'],
          unit: requirement.unit,
          clearance: 'TOP_SECRET',
        }
      );
    default:
      throw new Error(`no approver for ${JSON.stringify(requirement)}`);
  }
}

/** The record's life as the service would append it, one append per command, exactly `total` events. */
function lifeOfLongRecord(total) {
  const { recordDecider } = dist('records/record.decider');
  const { DEFAULT_LOAN_APPROVAL_POLICY: policy } = dist('approval-policy/loan-approval.policy');
  const random = rng(20260301);
  let now = Date.parse('2025-01-06T01:30:00Z');
  let state = recordDecider.initialState();
  let count = 0;
  const appends = [];
  const run = (actor, command, envelope = {}) => {
    const at = new Date(now);
    const events = recordDecider.decide(command, state, { actor, now: at });
    for (const event of events) state = recordDecider.evolve(state, event);
    const requestId = randomUUID();
    appends.push({
      recordedAt: at.toISOString(),
      events: events.map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: {
          actor: { id: actor.id, roles: [...actor.roles], unit: actor.unit },
          ...(envelope.reason !== undefined ? { reason: envelope.reason } : {}),
          occurredAt: at.toISOString(),
          correlationId: requestId,
          causationId: requestId,
          ...(envelope.policyVersion !== undefined ? { policyVersion: envelope.policyVersion } : {}),
          schemaVersion: 1,
        },
      })),
    });
    count += events.length;
    return events;
  };
  const later = (loHours, hiHours) => {
    now += random.int(loHours * 60, hiHours * 60) * 60_000;
  };

  run(random.pick(PEOPLE.archivists), { type: 'FileRecord', metadata: METADATA });
  let cycle = 0;
  for (;;) {
    // One loan: request, approvals, (LoanApproved), hand-over, return — then feedback as filler.
    const borrower = random.pick(PEOPLE.staff);
    const purpose = random.pick(PURPOSES);
    const mode = cycle % 3 === 2 ? 'reading_room' : 'lend_out';
    later(2, 72);
    const snapshot = { state, count, appends: appends.length, now };
    const [requested] = run(
      borrower,
      {
        type: 'RequestLoan',
        borrower: { type: 'staff' },
        mode,
        purpose,
        days: mode === 'lend_out' ? 3 : 1,
        policy,
      },
      { reason: purpose, policyVersion: policy.version },
    );
    const { loanId, requiredApprovals } = requested.data;
    for (const requirement of requiredApprovals) {
      later(1, 6);
      run(
        approverFor(requirement),
        { type: 'DecideLoanApproval', loanId, decision: 'approve', opinion: '同意' },
        { reason: '同意' },
      );
    }
    later(1, 24);
    run(random.pick(PEOPLE.archivists), { type: 'HandOverLoan', loanId });
    later(2, mode === 'lend_out' ? 60 : 6);
    run(random.pick(PEOPLE.archivists), { type: 'ReturnLoan', loanId, condition: 'intact' });
    if (count > total) {
      // This loan does not fit: undo it and fill the rest with feedback on earlier loans.
      state = snapshot.state;
      count = snapshot.count;
      appends.length = snapshot.appends;
      now = snapshot.now;
      break;
    }
    if (count < total && cycle % 2 === 0) {
      later(1, 48);
      run(borrower, { type: 'RecordUtilisation', loanId, usedFor: purpose, effect: '核对无误，已归还' });
    }
    if (count === total) return appends;
    cycle += 1;
  }
  // Pad with utilisation feedback on loans that have none yet (one event each).
  const open = state.loans.filter((loan) => !loan.utilisationRecorded && loan.status === 'returned');
  while (count < total) {
    const loan = open.shift();
    if (!loan) throw new Error(`cannot pad the record to ${total} events`);
    later(1, 12);
    run(
      { ...PEOPLE.staff.find((p) => p.id === loan.borrower.id) },
      {
        type: 'RecordUtilisation',
        loanId: loan.loanId,
        usedFor: loan.purpose,
        effect: '补记利用效果',
      },
    );
  }
  return appends;
}

async function ensureStore() {
  const manifestFile = path.join(storeDir, 'manifest.json');
  if (fs.existsSync(manifestFile)) return JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  process.stderr.write(`generating a record of ${targetEvents} events into ${storeDir} …\n`);
  const started = Date.now();
  fs.rmSync(storeDir, { recursive: true, force: true });
  fs.mkdirSync(storeDir, { recursive: true });
  const { SqliteEventStore } = dist('event-store/embedded/sqlite-event-store');
  const clock = new AppendClock();
  const store = SqliteEventStore.open({ dataDir: storeDir, clock });
  const appends = lifeOfLongRecord(targetEvents);
  const stream = `record-${ARCHIVE_CODE}`;
  let revision = -1;
  const pending = [];
  for (const { recordedAt, events } of appends) {
    clock.push(recordedAt);
    pending.push(store.append(stream, events, { expectedRevision: revision < 0 ? 'no_stream' : revision }));
    revision += events.length;
  }
  await Promise.all(pending);
  const stored = await store.readStream(stream);
  await store.close();
  const types = {};
  for (const event of stored) types[event.type] = (types[event.type] ?? 0) + 1;
  const middle = stored[Math.floor(stored.length / 2)];
  const manifest = {
    version: HISTORY_WORKLOAD_VERSION,
    archiveCode: ARCHIVE_CODE,
    events: stored.length,
    appends: appends.length,
    eventTypes: types,
    middle: { revision: middle.revision, recordedAt: middle.metadata.recordedAt },
    seconds: round((Date.now() - started) / 1000, 1),
  };
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

const manifest = await ensureStore();
if (manifest.events !== targetEvents) throw new Error(`the cached record has ${manifest.events} events`);
freshCopy(storeDir, workDir);

const { createApp } = dist('app/create-app');
const { loadConfig } = dist('config/config');
const { mintToken } = dist('auth/mint-token');
const config = loadConfig({ DATA_DIR: workDir, LOG_LEVEL: 'silent' });
const bootStarted = Date.now();
const app = await createApp({ config });
const bootMs = Date.now() - bootStarted;
const fastify = app.getHttpAdapter().getInstance();
const token = await mintToken(config, {
  user: 'bench.compliance',
  roles: ['compliance_officer'],
  unit: 'FWB',
  clearance: 'TOP_SECRET',
  ttl: '8h',
});

// Let the projector and the sealer catch up first, so no background work runs while measuring.
for (const started = Date.now(); ;) {
  const ready = JSON.parse((await fastify.inject({ method: 'GET', url: '/health/ready' })).body);
  if (ready.projection?.lagEvents === 0 && !(ready.sealer?.lagEvents > 0)) break;
  if (Date.now() - started > 120_000)
    throw new Error(`the service did not catch up: ${JSON.stringify(ready)}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
}

const code = manifest.archiveCode;
const at = encodeURIComponent(manifest.middle.recordedAt);
const shapes = [
  { name: 'history (default page: all 1,000 entries)', url: `/records/${code}/history` },
  { name: 'history, limit=100', url: `/records/${code}/history?limit=100` },
  { name: 'state ?at= (middle)', url: `/records/${code}/state?at=${at}` },
  { name: 'state ?revision= (middle)', url: `/records/${code}/state?revision=${manifest.middle.revision}` },
  { name: 'state (latest)', url: `/records/${code}/state` },
];

const headers = { authorization: `Bearer ${token}` };
const get = (url) => fastify.inject({ method: 'GET', url, headers });
/**
 * A measured request: until the answer's last byte is received, as a client reading the socket would.
 * The body is drained as a stream, not decoded into one JavaScript string: that decoding (inject's
 * default, over 1 MB for the full history) is the test harness's cost, not the service's.
 * BENCH_HISTORY_DECODE=1 measures with it, as bench/query.mjs does.
 */
const decode = process.env.BENCH_HISTORY_DECODE === '1';
async function measuredGet(url) {
  if (decode) return (await get(url)).statusCode;
  const response = await fastify.inject({ method: 'GET', url, headers, payloadAsStream: true });
  let bytes = 0;
  for await (const chunk of response.stream()) bytes += chunk.length;
  if (bytes === 0) throw new Error(`GET ${url}: empty answer`);
  return response.statusCode;
}

for (const shape of shapes) {
  const response = await get(shape.url);
  if (response.statusCode !== 200) {
    throw new Error(`GET ${shape.url} answered ${response.statusCode}: ${response.body.slice(0, 500)}`);
  }
  const body = JSON.parse(response.body);
  shape.bytes = Buffer.byteLength(response.body);
  shape.entries = body.entries?.length;
  shape.eventsApplied = body.eventsApplied;
}

const samples = Object.fromEntries(shapes.map((s) => [s.name, []]));
for (let r = -warmup; r < runs; r++) {
  for (const shape of shapes) {
    const started = process.hrtime.bigint();
    const status = await measuredGet(shape.url);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (status !== 200) throw new Error(`GET ${shape.url} answered ${status}`);
    if (r >= 0) samples[shape.name].push(ms);
  }
}
await app.close();

const figures = shapes.map((shape) => {
  const sorted = samples[shape.name].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  return {
    name: shape.name,
    request: `GET ${decodeURIComponent(shape.url)}`,
    answerBytes: shape.bytes,
    ...(shape.entries !== undefined ? { entries: shape.entries } : {}),
    ...(shape.eventsApplied !== undefined ? { eventsApplied: shape.eventsApplied } : {}),
    runs: sorted.length,
    p50Ms: round(percentile(sorted, 50), 2),
    p95Ms: round(percentile(sorted, 95), 2),
    p99Ms: round(p99, 2),
    maxMs: round(sorted[sorted.length - 1], 2),
    targetP99Ms: TARGET_P99_MS,
    pass: p99 < TARGET_P99_MS,
  };
});

process.stdout.write(
  `${JSON.stringify(
    {
      benchmark: 'record history and point-in-time state',
      record: code,
      eventsInStream: manifest.events,
      eventTypes: manifest.eventTypes,
      defaultHistoryPage: dist('history/record-history.dto').HISTORY_PAGE_MAX,
      measuredUntil: decode
        ? 'the answer decoded into a string (inject default)'
        : 'the last byte of the answer received (body drained as a stream, not decoded)',
      runsPerShape: runs,
      warmupRoundsPerShape: warmup,
      bootMs,
      shapes: figures,
      met: figures.every((f) => f.pass),
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
