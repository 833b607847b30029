import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import { classificationRank, type Actor, type Classification } from '../../domain-kernel/actor';
import { notFound } from '../../domain-kernel/domain-error';
import { ProjectionFreshness } from '../../projections/projection-freshness';
import { STOCK_TAKING, type StockTakeDoc } from '../../projections/read-models/stock-taking.read-model';
import { READ_STORE, type ReadStore } from '../../read-store/read-store.port';
import { STOCK_TAKE_ID_PARAM, StockTakeIdParam } from '../../stock-taking/stock-taking-params';
import { DISCREPANCY_KINDS, type StockTakeReport } from '../../stock-taking/stock-taking.events';
import { QueryRoute } from '../catalogue/query-route.decorator';
import { withoutBookkeeping } from '../catalogue/read-query';
import { ledgerPage, type LedgerPage } from '../ledgers/ledger-query';
import { PageQueryDto } from '../page-query.dto';
import { rankFilter } from '../transfer/record-ranks';
import {
  StockTakePageDto,
  StockTakeQueryDto,
  StockTakeReportDto,
  type StockTakeSummaryDto,
} from './stock-taking-queries.dto';

const READERS = ['archivist', 'archive_department_head', 'compliance_officer', 'auditor'] as const;

type Visible = (archiveCode: string, rank: number) => boolean;

/** 清点报告 — stock-taking reports (X2), read from `stock_taking`. */
@ApiTags('stock-taking')
@ApiBearerAuth()
@Controller('stock-takes')
export class StockTakingQueriesController {
  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly freshness: ProjectionFreshness,
  ) {}

  @Get()
  @QueryRoute({
    roles: [...READERS],
    summary: '清点登记 — the stock-takes (X2)',
    description:
      'Every stock-take, newest first, with its counts: found, expected per the ledger, matched, and discrepancies by kind — each counting only records visible to the caller (A2). Filter: status.',
    answer: { type: StockTakePageDto },
  })
  async register(
    @Query() query: StockTakeQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<StockTakeSummaryDto>> {
    await this.freshness.ensure(query.after);
    const page = await ledgerPage<StockTakeDoc>(
      this.reads,
      {
        collection: STOCK_TAKING,
        actor,
        filter: query.status !== undefined ? { status: query.status } : {},
        sort: { field: 'openedAt', direction: 'desc' },
        page: query,
      },
      (doc) => doc as unknown as StockTakeDoc,
    );
    const visible = await rankFilter(this.reads, actor, page.items.flatMap(codesOf));
    return { ...page, items: page.items.map((s) => summary(visibleStockTake(s, visible), actor)) };
  }

  @Get(':stockTakeId')
  @QueryRoute({
    roles: [...READERS],
    summary: '清点报告 — one stock-take with its discrepancy report (X2)',
    description:
      'The scope, every finding, and once closed the report: records missing (flagged on the record and in the catalogue until found), misplaced, unknown codes, records found that left custody or are out on loan; records found again; and the records flagged. Entries above the caller’s clearance are left out, from the counts too (A2).',
    params: [STOCK_TAKE_ID_PARAM],
    answer: { type: StockTakeReportDto },
    notFound: 'STOCK_TAKE_NOT_FOUND: no such stock-take',
  })
  async one(
    @StockTakeIdParam() stockTakeId: string,
    @Query() query: PageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<StockTakeReportDto> {
    await this.freshness.ensure(query.after);
    const doc = await this.reads.get(STOCK_TAKING, stockTakeId);
    if (!doc) throw notFound('STOCK_TAKE_NOT_FOUND', `No stock-take ${stockTakeId}`);
    const stockTake = withoutBookkeeping<StockTakeDoc>(doc, true);
    const shown = visibleStockTake(stockTake, await rankFilter(this.reads, actor, codesOf(stockTake)));
    return {
      ...summary(shown, actor),
      findings: [...shown.findings],
      discrepancies: [...(shown.report?.discrepancies ?? [])],
      accountedOnLoan: [...(shown.report?.accountedOnLoan ?? [])],
      foundAgain: [...(shown.report?.foundAgain ?? [])],
      closedBy: shown.closedBy,
      reconciliation: shown.reconciliation,
    } as unknown as StockTakeReportDto;
  }
}

function codesOf(s: StockTakeDoc): string[] {
  return [
    ...s.findings.map((f) => f.archiveCode),
    ...(s.report?.discrepancies.map((d) => d.archiveCode) ?? []),
    ...(s.report?.accountedOnLoan.map((d) => d.archiveCode) ?? []),
  ];
}

function rankOf(classification: Classification | string | null): number {
  return classification === null ? 0 : classificationRank(classification as Classification);
}

/** Only what the caller may see (A2): findings, report entries, and the codes flagged. */
function visibleStockTake(s: StockTakeDoc, visible: Visible): StockTakeDoc {
  const report: StockTakeReport | null = s.report && {
    ...s.report,
    discrepancies: s.report.discrepancies.filter((d) => visible(d.archiveCode, rankOf(d.classification))),
    accountedOnLoan: s.report.accountedOnLoan.filter((d) => visible(d.archiveCode, rankOf(d.classification))),
    foundAgain: s.report.foundAgain.filter((d) => visible(d.archiveCode, rankOf(d.classification))),
  };
  const shownCodes = new Set([
    ...(report?.discrepancies.map((d) => d.archiveCode) ?? []),
    ...(report?.foundAgain.map((d) => d.archiveCode) ?? []),
  ]);
  return {
    ...s,
    findings: s.findings.filter((f) => visible(f.archiveCode, f.classificationRank)),
    report,
    reconciliation: s.reconciliation && {
      ...s.reconciliation,
      flaggedMissing: s.reconciliation.flaggedMissing.filter((c) => shownCodes.has(c)),
      foundAgain: s.reconciliation.foundAgain.filter((c) => shownCodes.has(c)),
      skipped: s.reconciliation.skipped.filter((k) => shownCodes.has(k.archiveCode)),
    },
  };
}

function summary(s: StockTakeDoc, actor: Actor): StockTakeSummaryDto {
  const upTo = classificationRank(actor.clearance);
  const sum = (byRank: readonly number[]) => byRank.slice(0, upTo + 1).reduce((a, b) => a + b, 0);
  const report = s.report;
  return {
    stockTakeId: s.stockTakeId,
    status: s.status,
    locations: [...s.locations],
    note: s.note,
    openedBy: s.openedBy,
    openedAt: s.openedAt,
    closedAt: s.closedAt,
    found: s.findings.length,
    expected: report ? sum(report.expectedByRank) : null,
    matched: report ? sum(report.matchedByRank) : null,
    discrepancyCounts: report
      ? (Object.fromEntries(
          DISCREPANCY_KINDS.map((kind) => [kind, report.discrepancies.filter((d) => d.kind === kind).length]),
        ) as unknown as StockTakeSummaryDto['discrepancyCounts'])
      : null,
  };
}
