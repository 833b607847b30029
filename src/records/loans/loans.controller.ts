import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { CommandRoute } from '../../http/command-route.decorator';
import { ArchiveCodeParam, LoanParam, type LoanRef } from '../record-params';
import { CODE_PARAM, RECORD_NOT_FOUND, runRecordCommand } from '../record-routes';
import type { BorrowerRequest } from '../record.commands';
import type { DamageReported, LoanRequested } from '../record.events';
import {
  DecideLoanApprovalDto,
  NoBodyFields,
  RecordUtilisationDto,
  ReportDamageDto,
  RequestLoanDto,
  RequestRenewalDto,
  ReturnLoanDto,
  SendOverdueReminderDto,
  WithdrawLoanDto,
} from './loans.dto';

const SALES_CODE_PARAM = { ...CODE_PARAM, example: 'Z001-WS-2024-D30-SALES-0001' } as const;
const LOAN_PARAM = {
  name: 'loanId',
  example: 'Z001-WS-2024-D30-SALES-0001.L1',
  description: "the loan: its record's archive code and its number on that record",
} as const;
const LOAN_NOT_FOUND = `${RECORD_NOT_FOUND}; or LOAN_NOT_FOUND: no such loan on that record`;

/**
 * Loans (借阅, BRIEF B1–B13; docs/loans.md). Every route runs one record command on the loan's
 * record stream; the actor is always the bearer token's subject, never a body field.
 */
@ApiTags('loans')
@ApiBearerAuth()
@Controller()
export class LoansController {
  constructor(private readonly commands: CommandBus) {}

  @Post('records/:code/loans')
  @CommandRoute({
    roles: ['borrower', 'archivist'],
    summary: '借阅申请 — request a loan (B1–B7)',
    description:
      'Appends LoanRequested with the approvals the policy in force requires and its version (B3), plus LoanApproved at once when none is required. A staff borrower asks for themself (the borrower is always the caller); an archivist registers an external borrower (外单位) with their introduction letter (B7). Of racing lend-out requests for one record exactly one is registered (B2). `loanId` in the answer names the loan.',
    params: [SALES_CODE_PARAM],
    responses: {
      400: 'VALIDATION_FAILED (the offending fields are listed), or EXCERPTS_ONLY_FOR_EXTERNAL (field excerpts)',
      403: 'caller is neither a borrower nor an archivist; or LOAN_REQUEST_NOT_ALLOWED (B1): an archivist registering a staff loan, a borrower registering an external one',
      404: RECORD_NOT_FOUND,
      409: 'RECORD_ALREADY_LENT (B2): another lend-out loan of the record is open; or IDEMPOTENCY_KEY_REUSED',
      422: 'the policy refuses the loan: TOP_SECRET_READING_ROOM_ONLY (B5), EXTERNAL_READING_ROOM_ONLY (B7), INTRODUCTION_LETTER_REQUIRED (B7), LOAN_TOO_LONG (B8); `rule` names it',
    },
  })
  async request(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: RequestLoanDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { mode, purpose, days, externalBorrower, excerpts } = body;
    const borrower: BorrowerRequest = externalBorrower
      ? {
          type: 'external',
          name: externalBorrower.name,
          organisation: externalBorrower.organisation,
          // Left out: the domain refuses the loan under B7 (INTRODUCTION_LETTER_REQUIRED).
          introductionLetterRef: externalBorrower.introductionLetterRef ?? '',
        }
      : { type: 'staff' };
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      {
        type: 'RequestLoan',
        borrower,
        mode,
        purpose,
        ...(days !== undefined ? { days } : {}),
        ...(excerpts !== undefined ? { excerpts } : {}),
      },
      { ...context, reason: purpose },
    );
    const requested = outcome.events.find((e): e is LoanRequested => e.type === 'LoanRequested');
    return commandAccepted(outcome, {
      archiveCode,
      ...(requested ? { loanId: requested.data.loanId } : {}),
    });
  }

  @Post('loans/:loanId/approvals')
  @CommandRoute({
    roles: ['department_head', 'archive_department_head', 'deputy_gm', 'general_manager'],
    summary: '借阅审批 — approve or refuse a loan or its pending renewal (B3, B8)',
    description:
      'Fills one outstanding required approval the caller qualifies for (the role, and for a department head the unit): LoanApprovalGiven, plus LoanApproved (or LoanRenewed for a renewal) with the last one. A refusal (opinion required) ends the loan (LoanRefused) or the renewal (LoanRenewalRefused). The borrower, and whoever registered the loan, never approve it; one person fills at most one requirement.',
    params: [LOAN_PARAM],
    responses: {
      400: 'VALIDATION_FAILED or a malformed loan id; APPROVAL_ROLE_AMBIGUOUS (field role); OPINION_REQUIRED (field opinion)',
      403: 'caller holds no approving role; or NOT_A_REQUIRED_APPROVER (B3): none of the outstanding required roles (or not head of the required unit)',
      404: LOAN_NOT_FOUND,
      409: 'NOTHING_TO_APPROVE; or IDEMPOTENCY_KEY_REUSED',
      422: 'SELF_APPROVAL or APPROVER_ALREADY_APPROVED (B3); `rule` names it',
    },
  })
  async decide(
    @LoanParam() { loanId, archiveCode }: LoanRef,
    @Body() body: DecideLoanApprovalDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { decision, role, opinion } = body;
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      {
        type: 'DecideLoanApproval',
        loanId,
        decision,
        ...(role !== undefined ? { role } : {}),
        ...(opinion !== undefined ? { opinion } : {}),
      },
      { ...context, ...(opinion !== undefined ? { reason: opinion } : {}) },
    );
    return commandAccepted(outcome, { archiveCode, loanId });
  }

  @Post('loans/:loanId/withdrawal')
  @CommandRoute({
    roles: ['borrower', 'archivist'],
    summary: '撤回 — withdraw a loan before hand-over',
    description:
      'Appends LoanWithdrawn with the reason. The staff borrower withdraws their own loan; for an external loan, the archivist who registered it.',
    params: [LOAN_PARAM],
    responses: {
      400: 'VALIDATION_FAILED or a malformed loan id; the offending fields are listed',
      403: 'caller is neither a borrower nor an archivist; or NOT_THE_BORROWER',
      404: LOAN_NOT_FOUND,
      409: 'LOAN_NOT_WITHDRAWABLE: already handed over or ended; or IDEMPOTENCY_KEY_REUSED',
      422: 'a rule refuses the withdrawal; `rule` names it',
    },
  })
  async withdraw(
    @LoanParam() { loanId, archiveCode }: LoanRef,
    @Body() body: WithdrawLoanDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'WithdrawLoan', loanId, reason: body.reason },
      { ...context, reason: body.reason },
    );
    return commandAccepted(outcome, { archiveCode, loanId });
  }

  @Post('loans/:loanId/hand-over')
  @CommandRoute({
    roles: ['archivist'],
    summary: '借出 — hand an approved loan over to its borrower (B1, B2, B11)',
    description:
      'Appends Borrowed: due date = now + the approved days; the shelf location shows a substitute card (代替卡, B11). The loan goes to the borrower it was registered for: the request takes no body fields, so no other borrower can be named (不得转借, B8).',
    params: [LOAN_PARAM],
    responses: {
      400: 'VALIDATION_FAILED: a malformed loan id, or a body naming any field (e.g. a borrower)',
      403: 'caller is not an archivist',
      404: LOAN_NOT_FOUND,
      409: 'LOAN_ALREADY_HANDED_OVER, LOAN_ENDED, RECORD_OUT (B11: another loan of the record is out); or IDEMPOTENCY_KEY_REUSED',
      422: 'LOAN_NOT_APPROVED: approvals outstanding; `rule` names the rule of the first outstanding requirement (e.g. B5), B3 if none',
    },
  })
  @ApiBody({
    required: false,
    description: 'no body, or an empty object',
    schema: { type: 'object', properties: {}, additionalProperties: false },
  })
  async handOver(
    @LoanParam() { loanId, archiveCode }: LoanRef,
    @NoBodyFields() _body: Record<string, never>,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'HandOverLoan', loanId },
      context,
    );
    return commandAccepted(outcome, { archiveCode, loanId });
  }

  @Post('loans/:loanId/renewals')
  @CommandRoute({
    roles: ['borrower', 'archivist'],
    summary: '续借 — renew a loan that is out (B8)',
    description:
      'Appends LoanRenewalRequested: the renewed loan needs the approvals of a new loan of its resulting total length, at most the policy maximum in all; LoanRenewed follows at once when none is required. Only the staff borrower renews (an archivist for an external loan): a loan is never handed on (不得转借).',
    params: [LOAN_PARAM],
    responses: {
      400: 'VALIDATION_FAILED or a malformed loan id; the offending fields are listed',
      403: 'caller is neither a borrower nor an archivist',
      404: LOAN_NOT_FOUND,
      409: 'LOAN_NOT_OUT; RENEWAL_PENDING: another renewal awaits approval; or IDEMPOTENCY_KEY_REUSED',
      422: 'LOAN_NOT_TRANSFERABLE (B8, 不得转借); LOAN_TOO_LONG (B8); `rule` names it',
    },
  })
  async renew(
    @LoanParam() { loanId, archiveCode }: LoanRef,
    @Body() body: RequestRenewalDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { extraDays, reason } = body;
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'RequestRenewal', loanId, extraDays, reason },
      { ...context, reason },
    );
    return commandAccepted(outcome, { archiveCode, loanId });
  }

  @Post('loans/:loanId/reminders')
  @CommandRoute({
    roles: ['archivist'],
    summary: '催还 — record an overdue reminder (B9)',
    description:
      'Appends OverdueReminderSent with the channel, the days overdue and the reminder number. Only a loan still out after its due date (by the service clock) is reminded.',
    params: [LOAN_PARAM],
    responses: {
      400: 'VALIDATION_FAILED or a malformed loan id; the offending fields are listed',
      403: 'caller is not an archivist',
      404: LOAN_NOT_FOUND,
      409: 'LOAN_NOT_OUT; or IDEMPOTENCY_KEY_REUSED',
      422: 'LOAN_NOT_OVERDUE (B9); `rule` names it',
    },
  })
  async remind(
    @LoanParam() { loanId, archiveCode }: LoanRef,
    @Body() body: SendOverdueReminderDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { channel, note } = body;
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'SendOverdueReminder', loanId, channel, ...(note !== undefined ? { note } : {}) },
      context,
    );
    return commandAccepted(outcome, { archiveCode, loanId });
  }

  @Post('loans/:loanId/return')
  @CommandRoute({
    roles: ['archivist'],
    summary: '归还 — record a return, checked in person (B10)',
    description:
      'Appends Returned with the condition found (intact, damaged, pages_missing, lost) and the days overdue; when not intact, the note of what was found is required and a DamageReported follows, which stays visible on the record.',
    params: [LOAN_PARAM],
    responses: {
      400: 'VALIDATION_FAILED or a malformed loan id; NOTE_REQUIRED (B10, field note): a return not intact without a note',
      403: 'caller is not an archivist',
      404: LOAN_NOT_FOUND,
      409: 'LOAN_NOT_OUT; or IDEMPOTENCY_KEY_REUSED',
      422: 'a rule refuses the return; `rule` names it',
    },
  })
  async recordReturn(
    @LoanParam() { loanId, archiveCode }: LoanRef,
    @Body() body: ReturnLoanDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { condition, note } = body;
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'ReturnLoan', loanId, condition, ...(note !== undefined ? { note } : {}) },
      context,
    );
    const damage = outcome.events.find((e): e is DamageReported => e.type === 'DamageReported');
    return commandAccepted(outcome, {
      archiveCode,
      loanId,
      ...(damage ? { reportId: damage.data.reportId } : {}),
    });
  }

  @Post('records/:code/damage-reports')
  @CommandRoute({
    roles: ['archivist', 'borrower'],
    summary: '损毁报告 — report damage or loss (B10)',
    description:
      'Appends DamageReported, which stays visible on the record. An archivist reports at any time; a borrower only for their own loan that is out (name it in loanId). `reportId` in the answer names the report.',
    params: [SALES_CODE_PARAM],
    responses: {
      400: 'VALIDATION_FAILED: the offending fields are listed',
      403: 'caller is neither an archivist nor a borrower; or NOT_THE_BORROWER: a borrower reporting without their own loan that is out',
      404: LOAN_NOT_FOUND,
      409: 'IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION',
      422: 'a rule refuses the report; `rule` names it',
    },
  })
  async reportDamage(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: ReportDamageDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { loanId, condition, description } = body;
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'ReportDamage', condition, description, ...(loanId !== undefined ? { loanId } : {}) },
      context,
    );
    const reported = outcome.events.find((e): e is DamageReported => e.type === 'DamageReported');
    return commandAccepted(outcome, {
      archiveCode,
      ...(loanId !== undefined ? { loanId } : {}),
      ...(reported ? { reportId: reported.data.reportId } : {}),
    });
  }

  @Post('loans/:loanId/utilisation')
  @CommandRoute({
    roles: ['borrower', 'archivist'],
    summary: '利用效果登记 — record utilisation feedback (B13)',
    description:
      'Appends UtilisationRecorded: what the loan was used for and what it achieved, listed in the utilisation ledger. Once per loan, after hand-over; by the staff borrower, or an archivist for an external loan.',
    params: [LOAN_PARAM],
    responses: {
      400: 'VALIDATION_FAILED or a malformed loan id; the offending fields are listed',
      403: 'caller is neither a borrower nor an archivist; or NOT_THE_BORROWER',
      404: LOAN_NOT_FOUND,
      409: 'LOAN_NOT_HANDED_OVER or UTILISATION_ALREADY_RECORDED (B13); or IDEMPOTENCY_KEY_REUSED',
      422: 'a rule refuses the feedback; `rule` names it',
    },
  })
  async utilisation(
    @LoanParam() { loanId, archiveCode }: LoanRef,
    @Body() body: RecordUtilisationDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { usedFor, effect } = body;
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'RecordUtilisation', loanId, usedFor, effect },
      context,
    );
    return commandAccepted(outcome, { archiveCode, loanId });
  }
}
