import type { Actor } from '../../domain-kernel/actor';
import {
  conflict,
  forbidden,
  invalid,
  notFound,
  ruleBroken,
  type FieldProblem,
} from '../../domain-kernel/domain-error';
import type { DecideCorrection, ProposeCorrection } from '../record.commands';
import {
  CORRECTABLE_FIELDS,
  type CorrectableField,
  type MetadataChanges,
  type RecordEvent,
} from '../record.events';
import { hasRole, personRef } from '../record.rules';
import type { FiledRecord, PendingCorrection } from '../record.state';

/** The correctable fields a record may lack (F1): a correction may clear them with `null`. */
export const CLEARABLE_FIELDS: readonly CorrectableField[] = ['documentNumber', 'pageCount', 'counterparty'];

/** Who proposes corrections (修改) and who decides them (F5). */
export const CORRECTION_PROPOSER_ROLE = 'archivist';
export const CORRECTION_APPROVER_ROLE = 'archive_department_head';

/** Correction ids are numbered per record: C1, C2 … (one may be pending at a time). */
export function correctionIdFor(correctionNumber: number): string {
  return `C${correctionNumber}`;
}

const CORRECTION_ID_PATTERN = /^C([1-9]\d{0,8})$/;

/**
 * 修改 proposed (F5). Metadata is never edited in place: the correction carries the fields before
 * and after and the reason, and waits for the archive department head.
 */
export function proposeCorrection(
  { changes, reason }: ProposeCorrection,
  record: FiledRecord,
  actor: Actor,
): RecordEvent[] {
  if (!hasRole(actor, CORRECTION_PROPOSER_ROLE)) {
    throw forbidden('ROLE_REQUIRED', 'F5: corrections are proposed by an archivist');
  }
  if (isBlank(reason)) {
    throw invalid('REASON_REQUIRED', 'F5: a correction states its reason', [
      { field: 'reason', problems: ['reason is required'] },
    ]);
  }
  const fields = Object.keys(changes).filter((f) => (changes as Record<string, unknown>)[f] !== undefined);
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    if (!(CORRECTABLE_FIELDS as readonly string[]).includes(field)) {
      problems.push({
        field: `changes.${field}`,
        problems: [
          `${field} cannot be corrected (archive code, fonds, category and year are identity; retention and classification have their own paths)`,
        ],
      });
    } else if (
      changes[field as CorrectableField] === null &&
      !CLEARABLE_FIELDS.includes(field as CorrectableField)
    ) {
      problems.push({ field: `changes.${field}`, problems: [`${field} is required and cannot be cleared`] });
    }
  }
  if (problems.length > 0) {
    throw invalid('CORRECTION_INVALID', 'F5: the correction cannot be applied as sent', problems);
  }
  if (fields.length === 0) {
    throw invalid('NO_CHANGE', 'F5: a correction must change at least one field', [
      { field: 'changes', problems: ['must name at least one field to change'] },
    ]);
  }
  if (record.pendingCorrection) {
    throw conflict(
      'CORRECTION_PENDING',
      `F5: correction ${record.pendingCorrection.correctionId} is still waiting for a decision; decide it first`,
      'F5',
    );
  }
  const current = record.metadata as unknown as Record<string, unknown>;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const unchanged: FieldProblem[] = [];
  for (const field of fields as CorrectableField[]) {
    const was = current[field] ?? null;
    const next = changes[field] ?? null;
    if (sameValue(was, next)) {
      unchanged.push({ field: `changes.${field}`, problems: [`${field} already has this value`] });
    }
    before[field] = copyValue(was);
    after[field] = copyValue(next);
  }
  if (unchanged.length > 0) {
    throw invalid(
      'NO_CHANGE',
      `F5: a correction must change what it names; ${unchanged.map((u) => u.field).join(', ')} would not change`,
      unchanged,
    );
  }
  return [
    {
      type: 'MetadataCorrectionProposed',
      data: {
        correctionId: correctionIdFor(record.corrections + 1),
        before: before as MetadataChanges,
        after: after as MetadataChanges,
        reason,
        proposedBy: personRef(actor),
      },
    },
  ];
}

/**
 * The archive department head approves or rejects the pending correction (F5). Nobody decides
 * their own correction; a rejection states why.
 */
export function decideCorrection(
  { correctionId, decision, reason }: DecideCorrection,
  record: FiledRecord,
  actor: Actor,
): RecordEvent[] {
  if (!hasRole(actor, CORRECTION_APPROVER_ROLE)) {
    throw forbidden('ROLE_REQUIRED', 'F5: corrections are decided by the archive department head');
  }
  const pending = requirePendingCorrection(record, correctionId);
  if (pending.proposedBy.id === actor.id) {
    throw ruleBroken(
      'F5',
      'SELF_APPROVAL',
      `nobody decides their own correction; ${correctionId} was proposed by you`,
    );
  }
  if (decision === 'approve') {
    const { before, after, reason: proposalReason, proposedBy } = pending;
    return [
      {
        type: 'MetadataCorrected',
        data: {
          correctionId,
          before,
          after,
          reason: proposalReason,
          proposedBy,
          approvedBy: personRef(actor),
        },
      },
    ];
  }
  if (reason === undefined || isBlank(reason)) {
    throw invalid('REASON_REQUIRED', 'F5: a rejected correction states why', [
      { field: 'reason', problems: ['reason is required when rejecting'] },
    ]);
  }
  return [
    { type: 'MetadataCorrectionRejected', data: { correctionId, rejectedBy: personRef(actor), reason } },
  ];
}

function requirePendingCorrection(record: FiledRecord, correctionId: string): PendingCorrection {
  if (record.pendingCorrection?.correctionId === correctionId) return record.pendingCorrection;
  const number = CORRECTION_ID_PATTERN.exec(correctionId);
  if (number && Number(number[1]) <= record.corrections) {
    throw conflict('CORRECTION_ALREADY_DECIDED', `F5: correction ${correctionId} was already decided`, 'F5');
  }
  throw notFound('CORRECTION_NOT_FOUND', `No correction ${correctionId} is waiting for a decision`);
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return a === b;
}

function copyValue(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : value;
}
