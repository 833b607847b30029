import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Optional } from '../../http/optional.decorator';
import type { StockTakeStatus } from '../../projections/read-models/stock-taking.read-model';
import { DISCREPANCY_KINDS } from '../../stock-taking/stock-taking.events';
import { PageQueryDto } from '../page-query.dto';

export const STOCK_TAKE_STATUSES = [
  'open',
  'closing',
  'closed',
] as const satisfies readonly StockTakeStatus[];

/** Query of `GET /stock-takes`. */
export class StockTakeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: STOCK_TAKE_STATUSES,
    example: 'closed',
    description: 'open (findings being recorded), closing (report made, flags being set), closed',
  })
  @Optional()
  @IsIn(STOCK_TAKE_STATUSES)
  status?: StockTakeStatus;
}

class PersonDto {
  @ApiProperty({ example: 'wang.fang' })
  id!: string;
  @ApiProperty({ example: 'ARCHIVE' })
  unit!: string;
}

class DiscrepancyCountsDto {
  @ApiProperty({ example: 1 })
  missing!: number;
  @ApiProperty({ example: 0 })
  misplaced!: number;
  @ApiProperty({ example: 0 })
  unknown_code!: number;
  @ApiProperty({ example: 0 })
  left_custody!: number;
  @ApiProperty({ example: 0 })
  found_while_on_loan!: number;
}

/** One stock-take, counted under the caller's clearance (A2). */
export class StockTakeSummaryDto {
  @ApiProperty({ example: 'ST-2026-0001' })
  stockTakeId!: string;
  @ApiProperty({ enum: STOCK_TAKE_STATUSES, example: 'closed' })
  status!: StockTakeStatus;
  @ApiProperty({ type: [String], example: ['A-03'] })
  locations!: string[];
  @ApiProperty({ example: '2026年第一季度库房清点', nullable: true, type: String })
  note!: string | null;
  @ApiProperty({ type: PersonDto })
  openedBy!: PersonDto;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' })
  openedAt!: string;
  @ApiProperty({ example: '2026-03-01T17:00:00.000Z', nullable: true, type: String })
  closedAt!: string | null;
  @ApiProperty({ example: 41, description: 'codes found (visible ones)' })
  found!: number;
  @ApiProperty({
    example: 42,
    nullable: true,
    type: Number,
    description: 'records in scope per the ledger at close (visible ones); null while open',
  })
  expected!: number | null;
  @ApiProperty({
    example: 40,
    nullable: true,
    type: Number,
    description: 'found where the ledger says; null while open',
  })
  matched!: number | null;
  @ApiProperty({ type: DiscrepancyCountsDto, nullable: true, description: 'by kind; null while open' })
  discrepancyCounts!: DiscrepancyCountsDto | null;
}

export class StockTakePageDto {
  @ApiProperty({ type: [StockTakeSummaryDto] })
  items!: StockTakeSummaryDto[];
  @ApiProperty({ nullable: true, type: String, example: null })
  nextCursor!: string | null;
  @ApiProperty({ example: 1 })
  total!: number;
}

class DiscrepancyDto {
  @ApiProperty({ enum: DISCREPANCY_KINDS, example: 'missing' })
  kind!: string;
  @ApiProperty({ example: 'Z001-WS-2024-D30-BGS-0009' })
  archiveCode!: string;
  @ApiProperty({ nullable: true, type: String, example: '关于办公用品采购的通知' })
  title!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'INTERNAL' })
  classification!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'A-03-02-16' })
  ledgerLocation!: string | null;
  @ApiProperty({ nullable: true, type: String, example: null })
  foundAt!: string | null;
  @ApiPropertyOptional({ example: false, description: 'missing: flagged by an earlier stock-take already' })
  alreadyMissing?: boolean;
  @ApiPropertyOptional({ example: 'transferred', description: 'left_custody: what the ledger says happened' })
  custody?: string;
}

/** 清点报告 — one stock-take with its findings and discrepancy report, under the caller's clearance (A2). */
export class StockTakeReportDto extends StockTakeSummaryDto {
  @ApiProperty({
    type: [Object],
    description: 'archiveCode, location, title, classification, recordedBy, recordedAt',
  })
  findings!: object[];
  @ApiProperty({
    type: [DiscrepancyDto],
    description: '账物不符: what does not agree with the ledger; empty while open',
  })
  discrepancies!: DiscrepancyDto[];
  @ApiProperty({
    type: [Object],
    description: 'in scope, not on the shelf, out on loan: the substitute card accounts for it (B11)',
  })
  accountedOnLoan!: object[];
  @ApiProperty({ type: [Object], description: 'records flagged missing earlier that this stock-take found' })
  foundAgain!: object[];
  @ApiProperty({ type: PersonDto, nullable: true })
  closedBy!: PersonDto | null;
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'flaggedMissing, foundAgain, skipped, reconciledAt',
  })
  reconciliation!: object | null;
}
