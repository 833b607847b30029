import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { CLASSIFICATIONS, type Classification } from '../../domain-kernel/actor';
import { Optional } from '../../http/optional.decorator';
import type { CorrectionStatus } from '../../projections/read-models/modification-ledger.read-model';
import { ARCHIVE_CODE_PATTERN } from '../../records/archive-code';
import {
  HOLD_KINDS,
  LOAN_MODES,
  RETURN_CONDITIONS,
  type HoldKind,
  type LoanMode,
} from '../../records/record.events';
import type { LoanStatus } from '../../records/record.state';
import { PageQueryDto } from '../page-query.dto';

export const LOAN_STATUSES = [
  'requested',
  'approved',
  'out',
  'returned',
  'refused',
  'withdrawn',
] as const satisfies readonly LoanStatus[];
export const CORRECTION_STATUSES = [
  'proposed',
  'corrected',
  'rejected',
] as const satisfies readonly CorrectionStatus[];

const ARCHIVE_CODE_MESSAGE = 'archiveCode must be an archive code such as Z001-WS-2024-D30-BGS-0007';
const FROM = (what: string) => ({
  example: '2026-03-01',
  description: `${what} at or after this day (UTC) or moment (ISO 8601)`,
});
const TO = (what: string) => ({
  example: '2026-03-31',
  description: `${what} on or before this day (UTC, the whole day) or at or before this moment (ISO 8601)`,
});

/** `from` or `to` of a ledger: a day (UTC) or a moment (ISO 8601) bounding `what`. */
function TimeBound(bound: 'from' | 'to', what: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional(bound === 'from' ? FROM(what) : TO(what)),
    Optional(),
    IsString(),
    IsISO8601({ strict: true }),
  );
}

/** `archiveCode`, shared by the ledgers' queries. */
class RecordLedgerQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: 'Z001-WS-2024-D30-SALES-0001',
    description: '档号: entries about this record only',
  })
  @Optional()
  @IsString()
  @Matches(ARCHIVE_CODE_PATTERN, { message: ARCHIVE_CODE_MESSAGE })
  archiveCode?: string;
}

// ── query parameters ────────────────────────────────────────────────────────────────────────────

/** Query of `GET /loans` (借阅登记簿). */
export class LoanLedgerQueryDto extends RecordLedgerQueryDto {
  @ApiPropertyOptional({
    example: 'li.lei',
    description:
      "the borrower: a staff member's user id, or `external:{organisation}:{name}` for an external one",
  })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  borrower?: string;

  @ApiPropertyOptional({ enum: LOAN_STATUSES, example: 'out' })
  @Optional()
  @IsIn(LOAN_STATUSES)
  status?: LoanStatus;

  @ApiPropertyOptional({
    enum: LOAN_MODES,
    example: 'lend_out',
    description: '查阅 reading_room, 借出 lend_out, 复制 copy',
  })
  @Optional()
  @IsIn(LOAN_MODES)
  mode?: LoanMode;

  @TimeBound('from', 'loans requested')
  from?: string;

  @TimeBound('to', 'loans requested')
  to?: string;
}

/** Query of `GET /substitute-cards` (代替卡, B11). */
export class SubstituteCardsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: 'B-01',
    description: 'shelf location (存放位置), or its beginning: B-01 finds B-01-04-02',
  })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/^[\p{L}\p{N} ._/·-]+$/u, {
    message: 'location must be letters, digits, spaces and . _ / · - only',
  })
  location?: string;
}

/** Query of `GET /utilisation-ledger` (利用效果登记, B13). */
export class UtilisationLedgerQueryDto extends RecordLedgerQueryDto {
  @TimeBound('from', 'feedback recorded')
  from?: string;

  @TimeBound('to', 'feedback recorded')
  to?: string;
}

/** Query of `GET /modification-ledger` (修改台帐, F5). */
export class ModificationLedgerQueryDto extends RecordLedgerQueryDto {
  @ApiPropertyOptional({ enum: CORRECTION_STATUSES, example: 'corrected' })
  @Optional()
  @IsIn(CORRECTION_STATUSES)
  status?: CorrectionStatus;

  @TimeBound('from', 'corrections proposed')
  from?: string;

  @TimeBound('to', 'corrections proposed')
  to?: string;
}

/** Query of `GET /holds` (R6). */
export class HoldsRegisterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    example: true,
    description: 'true: holds in force; false: released ones',
  })
  @Optional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({ enum: HOLD_KINDS, example: 'legal' })
  @Optional()
  @IsIn(HOLD_KINDS)
  kind?: HoldKind;

  @ApiPropertyOptional({
    example: 'Z001-WS-2024-D30-BGS-0007',
    description: '档号: holds on this record only',
  })
  @Optional()
  @IsString()
  @Matches(ARCHIVE_CODE_PATTERN, { message: ARCHIVE_CODE_MESSAGE })
  archiveCode?: string;
}

// ── answers ─────────────────────────────────────────────────────────────────────────────────────

const CURSOR = {
  example: 'eyJ2IjpbIjIwMjYtMDMtMDFUMDk6MDA6MDAuMDAwWiJdfQ',
  nullable: true,
  type: String,
  description: 'send as `cursor` (with the same filters) for the next page; null on the last page',
} as const;
const TOTAL = (what: string) => ({
  example: 1,
  description: `how many ${what} match, counting only those of records visible to the caller (A2)`,
});

export class PersonRefDto {
  @ApiProperty({ example: 'liu.yang' })
  id!: string;
  @ApiProperty({ example: 'ARCHIVE' })
  unit!: string;
}

class BorrowerDto {
  @ApiProperty({ enum: ['staff', 'external'], example: 'staff' })
  type!: 'staff' | 'external';
  @ApiPropertyOptional({ example: 'li.lei', description: 'staff: user id' })
  id?: string;
  @ApiPropertyOptional({ example: 'SALES', description: 'staff: department' })
  unit?: string;
  @ApiPropertyOptional({ example: '张审计', description: 'external: the visitor' })
  name?: string;
  @ApiPropertyOptional({ example: '立信会计师事务所', description: 'external: their organisation (外单位)' })
  organisation?: string;
  @ApiPropertyOptional({
    example: '京审函〔2026〕18号',
    description: 'external: the introduction letter (介绍信, B7)',
  })
  introductionLetterRef?: string;
}

class ApprovalRequirementDto {
  @ApiProperty({ example: 'department_head' })
  role!: string;
  @ApiPropertyOptional({ example: 'SALES' })
  unit?: string;
  @ApiProperty({ example: ['B4.lend-out-over-2-days'], type: [String] })
  because!: string[];
}

class GivenApprovalDto {
  @ApiProperty({ example: 'archive_department_head' })
  role!: string;
  @ApiPropertyOptional({ example: 'SALES' })
  unit?: string;
  @ApiProperty({ type: PersonRefDto })
  approver!: PersonRefDto;
  @ApiPropertyOptional({ example: '同意借出，请按期归还' })
  opinion?: string;
}

class RefusalDto {
  @ApiProperty({ example: 'general_manager' })
  role!: string;
  @ApiProperty({ type: PersonRefDto })
  approver!: PersonRefDto;
  @ApiProperty({ example: '涉密合同不宜借出' })
  reason!: string;
}

class LoanRefusalDto extends RefusalDto {
  @ApiProperty({ example: '2026-03-01T10:00:00.000Z' })
  at!: string;
}

class WithdrawalDto {
  @ApiProperty({ type: PersonRefDto })
  by!: PersonRefDto;
  @ApiProperty({ example: '改由李雷一并核对' })
  reason!: string;
  @ApiProperty({ example: '2026-03-01T10:00:00.000Z' })
  at!: string;
}

class RenewalDto {
  @ApiProperty({ example: 1 })
  renewal!: number;
  @ApiProperty({ example: 5 })
  extraDays!: number;
  @ApiProperty({ example: 15, description: 'days of the loan in all once granted' })
  totalDays!: number;
  @ApiProperty({ example: '2026-03-16T09:00:00.000Z', description: 'the due date asked for' })
  dueAt!: string;
  @ApiProperty({ example: '续签谈判延期，需继续核对条款' })
  reason!: string;
  @ApiProperty({ example: '2026-03-08T09:00:00.000Z' })
  requestedAt!: string;
  @ApiProperty({ enum: ['requested', 'granted', 'refused'], example: 'granted' })
  status!: 'requested' | 'granted' | 'refused';
  @ApiProperty({ example: 1 })
  policyVersion!: number;
  @ApiProperty({ type: [ApprovalRequirementDto] })
  requiredApprovals!: ApprovalRequirementDto[];
  @ApiProperty({ type: [GivenApprovalDto] })
  approvals!: GivenApprovalDto[];
  @ApiProperty({ example: '2026-03-11T09:00:00.000Z', nullable: true, type: String })
  previousDueAt!: string | null;
  @ApiProperty({ example: '2026-03-08T11:00:00.000Z', nullable: true, type: String })
  decidedAt!: string | null;
  @ApiProperty({ type: RefusalDto, nullable: true })
  refusal!: RefusalDto | null;
}

class ReminderDto {
  @ApiProperty({ example: 1, description: 'its number on the loan' })
  reminder!: number;
  @ApiProperty({ example: '2026-03-16T15:00:00.000Z' })
  sentAt!: string;
  @ApiProperty({ example: 'phone' })
  channel!: string;
  @ApiProperty({ example: '电话催还', nullable: true, type: String })
  note!: string | null;
  @ApiProperty({ example: '2026-03-16T09:00:00.000Z' })
  dueAt!: string;
  @ApiProperty({ example: 1 })
  daysOverdue!: number;
}

class RemindersDto {
  @ApiProperty({ example: 1, description: '催还: reminders sent (B9)' })
  count!: number;
  @ApiProperty({ type: ReminderDto, nullable: true })
  last!: ReminderDto | null;
}

class DamageReportDto {
  @ApiProperty({ example: 'D1' })
  reportId!: string;
  @ApiProperty({ enum: ['damaged', 'pages_missing', 'lost'], example: 'damaged' })
  condition!: string;
  @ApiProperty({ example: '第3页右下角有水渍' })
  description!: string;
  @ApiProperty({ type: PersonRefDto })
  reportedBy!: PersonRefDto;
  @ApiProperty({ example: '2026-03-18T10:00:00.000Z' })
  reportedAt!: string;
}

export class UtilisationDto {
  @ApiProperty({ example: '合同续签谈判' })
  usedFor!: string;
  @ApiProperty({ example: '据此核实了供货条款，续签顺利完成' })
  effect!: string;
  @ApiProperty({ type: PersonRefDto })
  recordedBy!: PersonRefDto;
  @ApiProperty({ example: '2026-03-18T11:00:00.000Z' })
  recordedAt!: string;
}

/** One loan of the loan ledger (借阅登记簿). */
export class LoanLedgerEntryDto {
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001.L1' })
  loanId!: string;
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001', description: '档号' })
  archiveCode!: string;
  @ApiProperty({
    example: '华东精密机械有限公司2024年度供货合同',
    description: "the record's current title (题名)",
  })
  title!: string;
  @ApiProperty({
    enum: CLASSIFICATIONS,
    example: 'INTERNAL',
    description: "the record's current classification (密级)",
  })
  classification!: Classification;
  @ApiProperty({ example: 1, description: '0 PUBLIC … 4 TOP_SECRET' })
  classificationRank!: number;
  @ApiProperty({
    example: 'B-01-04-02',
    nullable: true,
    type: String,
    description: "the record's shelf location",
  })
  shelfLocation!: string | null;
  @ApiProperty({ type: BorrowerDto })
  borrower!: BorrowerDto;
  @ApiProperty({
    example: 'li.lei',
    description: 'staff: the user id; external: `external:{organisation}:{name}`',
  })
  borrowerKey!: string;
  @ApiProperty({
    type: PersonRefDto,
    description: 'who registered the loan: the borrower, or the archivist for an external one',
  })
  requestedBy!: PersonRefDto;
  @ApiProperty({ enum: LOAN_MODES, example: 'lend_out' })
  mode!: LoanMode;
  @ApiProperty({ example: '核对合同条款，准备续签谈判' })
  purpose!: string;
  @ApiProperty({ example: 10, description: 'days asked for' })
  days!: number;
  @ApiProperty({ example: 15, description: 'days approved in all, renewals included' })
  totalDays!: number;
  @ApiProperty({ example: false, description: 'B7: an external borrower takes excerpts out' })
  excerpts!: boolean;
  @ApiProperty({ enum: LOAN_STATUSES, example: 'out' })
  status!: LoanStatus;
  @ApiProperty({ example: 1, description: 'the approval policy version that applied (B3)' })
  policyVersion!: number;
  @ApiProperty({ type: [ApprovalRequirementDto] })
  requiredApprovals!: ApprovalRequirementDto[];
  @ApiProperty({ type: [GivenApprovalDto], description: 'each with the approver and their opinion' })
  approvals!: GivenApprovalDto[];
  @ApiProperty({
    example: '2026-03-01T09:00:00.000Z',
    description: 'when the loan was requested (occurredAt)',
  })
  requestedAt!: string;
  @ApiProperty({ example: '2026-03-01T09:30:00.000Z', nullable: true, type: String })
  approvedAt!: string | null;
  @ApiProperty({ type: LoanRefusalDto, nullable: true })
  refusal!: LoanRefusalDto | null;
  @ApiProperty({ type: WithdrawalDto, nullable: true })
  withdrawal!: WithdrawalDto | null;
  @ApiProperty({ example: '2026-03-01T10:00:00.000Z', nullable: true, type: String })
  handedOverAt!: string | null;
  @ApiProperty({ type: PersonRefDto, nullable: true })
  handedOverBy!: PersonRefDto | null;
  @ApiProperty({ example: '2026-03', nullable: true, type: String })
  handedOverMonth!: string | null;
  @ApiProperty({ example: '2026-03-16T09:00:00.000Z', nullable: true, type: String })
  dueAt!: string | null;
  @ApiProperty({ type: [RenewalDto], description: '续借 (B8)' })
  renewals!: RenewalDto[];
  @ApiProperty({ type: RemindersDto })
  reminders!: RemindersDto;
  @ApiProperty({ example: '2026-03-18T10:00:00.000Z', nullable: true, type: String })
  returnedAt!: string | null;
  @ApiProperty({ example: '2026-03', nullable: true, type: String })
  returnedMonth!: string | null;
  @ApiProperty({ type: PersonRefDto, nullable: true })
  receivedBy!: PersonRefDto | null;
  @ApiProperty({ enum: RETURN_CONDITIONS, example: 'damaged', nullable: true, description: 'B10' })
  condition!: string | null;
  @ApiProperty({
    example: '第3页右下角有水渍',
    nullable: true,
    type: String,
    description: 'B10: noted at a return not intact',
  })
  damageNote!: string | null;
  @ApiProperty({ example: 3, nullable: true, type: Number, description: 'whole days late at return' })
  overdueDaysAtReturn!: number | null;
  @ApiProperty({ type: [DamageReportDto], description: 'damage or loss reported against this loan (B10)' })
  damage!: DamageReportDto[];
  @ApiProperty({ type: UtilisationDto, nullable: true, description: '利用效果 (B13)' })
  utilisation!: UtilisationDto | null;
  @ApiProperty({
    type: () => LedgerAwaitingDto,
    nullable: true,
    description:
      'what awaits approval now (the request, or a pending renewal) and by whom; null when nothing does',
  })
  awaiting!: LedgerAwaitingDto | null;
}

/** What awaits approval on a loan now (B3, B8), as the loan ledger keeps it. */
export class LedgerAwaitingDto {
  @ApiProperty({
    example: null,
    nullable: true,
    type: Number,
    description: 'the renewal awaiting; null: the request',
  })
  renewal!: number | null;
  @ApiProperty({
    example: '2026-03-01T09:00:00.000Z',
    description: 'when the request or renewal was asked for',
  })
  since!: string;
  @ApiProperty({
    example: ['archive_department_head', 'department_head@SALES'],
    type: [String],
    description: 'the outstanding approvers: `role`, or `role@UNIT` for the head of UNIT',
  })
  approvers!: string[];
  @ApiProperty({
    example: ['li.lei'],
    type: [String],
    description:
      'who may not approve this round: the borrower, whoever registered the loan, and who already approved (B3)',
  })
  barred!: string[];
}

export class LoanLedgerPageDto {
  @ApiProperty({ type: [LoanLedgerEntryDto] })
  items!: LoanLedgerEntryDto[];
  @ApiProperty(CURSOR)
  nextCursor!: string | null;
  @ApiProperty(TOTAL('loans'))
  total!: number;
}

/** The renewal awaiting approval (续借, B8). */
export class AwaitingRenewalDto {
  @ApiProperty({ example: 1 })
  renewal!: number;
  @ApiProperty({ example: 5 })
  extraDays!: number;
  @ApiProperty({ example: 15, description: 'days of the loan in all once granted' })
  totalDays!: number;
  @ApiProperty({ example: '2026-03-16T09:00:00.000Z', description: 'the due date asked for' })
  dueAt!: string;
  @ApiProperty({ example: '续签谈判延期，需继续核对条款' })
  reason!: string;
  @ApiProperty({ example: '2026-03-08T09:00:00.000Z' })
  requestedAt!: string;
}

/** An outstanding required approval, and whether the caller could give it. */
export class OutstandingApprovalDto extends ApprovalRequirementDto {
  @ApiProperty({
    example: true,
    description: 'the caller holds the role (and, when a unit is named, heads that unit)',
  })
  yours!: boolean;
}

/** One loan, or renewal, waiting for an approval the caller could give (待我审批, B3, B8). */
export class AwaitingApprovalDto {
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001.L1' })
  loanId!: string;
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001', description: '档号' })
  archiveCode!: string;
  @ApiProperty({ example: '华东精密机械有限公司2024年度供货合同', description: "the record's current title" })
  title!: string;
  @ApiProperty({ enum: CLASSIFICATIONS, example: 'INTERNAL' })
  classification!: Classification;
  @ApiProperty({ type: BorrowerDto })
  borrower!: BorrowerDto;
  @ApiProperty({ type: PersonRefDto, description: 'who registered the loan' })
  requestedBy!: PersonRefDto;
  @ApiProperty({ enum: LOAN_MODES, example: 'lend_out' })
  mode!: LoanMode;
  @ApiProperty({ example: '核对合同条款，准备续签谈判' })
  purpose!: string;
  @ApiProperty({ example: 10, description: 'days asked for at request' })
  days!: number;
  @ApiProperty({ example: 10, description: 'days approved in all so far, renewals included' })
  totalDays!: number;
  @ApiProperty({ example: false, description: 'B7: an external borrower takes excerpts out' })
  excerpts!: boolean;
  @ApiProperty({
    enum: ['requested', 'out'],
    example: 'requested',
    description: 'requested: the request awaits; out: a renewal awaits',
  })
  status!: LoanStatus;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z', description: 'when the loan was requested' })
  requestedAt!: string;
  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    description: 'the current due date (a loan out, whose renewal awaits)',
  })
  dueAt!: string | null;
  @ApiProperty({
    example: '2026-03-01T09:00:00.000Z',
    description: 'when what awaits was asked for: the request, or the renewal; the list is oldest first',
  })
  awaitingSince!: string;
  @ApiProperty({
    type: AwaitingRenewalDto,
    nullable: true,
    description: 'the renewal awaiting; null: the request awaits',
  })
  renewal!: AwaitingRenewalDto | null;
  @ApiProperty({
    example: 1,
    description: 'the policy version the request (or renewal) was decided under (B3)',
  })
  policyVersion!: number;
  @ApiProperty({
    type: [GivenApprovalDto],
    description: 'approvals given so far in this round, with approver and opinion',
  })
  approvals!: GivenApprovalDto[];
  @ApiProperty({ type: [OutstandingApprovalDto], description: 'the approvals still required' })
  outstanding!: OutstandingApprovalDto[];
  @ApiProperty({
    example: ['department_head'],
    type: [String],
    description: 'the roles the caller could approve as; send one as `role` when there are several',
  })
  yourRoles!: string[];
}

export class AwaitingApprovalPageDto {
  @ApiProperty({ type: [AwaitingApprovalDto] })
  items!: AwaitingApprovalDto[];
  @ApiProperty(CURSOR)
  nextCursor!: string | null;
  @ApiProperty(TOTAL('loans and renewals awaiting your approval'))
  total!: number;
}

/** One overdue loan (B9). */
export class OverdueLoanDto extends LoanLedgerEntryDto {
  @ApiProperty({
    example: 2,
    description: 'whole days past the due date by the service clock; a started day counts as one',
  })
  daysOverdue!: number;
}

export class OverdueLoansPageDto {
  @ApiProperty({ type: [OverdueLoanDto] })
  items!: OverdueLoanDto[];
  @ApiProperty(CURSOR)
  nextCursor!: string | null;
  @ApiProperty(TOTAL('overdue loans'))
  total!: number;
}

/** 代替卡 — what stands at a shelf location while its record is out (B11). */
export class SubstituteCardDto {
  @ApiProperty({ example: 'B-01-04-02', description: '存放位置' })
  shelfLocation!: string;
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001' })
  archiveCode!: string;
  @ApiProperty({ example: '华东精密机械有限公司2024年度供货合同' })
  title!: string;
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001.L1' })
  loanId!: string;
  @ApiProperty({ type: BorrowerDto, description: 'who has it' })
  heldBy!: BorrowerDto;
  @ApiProperty({ enum: LOAN_MODES, example: 'lend_out' })
  mode!: LoanMode;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z', description: 'since when (hand-over)' })
  since!: string;
  @ApiProperty({
    example: '2026-03-11T09:00:00.000Z',
    description: 'until when (due date, renewals included)',
  })
  until!: string;
  @ApiProperty({ type: PersonRefDto, description: 'the archivist who handed it over' })
  handedOverBy!: PersonRefDto;
}

export class SubstituteCardsPageDto {
  @ApiProperty({ type: [SubstituteCardDto] })
  items!: SubstituteCardDto[];
  @ApiProperty(CURSOR)
  nextCursor!: string | null;
  @ApiProperty(TOTAL('records out'))
  total!: number;
}

/** One line of the utilisation ledger (利用效果登记, B13). */
export class UtilisationEntryDto {
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001.L1' })
  loanId!: string;
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001' })
  archiveCode!: string;
  @ApiProperty({ example: '华东精密机械有限公司2024年度供货合同' })
  title!: string;
  @ApiProperty({ enum: CLASSIFICATIONS, example: 'INTERNAL' })
  classification!: Classification;
  @ApiProperty({ type: BorrowerDto })
  borrower!: BorrowerDto;
  @ApiProperty({ enum: LOAN_MODES, example: 'lend_out' })
  mode!: LoanMode;
  @ApiProperty({ example: '核对合同条款，准备续签谈判', description: 'the purpose given at request' })
  purpose!: string;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z', nullable: true, type: String })
  handedOverAt!: string | null;
  @ApiProperty({ example: '2026-03-18T10:00:00.000Z', nullable: true, type: String })
  returnedAt!: string | null;
  @ApiProperty({ type: UtilisationDto })
  utilisation!: UtilisationDto;
}

export class UtilisationLedgerPageDto {
  @ApiProperty({ type: [UtilisationEntryDto] })
  items!: UtilisationEntryDto[];
  @ApiProperty(CURSOR)
  nextCursor!: string | null;
  @ApiProperty(TOTAL('feedback entries'))
  total!: number;
}

/** One correction of the modification ledger (修改台帐, F5). */
export class ModificationLedgerEntryDto {
  @ApiProperty({ example: 'Z001-WS-2024-D30-BGS-0007' })
  archiveCode!: string;
  @ApiProperty({ example: 'C1' })
  correctionId!: string;
  @ApiProperty({
    example: '关于2024年度客户合同续签的请示（更正）',
    description: "the record's current title",
  })
  title!: string;
  @ApiProperty({ enum: CLASSIFICATIONS, example: 'INTERNAL' })
  classification!: Classification;
  @ApiProperty({ example: 1 })
  classificationRank!: number;
  @ApiProperty({ example: ['title', 'pageCount'], type: [String], description: 'the fields corrected' })
  fields!: string[];
  @ApiProperty({
    example: { title: '关于2024年度客户合同续签的请示', pageCount: 12 },
    description: 'the values before',
  })
  before!: Record<string, unknown>;
  @ApiProperty({
    example: { title: '关于2024年度客户合同续签的请示（更正）', pageCount: 14 },
    description: 'the values after; null clears a field',
  })
  after!: Record<string, unknown>;
  @ApiProperty({ example: '题名录入错误，与原件不符' })
  reason!: string;
  @ApiProperty({ type: PersonRefDto })
  proposedBy!: PersonRefDto;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' })
  proposedAt!: string;
  @ApiProperty({ enum: CORRECTION_STATUSES, example: 'corrected' })
  status!: CorrectionStatus;
  @ApiProperty({ type: PersonRefDto, nullable: true })
  approvedBy!: PersonRefDto | null;
  @ApiProperty({ type: PersonRefDto, nullable: true })
  rejectedBy!: PersonRefDto | null;
  @ApiProperty({ example: '2026-03-01T10:00:00.000Z', nullable: true, type: String })
  decidedAt!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String })
  rejectionReason!: string | null;
}

export class ModificationLedgerPageDto {
  @ApiProperty({ type: [ModificationLedgerEntryDto] })
  items!: ModificationLedgerEntryDto[];
  @ApiProperty(CURSOR)
  nextCursor!: string | null;
  @ApiProperty(TOTAL('corrections'))
  total!: number;
}

/** One hold of the holds register (R6). */
export class HoldsRegisterEntryDto {
  @ApiProperty({ example: 'Z001-WS-2024-D30-BGS-0007' })
  archiveCode!: string;
  @ApiProperty({ example: 'H1' })
  holdId!: string;
  @ApiProperty({ example: '关于2024年度客户合同续签的请示' })
  title!: string;
  @ApiProperty({ enum: CLASSIFICATIONS, example: 'INTERNAL' })
  classification!: Classification;
  @ApiProperty({ example: 1 })
  classificationRank!: number;
  @ApiProperty({ enum: HOLD_KINDS, example: 'legal' })
  kind!: HoldKind;
  @ApiProperty({ example: '涉及合同纠纷诉讼，依法保全相关档案' })
  reason!: string;
  @ApiProperty({ example: '（2026）沪0115民初1234号', nullable: true, type: String })
  reference!: string | null;
  @ApiProperty({ type: PersonRefDto })
  placedBy!: PersonRefDto;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' })
  placedAt!: string;
  @ApiProperty({ example: true, description: 'the hold is in force: the record is frozen' })
  active!: boolean;
  @ApiProperty({ type: PersonRefDto, nullable: true })
  releasedBy!: PersonRefDto | null;
  @ApiProperty({ example: null, nullable: true, type: String })
  releasedAt!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String })
  releaseReason!: string | null;
}

export class HoldsRegisterPageDto {
  @ApiProperty({ type: [HoldsRegisterEntryDto] })
  items!: HoldsRegisterEntryDto[];
  @ApiProperty(CURSOR)
  nextCursor!: string | null;
  @ApiProperty(TOTAL('holds'))
  total!: number;
}
