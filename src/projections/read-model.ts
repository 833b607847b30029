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
   * Optional: another read model's document that `apply` needs to read for this event, such as the
   * record's catalogue entry (its current title and classification) for a ledger entry created by
   * an event that does not carry them. The projector loads it as it stands once the read models
   * listed before this one have applied the same event, so that read model must come earlier in
   * the projector's list. `apply` reads it and never writes it.
   */
  context?(event: RecordedEvent): DocumentRef | undefined;
  /**
   * Pure: the document after the event; undefined deletes it (or creates nothing). Return `doc`
   * itself when the event changes nothing: the projector then writes nothing for it.
   */
  apply(doc: ReadDoc | undefined, event: RecordedEvent, context?: ReadDoc): ReadDoc | undefined;
}

/** One document of one read model's collection. */
export interface DocumentRef {
  readonly collection: string;
  readonly id: string;
}

/** Fields the projector maintains on every document. */
export const SOURCE_STREAM = '_stream';
export const SOURCE_REVISION = '_revision';
