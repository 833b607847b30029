/** What `GET /records` and `GET /records/{code}` answer (src/queries/catalogue/catalogue.dto.ts). */
export interface LoanOut {
  readonly loanId: string;
  readonly borrower: string;
  readonly mode: string;
  readonly handedOverAt: string;
  readonly dueAt: string;
}

export interface Hold {
  readonly holdId: string;
  readonly kind: 'legal' | 'audit';
  readonly reason: string;
}

export interface Damage {
  readonly reportId: string;
  readonly loanId: string | null;
  readonly condition: 'damaged' | 'pages_missing' | 'lost';
  readonly description: string;
}

export interface CatalogueEntry {
  readonly archiveCode: string;
  readonly fonds: string;
  readonly category: string;
  readonly year: number;
  readonly retentionClass: string;
  readonly organisationalUnit: string;
  readonly title: string;
  readonly responsibleParty: string;
  readonly documentNumber: string | null;
  readonly dateFormed: string;
  readonly carrier: string;
  readonly itemCount: number;
  readonly pageCount: number | null;
  readonly classification: string;
  readonly custodianDepartment: string;
  readonly shelfLocation: string;
  readonly counterparty: string | null;
  readonly keywords: readonly string[];
  readonly isOriginal: boolean;
  readonly copyReason: string | null;
  readonly unit: string;
  readonly custody: 'in_custody' | 'destroyed' | 'transferred';
  readonly onLoan: boolean;
  readonly openLoan: LoanOut | null;
  readonly loansOut: readonly LoanOut[];
  readonly loanCount: number;
  readonly held: boolean;
  readonly holds: readonly Hold[];
  readonly missing: boolean;
  readonly retentionDueOn: string | null;
  readonly filedAt: string;
  readonly filingDeadline: string;
  readonly lateFiling: boolean;
  readonly damage: readonly Damage[];
  readonly corrections: number;
}

export interface CataloguePage {
  readonly items: readonly CatalogueEntry[];
  readonly nextCursor: string | null;
  readonly total: number;
}

/** The `status` filter of `GET /records`. */
export const STATUSES = [
  'in_custody',
  'on_loan',
  'held',
  'due_for_appraisal',
  'destroyed',
  'transferred',
  'missing',
  'late_filing',
] as const;
export type Status = (typeof STATUSES)[number];

export const RETENTION_CLASSES = ['PERMANENT', 'D30', 'D10'] as const;
export const CLASSIFICATIONS = ['PUBLIC', 'INTERNAL', 'SECRET', 'CONFIDENTIAL', 'TOP_SECRET'] as const;
export const SORTS = ['archiveCode', 'title', 'year', 'dateFormed', 'filedAt'] as const;

/** Today as the service counts retention (UTC). */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The badges a record shows, each one of the `.badge.<class>` styles: where it is (in custody,
 * destroyed, transferred), and what else is true of it now (on loan, held, due for appraisal, missing).
 */
export function badgesOf(entry: CatalogueEntry): Status[] {
  const badges: Status[] = [];
  if (entry.custody === 'destroyed') badges.push('destroyed');
  else if (entry.custody === 'transferred') badges.push('transferred');
  else if (!entry.onLoan && !entry.missing) badges.push('in_custody');
  if (entry.onLoan) badges.push('on_loan');
  if (entry.held) badges.push('held');
  if (entry.missing) badges.push('missing');
  if (entry.custody === 'in_custody' && entry.retentionDueOn !== null && entry.retentionDueOn <= todayUtc())
    badges.push('due_for_appraisal');
  if (entry.lateFiling) badges.push('late_filing');
  return badges;
}

/** The CSS class of a badge (styles.css has `.badge.due`, not `.badge.due_for_appraisal`). */
export function badgeClass(status: Status): string {
  return status === 'due_for_appraisal' ? 'due' : status;
}
