// The append benchmark's workload: realistic events (lib/workload.mjs: records from gen-records.mjs,
// each filed and lent twice through the product's decider, with the envelope the service writes),
// one event per append, dealt to concurrent writers by record: writer w owns records w, w + W, …
// and appends each of its records' events in order. Written once to a JSON-lines file so every
// contestant appends exactly the same events (same ids, same bytes).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { GEN_RECORDS } from './common.mjs';
import { lifeOfRecord, rng } from './workload.mjs';

/**
 * Write `events` single-event appends for `writers` writers to `file`, one JSON line each:
 * `{ w, stream, revision, recordedAt, event }` in the order writer w appends them.
 * @returns {{ events: number, records: number, streams: number, eventTypes: object, bytes: number }}
 */
export async function writeAppendWorkload(file, { events, writers, seed }) {
  // 100,000 events need about 8,900 records (10–14 events each); ask gen-records for enough.
  const records = Math.ceil(events / 10) + writers;
  const generator = spawn(process.execPath, [GEN_RECORDS, String(records), String(seed)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: generator.stdout, crlfDelay: Infinity });
  const random = rng(seed * 7919 + 29);
  const perWriter = Array.from({ length: writers }, () => []);
  const eventTypes = {};
  let total = 0;
  let record = 0;
  for await (const text of lines) {
    if (text.trim() === '' || total >= events) continue;
    const { stream, appends } = lifeOfRecord(JSON.parse(text), random);
    const queue = perWriter[record % writers];
    record += 1;
    let revision = 0;
    for (const { recordedAt, events: proposed } of appends) {
      for (const event of proposed) {
        if (total >= events) break;
        queue.push({ stream, revision, recordedAt, event });
        eventTypes[event.type] = (eventTypes[event.type] ?? 0) + 1;
        revision += 1;
        total += 1;
      }
    }
  }
  generator.kill();
  if (total < events)
    throw new Error(`gen-records.mjs gave events for ${total} appends, ${events} were asked for`);
  const out = fs.createWriteStream(file);
  for (const [w, queue] of perWriter.entries()) {
    for (const append of queue) {
      if (!out.write(`${JSON.stringify({ w, ...append })}\n`)) {
        await new Promise((resolve) => out.once('drain', resolve));
      }
    }
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return { events: total, records: record, writers, eventTypes, bytes: fs.statSync(file).size };
}

/** The workload as the writers' queues: `queues[w]` is writer w's appends in order. */
export async function readAppendWorkload(file, writers) {
  const queues = Array.from({ length: writers }, () => []);
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const text of lines) {
    if (text === '') continue;
    const append = JSON.parse(text);
    queues[append.w].push(append);
  }
  return queues;
}
