import type { Actor, Classification } from '../domain-kernel/actor';
import type { DomainEvent } from '../domain-kernel/decider';
import type { RetentionClass } from '../records/archive-code';
import type { PersonRef, TransferReceiver } from '../records/record.events';

/**
 * The events of a transfer list (移交清册, X1), stream `transfer-{transferId}`. The records
 * themselves leave custody with `Transferred` on their own streams when the list is completed.
 */

/** What the transfer list shows of each record (移交清册: 档号, 文号, 责任者, 题名, 日期, 保管期限, 密级). */
export interface TransferItemFacts {
  readonly archiveCode: string;
  readonly title: string;
  readonly documentNumber: string | null;
  readonly responsibleParty: string;
  readonly dateFormed: string;
  readonly retentionClass: RetentionClass;
  /** 密级 when added; a classification review (X1) updates it. */
  readonly classification: Classification;
  readonly shelfLocation: string;
  readonly itemCount: number;
}

/** A classification review's outcome (X1, with F6): kept as it is, changed, or lifted (解密: below SECRET). */
export const REVIEW_OUTCOMES = ['kept', 'changed', 'lifted'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** An item the completion could not transfer: a rule refused it after the list was signed. */
export interface WithheldItem {
  readonly archiveCode: string;
  readonly code: string;
  readonly rule: string | null;
  readonly message: string;
}

/** 编制移交清册 — an archivist drafts a transfer list to another custodian (X1). */
export type TransferListDrafted = DomainEvent<
  'TransferListDrafted',
  {
    readonly transferId: string;
    readonly receiver: TransferReceiver;
    /** Why and under what arrangement the records are transferred (移交依据). */
    readonly basis: string;
    readonly draftedBy: PersonRef;
  }
>;

export type TransferItemAdded = DomainEvent<
  'TransferItemAdded',
  { readonly transferId: string; readonly item: TransferItemFacts; readonly addedBy: PersonRef }
>;

export type TransferItemRemoved = DomainEvent<
  'TransferItemRemoved',
  {
    readonly transferId: string;
    readonly archiveCode: string;
    readonly reason: string;
    readonly removedBy: PersonRef;
  }
>;

/** 密级审查 — a security officer reviewed an item's classification before transfer (X1, F6). */
export type TransferClassificationReviewed = DomainEvent<
  'TransferClassificationReviewed',
  {
    readonly transferId: string;
    readonly archiveCode: string;
    readonly outcome: ReviewOutcome;
    readonly from: Classification;
    readonly to: Classification;
    readonly grounds: string;
    readonly reviewedBy: PersonRef;
  }
>;

/** 移交方签字 — the archive department head signs the list for us, under their own identity. */
export type TransferorSigned = DomainEvent<
  'TransferorSigned',
  {
    readonly transferId: string;
    readonly signer: PersonRef;
    readonly role: string;
    readonly opinion: string | null;
  }
>;

/**
 * 接收方签字 — the receiver's representative signed the list. They are not users of this system:
 * an archivist records their signature with the reference of the receipt they signed (接收凭证).
 */
export type ReceiverSigned = DomainEvent<
  'ReceiverSigned',
  {
    readonly transferId: string;
    readonly representative: string;
    readonly organisation: string;
    readonly receiptReference: string;
    /** YYYY-MM-DD, the day the receiver signed. */
    readonly signedOn: string;
    readonly recordedBy: PersonRef;
  }
>;

export type TransferListCancelled = DomainEvent<
  'TransferListCancelled',
  { readonly transferId: string; readonly reason: string; readonly cancelledBy: PersonRef }
>;

/** The person carrying out a completion, as the resumed completion acts again under their identity. */
export type TransferExecutor = Pick<Actor, 'id' | 'roles' | 'unit' | 'clearance'>;

/**
 * 执行移交 — completion started: every item passed its checks and each will now get
 * `Transferred`. A completion interrupted here is finished at the next start of the service.
 */
export type TransferCompletionStarted = DomainEvent<
  'TransferCompletionStarted',
  {
    readonly transferId: string;
    readonly archiveCodes: readonly string[];
    readonly executor: TransferExecutor;
  }
>;

/** Every item left custody (or, refused after signing, is named as withheld). */
export type TransferCompleted = DomainEvent<
  'TransferCompleted',
  {
    readonly transferId: string;
    readonly transferred: readonly string[];
    readonly withheld: readonly WithheldItem[];
  }
>;

/** One discriminated union per stream: every event of `transfer-{transferId}`. */
export type TransferEvent =
  | TransferListDrafted
  | TransferItemAdded
  | TransferItemRemoved
  | TransferClassificationReviewed
  | TransferorSigned
  | ReceiverSigned
  | TransferListCancelled
  | TransferCompletionStarted
  | TransferCompleted;

/** Stable type strings, as stored. */
export const TRANSFER_EVENT_TYPES = [
  'TransferListDrafted',
  'TransferItemAdded',
  'TransferItemRemoved',
  'TransferClassificationReviewed',
  'TransferorSigned',
  'ReceiverSigned',
  'TransferListCancelled',
  'TransferCompletionStarted',
  'TransferCompleted',
] as const satisfies readonly TransferEvent['type'][];
