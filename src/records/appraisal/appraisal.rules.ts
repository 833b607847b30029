import type { Actor } from '../../domain-kernel/actor';
import { forbidden, invalid, ruleBroken, type FieldProblem } from '../../domain-kernel/domain-error';
import type { RecordAppraisal } from '../record.commands';
import { APPRAISAL_DECISIONS, type RecordEvent } from '../record.events';
import { hasRole, personRef } from '../record.rules';
import { retentionExpiresOn, type FiledRecord } from '../record.state';
import { extendRetention } from '../retention/retention.rules';

/** 鉴定小组 — only a member of the appraisal committee records its decision (R5). */
export const APPRAISER_ROLE = 'appraisal_committee';

/** A committee is at least this many people: the member recording it and one other (R5). */
export const MIN_COMMITTEE_MEMBERS = 2;

/** Appraisals are numbered on the record: AP1, AP2 … */
export function appraisalIdFor(appraisalNumber: number): string {
  return `AP${appraisalNumber}`;
}

/** Today (UTC, YYYY-MM-DD) by the injected clock. */
function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * R4, R5: the committee's decision on a record whose retention has expired. `keep` also extends
 * retention (RetentionExtended, R2: only ever longer); `release` makes the record eligible for a
 * destruction list (D1). A record can be appraised again while it is due; the last decision counts.
 */
export function recordAppraisal(
  { decision, grounds, otherMembers, newRetentionClass }: RecordAppraisal,
  record: FiledRecord,
  actor: Actor,
  now: Date,
): RecordEvent[] {
  if (!hasRole(actor, APPRAISER_ROLE)) {
    throw forbidden('ROLE_REQUIRED', 'R5: an appraisal is recorded by a member of the appraisal committee');
  }
  const problems: FieldProblem[] = [];
  if (!(APPRAISAL_DECISIONS as readonly string[]).includes(decision)) {
    problems.push({ field: 'decision', problems: [`must be one of ${APPRAISAL_DECISIONS.join(', ')}`] });
  }
  if (typeof grounds !== 'string' || grounds.trim() === '') {
    problems.push({ field: 'grounds', problems: ['grounds is required: say why'] });
  }
  if (decision === 'keep' && newRetentionClass === undefined) {
    problems.push({ field: 'newRetentionClass', problems: ['keep needs the new, longer retention class'] });
  }
  if (decision === 'release' && newRetentionClass !== undefined) {
    problems.push({
      field: 'newRetentionClass',
      problems: ['only a keep decision sets a new retention class'],
    });
  }
  const ids = otherMembers.map((m) => m.id);
  if (ids.includes(actor.id)) {
    problems.push({ field: 'members', problems: ['lists the other members: you are recorded as the first'] });
  }
  if (new Set(ids).size !== ids.length) {
    problems.push({ field: 'members', problems: ['names each member once'] });
  }
  if (problems.length > 0) {
    throw invalid('APPRAISAL_INVALID', 'R5: the appraisal cannot be recorded as sent', problems);
  }
  if (1 + otherMembers.length < MIN_COMMITTEE_MEMBERS) {
    throw ruleBroken(
      'R5',
      'COMMITTEE_REQUIRED',
      `an appraisal is the committee's decision: name at least ${MIN_COMMITTEE_MEMBERS - 1} other member`,
    );
  }
  const expiresOn = retentionExpiresOn(record.metadata);
  if (expiresOn === undefined) {
    throw ruleBroken(
      'R4',
      'NOT_DUE_FOR_APPRAISAL',
      'PERMANENT records never fall due for appraisal; they are never destroyed (R3)',
    );
  }
  if (today(now) < expiresOn) {
    throw ruleBroken(
      'R4',
      'NOT_DUE_FOR_APPRAISAL',
      `retention (${record.metadata.retentionClass}) expires on ${expiresOn}: the record is not yet due for appraisal`,
    );
  }
  const appraisalId = appraisalIdFor((record.appraisalCount ?? 0) + 1);
  const members = [personRef(actor), ...otherMembers.map(({ id, unit }) => ({ id, unit }))];
  const recorded: RecordEvent = {
    type: 'AppraisalRecorded',
    data: {
      appraisalId,
      members,
      decision,
      grounds,
      retentionClass: record.metadata.retentionClass,
      retentionExpiredOn: expiresOn,
      ...(decision === 'keep' && newRetentionClass !== undefined ? { newRetentionClass } : {}),
    },
  };
  if (decision === 'release') return [recorded];
  // R5 keep: the same R2/R3 rules as any extension (longer only, PERMANENT final).
  const extension = extendRetention(
    { type: 'ExtendRetention', to: newRetentionClass!, grounds: `${appraisalId}: ${grounds}` },
    record,
    actor,
  );
  return [recorded, ...extension];
}
