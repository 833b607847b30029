import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { Optional } from '../../http/optional.decorator';
import { CLASSIFICATIONS, type Classification } from '../../domain-kernel/actor';
import { ARCHIVE_CODE_OR_PREFIX_PATTERN, RETENTION_CLASSES, type RetentionClass } from '../archive-code';
import { CARRIERS, type Carrier } from '../record.events';

/** Body of `POST /records` (F1). */
export class FileRecordDto {
  @ApiProperty({
    example: 'Z001-WS-2024-D30-BGS-0007',
    description:
      '档号 (F2 shape). Give the prefix without the sequence (Z001-WS-2024-D30-BGS) and the next free sequence number is assigned; the answer names the code.',
  })
  @IsString()
  @Matches(ARCHIVE_CODE_OR_PREFIX_PATTERN, {
    message:
      'archiveCode must look like Z001-WS-2024-D30-BGS-0007, or Z001-WS-2024-D30-BGS to be assigned the next sequence',
  })
  archiveCode!: string;

  @ApiProperty({ example: 'Z001', description: '全宗' })
  @IsString()
  @Matches(/^[A-Z0-9]{1,8}$/)
  fonds!: string;

  @ApiProperty({ example: 'WS', description: '门类' })
  @IsString()
  @Matches(/^[A-Z]{2}(?:·[A-Z]{2})?$/)
  category!: string;

  @ApiProperty({ example: 2024 })
  @IsInt()
  @Min(1900)
  @Max(2999)
  year!: number;

  @ApiProperty({ enum: RETENTION_CLASSES, example: 'D30', description: '保管期限' })
  @IsIn(RETENTION_CLASSES)
  retentionClass!: RetentionClass;

  @ApiProperty({ example: '办公室', description: '机构/问题' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  organisationalUnit!: string;

  @ApiProperty({ example: '关于2024年度客户合同续签的请示', description: '题名' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  title!: string;

  @ApiProperty({ example: '销售部', description: '责任者' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  responsibleParty!: string;

  @ApiPropertyOptional({ example: '销字〔2024〕12号', description: '文号' })
  @Optional()
  @IsString()
  @MaxLength(100)
  documentNumber?: string;

  @ApiProperty({ example: '2024-03-15', description: '形成时间' })
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dateFormed must be a date YYYY-MM-DD' })
  dateFormed!: string;

  @ApiProperty({ enum: CARRIERS, example: 'paper', description: '载体' })
  @IsIn(CARRIERS)
  carrier!: Carrier;

  @ApiProperty({ example: 1, description: '件数' })
  @IsInt()
  @Min(1)
  @Max(100000)
  itemCount!: number;

  @ApiPropertyOptional({ example: 12, description: '页数' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(10000000)
  pageCount?: number;

  @ApiProperty({ enum: CLASSIFICATIONS, example: 'INTERNAL', description: '密级 (F6: required)' })
  @IsIn(CLASSIFICATIONS)
  classification!: Classification;

  @ApiProperty({ example: 'ARCHIVE', description: 'custodian department' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  custodianDepartment!: string;

  @ApiProperty({ example: 'A-03-02-15', description: 'shelf location' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  shelfLocation!: string;

  @ApiPropertyOptional({ example: '华东精密机械有限公司', description: 'client, supplier or partner' })
  @Optional()
  @IsString()
  @MaxLength(200)
  counterparty?: string;

  @ApiPropertyOptional({ example: ['合同', '续签'], type: [String] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  keywords?: string[];

  @ApiPropertyOptional({ example: true, default: true, description: 'F3: filed as the original' })
  @Optional()
  @IsBoolean()
  isOriginal?: boolean;

  @ApiPropertyOptional({ example: '原件用于报批', description: 'F3: required when filing a copy' })
  @Optional()
  @IsString()
  @MaxLength(500)
  copyReason?: string;

  @ApiPropertyOptional({ example: '2024年度归档', description: 'why; recorded in the event envelope' })
  @Optional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
