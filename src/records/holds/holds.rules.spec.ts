import { deciderSpecification } from '../../../test/support/decider-specification';
import { actorOf, people } from '../../../test/support/people';
import { contractRecord, plainRecord } from '../../../test/support/record-fixtures';
import type { PlaceHold, ReleaseHold } from '../record.commands';
import { recordDecider } from '../record.decider';
import type { HoldKind, RecordEvent } from '../record.events';
import { activeHolds, evolveRecord, type FiledRecord } from '../record.state';

const compliance = actorOf(people.complianceOfficer);
const auditor = actorOf(people.auditor);
const spec = deciderSpecification(recordDecider, {
  actor: compliance,
  now: new Date('2026-03-01T09:00:00Z'),
});

const filed: RecordEvent = { type: 'ArchiveFiled', data: contractRecord };
const place = (
  kind: HoldKind,
  reason = '涉及合同纠纷诉讼，依法保全相关档案',
  reference?: string,
): PlaceHold => ({
  type: 'PlaceHold',
  kind,
  reason,
  ...(reference !== undefined ? { reference } : {}),
});
const release = (holdId: string, reason = '诉讼已结案，解除保全'): ReleaseHold => ({
  type: 'ReleaseHold',
  holdId,
  reason,
});
const legalHeld: RecordEvent = {
  type: 'HoldPlaced',
  data: {
    holdId: 'H1',
    kind: 'legal',
    reason: '涉及合同纠纷诉讼，依法保全相关档案',
    reference: '（2026）沪0115民初1234号',
    placedBy: { id: 'xu.he', unit: 'LEGAL' },
  },
};
const auditHeld: RecordEvent = {
  type: 'HoldPlaced',
  data: {
    holdId: 'H1',
    kind: 'audit',
    reason: '2025年度专项审计',
    placedBy: { id: 'lin.shen', unit: 'AUDIT' },
  },
};
const legalReleased: RecordEvent = {
  type: 'HoldReleased',
  data: {
    holdId: 'H1',
    kind: 'legal',
    reason: '诉讼已结案，解除保全',
    releasedBy: { id: 'xu.he', unit: 'LEGAL' },
  },
};

describe('holds (冻结) — R6', () => {
  it('R6: a hold is placed and released with reasons', () => {
    spec([filed])
      .when(place('legal', '涉及合同纠纷诉讼，依法保全相关档案', '（2026）沪0115民初1234号'))
      .then([legalHeld]);
    spec([filed, legalHeld]).when(release('H1')).then([legalReleased]);
  });

  it('R6: a placed hold freezes the record until it is released', () => {
    expect(activeHolds(fold([filed, legalHeld])).map((h) => h.holdId)).toEqual(['H1']);
    expect(activeHolds(fold([filed, legalHeld, legalReleased]))).toEqual([]);
  });

  it('R6: holds are numbered on the record, released ones included', () => {
    spec([filed, legalHeld, legalReleased])
      .when(place('audit', '2025年度专项审计'), { actor: auditor })
      .then([
        {
          type: 'HoldPlaced',
          data: {
            holdId: 'H2',
            kind: 'audit',
            reason: '2025年度专项审计',
            placedBy: { id: 'lin.shen', unit: 'AUDIT' },
          },
        },
      ]);
  });

  it('R6: an audit hold is placed and released by an auditor or a compliance officer', () => {
    spec([filed]).when(place('audit', '2025年度专项审计'), { actor: auditor }).then([auditHeld]);
    spec([filed, auditHeld])
      .when(release('H1', '审计完成'), { actor: auditor })
      .then([
        {
          type: 'HoldReleased',
          data: {
            holdId: 'H1',
            kind: 'audit',
            reason: '审计完成',
            releasedBy: { id: 'lin.shen', unit: 'AUDIT' },
          },
        },
      ]);
    spec([filed, auditHeld])
      .when(release('H1', '审计完成'))
      .then([
        {
          type: 'HoldReleased',
          data: {
            holdId: 'H1',
            kind: 'audit',
            reason: '审计完成',
            releasedBy: { id: 'xu.he', unit: 'LEGAL' },
          },
        },
      ]);
  });

  it('R6: an auditor can neither place nor release a legal hold', () => {
    spec([filed])
      .when(place('legal'), { actor: auditor })
      .thenRefused({ kind: 'forbidden', code: 'HOLD_KIND_NOT_AUTHORISED' });
    spec([filed, legalHeld])
      .when(release('H1'), { actor: auditor })
      .thenRefused({ kind: 'forbidden', code: 'HOLD_KIND_NOT_AUTHORISED' });
  });

  it('R6: someone in neither role cannot place or release any hold', () => {
    const archivist = actorOf(people.archivist);
    spec([filed])
      .when(place('audit'), { actor: archivist })
      .thenRefused({ kind: 'forbidden', code: 'HOLD_KIND_NOT_AUTHORISED' });
    spec([filed, auditHeld])
      .when(release('H1'), { actor: archivist })
      .thenRefused({ kind: 'forbidden', code: 'HOLD_KIND_NOT_AUTHORISED' });
  });

  it('R6: a hold needs a reason to be placed and to be released', () => {
    const placing = spec([filed])
      .when(place('legal', '  '))
      .thenRefused({ kind: 'invalid', code: 'REASON_REQUIRED' });
    expect(placing.details.fields?.map((f) => f.field)).toEqual(['reason']);
    spec([filed, legalHeld])
      .when(release('H1', ''))
      .thenRefused({ kind: 'invalid', code: 'REASON_REQUIRED' });
  });

  it('R6: a reference, when given, is not blank', () => {
    spec([filed])
      .when(place('legal', '诉讼保全', ' '))
      .thenRefused({ kind: 'invalid', code: 'HOLD_REFERENCE_BLANK' });
  });

  it('R6: releasing an unknown hold is not found; releasing a released one is a conflict', () => {
    spec([filed, legalHeld]).when(release('H2')).thenRefused({ kind: 'not_found', code: 'HOLD_NOT_FOUND' });
    spec([filed, legalHeld, legalReleased])
      .when(release('H1'))
      .thenRefused({ kind: 'conflict', code: 'HOLD_NOT_ACTIVE', rule: 'R6' });
  });

  it('R6: refuses a kind of hold that does not exist', () => {
    spec([filed])
      .when(place('tax' as HoldKind))
      .thenRefused({ kind: 'invalid', code: 'HOLD_KIND_UNKNOWN' });
  });

  it('A2: a record above the caller’s clearance cannot be held: it is not found', () => {
    spec([{ type: 'ArchiveFiled', data: plainRecord('Z001-WS-2024-D30-BGS-0009', 'TOP_SECRET') }])
      .when(place('legal'), { actor: { ...compliance, clearance: 'SECRET' } })
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });
});

function fold(events: readonly RecordEvent[]): FiledRecord {
  return events.reduce(evolveRecord, recordDecider.initialState()) as FiledRecord;
}
