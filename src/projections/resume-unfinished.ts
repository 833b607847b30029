import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '../event-store/event-store.port';
import type { Filter, ReadStore, SortDirection } from '../read-store/read-store.port';
import type { ProjectionFreshness } from './projection-freshness';

/** Work a process started and a crash may have left half-done: where it is listed, and how to finish one. */
export interface UnfinishedWork {
  readonly store: EventStore;
  readonly reads: ReadStore;
  readonly freshness: ProjectionFreshness;
  /** The read model listing the work, and what marks an unfinished one (e.g. `{ status: 'completing' }`). */
  readonly collection: string;
  readonly filter: Filter;
  readonly sort: { readonly field: string; readonly direction: SortDirection };
  /** Finish one, by document id (idempotent: it may have been half done). */
  readonly finish: (id: string) => Promise<void>;
  readonly signal: AbortSignal;
}

/**
 * At start: once the read models reflect every event stored before the start (retrying with
 * back-off while they catch up), finish every unfinished item they list, oldest first. Returns
 * the ids finished; stops early when `signal` aborts (shutdown). Used for transfer completions and
 * stock-take closes interrupted by a crash.
 */
export async function resumeUnfinished(work: UnfinishedWork): Promise<string[]> {
  const head = await work.store.headPosition();
  if (head === undefined) return [];
  // The read model must reflect every item as stored before it can tell which are unfinished.
  for (let wait = 100; !work.signal.aborted; wait = Math.min(wait * 2, 15_000)) {
    try {
      await work.freshness.ensure(head);
      break;
    } catch {
      await sleep(wait, undefined, { signal: work.signal }).catch(() => undefined);
    }
  }
  return work.signal.aborted ? [] : finishListed(work);
}

/** Finish every unfinished item the read model lists now, oldest first. */
export async function finishListed(work: UnfinishedWork): Promise<string[]> {
  const finished: string[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await work.reads.find(work.collection, {
      filter: work.filter,
      sort: work.sort,
      limit: 100,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    for (const doc of page.items) {
      if (work.signal.aborted) return finished;
      await work.finish(doc.id);
      finished.push(doc.id);
    }
    if (!page.nextCursor) return finished;
    cursor = page.nextCursor;
  }
}
