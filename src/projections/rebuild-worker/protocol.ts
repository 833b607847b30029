import type { EncodedEvent } from '../../event-store/embedded/sqlite-event-store';
import type { Position } from '../../event-store/event-store.port';
import type { PreparedWrite } from '../../read-store/embedded/prepared-write';
import type { Filter, ReadDoc } from '../../read-store/read-store.port';

/** Where the worker finds the read models: a module and the name of its export (a `ReadModel[]`). */
export interface ReadModelSource {
  readonly module: string;
  readonly exportName: string;
}

/** What the worker is started with. */
export interface WorkerSetup {
  readonly models: ReadModelSource;
  readonly projector: string;
  /** Collections emptied for this rebuild. */
  readonly rebuilt: readonly string[];
  /** Documents the worker keeps in memory at most. */
  readonly cacheDocuments: number;
}

/** Main thread → worker. */
export type ToWorker =
  | { readonly t: 'events'; readonly events: readonly EncodedEvent[] }
  | { readonly t: 'answer'; readonly request: number; readonly docs?: ReadDoc[]; readonly ids?: string[] }
  | { readonly t: 'refused'; readonly request: number; readonly message: string };

/** Worker → main thread. */
export type FromWorker =
  | {
      readonly t: 'commit';
      readonly projector: string;
      readonly write: PreparedWrite;
      readonly kinds: readonly (readonly [collection: string, kinds: string])[];
      readonly checkpoint: Position;
      readonly events: number;
    }
  | {
      readonly t: 'getMany';
      readonly request: number;
      readonly collection: string;
      readonly ids: readonly string[];
    }
  | { readonly t: 'idsWhere'; readonly request: number; readonly collection: string; readonly filter: Filter }
  | { readonly t: 'failed'; readonly name: string; readonly message: string; readonly stack?: string };
