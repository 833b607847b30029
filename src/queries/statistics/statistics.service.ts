import { Inject, Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { CLOCK, type Clock } from '../../clock/clock';
import type { Actor } from '../../domain-kernel/actor';
import { invalid } from '../../domain-kernel/domain-error';
import { ProjectionFreshness } from '../../projections/projection-freshness';
import { CATALOGUE } from '../../projections/read-models/catalogue.read-model';
import { loanLedgerReadModel } from '../../projections/read-models/loan-ledger.read-model';
import { READ_STORE, type ReadStore, type Scalar } from '../../read-store/read-store.port';
import { visibleTo } from '../clearance';
import {
  HOLDINGS_DIMENSIONS,
  type ActivityCountsDto,
  type ActivityDto,
  type HoldingsDimension,
  type HoldingsDto,
  type HoldingsRowDto,
} from './statistics.dto';

const LOAN_LEDGER = loanLedgerReadModel.collection.name;

/** What each activity column counts: a collection and the `YYYY-MM` field it is grouped by. */
const ACTIVITY_SOURCES: Readonly<Record<keyof ActivityCountsDto, { collection: string; month: string }>> = {
  intake: { collection: CATALOGUE, month: 'filedMonth' },
  loans: { collection: LOAN_LEDGER, month: 'handedOverMonth' },
  returns: { collection: LOAN_LEDGER, month: 'returnedMonth' },
  destructions: { collection: CATALOGUE, month: 'destroyedMonth' },
  transfers: { collection: CATALOGUE, month: 'transferredMonth' },
};
const ACTIVITY_COLUMNS = Object.keys(ACTIVITY_SOURCES) as (keyof ActivityCountsDto)[];

/** Column headings of the CSV files (Chinese first: they are opened in Excel). */
const HEADINGS: Readonly<Record<HoldingsDimension | keyof ActivityCountsDto | 'month' | 'count', string>> = {
  category: '门类',
  year: '年度',
  retentionClass: '保管期限',
  classification: '密级',
  count: '数量',
  month: '月份',
  intake: '归档',
  loans: '借出',
  returns: '归还',
  destructions: '销毁',
  transfers: '移交',
};
const TOTAL = '合计';

/** A CSV file: UTF-8 with a byte-order mark (Excel then reads Chinese right), a header row, CRLF lines. */
export interface CsvFile {
  readonly filename: string;
  readonly content: string;
}

/**
 * 年度统计 — annual statistics (BRIEF, ledgers and statistics): holdings by category, year,
 * retention and classification, and each month's intake, loans, returns, destructions and
 * transfers. Counted inside the read store, with the caller's clearance in every filter (A2).
 */
@Injectable()
export class StatisticsService {
  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly freshness: ProjectionFreshness,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records in custody, counted by the dimensions given (in that order). */
  async holdings(actor: Actor, byParam: string | undefined, after: string | undefined): Promise<HoldingsDto> {
    const by = parseDimensions(byParam);
    await this.freshness.ensure(after);
    const groups = await this.reads.groupCount(CATALOGUE, {
      filter: { custody: 'in_custody', ...visibleTo(actor) },
      by,
    });
    const rows = groups
      .map((g): HoldingsRowDto => {
        const row: Record<string, Scalar> = {};
        for (const dimension of by) row[dimension] = g.key[dimension] ?? null;
        return { ...row, count: g.count } as HoldingsRowDto;
      })
      .sort((a, b) => compareRows(a, b, by));
    return { by, rows, total: rows.reduce((sum, r) => sum + r.count, 0) };
  }

  /** Each month of `year` (default: this year by the service clock). */
  async activity(actor: Actor, year: number | undefined, after: string | undefined): Promise<ActivityDto> {
    await this.freshness.ensure(after);
    const y = String(year ?? this.clock.now().getUTCFullYear()).padStart(4, '0');
    const months = Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`);
    const counted = await Promise.all(
      ACTIVITY_COLUMNS.map(async (column) => {
        const { collection, month } = ACTIVITY_SOURCES[column];
        const groups = await this.reads.groupCount(collection, {
          filter: { [month]: { gte: months[0], lte: months[11] }, ...visibleTo(actor) },
          by: [month],
        });
        return new Map(groups.map((g) => [g.key[month], g.count]));
      }),
    );
    const rows = months.map((month) => {
      const row = { month } as ActivityDto['months'][number];
      ACTIVITY_COLUMNS.forEach((column, i) => (row[column] = counted[i].get(month) ?? 0));
      return row;
    });
    const totals = {} as ActivityCountsDto;
    for (const column of ACTIVITY_COLUMNS) totals[column] = rows.reduce((sum, r) => sum + r[column], 0);
    return { year: Number(y), months: rows, totals };
  }

  holdingsCsv(holdings: HoldingsDto): CsvFile {
    const columns = [...holdings.by, 'count' as const].map((key) => ({ key, header: HEADINGS[key] }));
    const total = { [holdings.by[0]]: TOTAL, count: holdings.total };
    return {
      filename: `holdings-by-${holdings.by.join('-')}.csv`,
      content: toCsv([...holdings.rows, total], columns),
    };
  }

  activityCsv(activity: ActivityDto): CsvFile {
    const columns = (['month', ...ACTIVITY_COLUMNS] as const).map((key) => ({ key, header: HEADINGS[key] }));
    return {
      filename: `activity-${activity.year}.csv`,
      content: toCsv([...activity.months, { month: TOTAL, ...activity.totals }], columns),
    };
  }
}

function parseDimensions(by: string | undefined): HoldingsDimension[] {
  const dimensions = (by ?? 'category').split(',') as HoldingsDimension[];
  const unknown = dimensions.filter((d) => !HOLDINGS_DIMENSIONS.includes(d));
  const repeated = dimensions.filter((d, i) => dimensions.indexOf(d) !== i);
  if (unknown.length > 0 || repeated.length > 0) {
    throw invalid('VALIDATION_FAILED', 'Invalid request: by', [
      { field: 'by', problems: [`by must list ${HOLDINGS_DIMENSIONS.join(', ')}, each at most once`] },
    ]);
  }
  return dimensions;
}

function compareRows(a: HoldingsRowDto, b: HoldingsRowDto, by: readonly HoldingsDimension[]): number {
  for (const dimension of by) {
    const x = a[dimension] ?? null;
    const y = b[dimension] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function toCsv(rows: readonly object[], columns: readonly { key: string; header: string }[]): string {
  return stringify(rows as Record<string, unknown>[], {
    header: true,
    bom: true,
    record_delimiter: 'windows',
    columns: columns.map((c) => ({ key: c.key, header: c.header })),
  });
}
