import { classificationRank, type Actor } from '../domain-kernel/actor';
import { notFound } from '../domain-kernel/domain-error';
import type { PersonRef } from './record.events';
import type { FiledRecord, LoanState, RecordState } from './record.state';

/**
 * Rules shared by every command on a filed record. A2: nobody sees a record above their
 * clearance, so to such a caller the record does not exist (404, the same answer as for an
 * archive code never used).
 */
export function requireVisibleRecord(state: RecordState, actor: Actor): FiledRecord {
  if (
    state.status !== 'filed' ||
    classificationRank(actor.clearance) < classificationRank(state.metadata.classification)
  ) {
    throw notFound('RECORD_NOT_FOUND', 'No record with this archive code is visible to you');
  }
  return state;
}

export function requireLoan(record: FiledRecord, loanId: string): LoanState {
  const loan = record.loans.find((l) => l.loanId === loanId);
  if (!loan) throw notFound('LOAN_NOT_FOUND', `No loan ${loanId} is registered`);
  return loan;
}

/** The acting person as recorded inside event data. */
export function personRef(actor: Actor): PersonRef {
  return { id: actor.id, unit: actor.unit };
}

export function hasRole(actor: Actor, role: string): boolean {
  return actor.roles.includes(role);
}
