import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { CommandRoute } from '../../http/command-route.decorator';
import { ArchiveCodeParam } from '../record-params';
import { CODE_PARAM, RECORD_NOT_FOUND, runRecordCommand } from '../record-routes';
import type { MetadataChanges, MetadataCorrectionProposed } from '../record.events';
import { DecideCorrectionDto, ProposeCorrectionDto } from './corrections.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class CorrectionsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':code/corrections')
  @CommandRoute({
    roles: ['archivist'],
    summary: '修改 — propose a metadata correction (F5)',
    description:
      'Metadata is never edited in place. Appends MetadataCorrectionProposed with the fields before and after and the reason; the archive department head then approves or rejects it. One correction may wait at a time. `correctionId` in the answer names it.',
    params: [CODE_PARAM],
    responses: {
      400: 'VALIDATION_FAILED (unknown or malformed fields, a required field cleared), NO_CHANGE (nothing to change, or a value equal to the current one); the offending fields are listed',
      403: 'caller is not an archivist',
      404: RECORD_NOT_FOUND,
      409: 'CORRECTION_PENDING (F5): another correction waits for a decision; or IDEMPOTENCY_KEY_REUSED',
    },
  })
  async propose(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: ProposeCorrectionDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const changes = Object.fromEntries(
      Object.entries(body.changes).filter(([, value]) => value !== undefined),
    ) as MetadataChanges;
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'ProposeCorrection', changes, reason: body.reason },
      { ...context, reason: body.reason },
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
  @CommandRoute({
    roles: ['archive_department_head'],
    summary: '修改审批 — approve or reject a metadata correction (F5)',
    description:
      'Approving appends MetadataCorrected (the modification ledger entry: fields before and after, the reason, who proposed and who approved) and applies it; rejecting appends MetadataCorrectionRejected with the reason, which is then required. Nobody decides their own correction.',
    params: [CODE_PARAM, { name: 'correctionId', example: 'C1' }],
    responses: {
      400: 'VALIDATION_FAILED: the offending fields are listed (a rejection needs a reason)',
      403: 'caller is not the archive department head',
      404: 'RECORD_NOT_FOUND (A2), or CORRECTION_NOT_FOUND: no such correction waits for a decision',
      409: 'CORRECTION_ALREADY_DECIDED (F5), or IDEMPOTENCY_KEY_REUSED',
      422: 'SELF_APPROVAL (F5): the proposer cannot decide their own correction',
    },
  })
  async decide(
    @ArchiveCodeParam() archiveCode: string,
    @Param('correctionId') correctionId: string,
    @Body() body: DecideCorrectionDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { decision, reason } = body;
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      { type: 'DecideCorrection', correctionId, decision, ...(reason !== undefined ? { reason } : {}) },
      { ...context, ...(reason !== undefined ? { reason } : {}) },
    );
    return commandAccepted(outcome, { archiveCode, correctionId });
  }
}
