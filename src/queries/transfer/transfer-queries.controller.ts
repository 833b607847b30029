import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../domain-kernel/actor';
import { notFound } from '../../domain-kernel/domain-error';
import { ProjectionFreshness } from '../../projections/projection-freshness';
import {
  TRANSFER_REGISTER,
  type TransferRegisterDoc,
} from '../../projections/read-models/transfer-register.read-model';
import { READ_STORE, type ReadStore } from '../../read-store/read-store.port';
import { TRANSFER_ID_PARAM, TransferIdParam } from '../../transfer/transfer-params';
import { QueryRoute } from '../catalogue/query-route.decorator';
import { withoutBookkeeping } from '../catalogue/read-query';
import { ledgerPage, type LedgerPage } from '../ledgers/ledger-query';
import { PageQueryDto } from '../page-query.dto';
import { rankFilter } from './record-ranks';
import {
  TransferListDto,
  TransferRegisterPageDto,
  TransferRegisterQueryDto,
  type TransferSummaryDto,
} from './transfer-queries.dto';

const READERS = [
  'archivist',
  'archive_department_head',
  'security_officer',
  'compliance_officer',
  'auditor',
] as const;

/** 移交清册 — the transfer lists register (X1), read from `transfer_register`. */
@ApiTags('transfers')
@ApiBearerAuth()
@Controller('transfers')
export class TransferQueriesController {
  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly freshness: ProjectionFreshness,
  ) {}

  @Get()
  @QueryRoute({
    roles: [...READERS],
    summary: '移交清册登记 — the transfer lists (X1)',
    description:
      'Every transfer list, newest first, with its receiver, signatures and completion. Item counts count only the records visible to the caller (A2). Filter: status.',
    answer: { type: TransferRegisterPageDto },
  })
  async register(
    @Query() query: TransferRegisterQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<TransferSummaryDto>> {
    await this.freshness.ensure(query.after);
    const page = await ledgerPage<TransferRegisterDoc>(
      this.reads,
      {
        collection: TRANSFER_REGISTER,
        actor,
        filter: query.status !== undefined ? { status: query.status } : {},
        sort: { field: 'draftedAt', direction: 'desc' },
        page: query,
      },
      (doc) => doc as unknown as TransferRegisterDoc,
    );
    const visible = await rankFilter(
      this.reads,
      actor,
      page.items.flatMap((l) => l.items.map((i) => i.archiveCode)),
    );
    return { ...page, items: page.items.map((list) => summary(visibleList(list, visible))) };
  }

  @Get(':transferId')
  @QueryRoute({
    roles: [...READERS],
    summary: '移交清册 — one transfer list with its items (X1)',
    description:
      'The list as signed: receiver, every record (档号, 题名, 文号, 责任者, 日期, 保管期限, 密级) with its classification review, both signatures and the completion. Records above the caller’s clearance are left out, from the counts too (A2).',
    params: [TRANSFER_ID_PARAM],
    answer: { type: TransferListDto },
    notFound: 'TRANSFER_NOT_FOUND: no such transfer list',
  })
  async one(
    @TransferIdParam() transferId: string,
    @Query() query: PageQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<TransferListDto> {
    await this.freshness.ensure(query.after);
    const doc = await this.reads.get(TRANSFER_REGISTER, transferId);
    if (!doc) throw notFound('TRANSFER_NOT_FOUND', `No transfer list ${transferId}`);
    const list = withoutBookkeeping<TransferRegisterDoc>(doc, true);
    const visible = await rankFilter(this.reads, actor, [
      ...list.items.map((i) => i.archiveCode),
      ...list.removed.map((r) => r.archiveCode),
    ]);
    const shown = visibleList(list, visible);
    const { id: _id, classificationRank: _rank, updatedAt: _updated, ...rest } = shown;
    return { ...rest, ...summary(shown) } as unknown as TransferListDto;
  }
}

/** The list with only what the caller may see (A2): items, removed items and completion codes. */
function visibleList(
  list: TransferRegisterDoc,
  visible: (archiveCode: string, rank: number) => boolean,
): TransferRegisterDoc {
  const items = list.items.filter((i) => visible(i.archiveCode, i.classificationRank));
  const codes = new Set(items.map((i) => i.archiveCode));
  return {
    ...list,
    items,
    removed: list.removed.filter((r) => visible(r.archiveCode, r.classificationRank)),
    completion: list.completion && {
      ...list.completion,
      transferred: list.completion.transferred.filter((c) => codes.has(c)),
      withheld: list.completion.withheld.filter((w) => codes.has(w.archiveCode)),
    },
  };
}

function summary(list: TransferRegisterDoc): TransferSummaryDto {
  return {
    transferId: list.transferId,
    status: list.status,
    receiver: list.receiver,
    basis: list.basis,
    draftedBy: list.draftedBy,
    draftedAt: list.draftedAt,
    itemCount: list.items.length,
    awaitingReview: list.items.filter((i) => i.needsReview && i.review === null).length,
    transferorSigned: list.transferorSignature !== null,
    receiverSigned: list.receiverSignature !== null,
    completedAt: list.completion?.completedAt ?? null,
    transferredCount: list.completion?.transferred.length ?? 0,
  };
}
