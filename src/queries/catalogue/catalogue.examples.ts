import type { AccessRegisterEntryDto, CatalogueEntryDto } from './catalogue.dto';

/** What the OpenAPI document shows: a sales client contract, lent out. */
export const CATALOGUE_ENTRY_EXAMPLE: CatalogueEntryDto = {
  archiveCode: 'Z001-WS-2024-D30-SALES-0001',
  fonds: 'Z001',
  category: 'WS',
  year: 2024,
  retentionClass: 'D30',
  organisationalUnit: '销售部',
  title: '华东精密机械有限公司2024年度供货合同',
  responsibleParty: '销售部',
  documentNumber: '销合〔2024〕031号',
  dateFormed: '2024-03-15',
  carrier: 'paper',
  itemCount: 1,
  pageCount: 12,
  classification: 'INTERNAL',
  custodianDepartment: 'ARCHIVE',
  shelfLocation: 'B-01-04-02',
  counterparty: '华东精密机械有限公司',
  keywords: ['合同', '续签'],
  isOriginal: true,
  copyReason: null,
  classificationRank: 1,
  unit: 'SALES',
  custody: 'in_custody',
  onLoan: true,
  openLoan: {
    loanId: 'Z001-WS-2024-D30-SALES-0001.L1',
    borrower: 'li.lei（SALES）',
    mode: 'lend_out',
    handedOverAt: '2026-03-01T09:00:00.000Z',
    dueAt: '2026-03-11T09:00:00.000Z',
  },
  loansOut: [
    {
      loanId: 'Z001-WS-2024-D30-SALES-0001.L1',
      borrower: 'li.lei（SALES）',
      mode: 'lend_out',
      handedOverAt: '2026-03-01T09:00:00.000Z',
      dueAt: '2026-03-11T09:00:00.000Z',
    },
  ],
  loanCount: 1,
  held: false,
  holds: [],
  missing: false,
  retentionDueOn: '2055-01-01',
  filedAt: '2025-04-10T02:00:00.000Z',
  filedYear: 2025,
  filedMonth: '2025-04',
  filingDeadline: '2025-06-30',
  lateFiling: false,
  damage: [],
  corrections: 0,
  destroyedMonth: null,
  transferredMonth: null,
};

export const CATALOGUE_PAGE_EXAMPLE = { items: [CATALOGUE_ENTRY_EXAMPLE], nextCursor: null, total: 1 };

export const RECORD_DETAIL_EXAMPLE = {
  ...CATALOGUE_ENTRY_EXAMPLE,
  archiveCode: 'Z001-WS-2024-D30-BGS-0009',
  title: '2024年度重点客户投标报价方案',
  classification: 'SECRET',
  classificationRank: 2,
  unit: 'BGS',
  onLoan: false,
  openLoan: null,
  loansOut: [],
  viewRegistered: { stream: 'access-Z001-WS-2024-D30-BGS-0009', position: '57' },
};

export const ACCESS_REGISTER_ENTRY_EXAMPLE: AccessRegisterEntryDto = {
  id: '0a1b2c3d-0000-4000-8000-000000000001',
  archiveCode: 'Z001-WS-2024-D30-BGS-0009',
  classification: 'SECRET',
  classificationRank: 2,
  viewer: { id: 'chen.jing', unit: 'SALES', roles: ['borrower'] },
  purpose: '核对2024年度投标报价',
  viewedAt: '2026-03-01T09:00:00.000Z',
};
