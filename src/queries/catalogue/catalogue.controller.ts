import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { CommandContext } from '../../command-shell/command-shell';
import type { Actor } from '../../domain-kernel/actor';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { ArchiveCodeParam } from '../../records/record-params';
import { CODE_PARAM, RECORD_NOT_FOUND } from '../../records/record-routes';
import { CataloguePageDto, CatalogueQueryDto, RecordDetailDto, RecordDetailQueryDto } from './catalogue.dto';
import { CATALOGUE_PAGE_EXAMPLE, RECORD_DETAIL_EXAMPLE } from './catalogue.examples';
import { CatalogueService } from './catalogue.service';
import { QueryRoute } from './query-route.decorator';

/**
 * 档案目录 — the catalogue: search every record the caller may see (A2), and one record's details,
 * registered in the access register when it is SECRET or above (A1).
 */
@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('records')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @QueryRoute({
    summary: '档案目录 — catalogue: search records (A2)',
    description:
      'Records matching every filter given, with the text search `q` (Chinese included: 合同 finds 客户合同档案), sorted by `sort` then archive code, a page at a time. ' +
      '`total` counts every match. Records above the caller’s clearance are left out of the items, the total and the pages alike (A2). ' +
      'Send `after` (a command’s `position`) to read your own writes.',
    answer: { type: CataloguePageDto, example: CATALOGUE_PAGE_EXAMPLE },
  })
  search(@CurrentActor() actor: Actor, @Query() query: CatalogueQueryDto): Promise<CataloguePageDto> {
    return this.catalogue.search(actor, query);
  }

  @Get(':code')
  @QueryRoute({
    summary: '档案目录 — catalogue: one record’s details (A1, A2)',
    description:
      'The record as the catalogue holds it: current metadata (corrections, classification and retention applied), custody, the loan out and its substitute card (B11), active holds (R6), damage (B10), the retention due date (R4) and late filing (F4). ' +
      'A record above the caller’s clearance is answered 404, as if it did not exist (A2). ' +
      'Viewing a record classified SECRET or above needs `purpose`, and the view is registered (RecordDetailViewed on `access-{code}`, under the caller’s identity) before the details are answered (A1, 查阅登记).',
    params: [CODE_PARAM],
    answer: { type: RecordDetailDto, example: RECORD_DETAIL_EXAMPLE },
    invalid:
      'VALIDATION_FAILED: a malformed code or query parameter; PURPOSE_REQUIRED (A1): a SECRET-or-above record viewed without `purpose` (field purpose)',
    notFound: RECORD_NOT_FOUND,
  })
  detail(
    @ArchiveCodeParam() archiveCode: string,
    @Query() query: RecordDetailQueryDto,
    @CurrentActor() actor: Actor,
    @CommandContextFrom() context: Omit<CommandContext, 'reason'>,
  ): Promise<RecordDetailDto> {
    return this.catalogue.detail(actor, archiveCode, query.purpose, context, query.after);
  }
}
