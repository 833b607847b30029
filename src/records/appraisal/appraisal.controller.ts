import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { CommandRoute } from '../../http/command-route.decorator';
import { ArchiveCodeParam } from '../record-params';
import { CODE_PARAM, RECORD_NOT_FOUND, runRecordCommand } from '../record-routes';
import type { AppraisalRecorded } from '../record.events';
import { RecordAppraisalDto } from './appraisal.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class AppraisalController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':code/appraisals')
  @CommandRoute({
    roles: ['appraisal_committee'],
    summary: '鉴定 — record the appraisal committee’s decision (R4, R5)',
    description:
      'Appends AppraisalRecorded with the committee (you first, then the members you name), the decision and its grounds. `keep` also appends RetentionExtended to the new, longer class (R2); `release` makes the record eligible for a destruction list (D1) until a later retention extension voids it. Only records whose retention has expired (by the service clock, R1/R4) can be appraised. `appraisalId` in the answer names it.',
    params: [CODE_PARAM],
    responses: {
      400: 'VALIDATION_FAILED or APPRAISAL_INVALID: the offending fields are listed (keep without newRetentionClass, release with one, yourself among members …)',
      403: 'ROLE_REQUIRED: the caller is not a member of the appraisal committee',
      404: RECORD_NOT_FOUND,
      409: 'IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION',
      422: 'R4 NOT_DUE_FOR_APPRAISAL (retention not expired, or PERMANENT); R5 COMMITTEE_REQUIRED; R2 RETENTION_NOT_LONGER',
    },
  })
  async appraise(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: RecordAppraisalDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { decision, grounds, members, newRetentionClass } = body;
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      {
        type: 'RecordAppraisal',
        decision,
        grounds,
        otherMembers: members.map(({ id, unit }) => ({ id, unit })),
        ...(newRetentionClass !== undefined ? { newRetentionClass } : {}),
      },
      { ...context, reason: grounds },
    );
    const recorded = outcome.events.find((e): e is AppraisalRecorded => e.type === 'AppraisalRecorded');
    return commandAccepted(outcome, {
      archiveCode,
      ...(recorded ? { appraisalId: recorded.data.appraisalId } : {}),
    });
  }
}
