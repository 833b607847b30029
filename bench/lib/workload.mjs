// The benchmark's workload: realistic records from ../shared/tools/gen-records.mjs, each filed and
// then consulted twice, every event produced by the product's own pure decider under the default
// loan-approval policy, so the events have exactly the product's shapes.
import { randomUUID } from 'node:crypto';
import { dist } from './common.mjs';

/** Bump when the workload (people, lifecycle, times, field mapping) changes: it keys the cache. */
export const WORKLOAD_VERSION = 1;

const { recordDecider } = dist('records/record.decider');
const { DEFAULT_LOAN_APPROVAL_POLICY } = dist('approval-policy/loan-approval.policy');

/** The record units of gen-records.mjs with their Chinese names (organisationalUnit). */
export const UNIT_NAMES = {
  BGS: '办公室',
  XSB: '销售部',
  CWB: '财务部',
  RSB: '人力资源部',
  SCB: '市场部',
  CGB: '采购部',
  FWB: '法务部',
};
const UNITS = Object.keys(UNIT_NAMES);

const person = (id, roles, unit) => ({ id, roles, unit, clearance: 'TOP_SECRET' });

/**
 * Everyone is cleared TOP_SECRET so A2 never hides a record from the people working on it. Staff
 * borrowers hold only `borrower`, so a borrower is never also an approver of their own loan (B3).
 */
export const PEOPLE = {
  archivists: ['wang.fang', 'zhou.min', 'sun.yue', 'qian.lan'].map((id) => person(id, ['archivist'], 'DAS')),
  archiveHead: person('liu.yang', ['archive_department_head'], 'DAS'),
  deputyGm: person('he.jun', ['deputy_gm'], 'ZJB'),
  generalManager: person('ma.hua', ['general_manager'], 'ZJB'),
  departmentHeads: Object.fromEntries(
    UNITS.map((unit) => [unit, person(`head.${unit.toLowerCase()}`, ['department_head'], unit)]),
  ),
  staff: UNITS.flatMap((unit) =>
    Array.from({ length: 6 }, (_, i) => person(`staff.${unit.toLowerCase()}.${i + 1}`, ['borrower'], unit)),
  ),
};

const PURPOSES = ['合同审查', '审计核对', '业务参考', '诉讼取证', '客户回访准备', '编写年度总结', '财务对账'];

/** RecordMetadata (F1) from one line of gen-records.mjs. */
export function toMetadata(line) {
  return {
    archiveCode: line.archiveCode,
    fonds: line.fonds,
    category: line.category,
    year: line.year,
    retentionClass: line.retentionClass,
    organisationalUnit: UNIT_NAMES[line.unit] ?? line.unit,
    title: line.title,
    responsibleParty: line.responsibleParty,
    ...(line.documentNumber !== undefined ? { documentNumber: line.documentNumber } : {}),
    dateFormed: line.dateFormed,
    carrier: line.carrier,
    itemCount: 1,
    ...(line.pages !== undefined ? { pageCount: line.pages } : {}),
    classification: line.classification,
    custodianDepartment: line.custodianUnit,
    shelfLocation: line.location,
    ...(line.counterparty !== undefined ? { counterparty: line.counterparty } : {}),
    keywords: line.keywords,
    isOriginal: true,
  };
}

/** A small reproducible generator (LCG), separate from the one gen-records.mjs uses. */
export function rng(seed) {
  let state = seed >>> 0 || 1;
  const next = () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  return {
    next,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    /** Uniform whole number in [lo, hi]. */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPREAD_FROM = Date.parse('2025-01-02T01:00:00Z');
const SPREAD_TO = Date.parse('2026-12-01T01:00:00Z');

/**
 * The life of one record as the appends the service would make, one per command:
 * file it (ArchiveFiled); lend it out for 2 days to a staff borrower (LoanRequested, the required
 * approvals — the archive department head's at least — LoanApproved, Borrowed, Returned); then a
 * reading-room consultation (LoanRequested, LoanApproved at once when no approval is required,
 * Borrowed, Returned). For a PUBLIC or INTERNAL record that is not a client record that is exactly
 * 10 events; the policy asks more approvals for classified records (B5) and client records (B6),
 * and those are given, so such records have 11–12 events. A TOP_SECRET record is never lent out
 * (B5), so its first loan is a reading-room consultation as well.
 *
 * Times: filing on a day spread over 2025–2026 (never before the record was formed), each later
 * step hours or days after the one before; the 2-day loan comes back within its period.
 *
 * @returns {{ stream: string, appends: { recordedAt: string, events: object[] }[] }}
 */
export function lifeOfRecord(line, random) {
  const metadata = toMetadata(line);
  const stream = `record-${metadata.archiveCode}`;
  const formed = Date.parse(`${metadata.dateFormed}T00:00:00Z`);
  const earliest = Math.max(SPREAD_FROM, formed + DAY + HOUR);
  const latest = Math.max(earliest, SPREAD_TO);
  let now = earliest + Math.floor(random.next() * (latest - earliest));
  // Office hours, Beijing time (UTC+8): 01:00–09:00 UTC.
  now = Math.floor(now / DAY) * DAY + random.int(1, 8) * HOUR + random.int(0, 59) * 60_000;

  let state = recordDecider.initialState();
  const appends = [];
  const run = (actor, command, envelope = {}) => {
    const at = new Date(now);
    const events = recordDecider.decide(command, state, { actor, now: at });
    for (const event of events) state = recordDecider.evolve(state, event);
    const requestId = randomUUID();
    const occurredAt = at.toISOString();
    appends.push({
      recordedAt: occurredAt,
      events: events.map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: {
          actor: { id: actor.id, roles: [...actor.roles], unit: actor.unit },
          ...(envelope.reason !== undefined ? { reason: envelope.reason } : {}),
          occurredAt,
          correlationId: requestId,
          causationId: requestId,
          ...(envelope.policyVersion !== undefined ? { policyVersion: envelope.policyVersion } : {}),
          schemaVersion: 1,
        },
      })),
    });
    return events;
  };
  const later = (loHours, hiHours) => {
    now += random.int(loHours * 60, hiHours * 60) * 60_000;
  };

  const archivist = random.pick(PEOPLE.archivists);
  run(archivist, { type: 'FileRecord', metadata });

  const loan = (mode, days, returnAfterHours) => {
    const borrower = random.pick(PEOPLE.staff);
    const purpose = random.pick(PURPOSES);
    const policy = DEFAULT_LOAN_APPROVAL_POLICY;
    const [requested] = run(
      borrower,
      { type: 'RequestLoan', borrower: { type: 'staff' }, mode, purpose, days, policy },
      { reason: purpose, policyVersion: policy.version },
    );
    const { loanId, requiredApprovals } = requested.data;
    for (const requirement of requiredApprovals) {
      later(1, 20);
      run(
        approverFor(requirement),
        { type: 'DecideLoanApproval', loanId, decision: 'approve', opinion: '同意' },
        {
          reason: '同意',
        },
      );
    }
    later(1, 48);
    const counter = random.pick(PEOPLE.archivists);
    run(counter, { type: 'HandOverLoan', loanId });
    later(returnAfterHours[0], returnAfterHours[1]);
    run(random.pick(PEOPLE.archivists), { type: 'ReturnLoan', loanId, condition: 'intact' });
  };

  later(24, 30 * 24);
  if (metadata.classification === 'TOP_SECRET') loan('reading_room', 1, [1, 6]);
  else loan('lend_out', 2, [20, 44]);
  later(24, 60 * 24);
  loan('reading_room', 1, [1, 6]);

  return { stream, appends };
}

function approverFor(requirement) {
  switch (requirement.role) {
    case 'archive_department_head':
      return PEOPLE.archiveHead;
    case 'deputy_gm':
      return PEOPLE.deputyGm;
    case 'general_manager':
      return PEOPLE.generalManager;
    case 'department_head': {
      const head = PEOPLE.departmentHeads[requirement.unit];
      if (!head) throw new Error(`no department head of ${requirement.unit}`);
      return head;
    }
    default:
      throw new Error(`no approver in the roster for ${JSON.stringify(requirement)}`);
  }
}
