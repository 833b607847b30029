import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../../auth/require-roles.decorator';
import type { CommandContext, CommandOutcome } from '../../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { ExecuteRecordCommand } from '../record-command.handler';
import { ArchiveCodeParam } from '../record-params';
import type { RecordEvent } from '../record.events';
import { ChangeClassificationDto } from './classification.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class ClassificationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':code/classification')
  @HttpCode(201)
  @RequireRoles('security_officer')
  @ApiOperation({
    summary: '密级变更/解除 — change or lift a record’s classification (F6)',
    description:
      'Appends ClassificationChanged with the old and new level, its grounds and the approving security officer, who must be cleared for both levels. `lifted` is true when the record drops from SECRET or above to below SECRET (解密).',
  })
  @ApiParam({ name: 'code', example: 'Z001-WS-2024-D30-BGS-0007', description: '档号' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'retrying with the same key appends nothing twice',
  })
  @ApiResponse({ status: 201, type: CommandAcceptedDto })
  @ApiResponse({ status: 400, description: 'VALIDATION_FAILED: the offending fields are listed' })
  @ApiResponse({ status: 401, description: 'missing or invalid bearer token' })
  @ApiResponse({
    status: 403,
    description:
      'caller is not a security officer, or CLEARANCE_INSUFFICIENT: their clearance is below the higher of the two levels',
  })
  @ApiResponse({ status: 404, description: 'RECORD_NOT_FOUND: no such record visible to the caller (A2)' })
  @ApiResponse({ status: 409, description: 'IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION' })
  @ApiResponse({
    status: 422,
    description: 'CLASSIFICATION_UNCHANGED (F6): the record already has this classification',
  })
  async change(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: ChangeClassificationDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.commands.execute<ExecuteRecordCommand, CommandOutcome<RecordEvent>>(
      new ExecuteRecordCommand(
        archiveCode,
        { type: 'ChangeClassification', to: body.classification, grounds: body.grounds },
        { ...context, reason: body.grounds },
      ),
    );
    return commandAccepted(outcome, { archiveCode });
  }
}
