import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { CommandRoute } from '../../http/command-route.decorator';
import { ArchiveCodeParam } from '../record-params';
import { CODE_PARAM, RECORD_NOT_FOUND, runRecordCommand } from '../record-routes';
import { ChangeClassificationDto } from './classification.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class ClassificationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':code/classification')
  @CommandRoute({
    roles: ['security_officer'],
    summary: '密级变更/解除 — change or lift a record’s classification (F6)',
    description:
      'Appends ClassificationChanged with the old and new level, its grounds and the approving security officer, who must be cleared for both levels. `lifted` is true when the record drops from SECRET or above to below SECRET (解密).',
    params: [CODE_PARAM],
    responses: {
      400: 'VALIDATION_FAILED: the offending fields are listed',
      403: 'caller is not a security officer, or CLEARANCE_INSUFFICIENT: their clearance is below the higher of the two levels',
      404: RECORD_NOT_FOUND,
      409: 'IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION',
      422: 'CLASSIFICATION_UNCHANGED (F6): the record already has this classification',
    },
  })
  async change(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: ChangeClassificationDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'ChangeClassification', to: body.classification, grounds: body.grounds },
      { ...context, reason: body.grounds },
    );
    return commandAccepted(outcome, { archiveCode });
  }
}
