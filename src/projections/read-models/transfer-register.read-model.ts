import { classificationRank } from '../../domain-kernel/actor';
import { assertNever } from '../../domain-kernel/decider';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { ReadDoc } from '../../read-store/read-store.port';
import type { PersonRef, TransferReceiver } from '../../records/record.events';
import { needsReview } from '../../transfer/transfer.decider';
import {
  TRANSFER_EVENT_TYPES,
  type ReviewOutcome,
  type TransferEvent,
  type TransferItemFacts,
  type WithheldItem,
} from '../../transfer/transfer.events';
import type { ReadModel } from '../read-model';

/**
 * 移交清册登记 — the transfer lists register (X1): one document per transfer list (id = the
 * transfer id), fed by its own stream `transfer-{transferId}`. It holds the list as the 移交清册
 * shows it: the receiver, each record with its review, both sides' signatures, and the completion.
 *
 * A list as such is not classified (`classificationRank` 0); its items are, each with the rank it
 * had when listed or reviewed. The queries hide items above the caller's clearance (A2), also
 * from every count they show.
 */
export interface TransferRegisterItem extends TransferItemFacts {
  readonly classificationRank: number;
  /** X1: needs a classification review before signing. */
  readonly needsReview: boolean;
  readonly review: {
    readonly outcome: ReviewOutcome;
    readonly from: string;
    readonly to: string;
    readonly grounds: string;
    readonly reviewedBy: PersonRef;
    readonly reviewedAt: string;
  } | null;
  readonly addedBy: PersonRef;
  readonly addedAt: string;
}

export type TransferRegisterStatus = 'draft' | 'signed' | 'completing' | 'completed' | 'cancelled';

export interface TransferRegisterDoc {
  readonly id: string;
  readonly transferId: string;
  readonly status: TransferRegisterStatus;
  readonly receiver: TransferReceiver;
  readonly basis: string;
  readonly draftedBy: PersonRef;
  readonly draftedAt: string;
  readonly items: readonly TransferRegisterItem[];
  /** Items taken off the list before signing, with why. */
  readonly removed: readonly {
    readonly archiveCode: string;
    readonly classificationRank: number;
    readonly reason: string;
    readonly removedBy: PersonRef;
    readonly removedAt: string;
  }[];
  readonly transferorSignature: {
    readonly signer: PersonRef;
    readonly role: string;
    readonly opinion: string | null;
    readonly signedAt: string;
  } | null;
  readonly receiverSignature: {
    readonly representative: string;
    readonly organisation: string;
    readonly receiptReference: string;
    readonly signedOn: string;
    readonly recordedBy: PersonRef;
    readonly recordedAt: string;
  } | null;
  readonly cancellation: {
    readonly reason: string;
    readonly cancelledBy: PersonRef;
    readonly cancelledAt: string;
  } | null;
  readonly completion: {
    readonly startedBy: PersonRef;
    readonly startedAt: string;
    readonly completedAt: string | null;
    readonly transferred: readonly string[];
    readonly withheld: readonly WithheldItem[];
  } | null;
  /** The list itself is not classified: 0, so the A2 filter of every query lets it through. */
  readonly classificationRank: number;
  readonly updatedAt: string;
}

export const TRANSFER_REGISTER = 'transfer_register';

const TRANSFER_STREAM_PREFIX = 'transfer-';
const TRANSFER_TYPES: ReadonlySet<string> = new Set(TRANSFER_EVENT_TYPES);

function asTransferEvent(event: RecordedEvent): TransferEvent | undefined {
  if (!event.stream.startsWith(TRANSFER_STREAM_PREFIX) || !TRANSFER_TYPES.has(event.type)) return undefined;
  return { type: event.type, data: event.data } as unknown as TransferEvent;
}

export const transferRegisterReadModel: ReadModel = {
  collection: {
    name: TRANSFER_REGISTER,
    indexes: [
      ['draftedAt', 'classificationRank'],
      ['status', 'draftedAt', 'classificationRank'],
    ],
  },

  route(event) {
    const e = asTransferEvent(event);
    return e ? [e.data.transferId] : undefined;
  },

  apply(doc, event) {
    const e = asTransferEvent(event);
    if (!e) return doc;
    const at = event.metadata.occurredAt;
    if (e.type === 'TransferListDrafted') {
      if (doc) return doc;
      const { transferId, receiver, basis, draftedBy } = e.data;
      const drafted: TransferRegisterDoc = {
        id: transferId,
        transferId,
        status: 'draft',
        receiver,
        basis,
        draftedBy,
        draftedAt: at,
        items: [],
        removed: [],
        transferorSignature: null,
        receiverSignature: null,
        cancellation: null,
        completion: null,
        classificationRank: 0,
        updatedAt: at,
      };
      return drafted as unknown as ReadDoc;
    }
    if (!doc) return undefined;
    const list = doc as unknown as TransferRegisterDoc;
    return { ...evolveList(list, e, event), updatedAt: at } as unknown as ReadDoc;
  },
};

function evolveList(
  list: TransferRegisterDoc,
  e: Exclude<TransferEvent, { type: 'TransferListDrafted' }>,
  event: RecordedEvent,
): TransferRegisterDoc {
  const at = event.metadata.occurredAt;
  switch (e.type) {
    case 'TransferItemAdded': {
      const { item, addedBy } = e.data;
      const listed: TransferRegisterItem = {
        ...item,
        classificationRank: classificationRank(item.classification),
        needsReview: needsReview(item.classification),
        review: null,
        addedBy,
        addedAt: at,
      };
      return { ...list, items: [...list.items.filter((i) => i.archiveCode !== item.archiveCode), listed] };
    }
    case 'TransferItemRemoved': {
      const { archiveCode, reason, removedBy } = e.data;
      const item = list.items.find((i) => i.archiveCode === archiveCode);
      return {
        ...list,
        items: list.items.filter((i) => i.archiveCode !== archiveCode),
        removed: [
          ...list.removed,
          {
            archiveCode,
            classificationRank: item?.classificationRank ?? 0,
            reason,
            removedBy,
            removedAt: at,
          },
        ],
      };
    }
    case 'TransferClassificationReviewed': {
      const { archiveCode, outcome, from, to, grounds, reviewedBy } = e.data;
      return {
        ...list,
        items: list.items.map((i) =>
          i.archiveCode === archiveCode
            ? {
                ...i,
                classification: to,
                classificationRank: classificationRank(to),
                review: { outcome, from, to, grounds, reviewedBy, reviewedAt: at },
              }
            : i,
        ),
      };
    }
    case 'TransferorSigned': {
      const { signer, role, opinion } = e.data;
      return signed({ ...list, transferorSignature: { signer, role, opinion, signedAt: at } });
    }
    case 'ReceiverSigned': {
      const { representative, organisation, receiptReference, signedOn, recordedBy } = e.data;
      return signed({
        ...list,
        receiverSignature: {
          representative,
          organisation,
          receiptReference,
          signedOn,
          recordedBy,
          recordedAt: at,
        },
      });
    }
    case 'TransferListCancelled': {
      const { reason, cancelledBy } = e.data;
      return { ...list, status: 'cancelled', cancellation: { reason, cancelledBy, cancelledAt: at } };
    }
    case 'TransferCompletionStarted': {
      const { id, unit } = e.data.executor;
      return {
        ...list,
        status: 'completing',
        completion: {
          startedBy: { id, unit },
          startedAt: at,
          completedAt: null,
          transferred: [],
          withheld: [],
        },
      };
    }
    case 'TransferCompleted': {
      const { transferred, withheld } = e.data;
      const started = list.completion;
      return {
        ...list,
        status: 'completed',
        completion: {
          startedBy: started?.startedBy ?? { id: event.metadata.actor.id, unit: event.metadata.actor.unit },
          startedAt: started?.startedAt ?? at,
          completedAt: at,
          transferred,
          withheld,
        },
      };
    }
    default:
      return assertNever(e);
  }
}

function signed(list: TransferRegisterDoc): TransferRegisterDoc {
  return list.transferorSignature && list.receiverSignature ? { ...list, status: 'signed' } : list;
}
