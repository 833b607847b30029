import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EncodedEvent } from '../../event-store/embedded/sqlite-event-store';
import type { Position } from '../../event-store/event-store.port';
import type { SqliteReadStore } from '../../read-store/embedded/sqlite-read-store';
import type { PreparedBatch } from '../../read-store/embedded/prepared-write';
import type { FromWorker, ReadModelSource, ToWorker, WorkerSetup } from './protocol';

/** An event store that hands out stored events undecoded (the embedded store). */
export interface EncodedEventSource {
  readAllEncoded(after: number, limit: number): EncodedEvent[];
}

/** A read store that commits writes prepared on another thread (the embedded one). */
export type PreparedWriteTarget = Pick<SqliteReadStore, 'commitPrepared' | 'getMany' | 'idsWhere'>;

/** Whether the event store hands out its events undecoded. */
export function hasEncodedEvents(events: unknown): events is EncodedEventSource {
  return typeof (events as Partial<EncodedEventSource>).readAllEncoded === 'function';
}

/** Whether the read store commits writes prepared on another thread. */
export function commitsPreparedWrites<T>(reads: T): reads is T & PreparedWriteTarget {
  return typeof (reads as Partial<PreparedWriteTarget>).commitPrepared === 'function';
}

export interface ProjectInWorkerOptions {
  readonly projector: string;
  readonly models: ReadModelSource;
  /** Collections emptied for this rebuild (the worker knows they hold only what it wrote). */
  readonly rebuilt: readonly string[];
  /** Position to start after (0: the first event). */
  readonly after: number;
  /** Events per committed transaction (at least; the worker's batches are gathered up to it). */
  readonly batchSize: number;
  /** Events per batch the worker applies (default 1,000: its garbage then dies young). */
  readonly workerBatchSize?: number;
  /** Worker batches sent ahead of those it has handed back (default 8). */
  readonly readAhead?: number;
  /** Documents the worker keeps in memory at most (default 10,000). */
  readonly cacheDocuments?: number;
  readonly onBatch?: (applied: number, position: Position) => void;
}

/**
 * A rebuild on two threads. The main thread holds the SQLite connection: it reads the stored
 * events as text, a few batches ahead, and commits the documents with the checkpoint in one
 * transaction per `batchSize` events, as the projector does. A worker thread decodes the events,
 * applies the read models (the projector's own `applyBatch`) and prepares each document for the
 * store (checks, JSON, searchable text) — projection-worker.ts. That is about half a rebuild's CPU,
 * which then runs on a second core beside the reads, writes and commits. Batches are committed in
 * order; a crash leaves the read models at the last committed transaction and its checkpoint, like
 * the single-threaded projector. Returns the events applied.
 */
export async function projectInWorker(
  source: EncodedEventSource,
  reads: PreparedWriteTarget,
  options: ProjectInWorkerOptions,
): Promise<number> {
  const setup: WorkerSetup = {
    models: options.models,
    projector: options.projector,
    rebuilt: options.rebuilt,
    cacheDocuments: options.cacheDocuments ?? 10_000,
  };
  const workerBatch = Math.min(options.workerBatchSize ?? 1000, options.batchSize);
  const readAhead = options.readAhead ?? 8;
  const worker = startWorker({ role: 'projection-worker', setup });
  return new Promise<number>((resolve, reject) => {
    let after = options.after;
    let exhausted = false;
    /** Worker batches sent and not yet handed back. */
    let inFlight = 0;
    let applied = 0;
    let settled = false;
    let handled = Promise.resolve();
    /** Handed back, not yet committed. */
    let pending: { batch: PreparedBatch; checkpoint: Position; events: number }[] = [];
    let pendingEvents = 0;
    const send = (message: ToWorker) => worker.postMessage(message);
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    const commitPending = async () => {
      if (pending.length === 0) return;
      const batches = pending;
      pending = [];
      pendingEvents = 0;
      const last = batches[batches.length - 1];
      await reads.commitPrepared(
        options.projector,
        batches.map((b) => b.batch),
        last.checkpoint,
      );
      applied += batches.reduce((n, b) => n + b.events, 0);
      options.onBatch?.(applied, last.checkpoint);
    };
    // Keep the worker fed: up to `readAhead` batches sent and not yet handed back.
    const feed = () => {
      while (!exhausted && inFlight < readAhead) {
        const events = source.readAllEncoded(after, workerBatch);
        if (events.length === 0) {
          exhausted = true;
          break;
        }
        after = events[events.length - 1][0];
        inFlight += 1;
        send({ t: 'events', events });
      }
    };
    const handle = async (message: FromWorker): Promise<void> => {
      if (settled) return;
      switch (message.t) {
        case 'commit':
          inFlight -= 1;
          pending.push({
            batch: { write: message.write, kinds: message.kinds },
            checkpoint: message.checkpoint,
            events: message.events,
          });
          pendingEvents += message.events;
          feed();
          if (pendingEvents >= options.batchSize || (exhausted && inFlight === 0)) await commitPending();
          if (exhausted && inFlight === 0) {
            settled = true;
            await worker.terminate();
            resolve(applied);
          }
          return;
        case 'getMany':
        case 'idsWhere':
          try {
            // The worker reads what it has written: commit what it handed back first.
            await commitPending();
            send(
              message.t === 'getMany'
                ? {
                    t: 'answer',
                    request: message.request,
                    docs: await reads.getMany(message.collection, message.ids),
                  }
                : {
                    t: 'answer',
                    request: message.request,
                    ids: await reads.idsWhere(message.collection, message.filter),
                  },
            );
          } catch (error) {
            send({ t: 'refused', request: message.request, message: (error as Error).message });
          }
          return;
        case 'failed': {
          const error = new Error(message.message);
          error.name = message.name;
          if (message.stack !== undefined) error.stack = message.stack;
          fail(error);
          return;
        }
      }
    };
    // One message at a time, in the order the worker sent them: a question asked after a batch
    // was handed back is answered once that batch is committed.
    worker.on('message', (message: FromWorker) => {
      handled = handled.then(() => handle(message)).catch(fail);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the projection worker stopped (exit code ${code})`)));
    try {
      feed();
      if (exhausted && inFlight === 0) {
        settled = true;
        void worker.terminate().then(() => resolve(0), reject);
      }
    } catch (error) {
      fail(error);
    }
  });
}

/**
 * The worker runs the compiled module next to this one. From the TypeScript sources (the tests),
 * it compiles them on load with @swc/core, the compiler the tests use (a development dependency).
 */
function startWorker(workerData: { role: string; setup: WorkerSetup }): Worker {
  const extension = path.extname(__filename);
  const entry = path.join(__dirname, `projection-worker${extension}`);
  if (extension !== '.ts') return new Worker(entry, { workerData });
  const bootstrap = `
    const { transformSync } = require('@swc/core');
    const fs = require('node:fs');
    require.extensions['.ts'] = (module, filename) => {
      const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
        filename,
        jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true },
        module: { type: 'commonjs' },
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(entry)});
  `;
  return new Worker(bootstrap, { eval: true, workerData });
}
