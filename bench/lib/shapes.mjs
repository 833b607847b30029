// The catalogue query shapes of the benchmark, as `GET /records` (or `path`) parameters. query.mjs
// sends them to the service; explain.mjs turns them into the read-store query CatalogueService builds (see
// src/queries/catalogue/catalogue.service.ts) to time find and count apart and show SQLite's plans.

export const NON_TEXT_TARGET_MS = 50;
export const TEXT_TARGET_MS = 100;

/** `as`: the caller (query.mjs USERS); `cursorOf`: page 2 of that shape, by its nextCursor. */
export const SHAPES = [
  { name: 'filter: category + year', kind: 'filter', params: { category: 'ZY', year: '2020' } },
  {
    name: 'filter: classification + retentionClass',
    kind: 'filter',
    params: { classification: 'SECRET', retentionClass: 'D30' },
  },
  { name: 'filter: status=on_loan', kind: 'filter', params: { status: 'on_loan' } },
  { name: 'filter: status=late_filing', kind: 'filter', params: { status: 'late_filing' } },
  {
    name: 'filter: unit + counterparty',
    kind: 'filter',
    params: { unit: 'XSB', counterparty: '华东机电有限公司' },
  },
  { name: 'sort: title desc, page 1', kind: 'sort', params: { sort: 'title', direction: 'desc' } },
  {
    name: 'sort: title desc, page 2 (cursor)',
    kind: 'sort',
    params: { sort: 'title', direction: 'desc' },
    cursorOf: 'sort: title desc, page 1',
  },
  { name: 'text: q=合同', kind: 'text', params: { q: '合同' } },
  { name: 'text: q=华东机电', kind: 'text', params: { q: '华东机电' } },
  { name: 'text: q=客户 资料 (two terms)', kind: 'text', params: { q: '客户 资料' } },
  {
    name: 'text + filter: q=合同 category=ZY year=2024',
    kind: 'text',
    params: { q: '合同', category: 'ZY', year: '2024' },
  },
  {
    name: 'filter: category + year, INTERNAL caller (A2)',
    kind: 'filter',
    params: { category: 'ZY', year: '2020' },
    as: 'internal',
  },
  { name: 'filter: status=due_for_appraisal', kind: 'filter', params: { status: 'due_for_appraisal' } },
  // GET /retention-due (R4): in custody and due by today, soonest first.
  { name: 'retention due today (R4)', kind: 'filter', path: '/retention-due', params: {} },
];

export const USERS = {
  topSecret: { user: 'bench.reader', roles: ['archivist'], unit: 'DAS', clearance: 'TOP_SECRET', ttl: '8h' },
  internal: { user: 'bench.clerk', roles: ['borrower'], unit: 'XSB', clearance: 'INTERNAL', ttl: '8h' },
};

export const targetOf = (shape) => (shape.kind === 'text' ? TEXT_TARGET_MS : NON_TEXT_TARGET_MS);

export function urlOf(shape, cursor) {
  const params = new URLSearchParams(shape.params);
  if (cursor !== undefined) params.set('cursor', cursor);
  return `${shape.path ?? '/records'}?${params.toString()}`;
}

const RANKS = ['PUBLIC', 'INTERNAL', 'SECRET', 'CONFIDENTIAL', 'TOP_SECRET'];
const STATUS_FILTERS = {
  in_custody: { custody: 'in_custody' },
  on_loan: { onLoan: true },
  held: { held: true },
  destroyed: { custody: 'destroyed' },
  transferred: { custody: 'transferred' },
  missing: { missing: true },
  late_filing: { lateFiling: true },
};

/** Today as the service's clock gives it (UTC), for the retention due dates. */
const today = () => new Date().toISOString().slice(0, 10);

/** Records in custody due for appraisal by today (R4), as both routes ask for them. */
const dueToday = () => ({ custody: 'in_custody', retentionDueOn: { lte: today() } });

/**
 * The FindQuery CatalogueService.search (or, for `/retention-due`, retentionDue) builds for these
 * parameters (default page size 50).
 */
export function findQueryOf(shape, cursor) {
  const p = shape.params;
  const rank = { lte: RANKS.indexOf(USERS[shape.as ?? 'topSecret'].clearance) };
  if (shape.path === '/retention-due') {
    return {
      filter: { ...dueToday(), classificationRank: rank },
      sort: { field: 'retentionDueOn', direction: 'asc' },
      limit: 50,
      ...(cursor !== undefined ? { cursor } : {}),
    };
  }
  const filter = {};
  for (const field of ['fonds', 'category', 'retentionClass', 'classification', 'unit', 'counterparty']) {
    if (p[field] !== undefined) filter[field] = p[field];
  }
  if (p.year !== undefined) filter.year = Number(p.year);
  if (p.status === 'due_for_appraisal') Object.assign(filter, dueToday());
  else if (p.status !== undefined) Object.assign(filter, STATUS_FILTERS[p.status]);
  filter.classificationRank = rank;
  return {
    filter,
    ...(p.q !== undefined ? { text: p.q } : {}),
    sort: { field: p.sort ?? 'archiveCode', direction: p.direction ?? 'asc' },
    limit: 50,
    ...(cursor !== undefined ? { cursor } : {}),
  };
}
