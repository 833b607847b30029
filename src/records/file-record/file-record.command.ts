import type { CommandContext } from '../../command-shell/command-shell';
import type { RecordMetadata } from '../record.events';

/** 归档 — file a record. */
export class FileRecordCommand {
  constructor(
    readonly metadata: RecordMetadata,
    readonly context: CommandContext,
  ) {}
}
