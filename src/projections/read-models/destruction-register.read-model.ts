import { classificationRank } from '../../domain-kernel/actor';
import { assertNever } from '../../domain-kernel/decider';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { ReadDoc } from '../../read-store/read-store.port';
import {
  DESTRUCTION_LIST_EVENT_TYPES,
  DESTRUCTION_STREAM_PREFIX,
  type DestructionItem,
  type DestructionListEvent,
  type DestructionSignature,
  type WitnessCapacity,
  type WitnessCheck,
} from '../../destruction/destruction-list.events';
import type { DestructionListStatus } from '../../destruction/destruction-list.decider';
import type { SigningRequirement } from '../../destruction/destruction-signing.policy';
import type { PersonRef } from '../../records/record.events';
import type { ReadModel } from '../read-model';

/**
 * 销毁清册登记簿 — the destruction register (D7): one document per destruction list, fed by its
 * stream `destruction-{listId}`: the items with their D2 columns, every signature with its
 * opinion, the witnesses' checks and signatures, and the dates. The streams are never deleted and
 * neither is this document; a rebuild replays it whole.
 */
export interface DestructionRegisterItem extends DestructionItem {
  readonly classificationRank: number;
  readonly addedAt: string;
  /** 销毁日期, once destroyed (D2). */
  readonly destroyedOn: string | null;
  /** Set when execution found the item no longer passing D1: it was not destroyed. */
  readonly withheld: { readonly rule: string; readonly code: string; readonly message: string } | null;
}

export interface DestructionRegisterDoc {
  readonly id: string;
  readonly listId: string;
  readonly title: string;
  readonly status: DestructionListStatus;
  readonly businessUnit: string;
  readonly archiveUnit: string;
  readonly officeUnit: string;
  readonly policyVersion: number;
  /** The capacities the list needs (D3), with their labels for the printed list. */
  readonly requirements: readonly SigningRequirement[];
  readonly draftedBy: PersonRef;
  readonly draftedAt: string;
  readonly items: readonly DestructionRegisterItem[];
  readonly removedItems: readonly {
    readonly archiveCode: string;
    readonly classificationRank: number;
    readonly reason: string;
    readonly removedBy: PersonRef;
    readonly removedAt: string;
  }[];
  readonly signatures: readonly (DestructionSignature & { readonly signedAt: string })[];
  readonly refusal: (DestructionSignature & { readonly signedAt: string }) | null;
  readonly cancellation: {
    readonly reason: string;
    readonly cancelledBy: PersonRef;
    readonly cancelledAt: string;
  } | null;
  readonly approvedAt: string | null;
  readonly witnessChecks: readonly (WitnessCheck & { readonly checkedAt: string })[];
  readonly witnessSignatures: readonly {
    readonly capacity: WitnessCapacity;
    readonly witness: PersonRef;
    readonly remark: string | null;
    readonly signedAt: string;
  }[];
  readonly executedBy: PersonRef | null;
  readonly executionStartedAt: string | null;
  readonly destroyedOn: string | null;
  readonly executedAt: string | null;
  readonly completedAt: string | null;
  /**
   * A2: the lowest classification rank among the items (0 while empty). Queries show the list to
   * callers cleared for at least one of its items, and hide the items above their clearance.
   */
  readonly classificationRank: number;
}

export const DESTRUCTION_REGISTER = 'destruction_register';

const LIST_EVENTS: ReadonlySet<string> = new Set(DESTRUCTION_LIST_EVENT_TYPES);

export const destructionRegisterReadModel: ReadModel = {
  collection: {
    name: DESTRUCTION_REGISTER,
    indexes: [
      ['draftedAt', 'classificationRank'],
      ['status', 'draftedAt', 'classificationRank'],
      ['classificationRank'],
    ],
  },

  route(event) {
    if (!event.stream.startsWith(DESTRUCTION_STREAM_PREFIX) || !LIST_EVENTS.has(event.type)) return undefined;
    return [event.stream.slice(DESTRUCTION_STREAM_PREFIX.length)];
  },

  apply(doc, event) {
    if (!LIST_EVENTS.has(event.type)) return doc;
    const e = event as unknown as DestructionListEvent;
    if (e.type === 'DestructionListDrafted') {
      return toReadDoc(drafted(e, event));
    }
    if (doc === undefined) return undefined;
    return toReadDoc(evolveRegister(doc as unknown as DestructionRegisterDoc, e, event));
  },
};

function toReadDoc(doc: DestructionRegisterDoc): ReadDoc {
  return doc as unknown as ReadDoc;
}

function drafted(
  e: Extract<DestructionListEvent, { type: 'DestructionListDrafted' }>,
  event: RecordedEvent,
): DestructionRegisterDoc {
  const { listId, title, businessUnit, policy, draftedBy } = e.data;
  return {
    id: listId,
    listId,
    title,
    status: 'draft',
    businessUnit,
    archiveUnit: policy.archiveUnit,
    officeUnit: policy.officeUnit,
    policyVersion: policy.version,
    requirements: policy.signatures,
    draftedBy,
    draftedAt: event.metadata.occurredAt,
    items: [],
    removedItems: [],
    signatures: [],
    refusal: null,
    cancellation: null,
    approvedAt: null,
    witnessChecks: [],
    witnessSignatures: [],
    executedBy: null,
    executionStartedAt: null,
    destroyedOn: null,
    executedAt: null,
    completedAt: null,
    classificationRank: 0,
  };
}

function withItems(
  doc: DestructionRegisterDoc,
  items: readonly DestructionRegisterItem[],
): DestructionRegisterDoc {
  return {
    ...doc,
    items,
    classificationRank: items.length > 0 ? Math.min(...items.map((i) => i.classificationRank)) : 0,
  };
}

function evolveRegister(
  doc: DestructionRegisterDoc,
  e: Exclude<DestructionListEvent, { type: 'DestructionListDrafted' }>,
  event: RecordedEvent,
): DestructionRegisterDoc {
  const at = event.metadata.occurredAt;
  switch (e.type) {
    case 'DestructionItemAdded': {
      const item: DestructionRegisterItem = {
        ...e.data.item,
        classificationRank: classificationRank(e.data.item.classification),
        addedAt: at,
        destroyedOn: null,
        withheld: null,
      };
      return withItems(doc, [...doc.items.filter((i) => i.archiveCode !== item.archiveCode), item]);
    }
    case 'DestructionItemRemoved': {
      const removed = doc.items.find((i) => i.archiveCode === e.data.archiveCode);
      return withItems(
        {
          ...doc,
          removedItems: [
            ...doc.removedItems,
            {
              archiveCode: e.data.archiveCode,
              classificationRank: removed?.classificationRank ?? 0,
              reason: e.data.reason,
              removedBy: e.data.removedBy,
              removedAt: at,
            },
          ],
        },
        doc.items.filter((i) => i.archiveCode !== e.data.archiveCode),
      );
    }
    case 'DestructionListSigned':
      return {
        ...doc,
        status: 'signing',
        signatures: [...doc.signatures, { ...e.data.signature, signedAt: at }],
      };
    case 'DestructionListApproved':
      return { ...doc, status: 'approved', approvedAt: at };
    case 'DestructionListRefused':
      return { ...doc, status: 'refused', refusal: { ...e.data.signature, signedAt: at } };
    case 'DestructionListCancelled':
      return {
        ...doc,
        status: 'cancelled',
        cancellation: { reason: e.data.reason, cancelledBy: e.data.cancelledBy, cancelledAt: at },
      };
    case 'WitnessCheckRecorded': {
      const { check } = e.data;
      return {
        ...doc,
        witnessChecks: [
          ...doc.witnessChecks.filter((c) => c.witness.id !== check.witness.id),
          { ...check, checkedAt: at },
        ],
      };
    }
    case 'DestructionExecutionStarted': {
      const { id, unit } = e.data.executedBy;
      return {
        ...doc,
        status: 'executing',
        executedBy: { id, unit },
        executionStartedAt: at,
        destroyedOn: e.data.destroyedOn,
      };
    }
    case 'DestructionItemWithheld': {
      const { archiveCode, rule, code, message } = e.data;
      return withItems(
        doc,
        doc.items.map((i) =>
          i.archiveCode === archiveCode ? { ...i, withheld: { rule, code, message } } : i,
        ),
      );
    }
    case 'DestructionExecuted': {
      const destroyed = new Set(e.data.destroyed);
      return withItems(
        { ...doc, status: 'executed', executedAt: at, destroyedOn: e.data.destroyedOn },
        doc.items.map((i) => (destroyed.has(i.archiveCode) ? { ...i, destroyedOn: e.data.destroyedOn } : i)),
      );
    }
    case 'DestructionWitnessSigned': {
      const { capacity, witness, remark } = e.data;
      return {
        ...doc,
        witnessSignatures: [
          ...doc.witnessSignatures,
          { capacity, witness, remark: remark ?? null, signedAt: at },
        ],
      };
    }
    case 'DestructionListCompleted':
      return { ...doc, status: 'completed', completedAt: at };
    default:
      return assertNever(e);
  }
}
