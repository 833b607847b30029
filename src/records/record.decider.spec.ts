import { deciderSpecification } from '../../test/support/decider-specification';
import { recordDecider, type FileRecord } from './record.decider';
import type { RecordEvent, RecordMetadata } from './record.events';

const archivist = { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE', clearance: 'SECRET' } as const;
const spec = deciderSpecification(recordDecider, { actor: archivist, now: new Date('2026-03-01T09:00:00Z') });

const metadata: RecordMetadata = {
  archiveCode: 'Z001-WS-2024-D30-BGS-0007',
  fonds: 'Z001',
  category: 'WS',
  year: 2024,
  retentionClass: 'D30',
  organisationalUnit: '办公室',
  title: '关于2024年度客户合同续签的请示',
  responsibleParty: '销售部',
  documentNumber: '销字〔2024〕12号',
  dateFormed: '2024-03-15',
  carrier: 'paper',
  itemCount: 1,
  classification: 'INTERNAL',
  custodianDepartment: 'ARCHIVE',
  shelfLocation: 'A-03-02-15',
  counterparty: '华东精密机械有限公司',
  keywords: ['合同'],
  isOriginal: true,
};
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
});
