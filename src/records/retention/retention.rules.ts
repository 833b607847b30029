import type { Actor } from '../../domain-kernel/actor';
import { forbidden, invalid, ruleBroken } from '../../domain-kernel/domain-error';
import { RETENTION_CLASSES, type RetentionClass } from '../archive-code';
import type { ExtendRetention } from '../record.commands';
import type { RecordEvent } from '../record.events';
import { hasRole, personRef } from '../record.rules';
import type { FiledRecord } from '../record.state';

/** Who may extend retention: an archivist, or the appraisal committee when it keeps a record (R5). */
export const RETENTION_EXTENDER_ROLES = ['archivist', 'appraisal_committee'] as const;

/** Retention classes, shortest first (R2): D10 < D30 < PERMANENT. */
export const RETENTION_ORDER: readonly RetentionClass[] = ['D10', 'D30', 'PERMANENT'];

export function retentionRank(retention: RetentionClass): number {
  return RETENTION_ORDER.indexOf(retention);
}

/**
 * 延长保管期限 (R2, R3): retention only ever gets longer, and PERMANENT is final. The archive code
 * keeps the retention code it was filed with (F2: the code never changes).
 */
export function extendRetention(
  { to, grounds }: ExtendRetention,
  record: FiledRecord,
  actor: Actor,
): RecordEvent[] {
  if (!RETENTION_EXTENDER_ROLES.some((role) => hasRole(actor, role))) {
    throw forbidden('ROLE_REQUIRED', 'R2: retention is extended by an archivist or the appraisal committee');
  }
  if (!(RETENTION_CLASSES as readonly string[]).includes(to)) {
    throw invalid('RETENTION_CLASS_UNKNOWN', `R2: ${String(to)} is not a retention class`, [
      { field: 'retentionClass', problems: [`must be one of ${RETENTION_ORDER.join(', ')}`] },
    ]);
  }
  if (grounds.trim().length === 0) {
    throw invalid('GROUNDS_REQUIRED', 'R2: extending retention states its grounds', [
      { field: 'grounds', problems: ['grounds is required'] },
    ]);
  }
  const from = record.metadata.retentionClass;
  if (from === 'PERMANENT') {
    throw ruleBroken(
      'R3',
      'PERMANENT_IS_FINAL',
      'PERMANENT records are never destroyed; retention cannot change',
    );
  }
  if (retentionRank(to) <= retentionRank(from)) {
    throw ruleBroken(
      'R2',
      'RETENTION_NOT_LONGER',
      from === to
        ? `retention can be extended, never shortened: the record is already ${from}`
        : `retention can be extended, never shortened: ${from} → ${to} refused`,
    );
  }
  return [{ type: 'RetentionExtended', data: { from, to, grounds, extendedBy: personRef(actor) } }];
}
