import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../domain-kernel/actor';
import { CataloguePageDto, RetentionDueQueryDto } from './catalogue.dto';
import { CATALOGUE_ENTRY_EXAMPLE } from './catalogue.examples';
import { CatalogueService } from './catalogue.service';
import { QueryRoute } from './query-route.decorator';

/** 到期鉴定清单 — records whose retention expires by a given day (R4). */
@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('retention-due')
export class RetentionDueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @QueryRoute({
    roles: ['archivist', 'appraisal_committee', 'archive_department_head', 'compliance_officer', 'auditor'],
    summary: '档案目录 — retention due for appraisal (到期鉴定, R4)',
    description:
      'Records in custody whose retention expires on or before `date` (default: today by the service clock, UTC), soonest first: they are due for appraisal (R4). Retention counts from 1 January of the year after the year formed (R1); PERMANENT records never fall due. Records above the caller’s clearance are left out (A2).',
    answer: {
      type: CataloguePageDto,
      example: {
        items: [
          {
            ...CATALOGUE_ENTRY_EXAMPLE,
            archiveCode: 'Z001-ZY-2014-D10-XSB-0003',
            title: '长江精密仪器股份有限公司客户信用评估报告',
            retentionClass: 'D10',
            dateFormed: '2014-06-18',
            retentionDueOn: '2025-01-01',
            onLoan: false,
            openLoan: null,
            loansOut: [],
          },
        ],
        nextCursor: null,
        total: 1,
      },
    },
  })
  list(@CurrentActor() actor: Actor, @Query() query: RetentionDueQueryDto): Promise<CataloguePageDto> {
    return this.catalogue.retentionDue(actor, query);
  }
}
