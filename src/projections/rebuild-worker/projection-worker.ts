import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { recordedFromText } from '../../event-store/envelope';
import type { Filter, ReadDoc } from '../../read-store/read-store.port';
import { applyBatch } from '../projector';
import type { ReadModel } from '../read-model';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';
import { WorkerReadStore, type MainThread } from './worker-read-store';

/**
 * The projection worker of a rebuild (rebuild-in-worker.ts): decodes each batch of stored events,
 * applies the read models to it (the projector's own `applyBatch`), and hands the batch's write
 * and checkpoint to the main thread, which holds the SQLite connection and commits them. Batches
 * are applied one after another, in the order they arrive.
 */
export function runProjectionWorker(port: MessagePort, setup: WorkerSetup): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const models = require(setup.models.module)[setup.models.exportName] as readonly ReadModel[];
  if (!Array.isArray(models)) {
    throw new Error(`${setup.models.module} exports no read models named ${setup.models.exportName}`);
  }
  const pending = new Map<number, { resolve: (value: ToWorker) => void; reject: (error: Error) => void }>();
  let nextRequest = 0;
  /** Events in the batch being applied (reported with its commit). */
  let batchSize = 0;
  const post = (message: FromWorker) => port.postMessage(message);
  const ask = (message: FromWorker & { request: number }): Promise<ToWorker> =>
    new Promise((resolve, reject) => {
      pending.set(message.request, { resolve, reject });
      post(message);
    });
  const main: MainThread = {
    async getMany(collection, ids): Promise<ReadDoc[]> {
      const answer = await ask({ t: 'getMany', request: nextRequest++, collection, ids });
      return answer.t === 'answer' ? (answer.docs ?? []) : [];
    },
    async idsWhere(collection: string, filter: Filter): Promise<string[]> {
      const answer = await ask({ t: 'idsWhere', request: nextRequest++, collection, filter });
      return answer.t === 'answer' ? (answer.ids ?? []) : [];
    },
    commit(projector, write, kinds, checkpoint) {
      post({ t: 'commit', projector, write, kinds, checkpoint, events: batchSize });
    },
  };
  const store = new WorkerReadStore(
    main,
    models.map((m) => m.collection),
    setup.rebuilt,
    setup.cacheDocuments,
  );
  let queue = Promise.resolve();
  let failed = false;

  port.on('message', (message: ToWorker) => {
    if (message.t === 'answer' || message.t === 'refused') {
      const waiting = pending.get(message.request);
      pending.delete(message.request);
      if (message.t === 'answer') waiting?.resolve(message);
      else waiting?.reject(new Error(message.message));
      return;
    }
    const encoded = message.events;
    queue = queue.then(async () => {
      if (failed) return;
      try {
        const batch = encoded.map(([position, hash, text]) => recordedFromText(text, hash, String(position)));
        batchSize = batch.length;
        await applyBatch(store, models, setup.projector, batch);
      } catch (error) {
        failed = true;
        const { name, message: text, stack } = error as Error;
        post({ t: 'failed', name: name ?? 'Error', message: text ?? String(error), stack });
      }
    });
  });
}

if (parentPort !== null && (workerData as { role?: string } | undefined)?.role === 'projection-worker') {
  runProjectionWorker(parentPort, (workerData as { setup: WorkerSetup }).setup);
}
