import type { ReadModelWrite } from '../read-store.port';
import { searchableText, textValues } from '../text-search';
import { InvalidDocumentError, type PathKinds } from './document-shape';

const MAX_ID_LENGTH = 512;

/** A document ready for the embedded store: collection, id, JSON text, searchable text (null: none). */
export type PreparedUpsert = [collection: string, id: string, json: string, text: string | null];

/**
 * A projector batch's write with the per-document work done: each document checked and its JSON
 * kinds recorded (document-shape.ts), serialised, its searchable text computed, and only the last
 * write of each id kept (upserts apply first, then deletes, so an id the batch deletes is not
 * upserted). `SqliteReadStore.commit` prepares on its own thread; the rebuild's projection worker
 * prepares on the worker and the main thread commits with `commitPrepared`.
 */
export interface PreparedWrite {
  readonly upserts: readonly PreparedUpsert[];
  readonly deletes: readonly (readonly [collection: string, id: string])[];
  /** Collections whose record of paths (`kindsOf`) this write extended. */
  readonly extended: readonly string[];
}

/**
 * A prepared write as handed between threads: with it, for each collection the write extended, the
 * serialised record of paths (`PathKinds`) the preparing side has seen.
 */
export interface PreparedBatch {
  readonly write: PreparedWrite;
  readonly kinds: readonly (readonly [collection: string, kinds: string])[];
}

/**
 * Prepare `write`. `kindsOf` gives the record of paths to extend for a collection (the same object
 * each time); `textFieldsOf` its text fields, throwing for a collection that does not exist.
 * Throws InvalidDocumentError for a document the store cannot hold.
 */
export function prepareWrite(
  write: ReadModelWrite,
  textFieldsOf: (collection: string) => readonly string[],
  kindsOf: (collection: string) => PathKinds,
): PreparedWrite {
  const touched = new Map<string, { text: readonly string[]; kinds: PathKinds }>();
  const extended = new Set<string>();
  const entry = (collection: string) => {
    let known = touched.get(collection);
    if (known === undefined) {
      known = { text: textFieldsOf(collection), kinds: kindsOf(collection) };
      touched.set(collection, known);
    }
    return known;
  };
  const latest = new Map<string, { collection: string; id: string; doc: unknown }>();
  for (const upsert of write.upserts) {
    const doc: unknown = upsert.doc;
    if (entry(upsert.collection).kinds.record(doc)) extended.add(upsert.collection);
    const id = checkId((doc as { id?: unknown }).id, upsert.collection);
    latest.set(`${upsert.collection}\u0000${id}`, { collection: upsert.collection, id, doc });
  }
  const deletes = write.deletes.map(({ collection, id }) => {
    entry(collection);
    latest.delete(`${collection}\u0000${id}`);
    return [collection, id] as const;
  });
  const upserts: PreparedUpsert[] = [];
  for (const { collection, id, doc } of latest.values()) {
    const fields = entry(collection).text;
    upserts.push([
      collection,
      id,
      JSON.stringify(doc),
      fields.length === 0 ? null : searchableText(textValues(doc, fields)),
    ]);
  }
  return { upserts, deletes, extended: [...extended] };
}

function checkId(id: unknown, collection: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new InvalidDocumentError(`a read-model document needs a string id (in ${collection})`);
  }
  return id;
}
