import { deciderSpecification } from '../../../test/support/decider-specification';
import { actorOf, people } from '../../../test/support/people';
import { contractRecord } from '../../../test/support/record-fixtures';
import type { RetentionClass } from '../archive-code';
import type { ExtendRetention } from '../record.commands';
import { recordDecider } from '../record.decider';
import type { RecordEvent } from '../record.events';
import { evolveRecord, retentionExpiresOn, type FiledRecord } from '../record.state';

const appraiser = actorOf(people.appraiser);
const archivist = actorOf(people.archivist);
const spec = deciderSpecification(recordDecider, { actor: appraiser, now: new Date('2026-03-01T09:00:00Z') });

const filedAs = (retentionClass: RetentionClass): RecordEvent => ({
  type: 'ArchiveFiled',
  data: { ...contractRecord, retentionClass },
});
const extend = (to: RetentionClass, grounds = '经鉴定具有长期保存价值'): ExtendRetention => ({
  type: 'ExtendRetention',
  to,
  grounds,
});

describe('retention (保管期限) — R2, R3', () => {
  it('R2: extends retention with its grounds and who extended it', () => {
    spec([filedAs('D30')])
      .when(extend('PERMANENT'))
      .then([
        {
          type: 'RetentionExtended',
          data: {
            from: 'D30',
            to: 'PERMANENT',
            grounds: '经鉴定具有长期保存价值',
            extendedBy: { id: 'guo.jian', unit: 'ARCHIVE' },
          },
        },
      ]);
  });

  it('R2: an archivist may extend retention too, and D10 → D30 moves the expiry on', () => {
    const filed = filedAs('D10');
    const events = recordDecider.decide(extend('D30'), fold([filed]), { actor: archivist, now: new Date(0) });
    expect(events).toEqual([
      {
        type: 'RetentionExtended',
        data: {
          from: 'D10',
          to: 'D30',
          grounds: '经鉴定具有长期保存价值',
          extendedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
        },
      },
    ]);
    const record = fold([filed, ...events]);
    expect(record.metadata.retentionClass).toBe('D30');
    expect(retentionExpiresOn(record.metadata)).toBe('2055-01-01');
  });

  it('R2/F2: the archive code keeps the retention code it was filed with', () => {
    const filed = filedAs('D30');
    const events = recordDecider.decide(extend('PERMANENT'), fold([filed]), {
      actor: appraiser,
      now: new Date(0),
    });
    expect(fold([filed, ...events]).metadata.archiveCode).toBe('Z001-WS-2024-D30-BGS-0007');
  });

  it('R2: refuses to shorten retention', () => {
    const error = spec([filedAs('D30')])
      .when(extend('D10'))
      .thenRefused({ kind: 'rule', rule: 'R2', code: 'RETENTION_NOT_LONGER' });
    expect(error.message).toBe('R2: retention can be extended, never shortened: D30 → D10 refused');
  });

  it('R2: refuses an "extension" to the retention the record already has', () => {
    const error = spec([filedAs('D10')])
      .when(extend('D10'))
      .thenRefused({ kind: 'rule', rule: 'R2', code: 'RETENTION_NOT_LONGER' });
    expect(error.message).toContain('never shortened');
  });

  it('R3: a PERMANENT record’s retention is final', () => {
    for (const to of ['D10', 'D30', 'PERMANENT'] as const) {
      const error = spec([filedAs('PERMANENT')])
        .when(extend(to))
        .thenRefused({ kind: 'rule', rule: 'R3', code: 'PERMANENT_IS_FINAL' });
      expect(error.message).toBe('R3: PERMANENT records are never destroyed; retention cannot change');
    }
  });

  it('R2: extending retention states its grounds', () => {
    const error = spec([filedAs('D10')])
      .when(extend('D30', ' '))
      .thenRefused({ kind: 'invalid', code: 'GROUNDS_REQUIRED' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['grounds']);
  });

  it('R2: only an archivist or the appraisal committee extends retention', () => {
    spec([filedAs('D10')])
      .when(extend('D30'), { actor: actorOf(people.auditor) })
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it('R2: refuses a retention class that does not exist', () => {
    spec([filedAs('D10')])
      .when(extend('D50' as RetentionClass))
      .thenRefused({ kind: 'invalid', code: 'RETENTION_CLASS_UNKNOWN' });
  });

  it('A2: a record above the caller’s clearance is not found', () => {
    spec([{ type: 'ArchiveFiled', data: { ...contractRecord, classification: 'TOP_SECRET' } }])
      .when(extend('PERMANENT'))
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });
});

function fold(events: readonly RecordEvent[]): FiledRecord {
  return events.reduce(evolveRecord, recordDecider.initialState()) as FiledRecord;
}
