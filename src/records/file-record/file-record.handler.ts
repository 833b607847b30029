import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandShell, type CommandOutcome } from '../../command-shell/command-shell';
import { recordStream } from '../archive-code';
import { recordDecider } from '../record.decider';
import type { RecordEvent } from '../record.events';
import { FileRecordCommand } from './file-record.command';

@CommandHandler(FileRecordCommand)
export class FileRecordHandler implements ICommandHandler<FileRecordCommand, CommandOutcome<RecordEvent>> {
  constructor(@Inject(CommandShell) private readonly shell: CommandShell) {}

  execute({ metadata, context }: FileRecordCommand): Promise<CommandOutcome<RecordEvent>> {
    return this.shell.execute({
      decider: recordDecider,
      stream: recordStream(metadata.archiveCode),
      commandType: 'FileRecord',
      command: { type: 'FileRecord', metadata },
      context,
    });
  }
}
