import type { EventStore, Position } from '../event-store/event-store.port';
import type { ReadStore } from '../read-store/read-store.port';
import { Projector } from './projector';
import type { ReadModel } from './read-model';

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
  const replay = () => projector.catchUp((applied, position) => options.onProgress?.({ applied, position }));
  // The rebuilt collections get their indexes once, at the end (stores that can do so).
  return reads.withBulkLoad
    ? reads.withBulkLoad(
        targets.map((m) => m.collection),
        replay,
      )
    : replay();
}
