import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { ErrorResponse } from '../../http/error-response';
import { Optional } from '../../http/optional.decorator';
import { parseLoanId } from '../archive-code';
import {
  LOAN_MODES,
  RETURN_CONDITIONS,
  type DamageCondition,
  type LoanMode,
  type ReturnCondition,
} from '../record.events';

/** Free text that must say something: not empty, not only spaces. */
function NotBlank(field: string): PropertyDecorator {
  return Matches(/\S/, { message: `${field} must not be blank` });
}

/** A loan id this system issues, e.g. `Z001-WS-2024-D30-SALES-0001.L1`. */
function IsLoanId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLoanId',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseLoanId(value) !== undefined,
        defaultMessage: () => 'loanId must be a loan id such as Z001-WS-2024-D30-SALES-0001.L1',
      },
    },
    options,
  );
}

/** An external visitor (外单位) registered at the counter by an archivist (B7). */
export class ExternalBorrowerDto {
  @ApiProperty({ example: '张审计', description: 'name of the visitor' })
  @IsString()
  @NotBlank('name')
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '立信会计师事务所', description: 'their organisation (外单位)' })
  @IsString()
  @NotBlank('organisation')
  @MaxLength(200)
  organisation!: string;

  @ApiPropertyOptional({
    example: '京审函〔2026〕18号',
    description:
      'B7: reference of the introduction letter (介绍信) presented; without one the loan is refused (422 INTRODUCTION_LETTER_REQUIRED)',
  })
  @Optional()
  @IsString()
  @MaxLength(200)
  introductionLetterRef?: string;
}

/** Body of `POST /records/{code}/loans` (B1–B7). */
export class RequestLoanDto {
  @ApiProperty({
    enum: LOAN_MODES,
    example: 'lend_out',
    description: 'reading_room 查阅, lend_out 借出, copy 复制',
  })
  @IsIn(LOAN_MODES)
  mode!: LoanMode;

  @ApiProperty({
    example: '核对合同条款，准备续签谈判',
    description: 'purpose (借阅目的), registered with the loan (B1)',
  })
  @IsString()
  @NotBlank('purpose')
  @MaxLength(1000)
  purpose!: string;

  @ApiPropertyOptional({
    example: 10,
    minimum: 1,
    maximum: 365,
    description:
      "requested period in days; defaults to the policy's default for the mode (lend-out 7, reading room 1, copy 1); over the policy's maximum is refused (422 LOAN_TOO_LONG, B8)",
  })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(365)
  days?: number;

  @ApiPropertyOptional({
    type: ExternalBorrowerDto,
    description:
      'only when an archivist registers an external borrower (B7); a staff loan names no borrower: it is always the caller',
  })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => ExternalBorrowerDto)
  externalBorrower?: ExternalBorrowerDto;

  @ApiPropertyOptional({
    example: false,
    description: 'B7: an external borrower takes excerpts (摘抄) out; staff loans cannot ask for it',
  })
  @Optional()
  @IsBoolean()
  excerpts?: boolean;
}

export const APPROVER_ROLES = [
  'department_head',
  'archive_department_head',
  'deputy_gm',
  'general_manager',
] as const;
export const LOAN_DECISIONS = ['approve', 'refuse'] as const;

/** Body of `POST /loans/{loanId}/approvals` (B3, B8). */
export class DecideLoanApprovalDto {
  @ApiProperty({ enum: LOAN_DECISIONS, example: 'approve' })
  @IsIn(LOAN_DECISIONS)
  decision!: (typeof LOAN_DECISIONS)[number];

  @ApiPropertyOptional({
    enum: APPROVER_ROLES,
    example: 'archive_department_head',
    description: 'which outstanding required role the caller fills, when they could fill more than one',
  })
  @Optional()
  @IsIn(APPROVER_ROLES)
  role?: (typeof APPROVER_ROLES)[number];

  @ApiPropertyOptional({
    example: '同意借出，请按期归还',
    description: 'opinion (意见); required when refusing (400 OPINION_REQUIRED)',
  })
  @Optional()
  @IsString()
  @MaxLength(1000)
  opinion?: string;
}

/** Body of `POST /loans/{loanId}/withdrawal`. */
export class WithdrawLoanDto {
  @ApiProperty({ example: '谈判推迟，暂不需要借阅' })
  @IsString()
  @NotBlank('reason')
  @MaxLength(1000)
  reason!: string;
}

/** Body of `POST /loans/{loanId}/renewals` (B8). */
export class RequestRenewalDto {
  @ApiProperty({ example: 5, minimum: 1, maximum: 365, description: 'days added to the due date' })
  @IsInt()
  @Min(1)
  @Max(365)
  extraDays!: number;

  @ApiProperty({ example: '续签谈判延期，需继续核对条款' })
  @IsString()
  @NotBlank('reason')
  @MaxLength(1000)
  reason!: string;
}

export const REMINDER_CHANNELS = ['phone', 'email', 'letter', 'in_person'] as const;

/** Body of `POST /loans/{loanId}/reminders` (B9). */
export class SendOverdueReminderDto {
  @ApiProperty({ enum: REMINDER_CHANNELS, example: 'phone', description: 'how the reminder (催还) was sent' })
  @IsIn(REMINDER_CHANNELS)
  channel!: (typeof REMINDER_CHANNELS)[number];

  @ApiPropertyOptional({ example: '电话催还，借阅人承诺本周五前归还' })
  @Optional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

/** Body of `POST /loans/{loanId}/return` (B10). */
export class ReturnLoanDto {
  @ApiProperty({ enum: RETURN_CONDITIONS, example: 'intact', description: 'condition checked in person' })
  @IsIn(RETURN_CONDITIONS)
  condition!: ReturnCondition;

  @ApiPropertyOptional({
    example: '第3页右下角有水渍',
    description: 'what was found; required when the condition is not intact (400 NOTE_REQUIRED)',
  })
  @Optional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export const DAMAGE_CONDITIONS = RETURN_CONDITIONS.filter(
  (c): c is DamageCondition => c !== 'intact',
) as readonly DamageCondition[];

/** Body of `POST /records/{code}/damage-reports` (B10). */
export class ReportDamageDto {
  @ApiPropertyOptional({
    example: 'Z001-WS-2024-D30-SALES-0001.L1',
    description: 'the loan during which it was found; required when a borrower reports',
  })
  @Optional()
  @IsString()
  @IsLoanId()
  loanId?: string;

  @ApiProperty({ enum: DAMAGE_CONDITIONS, example: 'damaged' })
  @IsIn(DAMAGE_CONDITIONS)
  condition!: DamageCondition;

  @ApiProperty({ example: '封面破损，第5页缺角' })
  @IsString()
  @NotBlank('description')
  @MaxLength(2000)
  description!: string;
}

/** Body of `POST /loans/{loanId}/utilisation` (B13). */
export class RecordUtilisationDto {
  @ApiProperty({ example: '合同续签谈判', description: 'what the loan was used for' })
  @IsString()
  @NotBlank('usedFor')
  @MaxLength(1000)
  usedFor!: string;

  @ApiProperty({
    example: '据此核实了供货条款，续签顺利完成',
    description: 'what the use achieved (利用效果)',
  })
  @IsString()
  @NotBlank('effect')
  @MaxLength(2000)
  effect!: string;
}

function badBody(message: string, fields: ErrorResponse['fields']): BadRequestException {
  const body: ErrorResponse = {
    statusCode: 400,
    error: 'VALIDATION_FAILED',
    message,
    ...(fields ? { fields } : {}),
  };
  return new BadRequestException(body);
}

/**
 * `@NoBodyFields()` — the route takes no body fields: no body, or `{}`. Any field is refused with
 * 400 naming it; a hand-over in particular cannot name a borrower (不得转借, B8): a loan goes to
 * the borrower it was registered for.
 */
export const NoBodyFields = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Record<string, never> => {
    const body = ctx.switchToHttp().getRequest<FastifyRequest>().body;
    if (body === undefined) return {};
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw badBody('The request body must be a JSON object, or left out', [
        { field: 'body', problems: ['must be a JSON object'] },
      ]);
    }
    const names = Object.keys(body);
    if (names.length > 0) {
      throw badBody(
        `Invalid request: ${names.join(', ')}. This request takes no fields: a loan is handed over to its registered borrower only (不得转借, B8)`,
        names.map((name) => ({ field: name, problems: [`property ${name} should not exist`] })),
      );
    }
    return {};
  },
);
