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
    '| run | events | wall time | of which projecting / finishing (n-grams, indexes) | events/s | peak RSS | CPU user + sys |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  rebuild.runs.forEach((r, i) =>
    out.push(
      `| ${i + 1} | ${fmt(r.events)} | ${r.wallSeconds} s | ${r.projectionSeconds === undefined ? '–' : `${r.projectionSeconds} s / ${r.finishingSeconds} s`} | ${fmt(r.eventsPerSecond)} | ${r.peakRssMiB} MiB | ${r.cpuUserSeconds} + ${r.cpuSystemSeconds} s |`,
    ),
  );
  out.push(
    `| **median** | | ${rebuild.medianWallSeconds} s | | **${fmt(rebuild.medianEventsPerSecond)}** | | |`,
    '',
    ...(rebuild.runs.every((r) => r.settledSeconds !== undefined)
      ? [
          `Before each run the benchmark waited for \`sync\` (not timed): ${rebuild.runs.map((r) => `${r.settledSeconds} s`).join(', ')}.`,
          '',
        ]
      : []),
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

/** The run's line: date, command, machine; "small-scale trial" when it does not count. */
const runLine = (title, r, extra) =>
  `**${title}** — ${r.date}, \`${r.command}\`, ${r.machine.nproc} × ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}. ${extra}`;
const verdict = (pass, trial) =>
  `${pass ? 'PASS' : '**MISS**'}${trial ? ' (small-scale trial: does not count)' : ''}`;

const append = results['events.append'];
if (append) {
  const w = append.workload;
  const trial = !append.atTargetSize;
  out.push(
    runLine(
      'Appends',
      append,
      `${fmt(w.events)} events (${fmt(w.records)} records' lives, one event per append), ${w.writers} concurrent writers; ${append.rounds.length} rounds, median shown${trial ? '; **small-scale trial**, not the run of record' : ''}.`,
    ),
    '',
    '| contestant | appended | events/s | p50 | p99 | max | notes |',
    '|---|---:|---:|---:|---:|---:|---|',
  );
  const NAMES = {
    embedded: '(a) embedded store (`SqliteEventStore`)',
    raw: '(b) raw better-sqlite3, 100 rows per transaction',
    emmett: '(c) Emmett SQLite 0.38.5 (appends queued one at a time)',
  };
  append.rounds.forEach((round, i) => {
    for (const c of ['embedded', 'raw', 'emmett']) {
      const r = round[c];
      if (!r || r.error) {
        out.push(`| ${NAMES[c]}, round ${i + 1} | | | | | | not measured: ${r?.error ?? 'missing'} |`);
        continue;
      }
      const notes = [];
      if (c === 'embedded') notes.push(`${r.commits} commits, ${r.eventsPerCommit} events each`);
      if (c === 'raw') notes.push('latency = its transaction');
      if (c === 'emmett') {
        const errors = Object.entries(r.errors ?? {}).map(([e, n]) => `${n} × ${e}`);
        notes.push(
          `${r.retries} retries, ${r.failures} failures${errors.length ? ` (${errors.join('; ')})` : ''}`,
        );
      }
      if (r.stoppedByTimeLimit) notes.push(`stopped at the time limit (${r.seconds} s)`);
      out.push(
        `| ${NAMES[c]}, round ${i + 1} | ${fmt(r.appended)} | ${fmt(r.eventsPerSecond)} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.maxMs} ms | ${notes.join('; ')} |`,
      );
    }
  });
  const probe = append.emmettProbe;
  out.push(
    '',
    '| ratio (median of the rounds' + "'" + ' ratios) | figure | target | result |',
    '|---|---:|---:|---|',
    `| (a) / (b) | ${append.embeddedVsRaw ?? 'n/a'}× | ≥ ${append.target.embeddedVsRawAtLeast}× | ${verdict(append.passVsRaw, trial)}: ${append.marginVsRaw} |`,
    `| (a) / (c) | ${append.embeddedVsEmmett ?? 'n/a'}× | ≥ ${append.target.embeddedVsEmmettAtLeast}× | ${append.embeddedVsEmmett === null ? '**NOT MEASURED**' : `${verdict(append.passVsEmmett, trial)}: ${append.marginVsEmmett}`} |`,
    '',
  );
  if (probe && !probe.error) {
    out.push(
      `Emmett without the queue (${probe.writers} writers appending concurrently through one store, up to 3 appends each, a writer stopping at its first failure): ` +
        `${probe.succeeded} appends acknowledged, ${probe.failed} failed (${Object.entries(probe.errors)
          .map(([e, n]) => `${n} × ${e}`)
          .join('; ')}); the file then held ${probe.file?.storedEvents ?? '?'} events` +
        (probe.acknowledgedButNotStored > 0
          ? ` — **${probe.acknowledgedButNotStored} acknowledged appends were not stored**.`
          : '.'),
      '',
    );
  } else if (probe?.error) {
    out.push(`Emmett: **not measured** — ${probe.error}.`, '');
  }
}

const http = results['http.commands'];
if (http) {
  if (http.error) {
    out.push(runLine('HTTP commands', http, `**Not measured**: ${http.error}.`), '');
  } else {
    const trial = http.secondsPerRun < 20;
    out.push(
      runLine(
        'HTTP commands',
        http,
        `autocannon ${http.versions.autocannon} in the benchmark process, the service and the bare app in their own processes, all on this one 2-core machine; ${http.secondsPerRun} s per run after a ${http.warmupSeconds} s warm-up; service log level ${http.logLevel}${trial ? '; **small-scale trial** (short runs), not the run of record' : ''}.`,
      ),
      '',
      '| target | connections | rate asked | answered/s | p50 | p90 | p99 | max | non-2xx + errors | server CPU | client CPU | backlog after (projector / sealer) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    const row = (r, label) =>
      `| ${label} | ${r.connections} | ${r.overallRate ? `${fmt(r.overallRate)}/s` : 'max'} | ${fmt(r.perSecond)} | ${r.latencyMs.p50} ms | ${r.latencyMs.p90} ms | ${r.latencyMs.p99} ms | ${r.latencyMs.max} ms | ${r.non2xx + r.errors + r.timeouts} | ${r.serverCpuSeconds} s | ${r.clientCpuSeconds} s | ${r.backlogAfter ? `${fmt(r.backlogAfter.projectionLagEvents)} / ${fmt(r.backlogAfter.sealerLagEvents)} events` : ''} |`;
    for (const r of http.runs.service) out.push(row(r, 'service: command mix'));
    for (const r of http.runs.bare) out.push(row(r, 'bare Nest + Fastify POST'));
    out.push(row(http.atRate, `service at ${Math.round(http.rateShare * 100)} % of its peak`));
    out.push(
      '',
      '| figure | measured | target | result |',
      '|---|---:|---:|---|',
      `| commands/s at peak | ${fmt(http.servicePeak.perSecond)} | ≥ ${fmt(http.target.commandsPerSecondAtLeast)} | ${verdict(http.passes.rate, trial)}: ${http.margins.rate} |`,
      `| peak / bare endpoint's peak (${fmt(http.barePeak.perSecond)}/s) | ${http.vsBare}× | ≥ ${http.target.vsBareAtLeast}× | ${verdict(http.passes.vsBare, trial)}: ${http.margins.vsBare} |`,
      `| p99 at ${Math.round(http.rateShare * 100)} % of peak (${fmt(http.atRate.overallRate)}/s asked) | ${http.atRate.latencyMs.p99} ms | < ${http.target.p99MsBelowAt70PercentOfPeak} ms | ${verdict(http.passes.p99, trial)}: ${http.margins.p99} |`,
      '',
      `Mix: ${http.mix.join(' → ')}, one command per request; ${fmt(http.recordsFiled)} records filed; answers: ${Object.entries(
        http.statuses,
      )
        .map(([k, n]) => `${k} × ${fmt(n)}`)
        .join(
          ', ',
        )}.${http.failures > 0 ? ` **${http.failures} requests failed: the run is not valid.**` : ''}` +
        (http.keptUpAt70Percent === false
          ? ` At 70 % of its peak the service **fell behind** the rate asked (${fmt(http.atRate.perSecond)} of ${fmt(http.atRate.overallRate)}/s): the peak was not sustainable.`
          : ''),
      '',
    );
  }
}

const memory = results['memory.service'];
if (memory) {
  const trial = !memory.atTargetSize;
  out.push(
    runLine(
      'Memory',
      memory,
      `The service on a copy of the generated store: ${fmt(memory.records)} records, ${fmt(memory.events)} events; ${memory.sampleSeconds} s at idle and ${memory.sampleSeconds} s under light query load in each life; log level ${memory.logLevel}${trial ? '; **below 1,000,000 events**: does not count' : ''}.`,
    ),
    '',
    '| phase | samples | median RSS | max RSS | at the max: anonymous / file-backed |',
    '|---|---:|---:|---:|---:|',
  );
  const lives = [
    ['first start on the store without read models', memory],
    ['restarted on the caught-up store', memory.restart],
  ];
  for (const [life, figures] of lives) {
    if (!figures) continue;
    const PHASES = {
      catchUp: `${life}: start and catch-up (${figures.catchUpSeconds} s)`,
      idle: `${life}: idle`,
      queries: `${life}: light query load (${fmt(figures.queries)} queries)`,
    };
    for (const [key, label] of Object.entries(PHASES)) {
      const p = figures.rss[key];
      if (!p) continue;
      out.push(
        `| ${label} | ${p.samples} | ${p.medianMiB} MiB | ${p.maxMiB} MiB | ${p.atMax.anonMiB} / ${p.atMax.fileMiB} MiB |`,
      );
    }
  }
  out.push(
    '',
    `Target: resident set < 300 MB (${memory.target.rssMiBBelow} MiB) holding ≥ ${fmt(memory.target.eventsAtLeast)} events, idle and under light load: ` +
      `**${memory.pass ? 'PASS' : 'MISS'}**${trial ? ' (below 1,000,000 events)' : ''} — ${memory.steadyMaxRssMiB} MiB, ${memory.margin}` +
      (memory.restartedMaxRssMiB !== undefined
        ? ` (after the in-process catch-up ${memory.afterCatchUpMaxRssMiB} MiB; restarted on the caught-up store ${memory.restartedMaxRssMiB} MiB)`
        : '') +
      `. Peak during catch-up: ${memory.rss.catchUp?.maxMiB ?? '?'} MiB.`,
    '',
  );
}

const history = results['history.record'];
if (history) {
  const m = history.machine;
  out.push(
    `**History and point-in-time state** — ${history.date}, \`${history.command}\`, ${m.nproc} × ${m.cpu}, Node ${m.node}. ` +
      `One record of ${fmt(history.eventsInStream)} events; ${history.runsPerShape} measured requests per shape after ${history.warmupRoundsPerShape} warm-up rounds, in-process (Fastify inject), timed until ${history.measuredUntil}.`,
    '',
    '| shape | request | answer | p50 | p95 | p99 | target p99 | result |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  );
  for (const s of history.shapes) {
    out.push(
      `| ${s.name} | \`${s.request}\` | ${fmt(s.answerBytes)} B | ${s.p50Ms} ms | ${s.p95Ms} ms | ${s.p99Ms} ms | < ${s.targetP99Ms} ms | ${s.pass ? 'PASS' : '**MISS**'} |`,
    );
  }
  out.push('');
}

const verify = results['audit.verify'];
if (verify) {
  const m = verify.machine;
  out.push(
    `**Full verification** (\`audit verify-all\`) — ${verify.date}, \`${verify.command}\`, ${m.nproc} × ${m.cpu}, Node ${m.node}. ` +
      `${fmt(verify.events)} events in ${fmt(verify.streams)} streams, ${verify.checkpointsVerified} signed checkpoints; ${verify.runs} runs (${verify.seconds.join(' s, ')} s).`,
    '',
    `Best ${fmt(verify.eventsPerSecond)} events/s (median ${fmt(verify.medianEventsPerSecond)}); target ≥ ${fmt(verify.target.eventsPerSecond)} events/s over ≥ ${fmt(verify.target.events)} events: **${verify.met ? 'PASS' : 'MISS'}**.`,
    '',
  );
}

const consolePages = results['console.pages'];
if (consolePages) {
  const m = consolePages.machine;
  out.push(
    `**The console at ${fmt(consolePages.records)} records** (headless Debian Chromium) — ${consolePages.date}, \`${consolePages.command}\`, ${m.nproc} × ${m.cpu}, Node ${m.node}. ` +
      `${consolePages.runs} walks, each in a fresh page signed in as ${consolePages.user} (TOP_SECRET: every record counts); each step timed from the click until its answer is drawn. The search \`合同\` found ${consolePages.searchTotal}.`,
    '',
    '| step | p50 | p95 | max | target p95 | result |',
    '|---|---:|---:|---:|---:|---|',
  );
  for (const [name, step] of Object.entries(consolePages.steps)) {
    out.push(
      `| ${name} | ${step.p50Ms} ms | ${step.p95Ms} ms | ${step.maxMs} ms | < ${consolePages.target.stepP95MsBelow} ms | ${step.pass ? 'PASS' : '**MISS**'} |`,
    );
  }
  out.push(
    '',
    `Page heap after a forced GC at the end of a walk: at most ${consolePages.pageHeapMiB.maxMiB} MiB (target < ${consolePages.target.pageHeapMiBBelow} MiB: **${consolePages.pageHeapMiB.pass ? 'PASS' : 'MISS'}**); one catalogue answer is at most ${consolePages.catalogueAnswerKiB.max} KiB: the pages load one page of results, never a whole list.`,
    '',
  );
}

process.stdout.write(`${out.join('\n')}\n`);
