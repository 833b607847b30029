import type { EventStore, Position, RecordedEvent } from './event-store.port';

/**
 * Follow the global order after `after` until `signal` aborts — catching up, then live — handing
 * the events to `apply` in batches of at most `batchSize`. A batch takes what is available before
 * the event loop turns once, so live events arriving together are applied together and a lone
 * event is applied at once. Between batches the event loop turns: while catching up, events are
 * read without ever waiting for I/O, so without that turn no timer or request would run until the
 * head is reached, and whatever they hold (each batch's events) would pile up meanwhile.
 * The projector and the sealer both follow the store this way.
 */
export async function followInBatches(
  events: EventStore,
  after: Position | undefined,
  signal: AbortSignal,
  batchSize: number,
  apply: (batch: RecordedEvent[]) => Promise<void>,
): Promise<void> {
  const subscription = events.subscribeToAll({ after, signal });
  const iterator = subscription[Symbol.asyncIterator]();
  const IDLE = Symbol('idle');
  const turn = () => new Promise<typeof IDLE>((resolve) => setImmediate(() => resolve(IDLE)));
  try {
    let next = iterator.next();
    for (;;) {
      const first = await next;
      if (first.done || signal.aborted) return;
      const batch: RecordedEvent[] = [first.value];
      next = iterator.next();
      const turned = turn();
      while (batch.length < batchSize) {
        const more = await Promise.race([next, turned]);
        if (more === IDLE || more.done) break;
        batch.push(more.value);
        next = iterator.next();
      }
      await apply(batch);
      await turned;
    }
  } finally {
    await iterator.return?.();
  }
}
