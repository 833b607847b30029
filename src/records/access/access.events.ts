import type { Classification } from '../../domain-kernel/actor';
import type { DomainEvent } from '../../domain-kernel/decider';

/**
 * 查阅登记 — someone viewed the details of a SECRET-or-above record (A1). Who viewed it and when
 * are the event's envelope (`actor`, `recordedAt`): the viewer always acts under their own identity.
 */
export type RecordDetailViewed = DomainEvent<
  'RecordDetailViewed',
  {
    readonly archiveCode: string;
    /** Why, as the viewer stated it. */
    readonly purpose: string;
    /** The record's classification when it was viewed. */
    readonly classification: Classification;
    /** What was viewed, when not the current details: the history or a past state (docs/history.md). */
    readonly view?: AccessView;
    /** For a past state: the moment shown, e.g. `2025-03-03T04:00:00.000Z (recorded)` or `revision 4`. */
    readonly asOf?: string;
  }
>;

/** Views registered besides the current details (absent): a record's history, or its state at a past moment. */
export const ACCESS_VIEWS = ['history', 'past_state'] as const;
export type AccessView = (typeof ACCESS_VIEWS)[number];

/** Every event of `access-{archiveCode}`. */
export type AccessEvent = RecordDetailViewed;

/** Stable type strings, as stored. */
export const ACCESS_EVENT_TYPES = ['RecordDetailViewed'] as const satisfies readonly AccessEvent['type'][];
