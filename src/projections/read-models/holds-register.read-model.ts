import type { Classification } from '../../domain-kernel/actor';
import { assertNever } from '../../domain-kernel/decider';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { ReadDoc } from '../../read-store/read-store.port';
import type { HoldKind, PersonRef, RecordEvent } from '../../records/record.events';
import {
  archiveCodeOf,
  catalogueEntryOf,
  isLegacyHeader,
  asRecordEvent,
  correctionTouches,
  corrected,
  factsFrom,
  reclassified,
  wholeRecord,
} from './record-context';
import type { ReadModel } from '../read-model';

/**
 * One legal or audit hold (R6) in the holds register: why, on what reference, who placed it and
 * when, and once released who released it, when and why. A record is frozen while any hold on it is active.
 */
export interface HoldsRegisterDoc {
  /** `{archiveCode}/{holdId}`, e.g. `Z001-WS-2024-D30-BGS-0007/H1`. */
  readonly id: string;
  readonly archiveCode: string;
  readonly holdId: string;
  /** The record's current title. */
  readonly title?: string;
  readonly classification?: Classification;
  readonly classificationRank?: number;
  readonly kind: HoldKind;
  readonly reason: string;
  /** Case, matter or audit reference. */
  readonly reference: string | null;
  readonly placedBy: PersonRef;
  readonly placedAt: string;
  readonly active: boolean;
  readonly releasedBy: PersonRef | null;
  readonly releasedAt: string | null;
  readonly releaseReason: string | null;
}

export function holdDocId(archiveCode: string, holdId: string): string {
  return `${archiveCode}/${holdId}`;
}

const BY = (...fields: string[]) => [...fields, 'classificationRank'];

export const holdsRegisterReadModel: ReadModel = {
  collection: {
    name: 'holds_register',
    indexes: [
      BY('placedAt'),
      BY('active', 'placedAt'),
      BY('kind', 'placedAt'),
      BY('active', 'kind', 'placedAt'),
      BY('archiveCode', 'placedAt'),
    ],
  },

  route(event) {
    const e = asRecordEvent(event);
    if (!e) return undefined;
    switch (e.type) {
      case 'ClassificationChanged':
        return wholeRecord(event);
      case 'MetadataCorrected':
        return correctionTouches(e, ['title']) ? wholeRecord(event) : undefined;
      case 'HoldPlaced':
      case 'HoldReleased':
        return [holdDocId(archiveCodeOf(event), e.data.holdId)];
      case 'MetadataCorrectionProposed':
      case 'ArchiveFiled':
      case 'MetadataCorrectionRejected':
      case 'LoanRequested':
      case 'LoanApprovalGiven':
      case 'LoanApproved':
      case 'LoanRefused':
      case 'LoanWithdrawn':
      case 'Borrowed':
      case 'LoanRenewalRequested':
      case 'LoanRenewalApprovalGiven':
      case 'LoanRenewed':
      case 'LoanRenewalRefused':
      case 'OverdueReminderSent':
      case 'Returned':
      case 'DamageReported':
      case 'UtilisationRecorded':
      case 'RetentionExtended':
      case 'Transferred':
      case 'MarkedMissing':
      case 'FoundAgain':
      case 'AppraisalRecorded':
      case 'Destroyed':
        return undefined;
      default:
        return assertNever(e);
    }
  },

  context(event) {
    return event.type === 'HoldPlaced' && asRecordEvent(event) ? catalogueEntryOf(event) : undefined;
  },

  apply(doc, event, context) {
    const e = asRecordEvent(event);
    if (!e) return doc;
    if (doc && isLegacyHeader(doc)) return undefined;
    if (e.type === 'HoldPlaced') return doc ?? placed(e, event, context);
    if (!doc) return undefined;
    switch (e.type) {
      case 'ClassificationChanged':
        return reclassified(doc, e);
      case 'MetadataCorrected':
        return corrected(doc, e, ['title']);
      case 'HoldReleased': {
        const released: Partial<HoldsRegisterDoc> = {
          active: false,
          releasedBy: e.data.releasedBy,
          releasedAt: event.metadata.occurredAt,
          releaseReason: e.data.reason,
        };
        return { ...doc, ...released } as unknown as ReadDoc;
      }
      default:
        return doc;
    }
  },
};

function placed(
  e: Extract<RecordEvent, { type: 'HoldPlaced' }>,
  event: RecordedEvent,
  context: ReadDoc | undefined,
): ReadDoc {
  const { holdId, kind, reason, reference, placedBy } = e.data;
  const { shelfLocation: _shown, ...facts } = factsFrom(event, context);
  const hold: HoldsRegisterDoc = {
    id: holdDocId(facts.archiveCode, holdId),
    holdId,
    ...facts,
    kind,
    reason,
    reference: reference ?? null,
    placedBy,
    placedAt: event.metadata.occurredAt,
    active: true,
    releasedBy: null,
    releasedAt: null,
    releaseReason: null,
  };
  return hold as unknown as ReadDoc;
}
