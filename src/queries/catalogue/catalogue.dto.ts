import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { QueryInt } from '../../http/query-int.decorator';
import { IsIn, IsInt, IsISO8601, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { CLASSIFICATIONS, type Classification } from '../../domain-kernel/actor';
import { Optional } from '../../http/optional.decorator';
import type {
  CatalogueDamage,
  CatalogueHold,
  CatalogueLoanOut,
  Custody,
} from '../../projections/read-models/catalogue.read-model';
import { ARCHIVE_CODE_PATTERN, RETENTION_CLASSES, type RetentionClass } from '../../records/archive-code';
import { CARRIERS, LOAN_MODES, type Carrier, type LoanMode } from '../../records/record.events';
import { PageQueryDto } from '../page-query.dto';

// ── query parameters ────────────────────────────────────────────────────────────────────────────

/** `status` of `GET /records`: each selects records in one situation. */
export const CATALOGUE_STATUSES = [
  'in_custody',
  'on_loan',
  'held',
  'due_for_appraisal',
  'destroyed',
  'transferred',
  'missing',
  'late_filing',
] as const;
export type CatalogueStatus = (typeof CATALOGUE_STATUSES)[number];

export const CATALOGUE_SORTS = ['archiveCode', 'title', 'year', 'dateFormed', 'filedAt'] as const;
export type CatalogueSort = (typeof CATALOGUE_SORTS)[number];
export const SORT_DIRECTIONS = ['asc', 'desc'] as const;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Query of `GET /records`: filters (all must hold), text search, sort and page. */
export class CatalogueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'Z001', description: '全宗' })
  @Optional()
  @IsString()
  @Matches(/^[A-Z0-9]{1,8}$/, { message: 'fonds must be 1 to 8 capital letters or digits, e.g. Z001' })
  fonds?: string;

  @ApiPropertyOptional({ example: 'WS', description: '门类, e.g. WS, KJ·KY, ZY' })
  @Optional()
  @IsString()
  @Matches(/^[A-Z]{2}(?:·[A-Z]{2})?$/, { message: 'category must be a category code such as WS or KJ·KY' })
  category?: string;

  @ApiPropertyOptional({ example: 2024, description: '年度 (the year in the archive code)' })
  @Optional()
  @QueryInt()
  @IsInt()
  @Min(1900)
  @Max(2999)
  year?: number;

  @ApiPropertyOptional({ enum: RETENTION_CLASSES, example: 'D30', description: '保管期限' })
  @Optional()
  @IsIn(RETENTION_CLASSES)
  retentionClass?: RetentionClass;

  @ApiPropertyOptional({ enum: CLASSIFICATIONS, example: 'INTERNAL', description: '密级' })
  @Optional()
  @IsIn(CLASSIFICATIONS)
  classification?: Classification;

  @ApiPropertyOptional({
    enum: CATALOGUE_STATUSES,
    example: 'on_loan',
    description:
      'in_custody (在库); on_loan (a loan is handed over and not returned, B11); held (an active legal or audit hold, R6); ' +
      'due_for_appraisal (in custody and retention expired on or before today, R4); destroyed; transferred; ' +
      'missing (flagged at stock-taking, X2); late_filing (filed after 30 June of the year after it was formed, F4)',
  })
  @Optional()
  @IsIn(CATALOGUE_STATUSES)
  status?: CatalogueStatus;

  @ApiPropertyOptional({
    example: 'SALES',
    description: "the unit that formed the record: its archive code's unit",
  })
  @Optional()
  @IsString()
  @Matches(/^[A-Z0-9]{1,12}$/, { message: 'unit must be a unit code such as BGS or SALES' })
  unit?: string;

  @ApiPropertyOptional({
    example: '华东精密机械有限公司',
    description: 'the client, supplier or partner, exactly',
  })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  counterparty?: string;

  @ApiPropertyOptional({
    example: 'A-03',
    description: 'shelf location (存放位置), or its beginning: A-03 finds A-03-02-15',
  })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  location?: string;

  @ApiPropertyOptional({
    example: '合同 续签',
    description:
      'text search in title, responsible party, document number, keywords and counterparty: every space-separated term must occur (any substring, Chinese included: 合同 finds 客户合同档案)',
  })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: CATALOGUE_SORTS, default: 'archiveCode' })
  @Optional()
  @IsIn(CATALOGUE_SORTS)
  sort?: CatalogueSort;

  @ApiPropertyOptional({ enum: SORT_DIRECTIONS, default: 'asc' })
  @Optional()
  @IsIn(SORT_DIRECTIONS)
  direction?: 'asc' | 'desc';
}

/** Query of `GET /records/{code}`. */
export class RecordDetailQueryDto extends PickType(PageQueryDto, ['after'] as const) {
  @ApiPropertyOptional({
    example: '核对2024年度投标报价',
    description:
      'A1: why you view the record (查阅目的). Required for records classified SECRET or above; the view is then registered in the access register.',
  })
  @Optional()
  @IsString()
  @MaxLength(500)
  purpose?: string;
}

/** Query of `GET /retention-due`. */
export class RetentionDueQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: '2026-12-31',
    description: 'list records whose retention expires on or before this day (default: today)',
  })
  @Optional()
  @IsString()
  @Matches(DATE_ONLY, { message: 'date must be a day, YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  date?: string;
}

/** Query of `GET /access-register`. */
export class AccessRegisterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'Z001-WS-2024-D30-BGS-0009' })
  @Optional()
  @IsString()
  @Matches(ARCHIVE_CODE_PATTERN, {
    message: 'archiveCode must be an archive code such as Z001-WS-2024-D30-BGS-0007',
  })
  archiveCode?: string;

  @ApiPropertyOptional({ example: 'chen.jing', description: 'the viewer (their user id)' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  viewer?: string;

  @ApiPropertyOptional({
    example: '2026-03-01',
    description: 'views at or after this day (UTC) or moment (ISO 8601)',
  })
  @Optional()
  @IsString()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-03-31',
    description: 'views on or before this day (UTC, the whole day) or at or before this moment (ISO 8601)',
  })
  @Optional()
  @IsString()
  @IsISO8601({ strict: true })
  to?: string;
}

// ── answers ─────────────────────────────────────────────────────────────────────────────────────

class LoanOutDto implements CatalogueLoanOut {
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001.L1' })
  loanId!: string;
  @ApiProperty({
    example: 'li.lei（SALES）',
    description: 'staff: id（unit）; external: name（organisation）',
  })
  borrower!: string;
  @ApiProperty({ enum: LOAN_MODES, example: 'lend_out' })
  mode!: LoanMode;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' })
  handedOverAt!: string;
  @ApiProperty({ example: '2026-03-11T09:00:00.000Z' })
  dueAt!: string;
}

class HoldDto implements CatalogueHold {
  @ApiProperty({ example: 'H1' })
  holdId!: string;
  @ApiProperty({ enum: ['legal', 'audit'], example: 'legal' })
  kind!: 'legal' | 'audit';
  @ApiProperty({ example: '合同纠纷诉讼，法院调取证据' })
  reason!: string;
}

class DamageDto implements CatalogueDamage {
  @ApiProperty({ example: 'D1' })
  reportId!: string;
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001.L1', nullable: true, type: String })
  loanId!: string | null;
  @ApiProperty({ enum: ['damaged', 'pages_missing', 'lost'], example: 'damaged' })
  condition!: 'damaged' | 'pages_missing' | 'lost';
  @ApiProperty({ example: '第3页有水渍' })
  description!: string;
}

/** One record as the catalogue shows it. */
export class CatalogueEntryDto {
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001', description: '档号' })
  archiveCode!: string;
  @ApiProperty({ example: 'Z001', description: '全宗' })
  fonds!: string;
  @ApiProperty({ example: 'WS', description: '门类' })
  category!: string;
  @ApiProperty({ example: 2024 })
  year!: number;
  @ApiProperty({ enum: RETENTION_CLASSES, example: 'D30', description: '保管期限' })
  retentionClass!: RetentionClass;
  @ApiProperty({ example: '销售部', description: '机构/问题' })
  organisationalUnit!: string;
  @ApiProperty({ example: '华东精密机械有限公司2024年度供货合同', description: '题名' })
  title!: string;
  @ApiProperty({ example: '销售部', description: '责任者' })
  responsibleParty!: string;
  @ApiProperty({ example: '销合〔2024〕031号', nullable: true, type: String, description: '文号' })
  documentNumber!: string | null;
  @ApiProperty({ example: '2024-03-15', description: '形成时间' })
  dateFormed!: string;
  @ApiProperty({ enum: CARRIERS, example: 'paper', description: '载体' })
  carrier!: Carrier;
  @ApiProperty({ example: 1 })
  itemCount!: number;
  @ApiProperty({ example: 12, nullable: true, type: Number })
  pageCount!: number | null;
  @ApiProperty({ enum: CLASSIFICATIONS, example: 'INTERNAL', description: '密级' })
  classification!: Classification;
  @ApiProperty({ example: 'ARCHIVE' })
  custodianDepartment!: string;
  @ApiProperty({ example: 'B-01-04-02', description: '存放位置' })
  shelfLocation!: string;
  @ApiProperty({ example: '华东精密机械有限公司', nullable: true, type: String })
  counterparty!: string | null;
  @ApiProperty({ example: ['合同', '续签'], type: [String] })
  keywords!: string[];
  @ApiProperty({ example: true })
  isOriginal!: boolean;
  @ApiProperty({ example: null, nullable: true, type: String })
  copyReason!: string | null;
  @ApiProperty({ example: 1, description: '0 PUBLIC … 4 TOP_SECRET' })
  classificationRank!: number;
  @ApiProperty({ example: 'SALES', description: 'the unit of the archive code' })
  unit!: string;
  @ApiProperty({ enum: ['in_custody', 'destroyed', 'transferred'], example: 'in_custody' })
  custody!: Custody;
  @ApiProperty({ example: true, description: 'a loan is handed over and not returned' })
  onLoan!: boolean;
  @ApiProperty({
    type: LoanOutDto,
    nullable: true,
    description: 'the substitute card (代替卡, B11) of the latest loan out',
  })
  openLoan!: LoanOutDto | null;
  @ApiProperty({ type: [LoanOutDto] })
  loansOut!: LoanOutDto[];
  @ApiProperty({ example: 1, description: 'loans ever registered on the record' })
  loanCount!: number;
  @ApiProperty({ example: false })
  held!: boolean;
  @ApiProperty({ type: [HoldDto], description: 'active holds (R6)' })
  holds!: HoldDto[];
  @ApiProperty({ example: false })
  missing!: boolean;
  @ApiProperty({
    example: '2055-01-01',
    nullable: true,
    type: String,
    description: 'R1/R4; null for PERMANENT',
  })
  retentionDueOn!: string | null;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z', description: 'when the filing was recorded' })
  filedAt!: string;
  @ApiProperty({ example: 2026 })
  filedYear!: number;
  @ApiProperty({ example: '2026-03' })
  filedMonth!: string;
  @ApiProperty({ example: '2025-06-30', description: 'F4: 30 June of the year after the year formed' })
  filingDeadline!: string;
  @ApiProperty({ example: true, description: 'F4: filed after its deadline (advisory)' })
  lateFiling!: boolean;
  @ApiProperty({ type: [DamageDto], description: 'B10' })
  damage!: DamageDto[];
  @ApiProperty({ example: 0, description: 'F5: corrections applied' })
  corrections!: number;
  @ApiProperty({ example: null, nullable: true, type: String })
  destroyedMonth!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String })
  transferredMonth!: string | null;
}

export class CataloguePageDto {
  @ApiProperty({ type: [CatalogueEntryDto] })
  items!: CatalogueEntryDto[];
  @ApiProperty({
    example: 'eyJ2IjpbIlowMDEtV1MtMjAyNC1EMzAtU0FMRVMtMDAwMSJdfQ',
    nullable: true,
    type: String,
    description: 'send as `cursor` (with the same filters) for the next page; null on the last page',
  })
  nextCursor!: string | null;
  @ApiProperty({
    example: 1,
    description: 'how many records match, counting only those visible to the caller (A2)',
  })
  total!: number;
}

class ViewRegistrationDto {
  @ApiProperty({ example: 'access-Z001-WS-2024-D30-BGS-0009' })
  stream!: string;
  @ApiProperty({
    example: '57',
    nullable: true,
    type: String,
    description: 'pass as ?after= to see it in the access register',
  })
  position!: string | null;
}

/** `GET /records/{code}`. */
export class RecordDetailDto extends CatalogueEntryDto {
  @ApiProperty({
    type: ViewRegistrationDto,
    nullable: true,
    description: 'A1: where this view was registered; null for records below SECRET',
  })
  viewRegistered!: ViewRegistrationDto | null;
}

export class AccessRegisterEntryDto {
  @ApiProperty({ example: '0a1b2c3d-0000-4000-8000-000000000001', description: 'the registering event' })
  id!: string;
  @ApiProperty({ example: 'Z001-WS-2024-D30-BGS-0009' })
  archiveCode!: string;
  @ApiProperty({ enum: CLASSIFICATIONS, example: 'SECRET' })
  classification!: Classification;
  @ApiProperty({ example: 2 })
  classificationRank!: number;
  @ApiProperty({ example: { id: 'chen.jing', unit: 'SALES', roles: ['borrower'] } })
  viewer!: { id: string; unit: string; roles: string[] };
  @ApiProperty({ example: '核对2024年度投标报价' })
  purpose!: string;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' })
  viewedAt!: string;
}

export class AccessRegisterPageDto {
  @ApiProperty({ type: [AccessRegisterEntryDto] })
  items!: AccessRegisterEntryDto[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;
  @ApiProperty({ example: 1 })
  total!: number;
}
