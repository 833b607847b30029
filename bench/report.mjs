// Prints bench/results.json as the Markdown tables of docs/performance.md: `node bench/report.mjs`.
import * as fs from 'node:fs';
import { RESULTS_FILE } from './lib/common.mjs';

const results = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'));
const out = [];
const fmt = (n) => Number(n).toLocaleString('en-US');

const rebuild = results['projections.rebuild'];
if (rebuild) {
  const m = rebuild.machine;
  out.push(
    `**Rebuild** — ${rebuild.date}, \`${rebuild.command}\`, ${m.nproc} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}. ` +
      `${fmt(rebuild.dataset.records)} records, ${fmt(rebuild.dataset.events)} events, store ${fmt(rebuild.dataset.storeMiB)} MiB.`,
    '',
    '| run | events | wall time | events/s | peak RSS | CPU user + sys |',
    '|---|---:|---:|---:|---:|---:|',
  );
  rebuild.runs.forEach((r, i) =>
    out.push(
      `| ${i + 1} | ${fmt(r.events)} | ${r.wallSeconds} s | ${fmt(r.eventsPerSecond)} | ${r.peakRssMiB} MiB | ${r.cpuUserSeconds} + ${r.cpuSystemSeconds} s |`,
    ),
  );
  out.push(
    `| **median** | | ${rebuild.medianWallSeconds} s | **${fmt(rebuild.medianEventsPerSecond)}** | | |`,
    '',
    `Target ≥ ${fmt(rebuild.target.eventsPerSecondAtLeast)} events/s over ≥ ${fmt(rebuild.target.eventsAtLeast)} events: ` +
      `**${rebuild.pass ? 'PASS' : 'MISS'}** (${rebuild.margin}${rebuild.pass ? '' : `; ${fmt(rebuild.target.eventsPerSecondAtLeast - rebuild.medianEventsPerSecond)} events/s short`}).`,
    '',
  );
}

const queries = results['queries.catalogue'];
if (queries) {
  const m = queries.machine;
  out.push(
    `**Catalogue queries** — ${queries.date}, \`${queries.command}\`, ${m.nproc} × ${m.cpu}, Node ${m.node}. ` +
      `${fmt(queries.records)} records; ${queries.runsPerShape} measured requests per shape after ${queries.warmupRoundsPerShape} warm-up rounds.`,
    '',
    '| shape | request | items / total | p50 | p95 | p99 | target p95 | result |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  );
  for (const s of queries.shapes) {
    out.push(
      `| ${s.name} | \`${s.request.replace(/^GET /, '')}\`${s.caller !== 'TOP_SECRET' ? ` (${s.caller} caller)` : ''} | ${s.items} / ${fmt(s.total)} | ${s.p50Ms} ms | ${s.p95Ms} ms | ${s.p99Ms} ms | < ${s.targetP95Ms} ms | ${s.pass ? 'PASS' : '**MISS**'}: ${s.margin} |`,
    );
  }
  const missed = queries.shapes.filter((s) => !s.pass).length;
  out.push(
    '',
    `${queries.shapes.length - missed} of ${queries.shapes.length} shapes within target; ${missed} missed.`,
    '',
  );
}

process.stdout.write(`${out.join('\n')}\n`);
