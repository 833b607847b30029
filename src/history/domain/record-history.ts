import { classificationRank, type Classification } from '../../domain-kernel/actor';
import type { RecordEvent } from '../../records/record.events';
import { evolveRecord, type RecordState } from '../../records/record.state';
import { correctionChanges, summarise, type FieldChange, type Summary } from './record-event-summaries';

/**
 * A stored event of a record stream as history reads it: the event, its place in the stream and
 * its envelope. Structurally the event store's RecordedEvent (without the canonical bytes), so
 * this file stays free of infrastructure imports.
 */
export interface StoredRecordEvent {
  readonly eventId: string;
  readonly stream: string;
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly data: object;
  readonly metadata: {
    readonly actor: { readonly id: string; readonly roles: readonly string[]; readonly unit: string };
    readonly reason?: string;
    readonly occurredAt: string;
    readonly recordedAt: string;
    readonly correlationId: string;
    readonly causationId: string;
    readonly policyVersion?: number;
    readonly schemaVersion: number;
    readonly prevHash: string;
  };
  readonly hash: string;
}

/** One line of a record's history: who, when (both times), why, what changed, a readable summary, and the raw event. */
export interface HistoryEntry {
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly actor: { readonly id: string; readonly roles: readonly string[]; readonly unit: string };
  readonly reason: string | null;
  /** When it happened, as the actor stated it. */
  readonly occurredAt: string;
  /** When the store recorded it. */
  readonly recordedAt: string;
  readonly summary: Summary;
  /** Fields before and after, for events that change metadata (F5 corrections, F6 classification, R2 retention); otherwise null. */
  readonly changes: readonly FieldChange[] | null;
  /** The stored event as it is hashed and chained. */
  readonly event: {
    readonly eventId: string;
    readonly stream: string;
    readonly revision: number;
    readonly position: string;
    readonly type: string;
    readonly data: object;
    readonly metadata: StoredRecordEvent['metadata'];
    readonly hash: string;
  };
}

/** The fields an event changes, before and after; null for events that change no metadata field. */
export function changesOf(event: { readonly type: string; readonly data: object }): FieldChange[] | null {
  const e = event as RecordEvent;
  switch (e.type) {
    case 'MetadataCorrectionProposed':
    case 'MetadataCorrected':
      return correctionChanges(e.data.before, e.data.after);
    case 'ClassificationChanged':
      return [{ field: 'classification', before: e.data.from, after: e.data.to }];
    case 'RetentionExtended':
      return [{ field: 'retentionClass', before: e.data.from, after: e.data.to }];
    default:
      return null;
  }
}

/** The archive code a record stream is named for (`record-{archiveCode}`). */
export function archiveCodeOf(stream: string): string {
  return stream.startsWith('record-') ? stream.slice('record-'.length) : stream;
}

export function historyEntry(event: StoredRecordEvent): HistoryEntry {
  const { metadata } = event;
  return {
    revision: event.revision,
    position: event.position,
    type: event.type,
    actor: metadata.actor,
    reason: metadata.reason ?? null,
    occurredAt: metadata.occurredAt,
    recordedAt: metadata.recordedAt,
    summary: summarise(event, { archiveCode: archiveCodeOf(event.stream), metadata }),
    changes: changesOf(event),
    event: {
      eventId: event.eventId,
      stream: event.stream,
      revision: event.revision,
      position: event.position,
      type: event.type,
      data: event.data,
      metadata,
      hash: event.hash,
    },
  };
}

/** The classifications a record stream shows: the one it has now and the highest it ever had. */
export interface StreamClassifications {
  readonly current: Classification;
  readonly highest: Classification;
}

/**
 * One fold over the whole stream: the record's classification now and the highest it ever had
 * (F6 changes included). Undefined when the stream holds no filing.
 */
export function classificationsOf(
  events: readonly { readonly type: string; readonly data: object }[],
): StreamClassifications | undefined {
  let state: RecordState = { status: 'not_filed' };
  let highest: Classification | undefined;
  for (const event of events) {
    state = evolveRecord(state, event as RecordEvent);
    if (state.status === 'not_filed') continue;
    const now = state.metadata.classification;
    if (highest === undefined || classificationRank(now) > classificationRank(highest)) highest = now;
  }
  if (state.status === 'not_filed' || highest === undefined) return undefined;
  return { current: state.metadata.classification, highest };
}

/** The stricter of two classifications. */
export function stricter(a: Classification, b: Classification): Classification {
  return classificationRank(a) >= classificationRank(b) ? a : b;
}
