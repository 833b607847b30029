import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../domain-kernel/actor';
import { ProjectionFreshness } from '../../projections/projection-freshness';
import { modificationLedgerReadModel } from '../../projections/read-models/modification-ledger.read-model';
import { READ_STORE, type Filter, type ReadStore } from '../../read-store/read-store.port';
import { QueryRoute } from '../catalogue/query-route.decorator';
import { ledgerPage, timeRange, type LedgerPage } from './ledger-query';
import {
  ModificationLedgerEntryDto,
  ModificationLedgerPageDto,
  ModificationLedgerQueryDto,
} from './ledgers.dto';

/** 修改台帐 — the modification ledger (F5), read from the `modification_ledger` read model. */
@ApiTags('ledgers')
@ApiBearerAuth()
@Controller('modification-ledger')
export class ModificationLedgerController {
  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly freshness: ProjectionFreshness,
  ) {}

  @Get()
  @QueryRoute({
    roles: ['archivist', 'archive_department_head', 'compliance_officer', 'auditor'],
    summary: '修改台帐 — the modification ledger (F5)',
    description:
      'Every metadata correction: the fields before and after, the reason, who proposed it and when, and who approved or rejected it (and why) and when. Newest proposal first. Filters: archiveCode, status (proposed, corrected, rejected), and from/to on the proposal time.',
    answer: { type: ModificationLedgerPageDto },
  })
  async ledger(
    @Query() query: ModificationLedgerQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<ModificationLedgerEntryDto>> {
    await this.freshness.ensure(query.after);
    const proposedAt = timeRange(query.from, query.to);
    const filter: Filter = {
      ...(query.archiveCode !== undefined ? { archiveCode: query.archiveCode } : {}),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(proposedAt !== undefined ? { proposedAt } : {}),
    };
    return ledgerPage(this.reads, {
      collection: modificationLedgerReadModel.collection.name,
      actor,
      filter,
      sort: { field: 'proposedAt', direction: 'desc' },
      page: query,
    });
  }
}
