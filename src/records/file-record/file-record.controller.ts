import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext, CommandOutcome } from '../../command-shell/command-shell';
import { CommandContextFrom } from '../../http/command-context.decorator';
import { commandAccepted, CommandAcceptedDto } from '../../http/command-accepted';
import { CommandRoute } from '../../http/command-route.decorator';
import type { ArchiveFiled, RecordEvent, RecordMetadata } from '../record.events';
import { FileRecordCommand } from './file-record.command';
import { FileRecordDto } from './file-record.dto';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class FileRecordController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @CommandRoute({
    roles: ['archivist'],
    summary: '归档 — file a record (F1–F3, F6)',
    description:
      'Appends ArchiveFiled to record-{archiveCode}; a code already used is refused (F2). Send an archive code without its sequence to be assigned the next free one; `archiveCode` in the answer names the code filed.',
    responses: {
      400: 'VALIDATION_FAILED: the offending fields are listed',
      403: 'caller is not an archivist',
      409: 'ARCHIVE_CODE_TAKEN (F2) or IDEMPOTENCY_KEY_REUSED',
      422: 'a rule (F2, F3) refuses the record; `rule` names it',
    },
  })
  async file(
    @Body() body: FileRecordDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const { reason, ...fields } = body;
    const metadata: RecordMetadata = {
      ...fields,
      keywords: fields.keywords ?? [],
      isOriginal: fields.isOriginal ?? true,
    };
    const outcome = await this.commands.execute<FileRecordCommand, CommandOutcome<RecordEvent>>(
      new FileRecordCommand(metadata, { ...context, ...(reason !== undefined ? { reason } : {}) }),
    );
    const filed = outcome.events.find((e): e is ArchiveFiled => e.type === 'ArchiveFiled');
    return commandAccepted(outcome, filed ? { archiveCode: filed.data.archiveCode } : {});
  }
}
