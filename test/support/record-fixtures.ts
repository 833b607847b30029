import type { RecordMetadata } from '../../src/records/record.events';

/** A realistic contract record (F1), as the domain holds it. */
export const contractRecord: RecordMetadata = {
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
  pageCount: 12,
  classification: 'INTERNAL',
  custodianDepartment: 'ARCHIVE',
  shelfLocation: 'A-03-02-15',
  counterparty: '华东精密机械有限公司',
  keywords: ['合同', '续签'],
  isOriginal: true,
};

/** The same record as a complete, valid `POST /records` body (F1), with a reason for the envelope. */
export function filingBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { isOriginal: _filedAsOriginalByDefault, ...fields } = contractRecord;
  return { ...fields, keywords: [...fields.keywords], reason: '2024年度归档', ...overrides };
}

/** A sales department client contract (B6: it belongs to SALES, it names a counterparty). */
export const salesContract: RecordMetadata = {
  ...contractRecord,
  archiveCode: 'Z001-WS-2024-D30-SALES-0001',
  organisationalUnit: '销售部',
  title: '华东精密机械有限公司2024年度供货合同',
  documentNumber: '销合〔2024〕031号',
  shelfLocation: 'B-01-04-02',
};

/** A record without a counterparty (not a client record), classified as given. */
export function plainRecord(
  archiveCode: string,
  classification: RecordMetadata['classification'],
): RecordMetadata {
  const { counterparty: _none, ...rest } = contractRecord;
  return { ...rest, archiveCode, classification, title: `${classification} 级会议纪要` };
}

/** A `POST /records` body for any record of the fixtures. */
export function filingBodyOf(
  record: RecordMetadata,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const { isOriginal: _filedAsOriginalByDefault, ...fields } = record;
  return { ...fields, keywords: [...fields.keywords], reason: '归档', ...overrides };
}
