import { deciderSpecification } from '../../../test/support/decider-specification';
import { actorOf, people } from '../../../test/support/people';
import { plainRecord } from '../../../test/support/record-fixtures';
import type { Classification } from '../../domain-kernel/actor';
import type { ChangeClassification } from '../record.commands';
import { recordDecider } from '../record.decider';
import type { RecordEvent } from '../record.events';
import { evolveRecord, type FiledRecord } from '../record.state';

const securityOfficer = actorOf(people.securityOfficer);
const spec = deciderSpecification(recordDecider, {
  actor: securityOfficer,
  now: new Date('2026-03-01T09:00:00Z'),
});

const code = 'Z001-WS-2024-D30-BGS-0007';
const filedAs = (classification: Classification): RecordEvent => ({
  type: 'ArchiveFiled',
  data: plainRecord(code, classification),
});
const change = (
  to: Classification,
  grounds = '保密期限已满，经保密委员会审定解密',
): ChangeClassification => ({
  type: 'ChangeClassification',
  to,
  grounds,
});
const approvedBy = { id: 'qian.bao', unit: 'SECURITY' };

describe('classification (密级变更/解除) — F6', () => {
  it('F6: lifting a classification is recorded with its approver', () => {
    spec([filedAs('CONFIDENTIAL')])
      .when(change('INTERNAL'))
      .then([
        {
          type: 'ClassificationChanged',
          data: {
            from: 'CONFIDENTIAL',
            to: 'INTERNAL',
            lifted: true,
            grounds: '保密期限已满，经保密委员会审定解密',
            approvedBy,
          },
        },
      ]);
  });

  it.each([
    ['SECRET', 'PUBLIC', true],
    ['TOP_SECRET', 'SECRET', false],
    ['INTERNAL', 'SECRET', false],
    ['PUBLIC', 'INTERNAL', false],
  ] as const)('F6: %s → %s is recorded as lifted: %s', (from, to, lifted) => {
    spec([filedAs(from)])
      .when(change(to, '定密调整'))
      .then([{ type: 'ClassificationChanged', data: { from, to, lifted, grounds: '定密调整', approvedBy } }]);
  });

  it('F6: the record takes its new classification', () => {
    const events = [
      filedAs('SECRET'),
      ...recordDecider.decide(change('INTERNAL'), evolve([filedAs('SECRET')]), {
        actor: securityOfficer,
        now: new Date(0),
      }),
    ];
    expect(evolve(events).metadata.classification).toBe('INTERNAL');
  });

  it('F6: refuses a change to the classification the record already has', () => {
    spec([filedAs('SECRET')])
      .when(change('SECRET'))
      .thenRefused({ kind: 'rule', rule: 'F6', code: 'CLASSIFICATION_UNCHANGED' });
  });

  it('F6: the approver must be cleared for the higher of the old and the new level', () => {
    const secretOfficer = { ...securityOfficer, clearance: 'SECRET' as const };
    spec([filedAs('INTERNAL')])
      .when(change('CONFIDENTIAL'), { actor: secretOfficer })
      .thenRefused({ kind: 'forbidden', code: 'CLEARANCE_INSUFFICIENT' });
    spec([filedAs('INTERNAL')])
      .when(change('SECRET'), { actor: secretOfficer })
      .then([
        {
          type: 'ClassificationChanged',
          data: {
            from: 'INTERNAL',
            to: 'SECRET',
            lifted: false,
            grounds: '保密期限已满，经保密委员会审定解密',
            approvedBy,
          },
        },
      ]);
  });

  it('F6: only a security officer is an authorised approver', () => {
    spec([filedAs('SECRET')])
      .when(change('INTERNAL'), { actor: actorOf(people.archivist2) })
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it('F6: a change states its grounds', () => {
    const error = spec([filedAs('SECRET')])
      .when(change('INTERNAL', '   '))
      .thenRefused({ kind: 'invalid', code: 'GROUNDS_REQUIRED' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['grounds']);
  });

  it('F6: refuses a level that is not a classification', () => {
    spec([filedAs('SECRET')])
      .when(change('RESTRICTED' as Classification))
      .thenRefused({ kind: 'invalid', code: 'CLASSIFICATION_UNKNOWN' });
  });

  it('A2: a record above the approver’s clearance is not found', () => {
    spec([filedAs('TOP_SECRET')])
      .when(change('SECRET'), { actor: { ...securityOfficer, clearance: 'CONFIDENTIAL' } })
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });
});

function evolve(events: readonly RecordEvent[]): FiledRecord {
  return events.reduce(evolveRecord, recordDecider.initialState()) as FiledRecord;
}
