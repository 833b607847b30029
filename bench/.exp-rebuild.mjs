// scratch experiment (not part of the bench): rebuild the first N events with pragmas
import { dist, freshCopy } from './lib/common.mjs';
const [src, dir, limit, ...pragmas] = process.argv.slice(2);
freshCopy(src, dir);
const { systemClock } = dist('clock/clock');
const { SqliteEventStore } = dist('event-store/embedded/sqlite-event-store');
const { SqliteReadStore } = dist('read-store/embedded/sqlite-read-store');
const { READ_MODELS } = dist('projections/read-models');
const { Projector } = dist('projections/projector');
const events = SqliteEventStore.open({ dataDir: dir, clock: systemClock });
for (const p of pragmas) events.connection.pragma(p);
const reads = SqliteReadStore.open(events);
await reads.ensureCollections(READ_MODELS.map((m) => m.collection));
const projector = new Projector(events, reads, READ_MODELS, { name: 'main', batchSize: 5000 });
await projector.init();
const t0 = process.hrtime.bigint();
let applied = 0, lastT = t0, lastN = 0;
const rates = [];
while (applied < Number(limit)) {
  const batch = await events.readAll({ after: projector.checkpoint, limit: 5000 });
  if (batch.length === 0) break;
  await projector.apply(batch);
  applied += batch.length;
  if (applied % 100000 === 0) {
    const now = process.hrtime.bigint();
    rates.push(Math.round((applied - lastN) / (Number(now - lastT) / 1e9)));
    lastT = now; lastN = applied;
  }
}
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ pragmas, applied, seconds: s.toFixed(1), rate: Math.round(applied / s), ratesPer100k: rates }));
await events.close();
