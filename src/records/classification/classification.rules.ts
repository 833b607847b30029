import {
  CLASSIFICATIONS,
  classificationRank,
  type Actor,
  type Classification,
} from '../../domain-kernel/actor';
import { forbidden, invalid, ruleBroken } from '../../domain-kernel/domain-error';
import type { ChangeClassification } from '../record.commands';
import type { RecordEvent } from '../record.events';
import { hasRole, personRef } from '../record.rules';
import type { FiledRecord } from '../record.state';

/** Who approves a change or lifting of classification (F6). */
export const CLASSIFICATION_APPROVER_ROLE = 'security_officer';

/** F6: a record is classified (涉密) from SECRET up; dropping below it lifts the classification (解密). */
export const CLASSIFIED_FROM: Classification = 'SECRET';

/** A classification is lifted when it drops from SECRET or above to below SECRET. */
export function isLifted(from: Classification, to: Classification): boolean {
  const threshold = classificationRank(CLASSIFIED_FROM);
  return classificationRank(from) >= threshold && classificationRank(to) < threshold;
}

/**
 * 密级变更/解除 (F6): an event with its grounds and an authorised approver, who must be cleared for
 * both the old and the new level.
 */
export function changeClassification(
  { to, grounds }: ChangeClassification,
  record: FiledRecord,
  actor: Actor,
): RecordEvent[] {
  if (!hasRole(actor, CLASSIFICATION_APPROVER_ROLE)) {
    throw forbidden('ROLE_REQUIRED', 'F6: a classification is changed by a security officer');
  }
  if (!(CLASSIFICATIONS as readonly string[]).includes(to)) {
    throw invalid('CLASSIFICATION_UNKNOWN', `F6: ${String(to)} is not a classification`, [
      { field: 'classification', problems: [`must be one of ${CLASSIFICATIONS.join(', ')}`] },
    ]);
  }
  if (grounds.trim().length === 0) {
    throw invalid('GROUNDS_REQUIRED', 'F6: a classification change states its grounds', [
      { field: 'grounds', problems: ['grounds is required'] },
    ]);
  }
  const from = record.metadata.classification;
  if (from === to) {
    throw ruleBroken('F6', 'CLASSIFICATION_UNCHANGED', `the record is already ${from}; nothing to change`);
  }
  const highest = classificationRank(from) >= classificationRank(to) ? from : to;
  if (classificationRank(actor.clearance) < classificationRank(highest)) {
    throw forbidden(
      'CLEARANCE_INSUFFICIENT',
      `F6: changing a classification from ${from} to ${to} needs clearance ${highest} or above`,
    );
  }
  return [
    {
      type: 'ClassificationChanged',
      data: { from, to, lifted: isLifted(from, to), grounds, approvedBy: personRef(actor) },
    },
  ];
}
