/** The loan ledger's entry (GET /loans, /loans/overdue, /borrowers/{id}/open-loans; src/queries/ledgers/ledgers.dto.ts). */
export type LoanMode = 'reading_room' | 'lend_out' | 'copy';
export type LoanStatus = 'requested' | 'approved' | 'out' | 'returned' | 'refused' | 'withdrawn';
export type ApproverRole = 'archive_department_head' | 'department_head' | 'deputy_gm' | 'general_manager';
export type ReturnCondition = 'intact' | 'damaged' | 'pages_missing' | 'lost';
export type ReminderChannel = 'phone' | 'email' | 'letter' | 'in_person';

export const MODES: readonly LoanMode[] = ['lend_out', 'reading_room', 'copy'];
export const CONDITIONS: readonly ReturnCondition[] = ['intact', 'damaged', 'pages_missing', 'lost'];
export const CHANNELS: readonly ReminderChannel[] = ['phone', 'email', 'letter', 'in_person'];
export const APPROVER_ROLES: readonly ApproverRole[] = [
  'archive_department_head',
  'department_head',
  'deputy_gm',
  'general_manager',
];

export interface PersonRef {
  readonly id: string;
  readonly unit: string;
}

export interface Borrower {
  readonly type: 'staff' | 'external';
  readonly id?: string;
  readonly unit?: string;
  readonly name?: string;
  readonly organisation?: string;
}

export interface Requirement {
  readonly role: string;
  readonly unit?: string;
  readonly because: readonly string[];
}

export interface GivenApproval {
  readonly role: string;
  readonly unit?: string;
  readonly approver: PersonRef;
  readonly opinion?: string;
}

export interface LoanEntry {
  readonly loanId: string;
  readonly archiveCode: string;
  readonly title: string;
  readonly classification: string;
  readonly shelfLocation: string | null;
  readonly borrower: Borrower;
  readonly borrowerKey: string;
  readonly requestedBy: PersonRef;
  readonly mode: LoanMode;
  readonly purpose: string;
  readonly days: number;
  readonly totalDays: number;
  readonly status: LoanStatus;
  readonly requiredApprovals: readonly Requirement[];
  readonly approvals: readonly GivenApproval[];
  readonly requestedAt: string;
  readonly approvedAt: string | null;
  readonly handedOverAt: string | null;
  readonly dueAt: string | null;
  readonly reminders: {
    readonly count: number;
    readonly last: { readonly sentAt: string; readonly channel: string } | null;
  };
  readonly returnedAt: string | null;
  readonly condition: string | null;
  /** Only in the overdue list. */
  readonly daysOverdue?: number;
}

/** One loan, or renewal, awaiting an approval the signed-in person could give (GET /loans/awaiting-my-approval). */
export interface AwaitingEntry {
  readonly loanId: string;
  readonly archiveCode: string;
  readonly title: string;
  readonly classification: string;
  readonly borrower: Borrower;
  readonly requestedBy: PersonRef;
  readonly mode: LoanMode;
  readonly purpose: string;
  readonly days: number;
  readonly totalDays: number;
  readonly status: LoanStatus;
  readonly requestedAt: string;
  readonly dueAt: string | null;
  readonly awaitingSince: string;
  /** The renewal awaiting approval (续借, B8); null when the request itself awaits. */
  readonly renewal: {
    readonly renewal: number;
    readonly extraDays: number;
    readonly totalDays: number;
    readonly dueAt: string;
    readonly reason: string;
    readonly requestedAt: string;
  } | null;
  readonly policyVersion: number;
  /** Approvals given in this round (the request's, or the renewal's). */
  readonly approvals: readonly GivenApproval[];
  readonly outstanding: readonly (Requirement & { readonly yours: boolean })[];
  /** The roles the person could approve as; the service wants `role` when there are several. */
  readonly yourRoles: readonly string[];
}

export interface SubstituteCard {
  readonly shelfLocation: string;
  readonly archiveCode: string;
  readonly title: string;
  readonly loanId: string;
  readonly heldBy: Borrower;
  readonly mode: LoanMode;
  readonly since: string;
  readonly until: string;
  readonly handedOverBy: PersonRef;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  readonly total: number;
}

/** A page of the lists of this desk; the service allows at most 200. */
export const PAGE_SIZE = 20;

/** The requirements of a loan that no approval has filled yet (same role, same unit). */
export function outstanding(loan: Pick<LoanEntry, 'requiredApprovals' | 'approvals'>): Requirement[] {
  const left = [...loan.approvals];
  return loan.requiredApprovals.filter((required) => {
    const index = left.findIndex(
      (given) => given.role === required.role && (given.unit ?? '') === (required.unit ?? ''),
    );
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}

export function borrowerName(borrower: Borrower): string {
  if (borrower.type === 'external') return `${borrower.name ?? ''}（${borrower.organisation ?? ''}）`;
  return borrower.unit ? `${borrower.id ?? ''}（${borrower.unit}）` : (borrower.id ?? '');
}

/** `encodeURIComponent` for a loan id in a path (Z001-WS-2024-D30-SALES-0001.L1). */
export function loanPath(loanId: string, action: string): string {
  return `/loans/${encodeURIComponent(loanId)}/${action}`;
}
