import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../domain-kernel/actor';
import { ProjectionFreshness } from '../../projections/projection-freshness';
import { holdsRegisterReadModel } from '../../projections/read-models/holds-register.read-model';
import { READ_STORE, type Filter, type ReadStore } from '../../read-store/read-store.port';
import { QueryRoute } from '../catalogue/query-route.decorator';
import { ledgerPage, type LedgerPage } from './ledger-query';
import { HoldsRegisterEntryDto, HoldsRegisterPageDto, HoldsRegisterQueryDto } from './ledgers.dto';

/** The holds register (R6), read from the `holds_register` read model. */
@ApiTags('ledgers')
@ApiBearerAuth()
@Controller('holds')
export class HoldsRegisterController {
  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly freshness: ProjectionFreshness,
  ) {}

  @Get()
  @QueryRoute({
    roles: ['compliance_officer', 'auditor', 'archivist', 'archive_department_head'],
    summary: '冻结登记 — the holds register (R6)',
    description:
      'Every legal or audit hold: why, on what reference, who placed it and when; once released, who released it, when and why. Newest first. Filters: active (true: in force, the record is frozen; false: released), kind (legal, audit), archiveCode.',
    answer: { type: HoldsRegisterPageDto },
  })
  async register(
    @Query() query: HoldsRegisterQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<HoldsRegisterEntryDto>> {
    await this.freshness.ensure(query.after);
    const filter: Filter = {
      ...(query.active !== undefined ? { active: query.active } : {}),
      ...(query.kind !== undefined ? { kind: query.kind } : {}),
      ...(query.archiveCode !== undefined ? { archiveCode: query.archiveCode } : {}),
    };
    return ledgerPage(this.reads, {
      collection: holdsRegisterReadModel.collection.name,
      actor,
      filter,
      sort: { field: 'placedAt', direction: 'desc' },
      page: query,
    });
  }
}
