import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { LoanApprovalPolicyService } from '../approval-policy/loan-approval-policy.service';
import { CommandShell, type CommandContext, type CommandOutcome } from '../command-shell/command-shell';
import { recordStream } from './archive-code';
import type { RecordCommand, RecordCommandRequest } from './record.commands';
import { recordDecider } from './record.decider';
import type { RecordEvent } from './record.events';

/** Run one command on the record `archiveCode` (every record command except filing, which assigns codes). */
export class ExecuteRecordCommand {
  constructor(
    readonly archiveCode: string,
    readonly request: RecordCommandRequest,
    readonly context: CommandContext,
  ) {}
}

/**
 * The one command handler for record commands: it adds the approval policy in force to the
 * commands that need it (B3), then runs the command shell on `record-{archiveCode}`.
 */
@CommandHandler(ExecuteRecordCommand)
export class RecordCommandHandler implements ICommandHandler<
  ExecuteRecordCommand,
  CommandOutcome<RecordEvent>
> {
  constructor(
    @Inject(CommandShell) private readonly shell: CommandShell,
    @Inject(LoanApprovalPolicyService) private readonly policies: LoanApprovalPolicyService,
  ) {}

  async execute({
    archiveCode,
    request,
    context,
  }: ExecuteRecordCommand): Promise<CommandOutcome<RecordEvent>> {
    let command: RecordCommand;
    let policyVersion: number | undefined;
    if (request.type === 'RequestLoan' || request.type === 'RequestRenewal') {
      const policy = await this.policies.current();
      command = { ...request, policy } as RecordCommand;
      policyVersion = policy.version;
    } else {
      command = request;
    }
    return this.shell.execute({
      decider: recordDecider,
      stream: recordStream(archiveCode),
      commandType: request.type,
      command,
      digestOf: request,
      context,
      ...(policyVersion !== undefined ? { policyVersion } : {}),
    });
  }
}
