import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { CommandRoute } from '../../http/command-route.decorator';
import { ArchiveCodeParam } from '../record-params';
import { CODE_PARAM, RECORD_NOT_FOUND, runRecordCommand } from '../record-routes';
import type { HoldPlaced } from '../record.events';
import { PlaceHoldDto, ReleaseHoldDto } from './holds.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class HoldsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':code/holds')
  @CommandRoute({
    roles: ['compliance_officer', 'auditor'],
    summary: '冻结 — place a legal or audit hold (R6)',
    description:
      'Appends HoldPlaced: the record is frozen (no destruction, no transfer) until the hold is released. A legal hold is placed only by a compliance officer; an audit hold by an auditor or a compliance officer. `holdId` in the answer names the hold.',
    params: [CODE_PARAM],
    responses: {
      400: 'VALIDATION_FAILED: the offending fields are listed',
      403: 'caller is neither a compliance officer nor an auditor, or HOLD_KIND_NOT_AUTHORISED: an auditor placing a legal hold',
      404: RECORD_NOT_FOUND,
      409: 'IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION',
    },
  })
  async place(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: PlaceHoldDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { kind, reason, reference } = body;
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'PlaceHold', kind, reason, ...(reference !== undefined ? { reference } : {}) },
      { ...context, reason },
    );
    const placed = outcome.events.find((e): e is HoldPlaced => e.type === 'HoldPlaced');
    return commandAccepted(outcome, { archiveCode, ...(placed ? { holdId: placed.data.holdId } : {}) });
  }

  @Post(':code/holds/:holdId/release')
  @CommandRoute({
    roles: ['compliance_officer', 'auditor'],
    summary: '解除冻结 — release a hold (R6)',
    description:
      'Appends HoldReleased with the reason. A legal hold is released only by a compliance officer; an audit hold by an auditor or a compliance officer.',
    params: [CODE_PARAM, { name: 'holdId', example: 'H1' }],
    responses: {
      400: 'VALIDATION_FAILED: the offending fields are listed',
      403: 'caller is neither a compliance officer nor an auditor, or HOLD_KIND_NOT_AUTHORISED: an auditor releasing a legal hold',
      404: 'RECORD_NOT_FOUND (A2), or HOLD_NOT_FOUND: no such hold on the record',
      409: 'HOLD_NOT_ACTIVE (R6): the hold was already released',
    },
  })
  async release(
    @ArchiveCodeParam() archiveCode: string,
    @Param('holdId') holdId: string,
    @Body() body: ReleaseHoldDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'ReleaseHold', holdId, reason: body.reason },
      { ...context, reason: body.reason },
    );
    return commandAccepted(outcome, { archiveCode, holdId });
  }
}
