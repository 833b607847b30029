import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { QueryInt } from '../../http/query-int.decorator';
import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { Optional } from '../../http/optional.decorator';
import { PageQueryDto } from '../page-query.dto';

/** What holdings can be counted by (BRIEF: holdings by category, year, retention and classification). */
export const HOLDINGS_DIMENSIONS = ['category', 'year', 'retentionClass', 'classification'] as const;
export type HoldingsDimension = (typeof HOLDINGS_DIMENSIONS)[number];

export const STATISTICS_FORMATS = ['json', 'csv'] as const;
export type StatisticsFormat = (typeof STATISTICS_FORMATS)[number];

const DIMENSION = `(?:${HOLDINGS_DIMENSIONS.join('|')})`;

class StatisticsQueryDto extends PickType(PageQueryDto, ['after'] as const) {
  @ApiPropertyOptional({
    enum: STATISTICS_FORMATS,
    description:
      'csv: a UTF-8 CSV file (with BOM, so Excel shows Chinese); also chosen by `Accept: text/csv`',
  })
  @Optional()
  @IsIn(STATISTICS_FORMATS)
  format?: StatisticsFormat;
}

/** Query of `GET /statistics/holdings`. */
export class HoldingsQueryDto extends StatisticsQueryDto {
  @ApiPropertyOptional({
    example: 'category,year',
    default: 'category',
    description: `one or several of ${HOLDINGS_DIMENSIONS.join(', ')}, comma-separated, each at most once`,
  })
  @Optional()
  @IsString()
  @Matches(new RegExp(`^${DIMENSION}(?:,${DIMENSION}){0,3}$`), {
    message: `by must list ${HOLDINGS_DIMENSIONS.join(', ')} (one or several, comma-separated)`,
  })
  by?: string;
}

/** Query of `GET /statistics/activity`. */
export class ActivityQueryDto extends StatisticsQueryDto {
  @ApiPropertyOptional({
    example: 2026,
    description: 'the calendar year (default: this year by the service clock)',
  })
  @Optional()
  @QueryInt()
  @IsInt()
  @Min(1900)
  @Max(2999)
  year?: number;
}

// ── answers ─────────────────────────────────────────────────────────────────────────────────────

export class HoldingsRowDto {
  @ApiPropertyOptional({ example: 'WS', description: '门类, when counted by category' })
  category?: string | null;
  @ApiPropertyOptional({ example: 2024, description: '年度, when counted by year' })
  year?: number | null;
  @ApiPropertyOptional({ example: 'D30', description: '保管期限, when counted by retention class' })
  retentionClass?: string | null;
  @ApiPropertyOptional({ example: 'INTERNAL', description: '密级, when counted by classification' })
  classification?: string | null;
  @ApiProperty({ example: 42 })
  count!: number;
}

/** `GET /statistics/holdings`. */
export class HoldingsDto {
  @ApiProperty({ example: ['category', 'year'], enum: HOLDINGS_DIMENSIONS, isArray: true })
  by!: HoldingsDimension[];
  @ApiProperty({ type: [HoldingsRowDto] })
  rows!: HoldingsRowDto[];
  @ApiProperty({ example: 42, description: 'records in custody visible to the caller (A2)' })
  total!: number;
}

export class ActivityCountsDto {
  @ApiProperty({ example: 12, description: '归档 — records filed' })
  intake!: number;
  @ApiProperty({ example: 5, description: '借出 — loans handed over' })
  loans!: number;
  @ApiProperty({ example: 4, description: '归还 — loans returned' })
  returns!: number;
  @ApiProperty({ example: 0, description: '销毁 — records destroyed' })
  destructions!: number;
  @ApiProperty({ example: 0, description: '移交 — records transferred out' })
  transfers!: number;
}

export class ActivityMonthDto extends ActivityCountsDto {
  @ApiProperty({ example: '2026-03' })
  month!: string;
}

/** `GET /statistics/activity`. */
export class ActivityDto {
  @ApiProperty({ example: 2026 })
  year!: number;
  @ApiProperty({ type: [ActivityMonthDto], description: 'January to December' })
  months!: ActivityMonthDto[];
  @ApiProperty({ type: ActivityCountsDto, description: 'the year in all' })
  totals!: ActivityCountsDto;
}
