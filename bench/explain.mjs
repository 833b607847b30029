// Where a catalogue query spends its time: `node bench/explain.mjs [dataDir] [runs=20]`.
// Runs each shape of lib/shapes.mjs straight against the read store (no HTTP), as the FindQuery
// CatalogueService builds, timing the page (`find`) and the total (`count`) apart, and prints the
// SQL SQLite ran with its query plan. The data dir defaults to the benchmarks' working copy
// (bench/.data/work), which has its read models after `npm run bench`. The service must not be
// running on it (the embedded store is locked by its process).
import * as path from 'node:path';
import { DATA_DIR, dist, median, round } from './lib/common.mjs';
import { findQueryOf, SHAPES, targetOf } from './lib/shapes.mjs';

const dataDir = process.argv[2] ?? path.join(DATA_DIR, 'work');
const runs = Number(process.argv[3] ?? 20);

const { systemClock } = dist('clock/clock');
const { SqliteEventStore } = dist('event-store/embedded/sqlite-event-store');
const { SqliteReadStore } = dist('read-store/embedded/sqlite-read-store');

const events = SqliteEventStore.open({ dataDir, clock: systemClock });
const db = events.connection;
// Record the SQL the read store runs with the values it binds, to show its plans: a partial index
// is used or not depending on the bound values (SQLite prepares the statement again for them).
const prepared = [];
const prepare = db.prepare.bind(db);
db.prepare = (sql) => {
  const statement = prepare(sql);
  const recorded =
    (method) =>
    (...params) => {
      prepared.push({ sql, params });
      return statement[method](...params);
    };
  return Object.assign(Object.create(statement), { all: recorded('all'), get: recorded('get') });
};
const reads = await SqliteReadStore.open(events);

const time = async (fn) => {
  const samples = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    result = await fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: round(median(samples), 2), max: round(Math.max(...samples), 2), result };
};

// CatalogueService sorts by `id` where the caller asks for archive-code order (a catalogue
// document's id is its archive code; see sortField in catalogue.service.ts).
const asTheServiceSorts = (query) =>
  query.sort.field === 'archiveCode' ? { ...query, sort: { ...query.sort, field: 'id' } } : query;

/** Each statement run once, with the values of its first run. */
const distinct = (runs) => [...new Map(runs.map((run) => [run.sql, run])).values()];

const pages = {};
for (const shape of SHAPES) {
  const cursor = shape.cursorOf ? pages[shape.cursorOf]?.nextCursor : undefined;
  const query = asTheServiceSorts(findQueryOf(shape, cursor));
  prepared.length = 0;
  const find = await time(() => reads.find('catalogue', query));
  const findSql = distinct(prepared);
  prepared.length = 0;
  const count = await time(() =>
    reads.count('catalogue', { filter: query.filter, ...(query.text ? { text: query.text } : {}) }),
  );
  const countSql = distinct(prepared);
  pages[shape.name] = find.result;
  process.stdout.write(
    `\n## ${shape.name}  (target p95 < ${targetOf(shape)} ms)\n` +
      `find  (page of ${find.result.items.length}): median ${find.ms} ms, max ${find.max} ms\n` +
      `count (${count.result}): median ${count.ms} ms, max ${count.max} ms\n`,
  );
  for (const { sql, params } of [...findSql, ...countSql]) {
    if (sql.startsWith('SELECT paths') || sql.startsWith('SELECT definition')) continue;
    process.stdout.write(`  ${sql.replace(/\s+/g, ' ')}\n`);
    try {
      for (const row of prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params)) {
        process.stdout.write(`    plan: ${row.detail}\n`);
      }
    } catch (error) {
      process.stdout.write(`    (no plan: ${error.message})\n`);
    }
  }
}
await reads.close();
await events.close();
