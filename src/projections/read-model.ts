import type { RecordedEvent } from '../event-store/event-store.port';
import type { CollectionDefinition, Filter, ReadDoc } from '../read-store/read-store.port';

/**
 * One read model: a collection shaped for a query need, fed by pure functions.
 *
 * The projector (projector.ts) does all I/O: for each event it asks `route` which documents the
 * event touches, loads them, calls `apply` for each, and commits the results with its checkpoint.
 * Every document belongs to exactly one source stream; the projector stamps it with
 * `_stream` and `_revision` and never applies an event at or below `_revision` again, so a replayed
 * event changes nothing.
 */
export interface ReadModel {
  readonly collection: CollectionDefinition;
  /**
   * The documents an event touches: ids (a document that does not exist yet is passed to `apply`
   * as undefined), or every existing document matching an equality filter. Undefined or an empty
   * list: the event does not concern this read model.
   */
  route(event: RecordedEvent): readonly string[] | { readonly where: Filter } | undefined;
  /**
   * Optional: the id of another document of the same collection that `apply` needs to read, such
   * as a per-record header holding the record's title and classification for entries created by
   * events that do not carry them. The projector loads it (as changed earlier in the batch).
   */
  context?(event: RecordedEvent): string | undefined;
  /**
   * Pure: the document after the event; undefined deletes it (or creates nothing). Return `doc`
   * itself when the event changes nothing: the projector then writes nothing for it.
   */
  apply(doc: ReadDoc | undefined, event: RecordedEvent, context?: ReadDoc): ReadDoc | undefined;
}

/** Fields the projector maintains on every document. */
export const SOURCE_STREAM = '_stream';
export const SOURCE_REVISION = '_revision';
