import { deciderSpecification } from '../../test/support/decider-specification';
import { contractRecord } from '../../test/support/record-fixtures';
import { recordDecider, type FileRecord } from './record.decider';
import type { RecordEvent, RecordMetadata } from './record.events';

const archivist = { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE', clearance: 'SECRET' } as const;
const spec = deciderSpecification(recordDecider, { actor: archivist, now: new Date('2026-03-01T09:00:00Z') });

const metadata: RecordMetadata = contractRecord;
const file = (overrides: Partial<RecordMetadata> = {}): FileRecord => ({
  type: 'FileRecord',
  metadata: { ...metadata, ...overrides },
});
const filed: RecordEvent = { type: 'ArchiveFiled', data: metadata };

describe('record decider — filing', () => {
  it('F1: files a new record with all its metadata', () => {
    spec([]).when(file()).then([filed]);
  });

  it('F2: refuses a second filing under a code already used', () => {
    spec([filed])
      .when(file({ title: '另一份' }))
      .thenRefused({ kind: 'conflict', code: 'ARCHIVE_CODE_TAKEN', rule: 'F2' });
  });

  it('F2: refuses an archive code that is not in the default shape', () => {
    spec([])
      .when(file({ archiveCode: 'Z001/WS/2024' }))
      .thenRefused({ kind: 'invalid', code: 'ARCHIVE_CODE_MALFORMED' });
  });

  it('F2: accepts a permanent record coded Y and a compound category such as KJ·KY', () => {
    const permanent = {
      ...metadata,
      archiveCode: 'Z001-KJ·KY-2024-Y-YFB-0001',
      category: 'KJ·KY',
      retentionClass: 'PERMANENT' as const,
    };
    spec([])
      .when({ type: 'FileRecord', metadata: permanent })
      .then([{ type: 'ArchiveFiled', data: permanent }]);
  });

  it.each([
    ['fonds', { fonds: 'Z002' }],
    ['category', { category: 'KU' }],
    ['year', { year: 2023 }],
    ['retentionClass', { retentionClass: 'D10' as const }],
  ])('F2: refuses a code that disagrees with the record on %s', (field, overrides) => {
    const error = spec([])
      .when(file(overrides))
      .thenRefused({ kind: 'rule', rule: 'F2', code: 'ARCHIVE_CODE_INCONSISTENT' });
    expect(error.message).toContain(field);
  });

  it('F3: refuses a copy filed without a reason', () => {
    spec([])
      .when(file({ isOriginal: false }))
      .thenRefused({ kind: 'rule', rule: 'F3', code: 'COPY_WITHOUT_REASON' });
    spec([])
      .when(file({ isOriginal: false, copyReason: '  ' }))
      .thenRefused({ rule: 'F3' });
  });

  it('F3: files a copy that states why', () => {
    const copy = file({ isOriginal: false, copyReason: '原件用于报批' });
    spec([])
      .when(copy)
      .then([{ type: 'ArchiveFiled', data: copy.metadata }]);
  });

  it('A2: refuses to let an archivist file a record above their own clearance', () => {
    spec([])
      .when(file({ classification: 'CONFIDENTIAL' }))
      .thenRefused({ kind: 'forbidden', code: 'CLEARANCE_INSUFFICIENT' });
  });

  it('A2: to a caller without clearance a filed record does not exist', () => {
    const secret = file({ classification: 'SECRET' });
    const reader = { id: 'li.lei', roles: ['borrower'], unit: 'SALES', clearance: 'INTERNAL' } as const;
    spec([{ type: 'ArchiveFiled', data: secret.metadata }])
      .when({ type: 'ExtendRetention', to: 'PERMANENT', grounds: '长期价值' }, { actor: reader })
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });

  it('refuses any command but filing on a record never filed, with 404', () => {
    spec([])
      .when({ type: 'PlaceHold', kind: 'legal', reason: '诉讼' })
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });
});
