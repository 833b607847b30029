import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../../auth/require-roles.decorator';
import type { CommandContext, CommandOutcome } from '../../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { ExecuteRecordCommand } from '../record-command.handler';
import { ArchiveCodeParam } from '../record-params';
import type { HoldPlaced, RecordEvent } from '../record.events';
import { PlaceHoldDto, ReleaseHoldDto } from './holds.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class HoldsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':code/holds')
  @HttpCode(201)
  @RequireRoles('compliance_officer', 'auditor')
  @ApiOperation({
    summary: '冻结 — place a legal or audit hold (R6)',
    description:
      'Appends HoldPlaced: the record is frozen (no destruction, no transfer) until the hold is released. A legal hold is placed only by a compliance officer; an audit hold by an auditor or a compliance officer. `holdId` in the answer names the hold.',
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
      'caller is neither a compliance officer nor an auditor, or HOLD_KIND_NOT_AUTHORISED: an auditor placing a legal hold',
  })
  @ApiResponse({ status: 404, description: 'RECORD_NOT_FOUND: no such record visible to the caller (A2)' })
  @ApiResponse({ status: 409, description: 'IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION' })
  async place(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: PlaceHoldDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { kind, reason, reference } = body;
    const outcome = await this.commands.execute<ExecuteRecordCommand, CommandOutcome<RecordEvent>>(
      new ExecuteRecordCommand(
        archiveCode,
        { type: 'PlaceHold', kind, reason, ...(reference !== undefined ? { reference } : {}) },
        { ...context, reason },
      ),
    );
    const placed = outcome.events.find((e): e is HoldPlaced => e.type === 'HoldPlaced');
    return commandAccepted(outcome, { archiveCode, ...(placed ? { holdId: placed.data.holdId } : {}) });
  }

  @Post(':code/holds/:holdId/release')
  @HttpCode(201)
  @RequireRoles('compliance_officer', 'auditor')
  @ApiOperation({
    summary: '解除冻结 — release a hold (R6)',
    description:
      'Appends HoldReleased with the reason. A legal hold is released only by a compliance officer; an audit hold by an auditor or a compliance officer.',
  })
  @ApiParam({ name: 'code', example: 'Z001-WS-2024-D30-BGS-0007', description: '档号' })
  @ApiParam({ name: 'holdId', example: 'H1' })
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
      'caller is neither a compliance officer nor an auditor, or HOLD_KIND_NOT_AUTHORISED: an auditor releasing a legal hold',
  })
  @ApiResponse({
    status: 404,
    description: 'RECORD_NOT_FOUND (A2), or HOLD_NOT_FOUND: no such hold on the record',
  })
  @ApiResponse({ status: 409, description: 'HOLD_NOT_ACTIVE (R6): the hold was already released' })
  async release(
    @ArchiveCodeParam() archiveCode: string,
    @Param('holdId') holdId: string,
    @Body() body: ReleaseHoldDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.commands.execute<ExecuteRecordCommand, CommandOutcome<RecordEvent>>(
      new ExecuteRecordCommand(
        archiveCode,
        { type: 'ReleaseHold', holdId, reason: body.reason },
        { ...context, reason: body.reason },
      ),
    );
    return commandAccepted(outcome, { archiveCode, holdId });
  }
}
