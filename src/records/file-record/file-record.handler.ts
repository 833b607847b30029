import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../clock/clock';
import { CommandShell, type CommandOutcome } from '../../command-shell/command-shell';
import { conflict, DomainError } from '../../domain-kernel/domain-error';
import { StreamNotFoundError } from '../../event-store/event-store.errors';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { ARCHIVE_CODE_PATTERN, archiveSequenceStream, MAX_SEQUENCE, recordStream } from '../archive-code';
import { recordDecider } from '../record.decider';
import type { RecordEvent, RecordMetadata } from '../record.events';
import { archiveSequenceDecider, type ArchiveSequenceEvent } from './archive-sequence.decider';
import { FileRecordCommand } from './file-record.command';

/** How many times a filing looks for a new number when codes filed by hand keep taking them. */
const ASSIGNMENT_ATTEMPTS = 5;

/**
 * 归档. With a full archive code the record is filed under it; with a prefix
 * (`Z001-WS-2024-D30-BGS`) the next free sequence number is assigned first (F2) from the
 * prefix's own stream, so numbers are never handed out twice.
 */
@CommandHandler(FileRecordCommand)
export class FileRecordHandler implements ICommandHandler<FileRecordCommand, CommandOutcome<RecordEvent>> {
  constructor(
    @Inject(CommandShell) private readonly shell: CommandShell,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: FileRecordCommand): Promise<CommandOutcome<RecordEvent>> {
    if (ARCHIVE_CODE_PATTERN.test(command.metadata.archiveCode)) return this.file(command.metadata, command);
    return this.oneAtATime(command.metadata.archiveCode, () => this.fileUnderNextSequence(command));
  }

  /** Filings under one prefix take their turn in this process, so they do not race for the same number. */
  private readonly queues = new Map<string, Promise<unknown>>();

  private async oneAtATime<T>(prefix: string, work: () => Promise<T>): Promise<T> {
    const before = this.queues.get(prefix) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(prefix, settled);
    try {
      return await mine;
    } finally {
      if (this.queues.get(prefix) === settled) this.queues.delete(prefix);
    }
  }

  private file(
    metadata: RecordMetadata,
    { context }: FileRecordCommand,
  ): Promise<CommandOutcome<RecordEvent>> {
    return this.shell.execute({
      decider: recordDecider,
      stream: recordStream(metadata.archiveCode),
      commandType: 'FileRecord',
      command: { type: 'FileRecord', metadata },
      context,
    });
  }

  private async fileUnderNextSequence(command: FileRecordCommand): Promise<CommandOutcome<RecordEvent>> {
    const { metadata, context } = command;
    const prefix = metadata.archiveCode;
    // Every rule is checked before a number is taken, so a refused filing writes nothing.
    recordDecider.decide(
      { type: 'FileRecord', metadata: { ...metadata, archiveCode: `${prefix}-0001` } },
      recordDecider.initialState(),
      { actor: context.actor, now: this.clock.now() },
    );
    for (let attempt = 1; ; attempt++) {
      const firstFree = await this.firstFreeSequence(prefix);
      const assigned = await this.shell.execute({
        decider: archiveSequenceDecider,
        stream: archiveSequenceStream(prefix),
        commandType: 'AssignSequence',
        command: { type: 'AssignSequence', prefix, firstFree },
        digestOf: { metadata },
        context,
      });
      const [event] = assigned.events as readonly ArchiveSequenceEvent[];
      try {
        return await this.file({ ...metadata, archiveCode: event.data.archiveCode }, command);
      } catch (error) {
        // Someone filed that code by hand in the meantime: take the next number (a gap, never a reuse).
        const taken = error instanceof DomainError && error.code === 'ARCHIVE_CODE_TAKEN';
        if (!taken || assigned.replayed) throw error;
        if (attempt >= ASSIGNMENT_ATTEMPTS) {
          throw conflict(
            'CONCURRENT_MODIFICATION',
            `codes under ${prefix} kept being taken while one was assigned (${attempt} attempts); try again`,
          );
        }
      }
    }
  }

  /** The lowest number after the last one assigned whose record does not exist yet. */
  private async firstFreeSequence(prefix: string): Promise<number> {
    let next = (await this.lastAssigned(prefix)) + 1;
    while (next <= MAX_SEQUENCE && (await this.recordExists(`${prefix}-${String(next).padStart(4, '0')}`)))
      next++;
    return next;
  }

  private async lastAssigned(prefix: string): Promise<number> {
    try {
      const [last] = await this.store.readStream(archiveSequenceStream(prefix), {
        direction: 'backwards',
        limit: 1,
      });
      return last ? Number(last.data.sequence) : 0;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 0;
      throw error;
    }
  }

  private async recordExists(archiveCode: string): Promise<boolean> {
    try {
      return (await this.store.readStream(recordStream(archiveCode), { limit: 1 })).length > 0;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return false;
      throw error;
    }
  }
}
