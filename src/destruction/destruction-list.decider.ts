import { classificationRank, type Actor } from '../domain-kernel/actor';
import { assertNever, type Decider } from '../domain-kernel/decider';
import {
  conflict,
  DomainError,
  forbidden,
  invalid,
  notFound,
  ruleBroken,
  type FieldProblem,
} from '../domain-kernel/domain-error';
import { describeBlocker, destructionBlocker } from '../records/destruction/destruction.rules';
import type { PersonRef } from '../records/record.events';
import { requireVisibleRecord } from '../records/record.rules';
import { recordUnit, type FiledRecord, type RecordState } from '../records/record.state';
import type {
  DestructionItem,
  DestructionListEvent,
  DestructionSignature,
  ExecutingArchivist,
  WitnessCapacity,
  WitnessCheck,
} from './destruction-list.events';
import type { DestructionSigningPolicy, SignerUnit, SigningRequirement } from './destruction-signing.policy';

// ── Commands ────────────────────────────────────────────────────────────────────────────────────

/** 编制销毁清册 — an archivist drafts a list for one business department's records. */
export interface DraftDestructionList {
  readonly type: 'DraftDestructionList';
  readonly listId: string;
  readonly title: string;
  readonly businessUnit: string;
  /** The signing policy in force, looked up by the handler (D3). */
  readonly policy: DestructionSigningPolicy;
}

/** Add a record (D1, D2, D4). `record` is the record's state, read by the handler from its own stream. */
export interface AddDestructionItem {
  readonly type: 'AddDestructionItem';
  readonly archiveCode: string;
  readonly record: RecordState;
}

export interface RemoveDestructionItem {
  readonly type: 'RemoveDestructionItem';
  readonly archiveCode: string;
  readonly reason: string;
}

/** A signer's opinion (D3): approve, or refuse (which closes the list). */
export interface SignDestructionList {
  readonly type: 'SignDestructionList';
  /** The capacity signed in; may be left out when the caller fills exactly one outstanding capacity. */
  readonly capacity?: string;
  readonly decision: 'approve' | 'refuse';
  readonly opinion: string;
}

/** A witness's check before destruction (D5): what they counted and which codes they found. */
export interface RecordWitnessCheck {
  readonly type: 'RecordWitnessCheck';
  readonly itemCount: number;
  readonly archiveCodes: readonly string[];
  readonly notes?: string;
}

/** Order execution (D6). `records` are the items' current states, read by the handler for the D1 re-check. */
export interface StartDestructionExecution {
  readonly type: 'StartDestructionExecution';
  readonly records: readonly { readonly archiveCode: string; readonly record: RecordState }[];
}

/** Sent by the execution process: an item refused destruction during execution (D1). */
export interface WithholdDestructionItem {
  readonly type: 'WithholdDestructionItem';
  readonly archiveCode: string;
  readonly rule: string;
  readonly code: string;
  readonly message: string;
}

/** Sent by the execution process once every item is destroyed or withheld. */
export interface CompleteDestructionExecution {
  readonly type: 'CompleteDestructionExecution';
}

/** A witness signs after the destruction (D5). */
export interface SignAsWitness {
  readonly type: 'SignAsWitness';
  readonly remark?: string;
}

export interface CancelDestructionList {
  readonly type: 'CancelDestructionList';
  readonly reason: string;
}

export type DestructionListCommand =
  | DraftDestructionList
  | AddDestructionItem
  | RemoveDestructionItem
  | SignDestructionList
  | RecordWitnessCheck
  | StartDestructionExecution
  | WithholdDestructionItem
  | CompleteDestructionExecution
  | SignAsWitness
  | CancelDestructionList;

// ── State ───────────────────────────────────────────────────────────────────────────────────────

/**
 * `draft` (items can change) → `signing` (first signature: items locked, D4) → `approved` (every
 * capacity signed, D3) → `executing` → `executed` → `completed` (witnesses signed after, D5);
 * or `refused` (one refusal, D3) / `cancelled`.
 */
export type DestructionListStatus =
  'draft' | 'signing' | 'approved' | 'refused' | 'cancelled' | 'executing' | 'executed' | 'completed';

export interface DestructionListState {
  readonly status: DestructionListStatus;
  readonly listId: string;
  readonly title: string;
  readonly businessUnit: string;
  readonly policy: DestructionSigningPolicy;
  readonly draftedBy: PersonRef;
  readonly items: readonly DestructionItem[];
  readonly signatures: readonly DestructionSignature[];
  readonly refusal?: DestructionSignature;
  /** The latest check of each witness (D5). */
  readonly witnessChecks: readonly WitnessCheck[];
  readonly witnessSignatures: readonly { readonly capacity: WitnessCapacity; readonly witness: PersonRef }[];
  readonly execution?: {
    readonly destroyedOn: string;
    readonly executedBy: ExecutingArchivist;
    readonly archiveCodes: readonly string[];
  };
  readonly withheld: readonly string[];
  readonly destroyed: readonly string[];
}

export type DestructionList = { readonly status: 'none' } | DestructionListState;

export function evolveDestructionList(list: DestructionList, event: DestructionListEvent): DestructionList {
  if (event.type === 'DestructionListDrafted') {
    const { listId, title, businessUnit, policy, draftedBy } = event.data;
    return {
      status: 'draft',
      listId,
      title,
      businessUnit,
      policy,
      draftedBy,
      items: [],
      signatures: [],
      witnessChecks: [],
      witnessSignatures: [],
      withheld: [],
      destroyed: [],
    };
  }
  if (list.status === 'none') return list;
  switch (event.type) {
    case 'DestructionItemAdded':
      return { ...list, items: [...list.items, event.data.item] };
    case 'DestructionItemRemoved':
      return { ...list, items: list.items.filter((i) => i.archiveCode !== event.data.archiveCode) };
    case 'DestructionListSigned':
      return { ...list, status: 'signing', signatures: [...list.signatures, event.data.signature] };
    case 'DestructionListApproved':
      return { ...list, status: 'approved' };
    case 'DestructionListRefused':
      return { ...list, status: 'refused', refusal: event.data.signature };
    case 'DestructionListCancelled':
      return { ...list, status: 'cancelled' };
    case 'WitnessCheckRecorded': {
      const { check } = event.data;
      return {
        ...list,
        witnessChecks: [...list.witnessChecks.filter((c) => c.witness.id !== check.witness.id), check],
      };
    }
    case 'DestructionExecutionStarted': {
      const { destroyedOn, executedBy, archiveCodes } = event.data;
      return { ...list, status: 'executing', execution: { destroyedOn, executedBy, archiveCodes } };
    }
    case 'DestructionItemWithheld':
      return { ...list, withheld: [...list.withheld, event.data.archiveCode] };
    case 'DestructionExecuted':
      return { ...list, status: 'executed', destroyed: event.data.destroyed, withheld: event.data.withheld };
    case 'DestructionWitnessSigned': {
      const { capacity, witness } = event.data;
      return { ...list, witnessSignatures: [...list.witnessSignatures, { capacity, witness }] };
    }
    case 'DestructionListCompleted':
      return { ...list, status: 'completed' };
    default:
      return assertNever(event);
  }
}

// ── Derived facts ───────────────────────────────────────────────────────────────────────────────

const SECRET_RANK = classificationRank('SECRET');

/** D5: a list holding a SECRET-or-above record also needs the security officer. */
export function isClassifiedList(list: Pick<DestructionListState, 'items'>): boolean {
  return list.items.some((i) => classificationRank(i.classification) >= SECRET_RANK);
}

/** The capacities of the list's policy not yet signed (D3). */
export function outstandingCapacities(list: DestructionListState): readonly SigningRequirement[] {
  const signed = new Set(list.signatures.map((s) => s.capacity));
  return list.policy.signatures.filter((r) => !signed.has(r.capacity));
}

/** The witness capacities the list needs before it can be executed (D5). */
export function requiredWitnessCapacities(list: DestructionListState): readonly WitnessCapacity[] {
  return isClassifiedList(list) ? ['archive', 'business', 'security'] : ['archive', 'business'];
}

function unitOf(of: SignerUnit, list: DestructionListState): string {
  switch (of) {
    case 'office_unit':
      return list.policy.officeUnit;
    case 'archive_unit':
      return list.policy.archiveUnit;
    case 'business_unit':
      return list.businessUnit;
    default:
      return assertNever(of);
  }
}

function fills(requirement: SigningRequirement, actor: Actor, list: DestructionListState): boolean {
  return (
    actor.roles.includes(requirement.role) &&
    (requirement.of === undefined || actor.unit === unitOf(requirement.of, list))
  );
}

/** 已保管年限: whole years since retention began, 1 January after the year formed (R1). */
export function yearsKept(dateFormed: string, now: Date): number {
  const began = Number(dateFormed.slice(0, 4)) + 1;
  return Math.max(0, now.getUTCFullYear() - began);
}

const person = (actor: Actor): PersonRef => ({ id: actor.id, unit: actor.unit });

// ── Rules ───────────────────────────────────────────────────────────────────────────────────────

/** Who compiles a destruction list (编制), adds and removes its items, and executes it. */
export const LIST_ARCHIVIST_ROLE = 'archivist';
/** Who may cancel a list before it is executed. */
export const LIST_CANCELLER_ROLES = ['archivist', 'archive_department_head'] as const;
export const WITNESS_ROLE = 'witness';
export const SECURITY_OFFICER_ROLE = 'security_officer';

function requireArchivist(actor: Actor, what: string): void {
  if (!actor.roles.includes(LIST_ARCHIVIST_ROLE)) {
    throw forbidden('ROLE_REQUIRED', `${what} is done by an archivist`);
  }
}

function requireList(list: DestructionList): DestructionListState {
  if (list.status === 'none') throw notFound('DESTRUCTION_LIST_NOT_FOUND', 'No such destruction list');
  return list;
}

function requireOpen(list: DestructionListState): void {
  if (list.status === 'refused' || list.status === 'cancelled') {
    throw conflict(
      'DESTRUCTION_LIST_CLOSED',
      `list ${list.listId} was ${list.status}; it takes no further step`,
      'D3',
    );
  }
}

function requireText(value: string | undefined, field: string, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid('TEXT_REQUIRED', what, [{ field, problems: [`${field} is required`] }]);
  }
}

/** D4: items change only while nobody has signed. */
function requireUnsigned(list: DestructionListState): void {
  requireOpen(list);
  if (list.status !== 'draft') {
    throw conflict(
      'DESTRUCTION_LIST_SIGNED',
      `D4: no items can be added to or removed from list ${list.listId} once the first signature is on it`,
      'D4',
    );
  }
}

function draft(command: DraftDestructionList, list: DestructionList, actor: Actor): DestructionListEvent[] {
  requireArchivist(actor, 'D2: a destruction list');
  if (list.status !== 'none')
    throw conflict('DESTRUCTION_LIST_EXISTS', `list ${command.listId} exists already`);
  const problems: FieldProblem[] = [];
  if (command.title.trim() === '') problems.push({ field: 'title', problems: ['title is required'] });
  if (command.businessUnit === command.policy.archiveUnit) {
    problems.push({
      field: 'businessUnit',
      problems: ['must be a business department, not the archives department: D5 needs witnesses from both'],
    });
  }
  if (problems.length > 0)
    throw invalid('DESTRUCTION_LIST_INVALID', 'The list cannot be drafted as sent', problems);
  return [
    {
      type: 'DestructionListDrafted',
      data: {
        listId: command.listId,
        title: command.title,
        businessUnit: command.businessUnit,
        policy: command.policy,
        draftedBy: person(actor),
      },
    },
  ];
}

function addItem(
  { archiveCode, record: recordState }: AddDestructionItem,
  list: DestructionListState,
  actor: Actor,
  now: Date,
): DestructionListEvent[] {
  requireArchivist(actor, 'D2: listing a record for destruction');
  requireUnsigned(list);
  const record: FiledRecord = requireVisibleRecord(recordState, actor);
  if (list.items.some((i) => i.archiveCode === archiveCode)) {
    throw conflict('ITEM_ALREADY_LISTED', `${archiveCode} is on list ${list.listId} already`);
  }
  const blocker = destructionBlocker(record, now);
  if (blocker) throw blocker;
  const unit = recordUnit(record.metadata);
  if (unit !== list.businessUnit) {
    throw ruleBroken(
      'D3',
      'ITEM_OF_ANOTHER_UNIT',
      `${archiveCode} belongs to ${unit}; list ${list.listId} is signed and witnessed for ${list.businessUnit}'s records`,
    );
  }
  const m = record.metadata;
  const item: DestructionItem = {
    archiveCode,
    documentNumber: m.documentNumber ?? null,
    responsibleParty: m.responsibleParty,
    title: m.title,
    dateFormed: m.dateFormed,
    retentionClass: m.retentionClass,
    yearsKept: yearsKept(m.dateFormed, now),
    classification: m.classification,
    appraisalId: record.releasedForDestruction?.appraisalId ?? '',
  };
  return [{ type: 'DestructionItemAdded', data: { listId: list.listId, item, addedBy: person(actor) } }];
}

function removeItem(
  { archiveCode, reason }: RemoveDestructionItem,
  list: DestructionListState,
  actor: Actor,
): DestructionListEvent[] {
  requireArchivist(actor, 'D4: removing an item');
  requireText(reason, 'reason', 'D4: an item is removed with a reason');
  requireUnsigned(list);
  if (!list.items.some((i) => i.archiveCode === archiveCode)) {
    throw notFound('ITEM_NOT_LISTED', `${archiveCode} is not on list ${list.listId}`);
  }
  return [
    {
      type: 'DestructionItemRemoved',
      data: { listId: list.listId, archiveCode, reason, removedBy: person(actor) },
    },
  ];
}

function sign(
  command: SignDestructionList,
  list: DestructionListState,
  actor: Actor,
): DestructionListEvent[] {
  if (command.decision !== 'approve' && command.decision !== 'refuse') {
    throw invalid('DECISION_INVALID', 'D3: a signature approves or refuses', [
      { field: 'decision', problems: ['must be approve or refuse'] },
    ]);
  }
  requireText(command.opinion, 'opinion', 'D3: every signature carries its opinion (意见)');
  requireOpen(list);
  if (list.status !== 'draft' && list.status !== 'signing') {
    throw conflict(
      'DESTRUCTION_LIST_SIGNED_BY_ALL',
      `list ${list.listId} is ${list.status}: every signature is in`,
      'D3',
    );
  }
  if (list.items.length === 0) {
    throw ruleBroken('D3', 'DESTRUCTION_LIST_EMPTY', 'an empty list is not signed: add its items first');
  }
  const outstanding = outstandingCapacities(list);
  let requirement: SigningRequirement | undefined;
  if (command.capacity !== undefined) {
    requirement = list.policy.signatures.find((r) => r.capacity === command.capacity);
    if (!requirement) {
      throw invalid('CAPACITY_UNKNOWN', `D3: list ${list.listId} has no capacity ${command.capacity}`, [
        {
          field: 'capacity',
          problems: [`must be one of ${list.policy.signatures.map((r) => r.capacity).join(', ')}`],
        },
      ]);
    }
    if (!fills(requirement, actor, list)) throw notASigner(list, requirement);
    if (!outstanding.includes(requirement)) {
      throw conflict(
        'CAPACITY_ALREADY_SIGNED',
        `D3: ${requirement.capacity} has signed list ${list.listId} already`,
        'D3',
      );
    }
  } else {
    const candidates = outstanding.filter((r) => fills(r, actor, list));
    if (candidates.length === 0) {
      const signedOne = list.policy.signatures.some((r) => fills(r, actor, list));
      if (signedOne) {
        throw conflict(
          'CAPACITY_ALREADY_SIGNED',
          `D3: every capacity you could sign list ${list.listId} in has signed`,
          'D3',
        );
      }
      throw notASigner(list);
    }
    if (candidates.length > 1) {
      throw invalid('CAPACITY_AMBIGUOUS', 'D3: you could sign in more than one capacity; name it', [
        { field: 'capacity', problems: [`must be one of ${candidates.map((r) => r.capacity).join(', ')}`] },
      ]);
    }
    requirement = candidates[0];
  }
  if (list.signatures.some((s) => s.signer.id === actor.id)) {
    throw ruleBroken(
      'D3',
      'SIGNER_NOT_DISTINCT',
      'each signer is a distinct person: you have signed this list already',
    );
  }
  const signature: DestructionSignature = {
    capacity: requirement.capacity,
    role: requirement.role,
    ...(requirement.of !== undefined ? { unit: unitOf(requirement.of, list) } : {}),
    signer: person(actor),
    opinion: command.opinion,
  };
  if (command.decision === 'refuse') {
    return [{ type: 'DestructionListRefused', data: { listId: list.listId, signature } }];
  }
  const remaining = outstanding.length - 1;
  const signed: DestructionListEvent = {
    type: 'DestructionListSigned',
    data: { listId: list.listId, signature, outstanding: remaining },
  };
  if (remaining > 0) return [signed];
  return [
    signed,
    {
      type: 'DestructionListApproved',
      data: {
        listId: list.listId,
        policyVersion: list.policy.version,
        signatures: [...list.signatures, signature],
      },
    },
  ];
}

function notASigner(list: DestructionListState, requirement?: SigningRequirement): DomainError {
  const what = requirement
    ? `${requirement.capacity} is signed by a ${requirement.role}${requirement.of ? ` of ${unitOf(requirement.of, list)}` : ''}`
    : `you hold none of the roles list ${list.listId} still needs (${outstandingCapacities(list)
        .map((r) => `${r.capacity}: ${r.role}${r.of ? ` of ${unitOf(r.of, list)}` : ''}`)
        .join('; ')})`;
  return new DomainError('forbidden', 'NOT_A_REQUIRED_SIGNER', `D3: ${what}`, { rule: 'D3' });
}

function witnessCapacityOf(actor: Actor, list: DestructionListState): WitnessCapacity {
  if (actor.roles.includes(WITNESS_ROLE)) {
    if (actor.unit === list.policy.archiveUnit) return 'archive';
    if (actor.unit === list.businessUnit) return 'business';
  }
  if (actor.roles.includes(SECURITY_OFFICER_ROLE)) {
    if (!isClassifiedList(list)) {
      throw ruleBroken('D5', 'SECURITY_OFFICER_NOT_NEEDED', `list ${list.listId} holds no classified record`);
    }
    return 'security';
  }
  throw ruleBroken(
    'D5',
    'WITNESS_UNIT',
    `witnesses come from the archives department (${list.policy.archiveUnit}) and the business department (${list.businessUnit}); you are of ${actor.unit}`,
  );
}

function checkWitness(
  command: RecordWitnessCheck,
  list: DestructionListState,
  actor: Actor,
): DestructionListEvent[] {
  const problems: FieldProblem[] = [];
  if (!Number.isSafeInteger(command.itemCount) || command.itemCount < 0) {
    problems.push({ field: 'itemCount', problems: ['must be the number of items counted: 0 or more'] });
  }
  if (!Array.isArray(command.archiveCodes)) {
    problems.push({ field: 'archiveCodes', problems: ['must list the archive codes found'] });
  }
  if (problems.length > 0)
    throw invalid('WITNESS_CHECK_INVALID', 'D5: the check cannot be recorded as sent', problems);
  requireOpen(list);
  if (list.status !== 'approved') {
    throw ruleBroken(
      'D5',
      list.status === 'draft' || list.status === 'signing' ? 'SIGNATURES_MISSING' : 'ALREADY_EXECUTED',
      `witnesses check the items of an approved list before it is executed; list ${list.listId} is ${list.status}`,
    );
  }
  const capacity = witnessCapacityOf(actor, list);
  const other = list.witnessChecks.find((c) => c.capacity === capacity && c.witness.id !== actor.id);
  if (other) {
    throw ruleBroken(
      'D5',
      'WITNESS_UNIT_TAKEN',
      `the ${capacity} witness of list ${list.listId} is ${other.witness.id} (${other.witness.unit}): witnesses are different people from different units`,
    );
  }
  const elsewhere = list.witnessChecks.find((c) => c.capacity !== capacity && c.witness.id === actor.id);
  if (elsewhere) {
    throw ruleBroken(
      'D5',
      'WITNESS_NOT_DISTINCT',
      `you witness list ${list.listId} as ${elsewhere.capacity} already`,
    );
  }
  const listed = list.items.map((i) => i.archiveCode);
  const found = [...new Set(command.archiveCodes)];
  const discrepancies: string[] = [];
  if (command.itemCount !== listed.length) {
    discrepancies.push(`counted ${command.itemCount} item(s); the list has ${listed.length}`);
  }
  for (const code of listed) if (!found.includes(code)) discrepancies.push(`missing: ${code}`);
  for (const code of found) if (!listed.includes(code)) discrepancies.push(`not on the list: ${code}`);
  const check: WitnessCheck = {
    capacity,
    witness: person(actor),
    itemCount: command.itemCount,
    archiveCodes: found,
    matched: discrepancies.length === 0,
    discrepancies,
    ...(command.notes !== undefined && command.notes.trim() !== '' ? { notes: command.notes } : {}),
  };
  return [{ type: 'WitnessCheckRecorded', data: { listId: list.listId, check } }];
}

function startExecution(
  { records }: StartDestructionExecution,
  list: DestructionListState,
  actor: Actor,
  now: Date,
): DestructionListEvent[] {
  requireArchivist(actor, 'D6: executing a destruction list');
  requireOpen(list);
  if (list.status === 'draft' || list.status === 'signing') {
    throw ruleBroken(
      'D3',
      'SIGNATURES_MISSING',
      `list ${list.listId} has ${list.signatures.length} of ${list.policy.signatures.length} signatures; still to sign: ${outstandingCapacities(
        list,
      )
        .map((r) => r.capacity)
        .join(', ')}`,
    );
  }
  if (list.status !== 'approved') {
    throw conflict('ALREADY_EXECUTED', `list ${list.listId} is ${list.status}`, 'D6');
  }
  for (const capacity of requiredWitnessCapacities(list)) {
    const check = list.witnessChecks.find((c) => c.capacity === capacity);
    if (!check) {
      throw ruleBroken(
        'D5',
        'WITNESSES_MISSING',
        capacity === 'security'
          ? 'the list holds classified records: the security officer must check the items too'
          : `the ${capacity} department's witness has not checked the items against the list`,
      );
    }
    if (!check.matched) {
      throw ruleBroken(
        'D5',
        'WITNESS_CHECK_DISCREPANCY',
        `${check.witness.id}'s check does not agree with the list: ${check.discrepancies.join('; ')}`,
      );
    }
  }
  // D1 again: a hold or loan placed since the item was listed stops the execution.
  const blockers: { archiveCode: string; error: DomainError }[] = [];
  for (const item of list.items) {
    const found = records.find((r) => r.archiveCode === item.archiveCode);
    const record = requireVisibleRecord(found?.record ?? { status: 'not_filed' }, actor);
    const blocker = destructionBlocker(record, now);
    if (blocker) blockers.push({ archiveCode: item.archiveCode, error: blocker });
  }
  if (blockers.length > 0) {
    const [first] = blockers;
    throw new DomainError(
      first.error.kind,
      first.error.code,
      `${first.error.details.rule ?? 'D1'}: list ${list.listId} cannot be executed: ${blockers
        .map((b) => `${b.archiveCode}: ${describeBlocker(b.error).message}`)
        .join('; ')}`,
      { rule: first.error.details.rule ?? 'D1' },
    );
  }
  return [
    {
      type: 'DestructionExecutionStarted',
      data: {
        listId: list.listId,
        destroyedOn: now.toISOString().slice(0, 10),
        executedBy: { id: actor.id, unit: actor.unit, roles: [...actor.roles], clearance: actor.clearance },
        archiveCodes: list.items.map((i) => i.archiveCode),
      },
    },
  ];
}

function requireExecuting(list: DestructionListState): NonNullable<DestructionListState['execution']> {
  if (list.status !== 'executing' || !list.execution) {
    throw conflict('NOT_EXECUTING', `list ${list.listId} is ${list.status}, not executing`, 'D6');
  }
  return list.execution;
}

function withhold(
  command: WithholdDestructionItem,
  list: DestructionListState,
  actor: Actor,
): DestructionListEvent[] {
  requireArchivist(actor, 'D6: executing a destruction list');
  const execution = requireExecuting(list);
  if (!execution.archiveCodes.includes(command.archiveCode)) {
    throw notFound('ITEM_NOT_LISTED', `${command.archiveCode} is not on list ${list.listId}`);
  }
  if (list.withheld.includes(command.archiveCode)) return [];
  const { archiveCode, rule, code, message } = command;
  return [
    { type: 'DestructionItemWithheld', data: { listId: list.listId, archiveCode, rule, code, message } },
  ];
}

function complete(list: DestructionListState, actor: Actor): DestructionListEvent[] {
  requireArchivist(actor, 'D6: executing a destruction list');
  const execution = requireExecuting(list);
  return [
    {
      type: 'DestructionExecuted',
      data: {
        listId: list.listId,
        destroyedOn: execution.destroyedOn,
        destroyed: execution.archiveCodes.filter((c) => !list.withheld.includes(c)),
        withheld: [...list.withheld],
      },
    },
  ];
}

function signAsWitness(
  { remark }: SignAsWitness,
  list: DestructionListState,
  actor: Actor,
): DestructionListEvent[] {
  if (list.status !== 'executed') {
    throw ruleBroken(
      'D5',
      'NOT_YET_DESTROYED',
      `witnesses sign after the destruction; list ${list.listId} is ${list.status}`,
    );
  }
  const check = list.witnessChecks.find((c) => c.witness.id === actor.id);
  if (!check) {
    throw new DomainError(
      'forbidden',
      'NOT_A_WITNESS',
      `D5: you did not check list ${list.listId} before the destruction`,
      {
        rule: 'D5',
      },
    );
  }
  if (list.witnessSignatures.some((s) => s.witness.id === actor.id)) {
    throw conflict('WITNESS_ALREADY_SIGNED', `you have signed list ${list.listId} as witness already`, 'D5');
  }
  const signed: DestructionListEvent = {
    type: 'DestructionWitnessSigned',
    data: {
      listId: list.listId,
      capacity: check.capacity,
      witness: person(actor),
      ...(remark !== undefined && remark.trim() !== '' ? { remark } : {}),
    },
  };
  const allSigned = list.witnessChecks.every(
    (c) => c.witness.id === actor.id || list.witnessSignatures.some((s) => s.witness.id === c.witness.id),
  );
  return allSigned ? [signed, { type: 'DestructionListCompleted', data: { listId: list.listId } }] : [signed];
}

function cancel(
  { reason }: CancelDestructionList,
  list: DestructionListState,
  actor: Actor,
): DestructionListEvent[] {
  if (!LIST_CANCELLER_ROLES.some((r) => actor.roles.includes(r))) {
    throw forbidden(
      'ROLE_REQUIRED',
      'a destruction list is cancelled by an archivist or the archive department head',
    );
  }
  requireText(reason, 'reason', 'a list is cancelled with a reason');
  requireOpen(list);
  if (list.status !== 'draft' && list.status !== 'signing' && list.status !== 'approved') {
    throw conflict(
      'ALREADY_EXECUTED',
      `list ${list.listId} is ${list.status}: it can no longer be cancelled`,
      'D7',
    );
  }
  return [
    { type: 'DestructionListCancelled', data: { listId: list.listId, reason, cancelledBy: person(actor) } },
  ];
}

/** The decider of stream `destruction-{listId}` (销毁清册). */
export const destructionListDecider: Decider<DestructionListCommand, DestructionListEvent, DestructionList> =
  {
    initialState: () => ({ status: 'none' }),
    evolve: evolveDestructionList,
    decide(command, state, { actor, now }) {
      if (command.type === 'DraftDestructionList') return draft(command, state, actor);
      const list = requireList(state);
      switch (command.type) {
        case 'AddDestructionItem':
          return addItem(command, list, actor, now);
        case 'RemoveDestructionItem':
          return removeItem(command, list, actor);
        case 'SignDestructionList':
          return sign(command, list, actor);
        case 'RecordWitnessCheck':
          return checkWitness(command, list, actor);
        case 'StartDestructionExecution':
          return startExecution(command, list, actor, now);
        case 'WithholdDestructionItem':
          return withhold(command, list, actor);
        case 'CompleteDestructionExecution':
          return complete(list, actor);
        case 'SignAsWitness':
          return signAsWitness(command, list, actor);
        case 'CancelDestructionList':
          return cancel(command, list, actor);
        default:
          return assertNever(command);
      }
    },
  };
