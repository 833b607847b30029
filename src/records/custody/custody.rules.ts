import type { Actor } from '../../domain-kernel/actor';
import { conflict, forbidden, invalid, ruleBroken, type DomainError } from '../../domain-kernel/domain-error';
import type { MarkMissing, RecordCommand, RecordFoundAgain, TransferRecord } from '../record.commands';
import type { RecordEvent } from '../record.events';
import { hasRole, personRef } from '../record.rules';
import { activeHolds, openLoans, type FiledRecord } from '../record.state';

/**
 * Custody (保管) of a record: whether we still hold it (X1 transfer), and whether it is where the
 * ledger says (X2 stock-taking). Pure; docs/disposition.md describes the behaviour.
 */

/** Who carries out a signed transfer list (X1). */
export const TRANSFER_EXECUTOR_ROLES = ['archivist', 'archive_department_head'] as const;

/**
 * What a transferred record still accepts: utilisation feedback on a loan that ended before the
 * transfer (B13) changes nothing we hold; the transfer itself, sent again, is a no-op. Everything
 * else — loans, holds, corrections, classification, retention, stock-taking, disposal — concerns
 * records in our custody and is refused with X1.
 */
const ACCEPTED_AFTER_TRANSFER: ReadonlySet<RecordCommand['type']> = new Set([
  'RecordUtilisation',
  'TransferRecord',
]);

/** What a record flagged missing (X2) cannot do until it is found: be handed over or transferred. */
const REFUSED_WHILE_MISSING: ReadonlySet<RecordCommand['type']> = new Set(['HandOverLoan', 'TransferRecord']);

/**
 * The guard every record command passes (after A2): a transferred record has left custody (X1);
 * a missing one cannot be handed over or transferred (X2).
 */
export function requireInCustody(command: RecordCommand, record: FiledRecord): void {
  if (record.transfer && !ACCEPTED_AFTER_TRANSFER.has(command.type)) {
    throw transferredError(record);
  }
  if (record.missing && REFUSED_WHILE_MISSING.has(command.type)) {
    throw missingError(record);
  }
}

/**
 * Why a record cannot be put on a transfer list or transferred now, first reason first; empty when
 * it can. The transfer list checks items with it when they are added and again at completion.
 */
export function transferBlockers(record: FiledRecord): DomainError[] {
  const blockers: DomainError[] = [];
  const code = record.metadata.archiveCode;
  if (record.transfer) blockers.push(transferredError(record));
  if (record.destroyed)
    blockers.push(ruleBroken('X1', 'RECORD_DESTROYED', `${code} was destroyed; it cannot be transferred`));
  const holds = activeHolds(record);
  if (holds.length > 0) {
    blockers.push(
      ruleBroken(
        'R6',
        'RECORD_HELD',
        `${code} is under ${holds.map((h) => `a ${h.kind} hold (${h.holdId})`).join(' and ')}: no transfer until released`,
      ),
    );
  }
  const loans = openLoans(record);
  if (loans.length > 0) {
    blockers.push(
      ruleBroken(
        'X1',
        'RECORD_ON_LOAN',
        `${code} has open loans (${loans.map((l) => `${l.loanId} ${l.status}`).join(', ')}): it is transferred once they are closed`,
      ),
    );
  }
  if (record.missing) blockers.push(missingError(record));
  return blockers;
}

/** 移交 (X1): the record leaves custody, once per transfer list; sending it again changes nothing. */
export function transferRecord(command: TransferRecord, record: FiledRecord, actor: Actor): RecordEvent[] {
  if (!TRANSFER_EXECUTOR_ROLES.some((role) => hasRole(actor, role))) {
    throw forbidden(
      'ROLE_REQUIRED',
      'X1: a transfer is carried out by an archivist or the archive department head',
    );
  }
  if (record.transfer?.transferId === command.transferId) return [];
  const [blocker] = transferBlockers(record);
  if (blocker) throw blocker;
  return [
    {
      type: 'Transferred',
      data: {
        transferId: command.transferId,
        receiver: command.receiver,
        receiptReference: command.receiptReference,
        approvedBy: command.approvedBy,
        transferredBy: personRef(actor),
        classification: record.metadata.classification,
      },
    },
  ];
}

/** X2: a closed stock-take did not find the record where the ledger says. Already flagged: nothing new. */
export function markMissing(command: MarkMissing, record: FiledRecord, actor: Actor): RecordEvent[] {
  requireArchivist(actor, 'a record is flagged missing by the archivist who closes the stock-take');
  if (record.missing) return [];
  const out = record.loans.find((l) => l.status === 'out');
  if (out) {
    throw ruleBroken(
      'X2',
      'RECORD_OUT_ON_LOAN',
      `${record.metadata.archiveCode} is out on loan ${out.loanId}: its substitute card accounts for it (B11)`,
    );
  }
  return [
    {
      type: 'MarkedMissing',
      data: {
        stockTakeId: command.stockTakeId,
        shelfLocation: record.metadata.shelfLocation,
        flaggedBy: personRef(actor),
      },
    },
  ];
}

/**
 * X2: a missing record was found. From a stock-take's close a record no longer missing is a no-op
 * (resumed after a restart, or found meanwhile); an archivist's own report on a record that is not
 * missing is a conflict.
 */
export function recordFoundAgain(
  command: RecordFoundAgain,
  record: FiledRecord,
  actor: Actor,
): RecordEvent[] {
  requireArchivist(actor, 'a missing record is reported found by an archivist');
  const location = command.location.trim();
  if (location.length === 0) {
    throw invalid('LOCATION_REQUIRED', 'X2: say where the record was found', [
      { field: 'location', problems: ['location is required'] },
    ]);
  }
  if (!record.missing) {
    if (command.stockTakeId !== undefined) return [];
    throw conflict(
      'RECORD_NOT_MISSING',
      `X2: ${record.metadata.archiveCode} is not flagged missing; a different shelf location is corrected with a metadata correction (F5)`,
      'X2',
    );
  }
  return [
    {
      type: 'FoundAgain',
      data: {
        ...(command.stockTakeId !== undefined ? { stockTakeId: command.stockTakeId } : {}),
        foundAt: location,
        foundBy: personRef(actor),
        ...(command.note !== undefined ? { note: command.note } : {}),
      },
    },
  ];
}

function requireArchivist(actor: Actor, why: string): void {
  if (!hasRole(actor, 'archivist')) throw forbidden('ROLE_REQUIRED', `X2: ${why}`);
}

function transferredError(record: FiledRecord): DomainError {
  const transfer = record.transfer;
  return ruleBroken(
    'X1',
    'RECORD_TRANSFERRED',
    `${record.metadata.archiveCode} was transferred to ${transfer?.receiver.organisation ?? 'another custodian'} (transfer list ${transfer?.transferId ?? '?'}) and is no longer in our custody`,
  );
}

function missingError(record: FiledRecord): DomainError {
  return ruleBroken(
    'X2',
    'RECORD_MISSING',
    `${record.metadata.archiveCode} is flagged missing since stock-take ${record.missing?.stockTakeId ?? '?'}: it must be found first`,
  );
}
