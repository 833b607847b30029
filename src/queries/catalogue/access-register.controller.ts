import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Actor } from '../../domain-kernel/actor';
import { AccessRegisterPageDto, AccessRegisterQueryDto } from './catalogue.dto';
import { ACCESS_REGISTER_ENTRY_EXAMPLE } from './catalogue.examples';
import { CatalogueService } from './catalogue.service';
import { QueryRoute } from './query-route.decorator';

/** 查阅登记簿 — the access register (A1). */
@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('access-register')
export class AccessRegisterController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @QueryRoute({
    roles: ['auditor', 'compliance_officer', 'security_officer'],
    summary: '查阅登记簿 — access register: who viewed which classified record, when and why (A1)',
    description:
      'Every registered view of a SECRET-or-above record’s details, newest first, filtered by record, viewer and period. Entries about records above the caller’s clearance are left out (A2).',
    answer: {
      type: AccessRegisterPageDto,
      example: { items: [ACCESS_REGISTER_ENTRY_EXAMPLE], nextCursor: null, total: 1 },
    },
  })
  list(@CurrentActor() actor: Actor, @Query() query: AccessRegisterQueryDto): Promise<AccessRegisterPageDto> {
    return this.catalogue.accessRegister(actor, query);
  }
}
