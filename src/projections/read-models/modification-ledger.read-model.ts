import type { Classification } from '../../domain-kernel/actor';
import { assertNever } from '../../domain-kernel/decider';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { ReadDoc } from '../../read-store/read-store.port';
import type { MetadataChanges, PersonRef, RecordEvent } from '../../records/record.events';
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

export type CorrectionStatus = 'proposed' | 'corrected' | 'rejected';

/**
 * 修改台帐 — one metadata correction (F5): the fields before and after, the reason, who proposed it
 * and who approved or rejected it, and when. Metadata is never edited in place: this ledger is its history.
 */
export interface ModificationLedgerDoc {
  /** `{archiveCode}/{correctionId}`, e.g. `Z001-WS-2024-D30-BGS-0007/C1`. */
  readonly id: string;
  readonly archiveCode: string;
  readonly correctionId: string;
  /** The record's current title. */
  readonly title?: string;
  readonly classification?: Classification;
  readonly classificationRank?: number;
  /** The fields the correction changes, in alphabetical order. */
  readonly fields: readonly string[];
  readonly before: MetadataChanges;
  readonly after: MetadataChanges;
  readonly reason: string;
  readonly proposedBy: PersonRef;
  readonly proposedAt: string;
  readonly status: CorrectionStatus;
  readonly approvedBy: PersonRef | null;
  readonly rejectedBy: PersonRef | null;
  readonly decidedAt: string | null;
  readonly rejectionReason: string | null;
}

export function correctionDocId(archiveCode: string, correctionId: string): string {
  return `${archiveCode}/${correctionId}`;
}

const BY = (...fields: string[]) => [...fields, 'classificationRank'];

export const modificationLedgerReadModel: ReadModel = {
  collection: {
    name: 'modification_ledger',
    indexes: [
      BY('proposedAt'),
      BY('archiveCode', 'proposedAt'),
      BY('status', 'proposedAt'),
      BY('archiveCode', 'status', 'proposedAt'),
    ],
  },

  route(event) {
    const e = asRecordEvent(event);
    if (!e) return undefined;
    switch (e.type) {
      case 'ClassificationChanged':
        return wholeRecord(event);
      case 'MetadataCorrected':
        // The decided correction, and the title on every entry when it changed.
        return correctionTouches(e, ['title'])
          ? wholeRecord(event)
          : [correctionDocId(archiveCodeOf(event), e.data.correctionId)];
      case 'MetadataCorrectionProposed':
      case 'MetadataCorrectionRejected':
        return [correctionDocId(archiveCodeOf(event), e.data.correctionId)];
      case 'ArchiveFiled':
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
      case 'HoldPlaced':
      case 'HoldReleased':
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
    return event.type === 'MetadataCorrectionProposed' && asRecordEvent(event)
      ? catalogueEntryOf(event)
      : undefined;
  },

  apply(doc, event, context) {
    const e = asRecordEvent(event);
    if (!e) return doc;
    if (doc && isLegacyHeader(doc)) return undefined;
    if (e.type === 'MetadataCorrectionProposed') return doc ?? proposed(e, event, context);
    if (!doc) return undefined;
    const entry = doc as unknown as ModificationLedgerDoc;
    const occurredAt = event.metadata.occurredAt;
    switch (e.type) {
      case 'ClassificationChanged':
        return reclassified(doc, e);
      case 'MetadataCorrected': {
        const retitled = corrected(doc, e, ['title']);
        if (entry.correctionId !== e.data.correctionId) return retitled;
        const { before, after, approvedBy } = e.data;
        const decided: Partial<ModificationLedgerDoc> = {
          status: 'corrected',
          before,
          after,
          fields: Object.keys(after).sort(),
          approvedBy,
          decidedAt: occurredAt,
        };
        return { ...retitled, ...decided } as unknown as ReadDoc;
      }
      case 'MetadataCorrectionRejected': {
        const decided: Partial<ModificationLedgerDoc> = {
          status: 'rejected',
          rejectedBy: e.data.rejectedBy,
          rejectionReason: e.data.reason,
          decidedAt: occurredAt,
        };
        return { ...doc, ...decided } as unknown as ReadDoc;
      }
      default:
        return doc;
    }
  },
};

function proposed(
  e: Extract<RecordEvent, { type: 'MetadataCorrectionProposed' }>,
  event: RecordedEvent,
  context: ReadDoc | undefined,
): ReadDoc {
  const { correctionId, before, after, reason, proposedBy } = e.data;
  const { shelfLocation: _shown, ...facts } = factsFrom(event, context);
  const entry: ModificationLedgerDoc = {
    id: correctionDocId(facts.archiveCode, correctionId),
    correctionId,
    ...facts,
    fields: Object.keys(after).sort(),
    before,
    after,
    reason,
    proposedBy,
    proposedAt: event.metadata.occurredAt,
    status: 'proposed',
    approvedBy: null,
    rejectedBy: null,
    decidedAt: null,
    rejectionReason: null,
  };
  return entry as unknown as ReadDoc;
}
