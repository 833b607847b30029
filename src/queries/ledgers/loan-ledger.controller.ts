import { Controller, ForbiddenException, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Role } from '../../auth/roles';
import { CLOCK, type Clock } from '../../clock/clock';
import type { Actor } from '../../domain-kernel/actor';
import type { ErrorResponse } from '../../http/error-response';
import { ProjectionFreshness } from '../../projections/projection-freshness';
import type { LoanLedgerDoc } from '../../projections/read-models/loan-ledger.read-model';
import { loanLedgerReadModel } from '../../projections/read-models/loan-ledger.read-model';
import { READ_STORE, type Filter, type ReadDoc, type ReadStore } from '../../read-store/read-store.port';
import { daysOverdue } from '../../records/record.state';
import { withoutBookkeeping } from '../catalogue/read-query';
import { QueryRoute } from '../catalogue/query-route.decorator';
import { PageQueryDto } from '../page-query.dto';
import { approverKeysOf, awaitingApprovalFilter, awaitingApprovalItem } from './awaiting-approval';
import { ledgerPage, prefixRange, timeRange, type LedgerPage } from './ledger-query';
import {
  AwaitingApprovalDto,
  AwaitingApprovalPageDto,
  LoanLedgerEntryDto,
  LoanLedgerPageDto,
  LoanLedgerQueryDto,
  OverdueLoanDto,
  OverdueLoansPageDto,
  SubstituteCardDto,
  SubstituteCardsPageDto,
  SubstituteCardsQueryDto,
  UtilisationEntryDto,
  UtilisationLedgerPageDto,
  UtilisationLedgerQueryDto,
} from './ledgers.dto';

const LOANS = loanLedgerReadModel.collection.name;

/** B14: who may list anyone's open loans; a person may always list their own. */
export const OPEN_LOANS_ROLES: readonly Role[] = [
  'archivist',
  'archive_department_head',
  'department_head',
  'administrator',
];

/**
 * The loan ledgers, all read from the `loan_ledger` read model: the loan ledger itself (借阅登记簿),
 * the overdue list (B9), open loans by person (B14), substitute cards by shelf location (B11) and
 * the utilisation ledger (B13). Each answer waits for `?after=` first, and counts and lists only
 * loans of records the caller is cleared for (A2).
 */
@ApiTags('ledgers')
@ApiBearerAuth()
@Controller()
export class LoanLedgerController {
  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly freshness: ProjectionFreshness,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('loans')
  @QueryRoute({
    roles: ['archivist', 'archive_department_head', 'compliance_officer', 'auditor'],
    summary: '借阅登记簿 — the loan ledger (B1)',
    description:
      'Every registered loan with its borrower, purpose, mode, period, the approvals it needed and got (with each approver and opinion), hand-over, renewals, reminders, return and utilisation feedback. Newest request first. Filters: archiveCode, borrower (staff user id or `external:{organisation}:{name}`), status, mode, and from/to on the request time.',
    answer: { type: LoanLedgerPageDto },
  })
  async ledger(
    @Query() query: LoanLedgerQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<LoanLedgerEntryDto>> {
    await this.freshness.ensure(query.after);
    const requestedAt = timeRange(query.from, query.to);
    const filter: Filter = {
      ...(query.archiveCode !== undefined ? { archiveCode: query.archiveCode } : {}),
      ...(query.borrower !== undefined ? { borrowerKey: query.borrower } : {}),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.mode !== undefined ? { mode: query.mode } : {}),
      ...(requestedAt !== undefined ? { requestedAt } : {}),
    };
    return ledgerPage(this.reads, {
      collection: LOANS,
      actor,
      filter,
      sort: { field: 'requestedAt', direction: 'desc' },
      page: query,
    });
  }

  @Get('loans/awaiting-my-approval')
  @QueryRoute({
    roles: ['archive_department_head', 'department_head', 'deputy_gm', 'general_manager'],
    summary: '待我审批 — loans and renewals awaiting the caller’s approval (B3, B8)',
    description:
      'The loans whose request, or pending renewal, still needs an approval the caller could give, by the requirements recorded on the loan under its policy version and the rules the decider applies when the caller approves (POST /loans/{loanId}/approvals): the caller holds an outstanding role and, for a requirement naming a unit (a department head of the borrower’s or the record’s unit), heads that unit; the caller is neither the borrower nor whoever registered the loan, and has not already approved this round (B3). Oldest first (by when the request or renewal was asked for). Each item gives the loan, the renewal awaiting (or null), the approvals given with approver and opinion, and the outstanding ones, each marked `yours` when the caller could give it. Like every list it shows and counts only loans of records the caller is cleared for (A2). Open to the roles that may approve (the same as POST /loans/{loanId}/approvals).',
    answer: { type: AwaitingApprovalPageDto },
  })
  async awaitingMyApproval(
    @Query() query: PageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<AwaitingApprovalDto>> {
    await this.freshness.ensure(query.after);
    if (approverKeysOf(actor).length === 0) return { items: [], nextCursor: null, total: 0 };
    return ledgerPage(
      this.reads,
      {
        collection: LOANS,
        actor,
        filter: awaitingApprovalFilter(actor),
        sort: { field: 'awaiting.since', direction: 'asc' },
        page: query,
      },
      (doc) => awaitingApprovalItem(doc, actor),
    );
  }

  @Get('loans/overdue')
  @QueryRoute({
    roles: ['archivist', 'archive_department_head'],
    summary: '逾期清单 — overdue loans (B9)',
    description:
      'Loans still out after their due date by the service clock, the longest overdue first, each with its days overdue (a started day counts as one) and the reminders (催还) sent so far.',
    answer: { type: OverdueLoansPageDto },
  })
  async overdue(
    @Query() query: PageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<OverdueLoanDto>> {
    await this.freshness.ensure(query.after);
    const now = this.clock.now();
    return ledgerPage(
      this.reads,
      {
        collection: LOANS,
        actor,
        filter: { status: 'out', dueAt: { lt: now.toISOString() } },
        sort: { field: 'dueAt', direction: 'asc' },
        page: query,
      },
      (doc) => {
        const loan = withoutBookkeeping<LoanLedgerEntryDto>(doc);
        return { ...loan, daysOverdue: daysOverdue(loan.dueAt as string, now) };
      },
    );
  }

  @Get('borrowers/:borrowerId/open-loans')
  @QueryRoute({
    summary: '在借清单 — open loans of one person (B14)',
    description:
      "The person's loans still open (requested, approved or out), e.g. before they leave the company: every one must be returned or withdrawn first. Open to the archivist, the archive department head, department heads and administrators, and to the person themself for their own loans; anyone else gets 403 ROLE_REQUIRED. Like every list it shows only loans of records the caller is cleared for (A2).",
    params: [
      {
        name: 'borrowerId',
        example: 'li.lei',
        description: "the staff member's user id (an external borrower: `external:{organisation}:{name}`)",
      },
    ],
    answer: { type: LoanLedgerPageDto },
  })
  @ApiResponse({
    status: 403,
    description: `ROLE_REQUIRED: only ${OPEN_LOANS_ROLES.join(', ')}, or the borrower themself`,
  })
  async openLoans(
    @Param('borrowerId') borrowerId: string,
    @Query() query: PageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<LoanLedgerEntryDto>> {
    // Not a @RequireRoles route: the borrower may always see their own; checked before anything is read.
    if (actor.id !== borrowerId && !OPEN_LOANS_ROLES.some((role) => actor.roles.includes(role))) {
      const body: ErrorResponse & { code: string } = {
        statusCode: 403,
        error: 'FORBIDDEN',
        code: 'ROLE_REQUIRED',
        message: `requires one of the roles: ${OPEN_LOANS_ROLES.join(', ')}; or being the borrower`,
      };
      throw new ForbiddenException(body);
    }
    await this.freshness.ensure(query.after);
    return ledgerPage(this.reads, {
      collection: LOANS,
      actor,
      filter: { borrowerKey: borrowerId, status: { in: ['requested', 'approved', 'out'] } },
      sort: { field: 'requestedAt', direction: 'desc' },
      page: query,
    });
  }

  @Get('substitute-cards')
  @QueryRoute({
    roles: ['archivist'],
    summary: '代替卡 — substitute cards by shelf location (B11)',
    description:
      'Records out, by shelf location: what stands in their place on the shelf — who has the record, since when and until when. `location` selects a shelf location or every location beginning with it.',
    answer: { type: SubstituteCardsPageDto },
  })
  async substituteCards(
    @Query() query: SubstituteCardsQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<SubstituteCardDto>> {
    await this.freshness.ensure(query.after);
    return ledgerPage(
      this.reads,
      {
        collection: LOANS,
        actor,
        filter: {
          status: 'out',
          ...(query.location !== undefined ? { shelfLocation: prefixRange(query.location) } : {}),
        },
        sort: { field: 'shelfLocation', direction: 'asc' },
        page: query,
      },
      substituteCard,
    );
  }

  @Get('utilisation-ledger')
  @QueryRoute({
    roles: ['archivist', 'archive_department_head', 'compliance_officer', 'auditor'],
    summary: '利用效果登记 — the utilisation ledger (B13)',
    description:
      'Loans whose borrower recorded what the record was used for and what it achieved, newest feedback first. Filters: archiveCode, and from/to on when the feedback was recorded.',
    answer: { type: UtilisationLedgerPageDto },
  })
  async utilisation(
    @Query() query: UtilisationLedgerQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<UtilisationEntryDto>> {
    await this.freshness.ensure(query.after);
    const recordedAt = timeRange(query.from, query.to) ?? { exists: true };
    return ledgerPage(
      this.reads,
      {
        collection: LOANS,
        actor,
        filter: {
          'utilisation.recordedAt': recordedAt,
          ...(query.archiveCode !== undefined ? { archiveCode: query.archiveCode } : {}),
        },
        sort: { field: 'utilisation.recordedAt', direction: 'desc' },
        page: query,
      },
      utilisationEntry,
    );
  }
}

function substituteCard(doc: ReadDoc): SubstituteCardDto {
  const loan = doc as unknown as LoanLedgerDoc;
  return {
    shelfLocation: loan.shelfLocation as string,
    archiveCode: loan.archiveCode,
    title: loan.title as string,
    loanId: loan.loanId,
    heldBy: loan.borrower,
    mode: loan.mode,
    since: loan.handedOverAt as string,
    until: loan.dueAt as string,
    handedOverBy: loan.handedOverBy as SubstituteCardDto['handedOverBy'],
  };
}

function utilisationEntry(doc: ReadDoc): UtilisationEntryDto {
  const loan = doc as unknown as LoanLedgerDoc;
  return {
    loanId: loan.loanId,
    archiveCode: loan.archiveCode,
    title: loan.title as string,
    classification: loan.classification as UtilisationEntryDto['classification'],
    borrower: loan.borrower,
    mode: loan.mode,
    purpose: loan.purpose,
    handedOverAt: loan.handedOverAt,
    returnedAt: loan.returnedAt,
    utilisation: loan.utilisation as UtilisationEntryDto['utilisation'],
  };
}
