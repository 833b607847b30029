import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Optional } from '../../http/optional.decorator';
import { CARRIERS, type Carrier } from '../record.events';

/** The field may be left out, or sent as `null` to clear it (F5); any other value is checked. */
function OptionalOrClear(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null);
}

/**
 * The correctable fields (CORRECTABLE_FIELDS), each with the constraints it has at filing
 * (file-record.dto.ts). Only the optional ones (documentNumber, pageCount, counterparty) may be
 * cleared with `null`; any other field name is refused.
 */
export class CorrectionChangesDto {
  @ApiPropertyOptional({ example: '办公室', description: '机构/问题' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  organisationalUnit?: string;

  @ApiPropertyOptional({ example: '关于2024年度客户合同续签的请示（更正）', description: '题名' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title?: string;

  @ApiPropertyOptional({ example: '销售部', description: '责任者' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  responsibleParty?: string;

  @ApiPropertyOptional({
    example: '销字〔2024〕13号',
    nullable: true,
    type: String,
    description: '文号; null clears it',
  })
  @OptionalOrClear()
  @IsString()
  @MaxLength(100)
  documentNumber?: string | null;

  @ApiPropertyOptional({ example: '2024-03-18', description: '形成时间' })
  @Optional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateFormed must be a date YYYY-MM-DD' })
  dateFormed?: string;

  @ApiPropertyOptional({ enum: CARRIERS, example: 'paper', description: '载体' })
  @Optional()
  @IsIn(CARRIERS)
  carrier?: Carrier;

  @ApiPropertyOptional({ example: 2, description: '件数' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(100000)
  itemCount?: number;

  @ApiPropertyOptional({ example: 14, nullable: true, type: Number, description: '页数; null clears it' })
  @OptionalOrClear()
  @IsInt()
  @Min(1)
  @Max(10000000)
  pageCount?: number | null;

  @ApiPropertyOptional({ example: 'ARCHIVE', description: 'custodian department' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  custodianDepartment?: string;

  @ApiPropertyOptional({ example: 'A-03-02-16', description: 'shelf location' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  shelfLocation?: string;

  @ApiPropertyOptional({
    example: '华东精密机械股份有限公司',
    nullable: true,
    type: String,
    description: 'client, supplier or partner; null clears it',
  })
  @OptionalOrClear()
  @IsString()
  @MaxLength(200)
  counterparty?: string | null;

  @ApiPropertyOptional({ example: ['合同', '续签', '更正'], type: [String] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  keywords?: string[];
}

/** Body of `POST /records/{code}/corrections` (F5). */
export class ProposeCorrectionDto {
  @ApiProperty({
    type: CorrectionChangesDto,
    example: { title: '关于2024年度客户合同续签的请示（更正）', pageCount: 14 },
    description:
      'the fields to correct with their new values; `null` clears documentNumber, pageCount or counterparty. Identity (archiveCode, fonds, category, year), retentionClass and classification cannot be corrected here.',
  })
  @IsObject()
  @ValidateNested()
  @Type(() => CorrectionChangesDto)
  changes!: CorrectionChangesDto;

  @ApiProperty({
    example: '题名录入错误，与原件不符',
    description: 'why; recorded in the modification ledger',
  })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(1000)
  reason!: string;
}

export const CORRECTION_DECISIONS = ['approve', 'reject'] as const;

/** Body of `POST /records/{code}/corrections/{correctionId}/decision` (F5). */
export class DecideCorrectionDto {
  @ApiProperty({ enum: CORRECTION_DECISIONS, example: 'approve' })
  @IsIn(CORRECTION_DECISIONS)
  decision!: (typeof CORRECTION_DECISIONS)[number];

  @ApiPropertyOptional({
    example: '与原件核对无误，同意更正',
    description: 'required when rejecting; when approving it is recorded in the event envelope',
  })
  @ValidateIf((dto: DecideCorrectionDto, value: unknown) => dto.decision === 'reject' || value !== undefined)
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(1000)
  reason?: string;
}
