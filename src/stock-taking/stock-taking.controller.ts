import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../http/command-accepted';
import { CommandContextFrom } from '../http/command-context.decorator';
import { CommandRoute } from '../http/command-route.decorator';
import { STOCK_TAKE_ID_PARAM, StockTakeIdParam } from './stock-taking-params';
import {
  CloseStockTakeDto,
  OpenStockTakeDto,
  RecordFindingsDto,
  StockTakeClosedDto,
} from './stock-taking.dto';
import { StockTakingService } from './stock-taking.service';

/** 清点 — stock-taking (X2); docs/disposition.md. */
@ApiTags('stock-taking')
@ApiBearerAuth()
@Controller('stock-takes')
export class StockTakingController {
  constructor(private readonly stockTakes: StockTakingService) {}

  @Post()
  @CommandRoute({
    roles: ['archivist'],
    summary: '清点 — open a stock-take of some shelf locations (X2)',
    description:
      'Appends StockTakeOpened to a new stream `stocktake-{stockTakeId}`; `stockTakeId` (ST-{year}-{number}) in the answer names it. Each location covers everything shelved under it.',
    responses: {
      400: 'VALIDATION_FAILED or STOCK_TAKE_INVALID (a location listed twice)',
      409: 'IDEMPOTENCY_KEY_REUSED',
    },
  })
  async open(
    @Body() body: OpenStockTakeDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.stockTakes.open(
      { locations: [...body.locations], ...(body.note !== undefined ? { note: body.note } : {}) },
      { ...context, ...(body.note !== undefined ? { reason: body.note } : {}) },
    );
    const opened = outcome.events.find((e) => e.type === 'StockTakeOpened');
    const stockTakeId = opened?.type === 'StockTakeOpened' ? opened.data.stockTakeId : undefined;
    return commandAccepted(outcome, stockTakeId ? { stockTakeId } : {});
  }

  @Post(':stockTakeId/findings')
  @CommandRoute({
    roles: ['archivist'],
    summary: 'record records found on the shelves, and where (X2)',
    description:
      'Appends FindingsRecorded: each code as read from the label and the location it stood at. A code found again replaces its earlier location. Codes the ledger does not know are accepted and reported at close.',
    params: [STOCK_TAKE_ID_PARAM],
    responses: {
      400: 'VALIDATION_FAILED',
      404: 'STOCK_TAKE_NOT_FOUND',
      409: 'STOCK_TAKE_CLOSED (X2), IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION',
    },
  })
  async recordFindings(
    @StockTakeIdParam() stockTakeId: string,
    @Body() body: RecordFindingsDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.stockTakes.recordFindings(
      stockTakeId,
      body.findings.map((f) => ({ archiveCode: f.archiveCode, location: f.location })),
      context,
    );
    return commandAccepted(outcome, { stockTakeId });
  }

  @Post(':stockTakeId/closure')
  @CommandRoute({
    roles: ['archivist'],
    summary: 'close a stock-take: the discrepancy report, records flagged missing (X2)',
    description:
      'Compares the findings with the ledger (the catalogue, once it reflects every event stored when the close began) and appends StockTakeClosed with the report: missing, misplaced, unknown codes, records found that left custody or are out on loan. Then MarkedMissing on every record newly missing and FoundAgain on every flagged record found; then StockTakeReconciled. The closer must be cleared for every record in scope. Sent again, or at the next start after a crash, it finishes the flags.',
    params: [STOCK_TAKE_ID_PARAM],
    answer: { type: StockTakeClosedDto },
    responses: {
      400: 'VALIDATION_FAILED',
      403: 'CLEARANCE_INSUFFICIENT: the scope holds records above the closer’s clearance (A2)',
      404: 'STOCK_TAKE_NOT_FOUND',
      409: 'STOCK_TAKE_CLOSED (X2) or CONCURRENT_MODIFICATION',
    },
  })
  async close(
    @StockTakeIdParam() stockTakeId: string,
    @Body() body: CloseStockTakeDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<StockTakeClosedDto> {
    const result = await this.stockTakes.close(stockTakeId, {
      ...context,
      ...(body.note !== undefined ? { reason: body.note } : {}),
    });
    return {
      ...commandAccepted(result.outcome, { stockTakeId }),
      flaggedMissing: [...result.flaggedMissing],
      foundAgain: [...result.foundAgain],
    };
  }
}
