import type { Actor } from '../../domain-kernel/actor';
import { conflict, forbidden, invalid, notFound } from '../../domain-kernel/domain-error';
import type { PlaceHold, ReleaseHold } from '../record.commands';
import { HOLD_KINDS, type HoldKind, type RecordEvent } from '../record.events';
import { hasRole, personRef } from '../record.rules';
import type { FiledRecord, HoldState } from '../record.state';

/**
 * R6: who places and releases each kind of hold. A legal hold is a compliance matter; an audit hold
 * belongs to the auditors, and a compliance officer may act on it too.
 */
export const HOLD_AUTHORITIES: Readonly<Record<HoldKind, readonly string[]>> = {
  legal: ['compliance_officer'],
  audit: ['auditor', 'compliance_officer'],
};

const HOLD_AUTHORITY_NAMES: Readonly<Record<HoldKind, string>> = {
  legal: 'a compliance officer',
  audit: 'an auditor or a compliance officer',
};

/** Holds are numbered per record: H1, H2 … */
export function holdIdFor(holdNumber: number): string {
  return `H${holdNumber}`;
}

/** R6: a legal or audit hold freezes the record (no destruction, no transfer) until released. */
export function placeHold(
  { kind, reason, reference }: PlaceHold,
  record: FiledRecord,
  actor: Actor,
): RecordEvent[] {
  if (!(HOLD_KINDS as readonly string[]).includes(kind)) {
    throw invalid('HOLD_KIND_UNKNOWN', `R6: ${String(kind)} is not a kind of hold`, [
      { field: 'kind', problems: [`must be one of ${HOLD_KINDS.join(', ')}`] },
    ]);
  }
  requireReason(reason, 'a hold is placed with its reason');
  if (reference !== undefined && reference.trim().length === 0) {
    throw invalid('HOLD_REFERENCE_BLANK', 'R6: a hold reference, when given, names something', [
      { field: 'reference', problems: ['reference must not be blank'] },
    ]);
  }
  requireHoldAuthority(kind, actor, 'placed');
  return [
    {
      type: 'HoldPlaced',
      data: {
        holdId: holdIdFor(record.holds.length + 1),
        kind,
        reason,
        ...(reference !== undefined ? { reference } : {}),
        placedBy: personRef(actor),
      },
    },
  ];
}

/** R6: only an authorised person releases a hold, with a reason. */
export function releaseHold(
  { holdId, reason }: ReleaseHold,
  record: FiledRecord,
  actor: Actor,
): RecordEvent[] {
  requireReason(reason, 'a hold is released with its reason');
  const hold = requireHold(record, holdId);
  requireHoldAuthority(hold.kind, actor, 'released');
  if (!hold.active) {
    throw conflict('HOLD_NOT_ACTIVE', `R6: hold ${holdId} was already released`, 'R6');
  }
  return [{ type: 'HoldReleased', data: { holdId, kind: hold.kind, reason, releasedBy: personRef(actor) } }];
}

function requireHold(record: FiledRecord, holdId: string): HoldState {
  const hold = record.holds.find((h) => h.holdId === holdId);
  if (!hold) throw notFound('HOLD_NOT_FOUND', `No hold ${holdId} was placed on this record`);
  return hold;
}

function requireHoldAuthority(kind: HoldKind, actor: Actor, action: 'placed' | 'released'): void {
  const allowed = HOLD_AUTHORITIES[kind];
  if (!allowed.some((role) => hasRole(actor, role))) {
    throw forbidden(
      'HOLD_KIND_NOT_AUTHORISED',
      `R6: a ${kind} hold is ${action} only by ${HOLD_AUTHORITY_NAMES[kind]}`,
    );
  }
}

function requireReason(reason: string, why: string): void {
  if (reason.trim().length === 0) {
    throw invalid('REASON_REQUIRED', `R6: ${why}`, [{ field: 'reason', problems: ['reason is required'] }]);
  }
}
