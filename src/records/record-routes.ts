import type { CommandBus } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../command-shell/command-shell';
import { ExecuteRecordCommand } from './record-command.handler';
import type { RecordCommandRequest } from './record.commands';
import type { RecordEvent } from './record.events';

/** The `:code` path parameter of a record route, as the OpenAPI document shows it. */
export const CODE_PARAM = {
  name: 'code',
  example: 'Z001-WS-2024-D30-BGS-0007',
  description: '档号',
} as const;

/** The 404 of a route on one record. */
export const RECORD_NOT_FOUND = 'RECORD_NOT_FOUND: no such record visible to the caller (A2)';

/** Runs one command on the record `archiveCode` (see `RecordCommandHandler`). */
export function runRecordCommand(
  commands: CommandBus,
  archiveCode: string,
  request: RecordCommandRequest,
  context: CommandContext,
): Promise<CommandOutcome<RecordEvent>> {
  return commands.execute<ExecuteRecordCommand, CommandOutcome<RecordEvent>>(
    new ExecuteRecordCommand(archiveCode, request, context),
  );
}
