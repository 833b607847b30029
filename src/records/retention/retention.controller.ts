import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { CommandRoute } from '../../http/command-route.decorator';
import { ArchiveCodeParam } from '../record-params';
import { CODE_PARAM, RECORD_NOT_FOUND, runRecordCommand } from '../record-routes';
import { ExtendRetentionDto } from './retention.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class RetentionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':code/retention')
  @CommandRoute({
    roles: ['archivist', 'appraisal_committee'],
    summary: '延长保管期限 — extend a record’s retention (R2, R3)',
    description:
      'Appends RetentionExtended with the old and new retention class and the grounds. Retention can be extended, never shortened (D10 < D30 < PERMANENT); a PERMANENT record’s retention is final. The archive code never changes: it keeps the retention code it was filed with (F2), and the record’s current retention class is the one in its metadata.',
    params: [CODE_PARAM],
    responses: {
      400: 'VALIDATION_FAILED: the offending fields are listed',
      403: 'caller is neither an archivist nor on the appraisal committee',
      404: RECORD_NOT_FOUND,
      409: 'IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION',
      422: 'RETENTION_NOT_LONGER (R2): the same or a shorter retention; PERMANENT_IS_FINAL (R3): the record is PERMANENT',
    },
  })
  async extend(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: ExtendRetentionDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'ExtendRetention', to: body.retentionClass, grounds: body.grounds },
      { ...context, reason: body.grounds },
    );
    return commandAccepted(outcome, { archiveCode });
  }
}
