import type { EventStore, Position } from '../event-store/event-store.port';
import type { ReadStore } from '../read-store/read-store.port';
import { Projector } from './projector';
import type { ReadModel } from './read-model';
import type { ReadModelSource } from './rebuild-worker/protocol';
import { commitsPreparedWrites, hasEncodedEvents, projectInWorker } from './rebuild-worker/rebuild-in-worker';

export const MAIN_PROJECTOR = 'main';

export interface RebuildProgress {
  readonly applied: number;
  readonly position: Position;
}

/**
 * Rebuild read models from the first event. With `only`, that read model's documents are deleted
 * and re-projected while the others keep theirs (their documents already carry the revisions they
 * applied, so the replay writes nothing to them). The shared checkpoint restarts from zero in both
 * cases, so an interrupted rebuild simply resumes at the next start: the read models are never
 * left claiming a position they do not reflect.
 */
export async function rebuildReadModels(
  events: EventStore,
  reads: ReadStore,
  models: readonly ReadModel[],
  options: {
    readonly only?: string;
    readonly batchSize: number;
    readonly onProgress?: (p: RebuildProgress) => void;
    /**
     * Where a worker thread finds `models` (the same list): with an event store that hands out
     * undecoded events (the embedded one), events are decoded and projected on that thread while
     * this one reads and commits (rebuild-worker/rebuild-in-worker.ts). Without it, or with another
     * store, the rebuild runs on this thread.
     */
    readonly worker?: ReadModelSource;
  },
): Promise<number> {
  const targets =
    options.only === undefined ? models : models.filter((m) => m.collection.name === options.only);
  if (targets.length === 0) {
    throw new Error(
      `no read model named ${options.only}; the read models are: ${models.map((m) => m.collection.name).join(', ')}`,
    );
  }
  await reads.ensureCollections(models.map((m) => m.collection));
  await reads.reset(
    MAIN_PROJECTOR,
    targets.map((m) => m.collection.name),
  );
  const projector = new Projector(events, reads, models, {
    name: MAIN_PROJECTOR,
    batchSize: options.batchSize,
  });
  await projector.init();
  const onBatch = (applied: number, position: Position) => options.onProgress?.({ applied, position });
  const worker = options.worker;
  const replay =
    worker !== undefined && hasEncodedEvents(events) && commitsPreparedWrites(reads)
      ? () =>
          projectInWorker(events, reads, {
            projector: MAIN_PROJECTOR,
            models: worker,
            rebuilt: targets.map((m) => m.collection.name),
            after: 0, // the checkpoint was just reset
            batchSize: options.batchSize,
            onBatch,
          })
      : () => projector.catchUp(onBatch);
  // The rebuilt collections get their indexes once, at the end (stores that can do so).
  return reads.withBulkLoad
    ? reads.withBulkLoad(
        targets.map((m) => m.collection),
        replay,
      )
    : replay();
}
