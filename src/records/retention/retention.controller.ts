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
import { ExtendRetentionDto } from './retention.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class RetentionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':code/retention')
  @HttpCode(201)
  @RequireRoles('archivist', 'appraisal_committee')
  @ApiOperation({
    summary: '延长保管期限 — extend a record’s retention (R2, R3)',
    description:
      'Appends RetentionExtended with the old and new retention class and the grounds. Retention can be extended, never shortened (D10 < D30 < PERMANENT); a PERMANENT record’s retention is final. The archive code never changes: it keeps the retention code it was filed with (F2), and the record’s current retention class is the one in its metadata.',
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
  @ApiResponse({ status: 403, description: 'caller is neither an archivist nor on the appraisal committee' })
  @ApiResponse({ status: 404, description: 'RECORD_NOT_FOUND: no such record visible to the caller (A2)' })
  @ApiResponse({ status: 409, description: 'IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION' })
  @ApiResponse({
    status: 422,
    description:
      'RETENTION_NOT_LONGER (R2): the same or a shorter retention; PERMANENT_IS_FINAL (R3): the record is PERMANENT',
  })
  async extend(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: ExtendRetentionDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.commands.execute<ExecuteRecordCommand, CommandOutcome<RecordEvent>>(
      new ExecuteRecordCommand(
        archiveCode,
        { type: 'ExtendRetention', to: body.retentionClass, grounds: body.grounds },
        { ...context, reason: body.grounds },
      ),
    );
    return commandAccepted(outcome, { archiveCode });
  }
}
