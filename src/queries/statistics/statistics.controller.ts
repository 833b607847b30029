import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../domain-kernel/actor';
import { QueryRoute } from '../catalogue/query-route.decorator';
import {
  ActivityDto,
  ActivityQueryDto,
  HoldingsDto,
  HoldingsQueryDto,
  type StatisticsFormat,
} from './statistics.dto';
import { StatisticsService, type CsvFile } from './statistics.service';

const CSV_NOTE =
  ' With `format=csv` or `Accept: text/csv` the answer is a CSV file instead (UTF-8 with BOM, header row in Chinese, a 合计 total row), as an attachment.';

/** 年度统计 — annual statistics, as tables (JSON) or spreadsheets (CSV). */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('statistics')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsService) {}

  @Get('holdings')
  @QueryRoute({
    summary: '馆藏统计 — holdings by category, year, retention class and classification',
    description:
      'Records in custody counted by one or several dimensions (`by=category,year`), counting only records visible to the caller (A2).' +
      CSV_NOTE,
    csv: true,
    answer: {
      type: HoldingsDto,
      example: {
        by: ['category', 'year'],
        rows: [
          { category: 'WS', year: 2024, count: 18 },
          { category: 'ZY', year: 2024, count: 24 },
        ],
        total: 42,
      },
    },
  })
  async holdings(
    @CurrentActor() actor: Actor,
    @Query() query: HoldingsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HoldingsDto | string> {
    const holdings = await this.statistics.holdings(actor, query.by, query.after);
    return wantsCsv(query.format, accept) ? sendCsv(reply, this.statistics.holdingsCsv(holdings)) : holdings;
  }

  @Get('activity')
  @QueryRoute({
    summary: '年度统计 — intake, loans, returns, destructions and transfers per month',
    description:
      'For each month of `year`: records filed (归档), loans handed over (借出), loans returned (归还), records destroyed (销毁) and transferred out (移交), counting only records visible to the caller (A2).' +
      CSV_NOTE,
    csv: true,
    answer: {
      type: ActivityDto,
      example: {
        year: 2026,
        months: [
          { month: '2026-01', intake: 12, loans: 5, returns: 4, destructions: 0, transfers: 0 },
          { month: '2026-02', intake: 8, loans: 3, returns: 3, destructions: 0, transfers: 0 },
        ],
        totals: { intake: 20, loans: 8, returns: 7, destructions: 0, transfers: 0 },
      },
    },
  })
  async activity(
    @CurrentActor() actor: Actor,
    @Query() query: ActivityQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ActivityDto | string> {
    const activity = await this.statistics.activity(actor, query.year, query.after);
    return wantsCsv(query.format, accept) ? sendCsv(reply, this.statistics.activityCsv(activity)) : activity;
  }
}

/** `format` decides; without it, an Accept header naming text/csv does. */
function wantsCsv(format: StatisticsFormat | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  return accept !== undefined && /(^|,)\s*text\/csv\b/i.test(accept);
}

function sendCsv(reply: FastifyReply, file: CsvFile): string {
  void reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${file.filename}"`);
  return file.content;
}
