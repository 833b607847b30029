import { classificationRank, type Classification } from '../../domain-kernel/actor';
import type { JsonObject, RecordedEvent } from '../../event-store/event-store.port';
import type { Filter, ReadDoc } from '../../read-store/read-store.port';
import {
  RECORD_EVENT_TYPES,
  type ClassificationChanged,
  type MetadataCorrected,
  type RecordEvent,
} from '../../records/record.events';
import type { DocumentRef } from '../read-model';
import { CATALOGUE, type CatalogueDoc } from './catalogue.read-model';

/**
 * The ledgers (loan ledger, modification ledger, holds register) each list entries about a record —
 * a loan, a correction, a hold — and every entry shows the record's current title and is filtered
 * by its current classification (A2). The events that create an entry (LoanRequested,
 * MetadataCorrectionProposed, HoldPlaced) do not carry the title, and HoldPlaced and
 * MetadataCorrectionProposed do not carry the classification either; only ArchiveFiled does.
 *
 * So an entry is created from the event plus the record's catalogue document, which the projector
 * hands to `apply` as its third argument (`context`): the catalogue comes first in the projector's
 * list, so that document already reflects the event. Later ClassificationChanged and
 * MetadataCorrected events reach every entry of the record (`wholeRecord`) and keep it current.
 */

/** What an entry shows of its record, kept current. */
export interface RecordFacts {
  readonly archiveCode: string;
  readonly title: string;
  /** 密级 */
  readonly classification: Classification;
  /** 0 PUBLIC … 4 TOP_SECRET: what `visibleTo` (A2) filters on. */
  readonly classificationRank: number;
}

/** The fields of a catalogue document an entry starts with. */
type CatalogueFacts = Pick<CatalogueDoc, 'title' | 'classification' | 'classificationRank' | 'shelfLocation'>;

const RECORD_STREAM_PREFIX = 'record-';
const RECORD_TYPES: ReadonlySet<string> = new Set(RECORD_EVENT_TYPES);

/** The event as the record domain types it, when it is one of a record stream's events. */
export function asRecordEvent(event: RecordedEvent): RecordEvent | undefined {
  if (!event.stream.startsWith(RECORD_STREAM_PREFIX) || !RECORD_TYPES.has(event.type)) return undefined;
  return { type: event.type, data: event.data } as unknown as RecordEvent;
}

/** The archive code of a record stream's event (the stream is `record-{archiveCode}`). */
export function archiveCodeOf(event: RecordedEvent): string {
  return event.stream.slice(RECORD_STREAM_PREFIX.length);
}

/** Every entry of the record's in a ledger collection. */
export function wholeRecord(event: RecordedEvent): { readonly where: Filter } {
  return { where: { archiveCode: archiveCodeOf(event) } };
}

/** Whether a correction changed a field the ledgers show. */
export function correctionTouches(
  event: MetadataCorrected,
  fields: readonly ('title' | 'shelfLocation')[],
): boolean {
  return fields.some((field) => event.data.after[field] !== undefined);
}

/** The record's catalogue document, which an entry created by this event reads (see above). */
export function catalogueEntryOf(event: RecordedEvent): DocumentRef {
  return { collection: CATALOGUE, id: archiveCodeOf(event) };
}

/**
 * A record header: the per-record document each ledger kept before entries read the catalogue
 * (its id is the archive code itself, which no entry's id is). Queries never see one — its rank is
 * not where the clearance filter looks — and a ledger deletes one when an event reaches it, so a
 * store projected by an older version never shows it, even reclassified. A rebuild drops them all.
 */
export function isLegacyHeader(doc: ReadDoc): boolean {
  return doc.id === doc['archiveCode'];
}

/**
 * The record's facts an entry starts with: from its catalogue document when the projector passed it, otherwise
 * only what the creating event itself says (`classification` of a LoanRequested); a missing
 * classification leaves the entry without `classificationRank`, so A2 hides it rather than shows it.
 */
export function factsFrom(
  event: RecordedEvent,
  context: ReadDoc | undefined,
  fallback: { readonly classification?: Classification } = {},
): Partial<RecordFacts> & { readonly archiveCode: string; readonly shelfLocation?: string } {
  const archiveCode = archiveCodeOf(event);
  const record = context as unknown as CatalogueFacts | undefined;
  if (record && typeof record.classificationRank === 'number') {
    const { title, classification, classificationRank: rank, shelfLocation } = record;
    return { archiveCode, title, classification, classificationRank: rank, shelfLocation };
  }
  const { classification } = fallback;
  return classification
    ? { archiveCode, classification, classificationRank: classificationRank(classification) }
    : { archiveCode };
}

/** An entry after a classification change of its record (F6): visible to whom its new level allows. */
export function reclassified(doc: ReadDoc, event: ClassificationChanged): ReadDoc {
  return { ...doc, classification: event.data.to, classificationRank: classificationRank(event.data.to) };
}

/** An entry after a correction of its record (F5): the corrected title (and shelf location when asked). */
export function corrected(
  doc: ReadDoc,
  event: MetadataCorrected,
  fields: readonly ('title' | 'shelfLocation')[],
): ReadDoc {
  const changes: JsonObject = {};
  for (const field of fields) {
    const value = event.data.after[field];
    if (typeof value === 'string') changes[field] = value;
  }
  return { ...doc, ...changes };
}

/**
 * A UTC ISO timestamp whose month is its beginning for certain: days 01–28 and hours 00–23 only
 * (Date.parse rolls 2025-02-30 and 24:00 over into the next day, so those take the slow way).
 */
const UTC_ISO =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;

/** `YYYY-MM` of an ISO timestamp (UTC), the month the statistics group by. */
export function monthOf(timestamp: string): string {
  // The store's own timestamps are already UTC ISO strings: their month is their beginning.
  if (UTC_ISO.test(timestamp)) return timestamp.slice(0, 7);
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? timestamp.slice(0, 7) : new Date(time).toISOString().slice(0, 7);
}
