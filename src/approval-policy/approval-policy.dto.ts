import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CLASSIFICATIONS, type Classification } from '../domain-kernel/actor';
import { CommandAcceptedDto } from '../http/command-accepted';
import { Optional } from '../http/optional.decorator';
import { LOAN_MODES, type LoanMode } from '../records/record.events';
import {
  APPROVER_UNITS,
  BORROWER_TYPES,
  DEFAULT_LOAN_APPROVAL_POLICY,
  POLICY_LIMITS,
  type ApproverUnit,
  type BorrowerType,
} from './loan-approval.policy';

/*
 * The body of `PUT /policies/loan-approval`. These classes check the JSON's shape and types; the
 * policy's meaning (known roles, unique rule ids, exactly one of require/refuse, periods that fit
 * the maximum …) is checked by the domain (validateLoanApprovalPolicy), which lists every problem
 * under the same field paths. Every field of every nested class is declared: unknown fields are refused.
 */

/** Longest text field accepted at the edge; the domain's own bounds are tighter. */
const TEXT_MAX = 1000;

export class PolicyApproverDto {
  @ApiProperty({ example: 'department_head', description: 'a role a token may carry (docs/security.md)' })
  @IsString()
  @MaxLength(TEXT_MAX)
  role!: string;

  @ApiPropertyOptional({
    enum: APPROVER_UNITS,
    example: 'borrower_unit',
    description: "the approver must head this department: the borrower's (B4) or the record's (B6)",
  })
  @Optional()
  @IsIn(APPROVER_UNITS)
  of?: ApproverUnit;
}

export class PolicyRefusalDto {
  @ApiProperty({
    example: 'TOP_SECRET_READING_ROOM_ONLY',
    description: 'error code the refused loan answers with',
  })
  @IsString()
  @MaxLength(TEXT_MAX)
  code!: string;

  @ApiProperty({ example: '绝密档案仅限阅览室查阅，不得借出或复制' })
  @IsString()
  @MaxLength(TEXT_MAX)
  message!: string;
}

/** Conditions on a loan; an absent condition always holds, `{}` applies to every loan. */
export class PolicyConditionDto {
  @ApiPropertyOptional({ enum: LOAN_MODES, isArray: true, example: ['lend_out'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(LOAN_MODES.length * 2)
  @IsIn(LOAN_MODES, { each: true })
  modes?: LoanMode[];

  @ApiPropertyOptional({ enum: CLASSIFICATIONS, isArray: true, example: ['SECRET', 'CONFIDENTIAL'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(CLASSIFICATIONS.length * 2)
  @IsIn(CLASSIFICATIONS, { each: true })
  classifications?: Classification[];

  @ApiPropertyOptional({ enum: BORROWER_TYPES, isArray: true, example: ['staff'] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(BORROWER_TYPES.length * 2)
  @IsIn(BORROWER_TYPES, { each: true })
  borrowerTypes?: BorrowerType[];

  @ApiPropertyOptional({
    example: 2,
    description: 'holds when the loan runs longer than this many days in all',
  })
  @Optional()
  @IsInt()
  longerThanDays?: number;

  @ApiPropertyOptional({
    example: true,
    description: "the record belongs to the borrower's own unit (true) or not",
  })
  @Optional()
  @IsBoolean()
  ownUnit?: boolean;

  @ApiPropertyOptional({
    example: true,
    description: 'the record names a counterparty (a client record, B6)',
  })
  @Optional()
  @IsBoolean()
  clientRecord?: boolean;

  @ApiPropertyOptional({ example: false, description: 'an external borrower takes excerpts (摘抄) out (B7)' })
  @Optional()
  @IsBoolean()
  excerpts?: boolean;
}

export class PolicyRuleDto {
  @ApiProperty({
    example: 'B4.lend-out-over-2-days',
    description: 'stable id, cited by the loans it applies to',
  })
  @IsString()
  @MaxLength(TEXT_MAX)
  id!: string;

  @ApiProperty({ example: 'B4', description: 'the BRIEF rule it implements' })
  @IsString()
  @MaxLength(TEXT_MAX)
  rule!: string;

  @ApiProperty({ example: '借出超过2天须经借阅人所在部门负责人审批' })
  @IsString()
  @MaxLength(TEXT_MAX)
  description!: string;

  @ApiProperty({
    type: PolicyConditionDto,
    example: { modes: ['lend_out'], borrowerTypes: ['staff'], longerThanDays: 2 },
  })
  @IsObject()
  @ValidateNested()
  @Type(() => PolicyConditionDto)
  when!: PolicyConditionDto;

  @ApiPropertyOptional({
    type: [PolicyApproverDto],
    example: [{ role: 'department_head', of: 'borrower_unit' }],
    description: 'the approvals required when the rule applies; give this or refuse, not both',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PolicyApproverDto)
  require?: PolicyApproverDto[];

  @ApiPropertyOptional({
    type: PolicyRefusalDto,
    description: 'or: the loan is refused when the rule applies',
  })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => PolicyRefusalDto)
  refuse?: PolicyRefusalDto;
}

export class DefaultDaysDto {
  @ApiProperty({ example: 1, description: '阅览室查阅 — reading-room consultation' })
  @IsInt()
  reading_room!: number;

  @ApiProperty({ example: 7, description: '借出 — lending out (B4: 7 days)' })
  @IsInt()
  lend_out!: number;

  @ApiProperty({ example: 1, description: '复制 — copying' })
  @IsInt()
  copy!: number;
}

/** A policy without its version: what an administrator proposes. */
export class LoanApprovalPolicyDraftDto {
  @ApiProperty({ type: DefaultDaysDto, description: 'period granted when the borrower names none, per mode' })
  @IsObject()
  @ValidateNested()
  @Type(() => DefaultDaysDto)
  defaultDays!: DefaultDaysDto;

  @ApiProperty({ example: 90, description: 'B8: the longest a loan may run in all, renewals included' })
  @IsInt()
  maxTotalDays!: number;

  @ApiProperty({
    type: [PolicyRuleDto],
    description: 'every rule whose conditions all hold adds its approvers, or refuses the loan',
  })
  @IsArray()
  @ArrayMaxSize(POLICY_LIMITS.rules)
  @ValidateNested({ each: true })
  @Type(() => PolicyRuleDto)
  rules!: PolicyRuleDto[];
}

const { version: _shipped, ...defaultDraft } = DEFAULT_LOAN_APPROVAL_POLICY;

/** Body of `PUT /policies/loan-approval` (B3). */
export class AdoptLoanApprovalPolicyDto {
  @ApiProperty({
    example: 1,
    description:
      'the version you read and changed; if another has been adopted since, the request is refused (409 POLICY_VERSION_MOVED)',
  })
  @IsInt()
  @Min(1)
  basedOnVersion!: number;

  @ApiProperty({
    type: LoanApprovalPolicyDraftDto,
    description: 'the whole new policy (it replaces the current one), without its version',
    example: {
      ...defaultDraft,
      maxTotalDays: 60,
      rules: defaultDraft.rules.map((rule) =>
        rule.id === 'B4.lend-out-over-2-days'
          ? {
              ...rule,
              description: '借出超过3天须经借阅人所在部门负责人审批',
              when: { ...rule.when, longerThanDays: 3 },
            }
          : rule,
      ),
    },
  })
  @IsObject()
  @ValidateNested()
  @Type(() => LoanApprovalPolicyDraftDto)
  policy!: LoanApprovalPolicyDraftDto;

  @ApiProperty({ example: '2026年借阅制度修订', description: 'why the policy changes; recorded with it' })
  @IsString()
  @MaxLength(TEXT_MAX)
  reason!: string;
}

/** A policy as it is in force. */
export class LoanApprovalPolicyDto extends LoanApprovalPolicyDraftDto {
  @ApiProperty({ example: 1, description: 'each loan records the version it was decided under (B3)' })
  version!: number;
}

export class PolicyAdopterDto {
  @ApiProperty({ example: 'admin.ops' })
  id!: string;

  @ApiProperty({ example: 'IT' })
  unit!: string;
}

export class PolicyAdoptionDto {
  @ApiProperty({ example: '2026年借阅制度修订' })
  reason!: string;

  @ApiProperty({ type: PolicyAdopterDto })
  adoptedBy!: PolicyAdopterDto;

  @ApiProperty({ example: '2026-03-01T09:00:00.000Z', description: 'when it was adopted, as stated' })
  occurredAt!: string;

  @ApiProperty({ example: '2026-03-01T09:00:00.000Z', description: 'when the store recorded it' })
  recordedAt!: string;
}

/** One version of the policy, with who adopted it, when and why. */
export class LoanApprovalPolicyVersionDto extends LoanApprovalPolicyDto {
  @ApiProperty({
    type: PolicyAdoptionDto,
    nullable: true,
    description: 'null for version 1, the shipped default (docs/approval-policy.md)',
  })
  adoption!: PolicyAdoptionDto | null;
}

/** Answer to an adoption: the command's outcome and the version now in force. */
export class PolicyAdoptedDto extends CommandAcceptedDto {
  @ApiProperty({ example: 2, description: 'the version adopted, now in force' })
  version!: number;
}
