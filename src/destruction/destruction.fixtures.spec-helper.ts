import type { RecordEvent, RecordMetadata } from '../records/record.events';
import { contractRecord } from '../../test/support/record-fixtures';

/**
 * Records for the appraisal and destruction specs: filed in 2010 with 10 years' retention, so by
 * the test clock (2026-03-01) retention expired on 2021-01-01 (R1, R4). They belong to SALES.
 */
export function expiredSalesRecord(seq: number, overrides: Partial<RecordMetadata> = {}): RecordMetadata {
  const code = `Z001-WS-2010-D10-SALES-${String(seq).padStart(4, '0')}`;
  return {
    ...contractRecord,
    archiveCode: code,
    year: 2010,
    retentionClass: 'D10',
    organisationalUnit: '销售部',
    title: `华东精密机械有限公司2010年度供货合同（第${seq}份）`,
    documentNumber: `销合〔2010〕${String(seq).padStart(3, '0')}号`,
    dateFormed: '2010-03-15',
    shelfLocation: `B-01-01-${String(seq).padStart(2, '0')}`,
    ...overrides,
  };
}

/** A PERMANENT record of SALES formed in 2010 (R3: never destroyed). */
export const permanentSalesRecord: RecordMetadata = {
  ...expiredSalesRecord(90),
  archiveCode: 'Z001-WS-2010-Y-SALES-0090',
  retentionClass: 'PERMANENT',
  title: '销售部成立批复',
};

/** A SALES record still within retention (D30 from 2020: expires 2051). */
export const currentSalesRecord: RecordMetadata = {
  ...expiredSalesRecord(91),
  archiveCode: 'Z001-WS-2020-D30-SALES-0091',
  year: 2020,
  retentionClass: 'D30',
  dateFormed: '2020-05-06',
};

export const filed = (metadata: RecordMetadata): RecordEvent => ({ type: 'ArchiveFiled', data: metadata });

export const committee = [
  { id: 'guo.jian', unit: 'ARCHIVE' },
  { id: 'tang.ping', unit: 'LEGAL' },
];

/** The committee released the record for destruction (R5). */
export const released = (metadata: RecordMetadata, appraisalId = 'AP1'): RecordEvent => ({
  type: 'AppraisalRecorded',
  data: {
    appraisalId,
    members: committee,
    decision: 'release',
    grounds: '已无查考利用价值，保管期满，同意销毁',
    retentionClass: metadata.retentionClass,
    retentionExpiredOn: '2021-01-01',
  },
});
