import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { CommandRoute } from '../../http/command-route.decorator';
import { ArchiveCodeParam } from '../record-params';
import { CODE_PARAM, RECORD_NOT_FOUND, runRecordCommand } from '../record-routes';
import { FoundAgainDto } from './custody.dto';

/** X2 outside a stock-take: an archivist reports a missing record found. */
@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class CustodyController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':code/found-again')
  @CommandRoute({
    roles: ['archivist'],
    summary: '找回 — report a record flagged missing found again (X2)',
    description:
      'Appends FoundAgain: the record is no longer flagged missing, in the catalogue (`status=missing`) too. A later stock-take that finds it does the same. Where it belongs is its shelf location; if that is wrong, correct it (F5).',
    params: [CODE_PARAM],
    responses: {
      400: 'VALIDATION_FAILED',
      404: RECORD_NOT_FOUND,
      409: 'RECORD_NOT_MISSING (X2): the record is not flagged missing',
      422: 'RECORD_TRANSFERRED (X1): the record left custody',
    },
  })
  async foundAgain(
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: FoundAgainDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await runRecordCommand(
      this.commands,
      archiveCode,
      {
        type: 'RecordFoundAgain',
        location: body.location,
        ...(body.note !== undefined ? { note: body.note } : {}),
      },
      { ...context, ...(body.note !== undefined ? { reason: body.note } : {}) },
    );
    return commandAccepted(outcome, { archiveCode });
  }
}
