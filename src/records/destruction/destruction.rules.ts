import type { Actor } from '../../domain-kernel/actor';
import { DomainError, forbidden, ruleBroken } from '../../domain-kernel/domain-error';
import type { DestroyRecord } from '../record.commands';
import type { RecordEvent } from '../record.events';
import { hasRole } from '../record.rules';
import { activeHolds, retentionExpiresOn, type FiledRecord } from '../record.state';

/** Who carries a destruction out: the archivist who executes the list (D6). */
export const DESTRUCTION_EXECUTOR_ROLE = 'archivist';

/** D6: a destroyed record refuses every further command; only its history can still be read. */
export function requireNotDestroyed(record: FiledRecord): void {
  if (record.destroyed) {
    throw ruleBroken(
      'D6',
      'RECORD_DESTROYED',
      `the record was destroyed on ${record.destroyed.destroyedOn} (destruction list ${record.destroyed.listId}); it refuses every command, only its history can be read`,
    );
  }
}

/**
 * D1: why the record cannot be destroyed today, or undefined when it can. Only records whose
 * retention has expired (R4), that were appraised as releasable (R5), are not on loan, not under
 * hold (R6) and not PERMANENT (R3) can be put on a destruction list — checked when an item is
 * added, again when the list is executed, and once more when each record is destroyed.
 */
export function destructionBlocker(record: FiledRecord, now: Date): DomainError | undefined {
  if (record.destroyed) {
    return ruleBroken(
      'D6',
      'RECORD_DESTROYED',
      `the record was already destroyed on ${record.destroyed.destroyedOn} (list ${record.destroyed.listId})`,
    );
  }
  if (record.transfer) {
    return ruleBroken('D1', 'RECORD_NOT_IN_CUSTODY', 'the record was transferred out of custody (X1)');
  }
  if (record.missing) {
    return ruleBroken(
      'D1',
      'RECORD_MISSING',
      `the record is flagged missing since stock-take ${record.missing.stockTakeId} (X2): it cannot be destroyed until found`,
    );
  }
  const expiresOn = retentionExpiresOn(record.metadata);
  if (expiresOn === undefined) {
    return ruleBroken('D1', 'PERMANENT_NEVER_DESTROYED', 'PERMANENT records are never destroyed (R3)');
  }
  if (now.toISOString().slice(0, 10) < expiresOn) {
    return ruleBroken(
      'D1',
      'RETENTION_NOT_EXPIRED',
      `retention (${record.metadata.retentionClass}) expires on ${expiresOn}; only expired records can be destroyed (R4)`,
    );
  }
  if (!record.lastAppraisal) {
    return ruleBroken(
      'D1',
      'NOT_APPRAISED',
      'nothing is destroyed unappraised (R5): the committee has not appraised this record',
    );
  }
  if (!record.releasedForDestruction) {
    return ruleBroken(
      'D1',
      'NOT_RELEASED_FOR_DESTRUCTION',
      `the appraisal committee kept the record (${record.lastAppraisal.appraisalId}), or its retention was extended since it was released (R5)`,
    );
  }
  const holds = activeHolds(record);
  if (holds.length > 0) {
    return ruleBroken(
      'D1',
      'RECORD_UNDER_HOLD',
      `the record is frozen by ${holds.map((h) => `${h.kind} hold ${h.holdId}`).join(', ')} (R6)`,
    );
  }
  const out = record.loans.filter((l) => l.status === 'out');
  if (out.length > 0) {
    return ruleBroken(
      'D1',
      'RECORD_ON_LOAN',
      `the record is out on loan ${out.map((l) => l.loanId).join(', ')}`,
    );
  }
  return undefined;
}

/**
 * 销毁 (D6): the record is destroyed as an item of an executed list, citing the list, its
 * signatures and its witnesses. D1 is checked once more here, under the record's own
 * optimistic concurrency, so a hold or loan placed after execution began still stops it.
 */
export function destroyRecord(
  command: DestroyRecord,
  record: FiledRecord,
  actor: Actor,
  now: Date,
): RecordEvent[] {
  if (!hasRole(actor, DESTRUCTION_EXECUTOR_ROLE)) {
    throw forbidden('ROLE_REQUIRED', 'D6: a destruction list is executed by an archivist');
  }
  const blocker = destructionBlocker(record, now);
  if (blocker) throw blocker;
  const { listId, destroyedOn, policyVersion, signatures, witnesses, electronicContent } = command;
  return [
    {
      type: 'Destroyed',
      data: {
        listId,
        destroyedOn,
        policyVersion,
        signatures: signatures.map(({ capacity, role, signer, opinion }) => ({
          capacity,
          role,
          signer: { id: signer.id, unit: signer.unit },
          opinion,
        })),
        witnesses: witnesses.map(({ capacity, witness }) => ({
          capacity,
          witness: { id: witness.id, unit: witness.unit },
        })),
        electronicContent,
      },
    },
  ];
}

/** The D1 refusal as plain data, for lists and the execution record. */
export function describeBlocker(error: DomainError): { rule: string; code: string; message: string } {
  return { rule: error.details.rule ?? 'D1', code: error.code, message: error.message };
}
