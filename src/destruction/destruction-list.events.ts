import type { Classification } from '../domain-kernel/actor';
import type { DomainEvent } from '../domain-kernel/decider';
import type { RetentionClass } from '../records/archive-code';
import type { PersonRef } from '../records/record.events';
import type { DestructionSigningPolicy } from './destruction-signing.policy';

/**
 * Every event of a destruction list's stream `destruction-{listId}` (销毁清册, D2–D7). The list is
 * its own aggregate; each record it destroys gets `Destroyed` on its own stream (D6).
 */

/** One line of the list (D2): the record as it stood when it was listed. */
export interface DestructionItem {
  /** 档号 */
  readonly archiveCode: string;
  /** 文号 */
  readonly documentNumber: string | null;
  /** 责任者 */
  readonly responsibleParty: string;
  /** 题名 */
  readonly title: string;
  /** 形成时间 */
  readonly dateFormed: string;
  /** 保管期限 */
  readonly retentionClass: RetentionClass;
  /** 已保管年限: whole years since retention began (R1) on the day it was listed. */
  readonly yearsKept: number;
  /** 密级: A2 hides the line from callers below it; SECRET and above need a security officer (D5). */
  readonly classification: Classification;
  /** The appraisal that released it (R5). */
  readonly appraisalId: string;
}

/** A signed opinion (D3), by a person in the capacity's role, under their own identity. */
export interface DestructionSignature {
  readonly capacity: string;
  readonly role: string;
  /** The unit the capacity required the signer to belong to, if any. */
  readonly unit?: string;
  readonly signer: PersonRef;
  readonly opinion: string;
}

/** 监销人 — the archive department's witness, the business department's, or the security officer (D5). */
export const WITNESS_CAPACITIES = ['archive', 'business', 'security'] as const;
export type WitnessCapacity = (typeof WITNESS_CAPACITIES)[number];

/** A witness's check of the items against the list before destruction (D5): count and codes. */
export interface WitnessCheck {
  readonly capacity: WitnessCapacity;
  readonly witness: PersonRef;
  /** How many items the witness counted. */
  readonly itemCount: number;
  /** The archive codes the witness found. */
  readonly archiveCodes: readonly string[];
  /** True when count and codes agree with the list. */
  readonly matched: boolean;
  /** What did not agree, as recorded (count, missing codes, codes not on the list). */
  readonly discrepancies: readonly string[];
  readonly notes?: string;
}

/** Who executes the list: the archivist, as the destruction is recorded on every record under their identity. */
export interface ExecutingArchivist {
  readonly id: string;
  readonly unit: string;
  readonly roles: readonly string[];
  readonly clearance: Classification;
}

export type DestructionListDrafted = DomainEvent<
  'DestructionListDrafted',
  {
    readonly listId: string;
    readonly title: string;
    /** The business department whose records the list holds (D3, D5). */
    readonly businessUnit: string;
    /** The signing policy in force when drafted (D3); the list keeps it. */
    readonly policy: DestructionSigningPolicy;
    readonly draftedBy: PersonRef;
  }
>;

export type DestructionItemAdded = DomainEvent<
  'DestructionItemAdded',
  { readonly listId: string; readonly item: DestructionItem; readonly addedBy: PersonRef }
>;

export type DestructionItemRemoved = DomainEvent<
  'DestructionItemRemoved',
  {
    readonly listId: string;
    readonly archiveCode: string;
    readonly reason: string;
    readonly removedBy: PersonRef;
  }
>;

/** One signature given (D3); `outstanding` capacities still to sign. The first one locks the items (D4). */
export type DestructionListSigned = DomainEvent<
  'DestructionListSigned',
  { readonly listId: string; readonly signature: DestructionSignature; readonly outstanding: number }
>;

/** Every capacity of the policy has signed (D3). */
export type DestructionListApproved = DomainEvent<
  'DestructionListApproved',
  {
    readonly listId: string;
    readonly policyVersion: number;
    readonly signatures: readonly DestructionSignature[];
  }
>;

/** A signer refused, with their opinion: the list is closed (D3). */
export type DestructionListRefused = DomainEvent<
  'DestructionListRefused',
  { readonly listId: string; readonly signature: DestructionSignature }
>;

/** Withdrawn before execution; it stays in the register (D7). */
export type DestructionListCancelled = DomainEvent<
  'DestructionListCancelled',
  { readonly listId: string; readonly reason: string; readonly cancelledBy: PersonRef }
>;

/** A witness checked the items against the list before destruction (D5). A later check by the same witness supersedes theirs. */
export type WitnessCheckRecorded = DomainEvent<
  'WitnessCheckRecorded',
  { readonly listId: string; readonly check: WitnessCheck }
>;

/**
 * Execution ordered (D6): every item passed D1 again. The execution process appends `Destroyed` to
 * each record and then `DestructionExecuted` here; after a crash it resumes from this event.
 */
export type DestructionExecutionStarted = DomainEvent<
  'DestructionExecutionStarted',
  {
    readonly listId: string;
    readonly destroyedOn: string;
    readonly executedBy: ExecutingArchivist;
    readonly archiveCodes: readonly string[];
  }
>;

/** An item refused destruction during execution (a hold or loan placed after it began, D1): it was not destroyed. */
export type DestructionItemWithheld = DomainEvent<
  'DestructionItemWithheld',
  {
    readonly listId: string;
    readonly archiveCode: string;
    readonly rule: string;
    readonly code: string;
    readonly message: string;
  }
>;

/** Every item was destroyed (or withheld): the list is executed (D6). */
export type DestructionExecuted = DomainEvent<
  'DestructionExecuted',
  {
    readonly listId: string;
    readonly destroyedOn: string;
    readonly destroyed: readonly string[];
    readonly withheld: readonly string[];
  }
>;

/** A witness signed after the destruction (D5). */
export type DestructionWitnessSigned = DomainEvent<
  'DestructionWitnessSigned',
  {
    readonly listId: string;
    readonly capacity: WitnessCapacity;
    readonly witness: PersonRef;
    readonly remark?: string;
  }
>;

/** Every witness has signed after the destruction: the list is complete (D5, D7). */
export type DestructionListCompleted = DomainEvent<'DestructionListCompleted', { readonly listId: string }>;

export type DestructionListEvent =
  | DestructionListDrafted
  | DestructionItemAdded
  | DestructionItemRemoved
  | DestructionListSigned
  | DestructionListApproved
  | DestructionListRefused
  | DestructionListCancelled
  | WitnessCheckRecorded
  | DestructionExecutionStarted
  | DestructionItemWithheld
  | DestructionExecuted
  | DestructionWitnessSigned
  | DestructionListCompleted;

/** Stable type strings, as stored. */
export const DESTRUCTION_LIST_EVENT_TYPES = [
  'DestructionListDrafted',
  'DestructionItemAdded',
  'DestructionItemRemoved',
  'DestructionListSigned',
  'DestructionListApproved',
  'DestructionListRefused',
  'DestructionListCancelled',
  'WitnessCheckRecorded',
  'DestructionExecutionStarted',
  'DestructionItemWithheld',
  'DestructionExecuted',
  'DestructionWitnessSigned',
  'DestructionListCompleted',
] as const satisfies readonly DestructionListEvent['type'][];

/** The stream of one list. */
export function destructionListStream(listId: string): string {
  return `destruction-${listId}`;
}

export const DESTRUCTION_STREAM_PREFIX = 'destruction-';

/** `XH-{YYYYMMDD}-{8 hex}` (XH: 销毁), e.g. `XH-20260301-4F2A9C01`. */
export const LIST_ID_PATTERN = /^XH-\d{8}-[0-9A-F]{8}$/;
