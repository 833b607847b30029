import { CLASSIFICATIONS, classificationRank, type Actor, type Classification } from '../domain-kernel/actor';
import { assertNever, type Decider } from '../domain-kernel/decider';
import {
  conflict,
  DomainError,
  forbidden,
  invalid,
  notFound,
  ruleBroken,
  type DomainErrorKind,
} from '../domain-kernel/domain-error';
import { isLifted } from '../records/classification/classification.rules';
import type { PersonRef, TransferReceiver } from '../records/record.events';
import type {
  ReviewOutcome,
  TransferEvent,
  TransferExecutor,
  TransferItemFacts,
  WithheldItem,
} from './transfer.events';

/**
 * A transfer list (移交清册, X1), stream `transfer-{transferId}`: pure decide/evolve.
 *
 * draft (items added and removed; classifications reviewed) → signed by both sides (the first
 * signature freezes the items) → completion started → completed; or cancelled before completion.
 * What the decider cannot see itself — each record's facts and what stops it from being
 * transferred now — the service looks up and passes in (`TransferItemCheck`), as the record
 * handler passes in the loan policy.
 */

// ── Who does what ───────────────────────────────────────────────────────────────────────────────
export const TRANSFER_COMPILER_ROLE = 'archivist';
export const TRANSFER_REVIEWER_ROLE = 'security_officer';
export const TRANSFEROR_SIGNATORY_ROLE = 'archive_department_head';
export const TRANSFER_EXECUTOR_ROLES = ['archivist', 'archive_department_head'] as const;

/** The most records one list holds. */
export const MAX_TRANSFER_ITEMS = 1000;

/** X1: items at or above this level need a classification review before anyone signs. */
export const REVIEW_REQUIRED_FROM: Classification = 'INTERNAL';

export function needsReview(classification: Classification): boolean {
  return classificationRank(classification) >= classificationRank(REVIEW_REQUIRED_FROM);
}

// ── Facts looked up by the service ──────────────────────────────────────────────────────────────

/** A refusal as plain data (so it can travel inside a command). */
export interface Blocker {
  readonly kind: DomainErrorKind;
  readonly code: string;
  readonly rule: string | null;
  readonly message: string;
}

/** One record as it stands now: its current classification and what stops its transfer (empty: nothing). */
export interface TransferItemCheck {
  readonly archiveCode: string;
  readonly classification: Classification;
  readonly blockers: readonly Blocker[];
}

export function blockerOf(error: DomainError): Blocker {
  return { kind: error.kind, code: error.code, rule: error.details.rule ?? null, message: error.message };
}

// ── Commands ────────────────────────────────────────────────────────────────────────────────────

export interface DraftTransferList {
  readonly type: 'DraftTransferList';
  readonly transferId: string;
  readonly receiver: TransferReceiver;
  readonly basis: string;
}

export interface AddTransferItem {
  readonly type: 'AddTransferItem';
  readonly item: TransferItemFacts;
  readonly check: TransferItemCheck;
}

export interface RemoveTransferItem {
  readonly type: 'RemoveTransferItem';
  readonly archiveCode: string;
  readonly reason: string;
}

/** `to` is the classification after the review: the item's own to keep it. */
export interface ReviewTransferClassification {
  readonly type: 'ReviewTransferClassification';
  readonly archiveCode: string;
  readonly to: Classification;
  readonly grounds: string;
}

export interface SignAsTransferor {
  readonly type: 'SignAsTransferor';
  readonly opinion?: string;
  readonly checks: readonly TransferItemCheck[];
}

export interface RecordReceiverSignature {
  readonly type: 'RecordReceiverSignature';
  readonly receiptReference: string;
  readonly signedOn: string;
  readonly checks: readonly TransferItemCheck[];
}

export interface CancelTransferList {
  readonly type: 'CancelTransferList';
  readonly reason: string;
}

export interface StartTransferCompletion {
  readonly type: 'StartTransferCompletion';
  readonly checks: readonly TransferItemCheck[];
}

export interface FinishTransferCompletion {
  readonly type: 'FinishTransferCompletion';
  readonly transferred: readonly string[];
  readonly withheld: readonly WithheldItem[];
}

export type TransferCommand =
  | DraftTransferList
  | AddTransferItem
  | RemoveTransferItem
  | ReviewTransferClassification
  | SignAsTransferor
  | RecordReceiverSignature
  | CancelTransferList
  | StartTransferCompletion
  | FinishTransferCompletion;

// ── State ───────────────────────────────────────────────────────────────────────────────────────

export interface TransferItemState {
  readonly facts: TransferItemFacts;
  readonly review?: {
    readonly outcome: ReviewOutcome;
    readonly from: Classification;
    readonly to: Classification;
  };
}

export interface TransferorSignature {
  readonly signer: PersonRef;
}

export interface ReceiverSignature {
  readonly representative: string;
  readonly receiptReference: string;
}

export type TransferStatus = 'draft' | 'signed' | 'completing' | 'completed' | 'cancelled';

export interface TransferList {
  readonly status: TransferStatus;
  readonly transferId: string;
  readonly receiver: TransferReceiver;
  readonly items: readonly TransferItemState[];
  readonly transferor?: TransferorSignature;
  readonly receiverSignature?: ReceiverSignature;
  /** Set once completion started: who carries it out, and which records. */
  readonly completion?: { readonly archiveCodes: readonly string[]; readonly executor: TransferExecutor };
}

export type TransferState = { readonly status: 'none' } | TransferList;

export function evolveTransfer(state: TransferState, event: TransferEvent): TransferState {
  if (event.type === 'TransferListDrafted') {
    const { transferId, receiver } = event.data;
    return { status: 'draft', transferId, receiver, items: [] };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'TransferItemAdded':
      return { ...state, items: [...state.items, { facts: event.data.item }] };
    case 'TransferItemRemoved':
      return { ...state, items: state.items.filter((i) => i.facts.archiveCode !== event.data.archiveCode) };
    case 'TransferClassificationReviewed': {
      const { archiveCode, outcome, from, to } = event.data;
      return {
        ...state,
        items: state.items.map((i) =>
          i.facts.archiveCode === archiveCode
            ? { facts: { ...i.facts, classification: to }, review: { outcome, from, to } }
            : i,
        ),
      };
    }
    case 'TransferorSigned':
      return withSignatures({ ...state, transferor: { signer: event.data.signer } });
    case 'ReceiverSigned': {
      const { representative, receiptReference } = event.data;
      return withSignatures({ ...state, receiverSignature: { representative, receiptReference } });
    }
    case 'TransferListCancelled':
      return { ...state, status: 'cancelled' };
    case 'TransferCompletionStarted':
      return {
        ...state,
        status: 'completing',
        completion: { archiveCodes: event.data.archiveCodes, executor: event.data.executor },
      };
    case 'TransferCompleted':
      return { ...state, status: 'completed' };
    default:
      return assertNever(event);
  }
}

function withSignatures(list: TransferList): TransferList {
  return list.transferor && list.receiverSignature ? { ...list, status: 'signed' } : list;
}

/** Items are frozen from the first signature on (like D4 for destruction lists). */
export function isSigningStarted(list: TransferList): boolean {
  return list.transferor !== undefined || list.receiverSignature !== undefined;
}

/** The items that still need a classification review (X1). */
export function awaitingReview(list: TransferList): readonly TransferItemState[] {
  return list.items.filter((i) => i.review === undefined && needsReview(i.facts.classification));
}

// ── Decisions ───────────────────────────────────────────────────────────────────────────────────

export const transferDecider: Decider<TransferCommand, TransferEvent, TransferState> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolveTransfer,
  decide(command, state, { actor, now }) {
    if (command.type === 'DraftTransferList') return draft(command, state, actor);
    if (state.status === 'none') {
      throw notFound('TRANSFER_NOT_FOUND', 'No such transfer list');
    }
    const list = state;
    switch (command.type) {
      case 'AddTransferItem':
        return addItem(command, list, actor);
      case 'RemoveTransferItem':
        return removeItem(command, list, actor);
      case 'ReviewTransferClassification':
        return review(command, list, actor);
      case 'SignAsTransferor':
        return signAsTransferor(command, list, actor);
      case 'RecordReceiverSignature':
        return recordReceiverSignature(command, list, actor, now);
      case 'CancelTransferList':
        return cancel(command, list, actor);
      case 'StartTransferCompletion':
        return startCompletion(command, list, actor);
      case 'FinishTransferCompletion':
        return finishCompletion(command, list);
      default:
        return assertNever(command);
    }
  },
};

function draft(command: DraftTransferList, state: TransferState, actor: Actor): TransferEvent[] {
  requireRole(actor, [TRANSFER_COMPILER_ROLE], 'a transfer list is drafted by an archivist');
  const organisation = requireText(command.receiver.organisation, 'receiver.organisation');
  const representative = requireText(command.receiver.representative, 'receiver.representative');
  const basis = requireText(command.basis, 'basis');
  if (state.status !== 'none') {
    throw conflict('TRANSFER_EXISTS', `Transfer list ${command.transferId} already exists`);
  }
  return [
    {
      type: 'TransferListDrafted',
      data: {
        transferId: command.transferId,
        receiver: { organisation, representative },
        basis,
        draftedBy: personRef(actor),
      },
    },
  ];
}

function addItem({ item, check }: AddTransferItem, list: TransferList, actor: Actor): TransferEvent[] {
  requireRole(actor, [TRANSFER_COMPILER_ROLE], 'items are added by an archivist');
  requireEditable(list);
  if (list.items.some((i) => i.facts.archiveCode === item.archiveCode)) {
    throw conflict(
      'ITEM_ALREADY_LISTED',
      `${item.archiveCode} is already on transfer list ${list.transferId}`,
    );
  }
  if (list.items.length >= MAX_TRANSFER_ITEMS) {
    throw invalid('TRANSFER_LIST_FULL', `A transfer list holds at most ${MAX_TRANSFER_ITEMS} records`);
  }
  const [blocker] = check.blockers;
  if (blocker) throw errorOf(blocker);
  return [
    { type: 'TransferItemAdded', data: { transferId: list.transferId, item, addedBy: personRef(actor) } },
  ];
}

function removeItem(command: RemoveTransferItem, list: TransferList, actor: Actor): TransferEvent[] {
  requireRole(actor, [TRANSFER_COMPILER_ROLE], 'items are removed by an archivist');
  const reason = requireText(command.reason, 'reason');
  requireEditable(list);
  requireItem(list, command.archiveCode);
  return [
    {
      type: 'TransferItemRemoved',
      data: {
        transferId: list.transferId,
        archiveCode: command.archiveCode,
        reason,
        removedBy: personRef(actor),
      },
    },
  ];
}

/** X1 (with F6): a security officer reviews the item's classification before signing. */
function review(command: ReviewTransferClassification, list: TransferList, actor: Actor): TransferEvent[] {
  requireRole(actor, [TRANSFER_REVIEWER_ROLE], 'classifications are reviewed by a security officer');
  if (!(CLASSIFICATIONS as readonly string[]).includes(command.to)) {
    throw invalid('CLASSIFICATION_UNKNOWN', `${String(command.to)} is not a classification`, [
      { field: 'to', problems: [`must be one of ${CLASSIFICATIONS.join(', ')}`] },
    ]);
  }
  const grounds = requireText(command.grounds, 'grounds');
  requireEditable(list);
  const item = requireItem(list, command.archiveCode);
  const from = item.review?.from ?? item.facts.classification;
  const current = item.facts.classification;
  const highest = classificationRank(current) >= classificationRank(command.to) ? current : command.to;
  if (classificationRank(actor.clearance) < classificationRank(highest)) {
    throw forbidden('CLEARANCE_INSUFFICIENT', `X1: reviewing this item needs clearance ${highest} or above`);
  }
  const outcome: ReviewOutcome =
    command.to === from ? 'kept' : isLifted(from, command.to) ? 'lifted' : 'changed';
  return [
    {
      type: 'TransferClassificationReviewed',
      data: {
        transferId: list.transferId,
        archiveCode: command.archiveCode,
        outcome,
        from,
        to: command.to,
        grounds,
        reviewedBy: personRef(actor),
      },
    },
  ];
}

function signAsTransferor(command: SignAsTransferor, list: TransferList, actor: Actor): TransferEvent[] {
  requireRole(actor, [TRANSFEROR_SIGNATORY_ROLE], 'the list is signed for us by the archive department head');
  requireOpen(list);
  if (list.transferor) {
    throw conflict('ALREADY_SIGNED', `X1: transfer list ${list.transferId} is already signed for us`, 'X1');
  }
  requireSignable(list, command.checks, actor);
  const opinion = command.opinion === undefined ? null : requireText(command.opinion, 'opinion');
  return [
    {
      type: 'TransferorSigned',
      data: {
        transferId: list.transferId,
        signer: personRef(actor),
        role: TRANSFEROR_SIGNATORY_ROLE,
        opinion,
      },
    },
  ];
}

/** The receiver's representative signs on paper; an archivist records it with the receipt's reference (like B7). */
function recordReceiverSignature(
  command: RecordReceiverSignature,
  list: TransferList,
  actor: Actor,
  now: Date,
): TransferEvent[] {
  requireRole(actor, [TRANSFER_COMPILER_ROLE], "the receiver's signature is recorded by an archivist");
  const receiptReference = requireText(command.receiptReference, 'receiptReference');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(command.signedOn) || Number.isNaN(Date.parse(command.signedOn))) {
    throw invalid('SIGNED_ON_INVALID', 'signedOn must be a day (YYYY-MM-DD)', [
      { field: 'signedOn', problems: ['must be a day such as 2026-03-01'] },
    ]);
  }
  if (command.signedOn > now.toISOString().slice(0, 10)) {
    throw invalid('SIGNED_ON_IN_FUTURE', 'The receiver cannot have signed on a day still to come', [
      { field: 'signedOn', problems: ['must not be after today'] },
    ]);
  }
  requireOpen(list);
  if (list.receiverSignature) {
    throw conflict(
      'ALREADY_SIGNED',
      `X1: the receiver's signature on ${list.transferId} is already recorded`,
      'X1',
    );
  }
  requireSignable(list, command.checks, actor);
  return [
    {
      type: 'ReceiverSigned',
      data: {
        transferId: list.transferId,
        representative: list.receiver.representative,
        organisation: list.receiver.organisation,
        receiptReference,
        signedOn: command.signedOn,
        recordedBy: personRef(actor),
      },
    },
  ];
}

function cancel(command: CancelTransferList, list: TransferList, actor: Actor): TransferEvent[] {
  requireRole(
    actor,
    TRANSFER_EXECUTOR_ROLES,
    'a list is cancelled by an archivist or the archive department head',
  );
  const reason = requireText(command.reason, 'reason');
  if (list.status === 'cancelled') {
    throw conflict('TRANSFER_CANCELLED', `Transfer list ${list.transferId} is already cancelled`);
  }
  if (list.status === 'completing' || list.status === 'completed') {
    throw conflict(
      'TRANSFER_COMPLETED',
      `X1: transfer list ${list.transferId} was carried out; it cannot be cancelled`,
      'X1',
    );
  }
  return [
    {
      type: 'TransferListCancelled',
      data: { transferId: list.transferId, reason, cancelledBy: personRef(actor) },
    },
  ];
}

/** Both sides signed and every item passes its checks again: the records now leave custody. */
function startCompletion(
  command: StartTransferCompletion,
  list: TransferList,
  actor: Actor,
): TransferEvent[] {
  requireRole(
    actor,
    TRANSFER_EXECUTOR_ROLES,
    'a transfer is carried out by an archivist or the archive department head',
  );
  if (list.status === 'completing') return [];
  if (list.status === 'completed') {
    throw conflict('TRANSFER_COMPLETED', `Transfer list ${list.transferId} was already carried out`, 'X1');
  }
  if (list.status === 'cancelled') {
    throw conflict('TRANSFER_CANCELLED', `Transfer list ${list.transferId} was cancelled`);
  }
  if (!list.transferor || !list.receiverSignature) {
    const missing = [
      !list.transferor ? 'ours (archive department head)' : null,
      !list.receiverSignature ? "the receiver's" : null,
    ]
      .filter(Boolean)
      .join(' and ');
    throw ruleBroken(
      'X1',
      'SIGNATURES_MISSING',
      `the list needs both sides' signatures before transfer; missing: ${missing}`,
    );
  }
  requireChecksPass(list, command.checks, actor);
  return [
    {
      type: 'TransferCompletionStarted',
      data: {
        transferId: list.transferId,
        archiveCodes: list.items.map((i) => i.facts.archiveCode),
        executor: { id: actor.id, roles: [...actor.roles], unit: actor.unit, clearance: actor.clearance },
      },
    },
  ];
}

function finishCompletion(command: FinishTransferCompletion, list: TransferList): TransferEvent[] {
  if (list.status === 'completed') return [];
  if (list.status !== 'completing') {
    throw conflict('TRANSFER_NOT_COMPLETING', `Transfer list ${list.transferId} has not started completion`);
  }
  return [
    {
      type: 'TransferCompleted',
      data: { transferId: list.transferId, transferred: command.transferred, withheld: command.withheld },
    },
  ];
}

// ── Shared checks ───────────────────────────────────────────────────────────────────────────────

/** Before signing: items, every review done (X1), every item still transferable as listed. */
function requireSignable(list: TransferList, checks: readonly TransferItemCheck[], actor: Actor): void {
  if (list.items.length === 0) {
    throw ruleBroken(
      'X1',
      'TRANSFER_LIST_EMPTY',
      'a transfer list lists at least one record before it is signed',
    );
  }
  const unreviewed = awaitingReview(list);
  if (unreviewed.length > 0) {
    throw ruleBroken(
      'X1',
      'CLASSIFICATION_REVIEW_REQUIRED',
      `classification is reviewed before transfer; not yet reviewed: ${unreviewed.map((i) => i.facts.archiveCode).join(', ')}`,
    );
  }
  requireChecksPass(list, checks, actor);
}

/**
 * Every item again, as it stands now: the signer or executor is cleared for it (A2), nothing
 * stops its transfer (R6, loans, X2 …), and its classification is still the one reviewed (X1).
 */
function requireChecksPass(list: TransferList, checks: readonly TransferItemCheck[], actor: Actor): void {
  const byCode = new Map(checks.map((c) => [c.archiveCode, c]));
  for (const item of list.items) {
    const check = byCode.get(item.facts.archiveCode);
    if (!check) throw new Error(`no check was looked up for ${item.facts.archiveCode}`);
    if (classificationRank(actor.clearance) < classificationRank(check.classification)) {
      throw forbidden(
        'CLEARANCE_INSUFFICIENT',
        `A2: transfer list ${list.transferId} holds records above your clearance; a person cleared for them acts on it`,
      );
    }
    const [blocker] = check.blockers;
    if (blocker) throw errorOf(blocker);
    if (check.classification !== item.facts.classification) {
      throw ruleBroken(
        'X1',
        'CLASSIFICATION_CHANGED_SINCE_REVIEW',
        `${item.facts.archiveCode} is now ${check.classification}, not ${item.facts.classification} as listed; review its classification again (or cancel the list once signed)`,
      );
    }
  }
}

function requireEditable(list: TransferList): void {
  requireOpen(list);
  if (isSigningStarted(list)) {
    throw ruleBroken(
      'X1',
      'TRANSFER_LIST_SIGNED',
      `transfer list ${list.transferId} is signed: its items and reviews are final`,
    );
  }
}

/** Neither cancelled nor carried out. */
function requireOpen(list: TransferList): void {
  if (list.status === 'cancelled') {
    throw conflict('TRANSFER_CANCELLED', `Transfer list ${list.transferId} was cancelled`);
  }
  if (list.status === 'completing' || list.status === 'completed') {
    throw conflict('TRANSFER_COMPLETED', `X1: transfer list ${list.transferId} was carried out`, 'X1');
  }
}

function requireItem(list: TransferList, archiveCode: string): TransferItemState {
  const item = list.items.find((i) => i.facts.archiveCode === archiveCode);
  if (!item) throw notFound('ITEM_NOT_LISTED', `${archiveCode} is not on transfer list ${list.transferId}`);
  return item;
}

function requireRole(actor: Actor, roles: readonly string[], why: string): void {
  if (!roles.some((role) => actor.roles.includes(role))) throw forbidden('ROLE_REQUIRED', `X1: ${why}`);
}

function requireText(value: string, field: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0) {
    throw invalid('FIELD_REQUIRED', `${field} is required`, [
      { field, problems: [`${field} must not be blank`] },
    ]);
  }
  return text;
}

function personRef(actor: Actor): PersonRef {
  return { id: actor.id, unit: actor.unit };
}

function errorOf(blocker: Blocker): DomainError {
  return new DomainError(
    blocker.kind,
    blocker.code,
    blocker.message,
    blocker.rule ? { rule: blocker.rule } : {},
  );
}
