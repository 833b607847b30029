import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../../auth/require-roles.decorator';
import type { CommandContext, CommandOutcome } from '../../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { ExecuteRecordCommand } from '../record-command.handler';
import { ArchiveCodeParam } from '../record-params';
import type { MetadataChanges, MetadataCorrectionProposed, RecordEvent } from '../record.events';
import { DecideCorrectionDto, ProposeCorrectionDto } from './corrections.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class CorrectionsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':code/corrections')
  @HttpCode(201)
  @RequireRoles('archivist')
  @ApiOperation({
    summary: '修改 — propose a metadata correction (F5)',
    description:
      'Metadata is never edited in place. Appends MetadataCorrectionProposed with the fields before and after and the reason; the archive department head then approves or rejects it. One correction may wait at a time. `correctionId` in the answer names it.',
  })
  @ApiParam({ name: 'code', example: 'Z001-WS-2024-D30-BGS-0007', description: '档号' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'retrying with the same key appends nothing twice',
  })
  @ApiResponse({ status: 201, type: CommandAcceptedDto })
  @ApiResponse({
    status: 400,
    description:
      'VALIDATION_FAILED (unknown or malformed fields, a required field cleared), NO_CHANGE (nothing to change, or a value equal to the current one); the offending fields are listed',
  })
  @ApiResponse({ status: 401, description: 'missing or invalid bearer token' })
  @ApiResponse({ status: 403, description: 'caller is not an archivist' })
  @ApiResponse({ status: 404, description: 'RECORD_NOT_FOUND: no such record visible to the caller (A2)' })
  @ApiResponse({
    status: 409,
    description:
      'CORRECTION_PENDING (F5): another correction waits for a decision; or IDEMPOTENCY_KEY_REUSED',
  })
  async propose(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: ProposeCorrectionDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const changes = Object.fromEntries(
      Object.entries(body.changes).filter(([, value]) => value !== undefined),
    ) as MetadataChanges;
    const outcome = await this.commands.execute<ExecuteRecordCommand, CommandOutcome<RecordEvent>>(
      new ExecuteRecordCommand(
        archiveCode,
        { type: 'ProposeCorrection', changes, reason: body.reason },
        { ...context, reason: body.reason },
      ),
    );
    const proposed = outcome.events.find(
      (e): e is MetadataCorrectionProposed => e.type === 'MetadataCorrectionProposed',
    );
    return commandAccepted(outcome, {
      archiveCode,
      ...(proposed ? { correctionId: proposed.data.correctionId } : {}),
    });
  }

  @Post(':code/corrections/:correctionId/decision')
  @HttpCode(201)
  @RequireRoles('archive_department_head')
  @ApiOperation({
    summary: '修改审批 — approve or reject a metadata correction (F5)',
    description:
      'Approving appends MetadataCorrected (the modification ledger entry: fields before and after, the reason, who proposed and who approved) and applies it; rejecting appends MetadataCorrectionRejected with the reason, which is then required. Nobody decides their own correction.',
  })
  @ApiParam({ name: 'code', example: 'Z001-WS-2024-D30-BGS-0007', description: '档号' })
  @ApiParam({ name: 'correctionId', example: 'C1' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'retrying with the same key appends nothing twice',
  })
  @ApiResponse({ status: 201, type: CommandAcceptedDto })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION_FAILED: the offending fields are listed (a rejection needs a reason)',
  })
  @ApiResponse({ status: 401, description: 'missing or invalid bearer token' })
  @ApiResponse({ status: 403, description: 'caller is not the archive department head' })
  @ApiResponse({
    status: 404,
    description: 'RECORD_NOT_FOUND (A2), or CORRECTION_NOT_FOUND: no such correction waits for a decision',
  })
  @ApiResponse({
    status: 409,
    description: 'CORRECTION_ALREADY_DECIDED (F5), or IDEMPOTENCY_KEY_REUSED',
  })
  @ApiResponse({
    status: 422,
    description: 'SELF_APPROVAL (F5): the proposer cannot decide their own correction',
  })
  async decide(
    @ArchiveCodeParam() archiveCode: string,
    @Param('correctionId') correctionId: string,
    @Body() body: DecideCorrectionDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { decision, reason } = body;
    const outcome = await this.commands.execute<ExecuteRecordCommand, CommandOutcome<RecordEvent>>(
      new ExecuteRecordCommand(
        archiveCode,
        { type: 'DecideCorrection', correctionId, decision, ...(reason !== undefined ? { reason } : {}) },
        { ...context, ...(reason !== undefined ? { reason } : {}) },
      ),
    );
    return commandAccepted(outcome, { archiveCode, correctionId });
  }
}
