import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../clock/clock';
import { CommandShell, type CommandContext, type CommandOutcome } from '../command-shell/command-shell';
import type { Classification } from '../domain-kernel/actor';
import { DomainError, notFound } from '../domain-kernel/domain-error';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { readVerifiedStream } from '../event-store/read-verified-stream';
import { ProjectionFreshness } from '../projections/projection-freshness';
import { finishListed, resumeUnfinished, type UnfinishedWork } from '../projections/resume-unfinished';
import { TRANSFER_REGISTER } from '../projections/read-models/transfer-register.read-model';
import { READ_STORE, type ReadStore } from '../read-store/read-store.port';
import { recordStream } from '../records/archive-code';
import { transferBlockers } from '../records/custody/custody.rules';
import { runRecordCommand } from '../records/record-routes';
import type { RecordEvent } from '../records/record.events';
import { requireVisibleRecord } from '../records/record.rules';
import { evolveRecord, type RecordState } from '../records/record.state';
import { listNumberingDecider } from './list-numbering.decider';
import {
  blockerOf,
  transferDecider,
  type TransferCommand,
  type TransferItemCheck,
  type TransferList,
  type TransferState,
} from './transfer.decider';
import type { TransferEvent, TransferItemFacts, WithheldItem } from './transfer.events';
import { transferIdFor, transferNumberingStream, transferStream } from './transfer.stream';

/** What a caller gives when drafting a list. */
export interface TransferDraft {
  readonly receiver: { readonly organisation: string; readonly representative: string };
  readonly basis: string;
}

export interface CompletionResult {
  readonly outcome: CommandOutcome<TransferEvent>;
  readonly transferred: readonly string[];
  readonly withheld: readonly WithheldItem[];
}

/** Context of a completion resumed at start: no request, so it correlates by the list. */
function resumeContext(transferId: string): Omit<CommandContext, 'actor'> {
  return { correlationId: `resume-${transferId}`, causationId: `resume-${transferId}` };
}

/**
 * 移交 (X1): runs the transfer list's commands through the command shell, looking up what the pure
 * decider needs from the records' own streams, and carries a signed list out: `Transferred` on
 * every record, then `TransferCompleted`. A completion interrupted by a crash is finished when the
 * service starts again.
 */
@Injectable()
export class TransferService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Transfer');
  private readonly abort = new AbortController();
  private resuming: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommandShell) private readonly shell: CommandShell,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly freshness: ProjectionFreshness,
    private readonly commands: CommandBus,
  ) {}

  onApplicationBootstrap(): void {
    this.resuming = this.resumeWhenCaughtUp().catch((error: unknown) => {
      if (!this.abort.signal.aborted)
        this.logger.error({ err: error }, 'resuming transfer completions failed');
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.resuming;
  }

  async draft(draft: TransferDraft, context: CommandContext): Promise<CommandOutcome<TransferEvent>> {
    // Every rule is checked before a number is taken, so a refused draft writes nothing.
    const probe: TransferCommand = { type: 'DraftTransferList', transferId: 'TR-0000-0000', ...draft };
    transferDecider.decide(probe, transferDecider.initialState(), {
      actor: context.actor,
      now: this.clock.now(),
    });
    const year = this.clock.now().getUTCFullYear();
    const numbered = await this.shell.execute({
      decider: listNumberingDecider,
      stream: transferNumberingStream(year),
      commandType: 'TakeListNumber',
      command: { type: 'TakeListNumber' },
      context,
    });
    const number = numbered.events[0]?.data.number;
    if (number === undefined) throw new Error('no transfer list number was taken');
    const transferId = transferIdFor(year, number);
    return this.run(transferId, { type: 'DraftTransferList', transferId, ...draft }, context);
  }

  async addItem(transferId: string, archiveCode: string, context: CommandContext) {
    const record = requireVisibleRecord(await this.readRecord(archiveCode), context.actor);
    const m = record.metadata;
    const item: TransferItemFacts = {
      archiveCode: m.archiveCode,
      title: m.title,
      documentNumber: m.documentNumber ?? null,
      responsibleParty: m.responsibleParty,
      dateFormed: m.dateFormed,
      retentionClass: m.retentionClass,
      classification: m.classification,
      shelfLocation: m.shelfLocation,
      itemCount: m.itemCount,
    };
    const check = await this.check(archiveCode, record);
    return this.run(transferId, { type: 'AddTransferItem', item, check }, context, { archiveCode });
  }

  removeItem(transferId: string, archiveCode: string, reason: string, context: CommandContext) {
    return this.run(transferId, { type: 'RemoveTransferItem', archiveCode, reason }, context);
  }

  /**
   * X1 with F6: the security officer decides the classification the record leaves with. A change
   * is first made on the record itself (ClassificationChanged, F6), then recorded on the list.
   */
  async review(
    transferId: string,
    archiveCode: string,
    review: { readonly to: Classification; readonly grounds: string },
    context: CommandContext,
  ): Promise<CommandOutcome<TransferEvent>> {
    const command: TransferCommand = { type: 'ReviewTransferClassification', archiveCode, ...review };
    // Refused on the list (signed, not listed, no clearance …)? Then the record is not touched either.
    transferDecider.decide(command, await this.load(transferId), {
      actor: context.actor,
      now: this.clock.now(),
    });
    const record = requireVisibleRecord(await this.readRecord(archiveCode), context.actor);
    if (record.metadata.classification !== review.to) {
      await runRecordCommand(
        this.commands,
        archiveCode,
        { type: 'ChangeClassification', to: review.to, grounds: review.grounds },
        { ...context, reason: review.grounds },
      );
    }
    return this.run(transferId, command, { ...context, reason: review.grounds });
  }

  async signAsTransferor(transferId: string, opinion: string | undefined, context: CommandContext) {
    const checks = await this.checkAll(await this.load(transferId));
    return this.run(
      transferId,
      { type: 'SignAsTransferor', ...(opinion !== undefined ? { opinion } : {}), checks },
      context,
    );
  }

  async recordReceiverSignature(
    transferId: string,
    signature: { readonly receiptReference: string; readonly signedOn: string },
    context: CommandContext,
  ) {
    const checks = await this.checkAll(await this.load(transferId));
    return this.run(transferId, { type: 'RecordReceiverSignature', ...signature, checks }, context);
  }

  cancel(transferId: string, reason: string, context: CommandContext) {
    return this.run(transferId, { type: 'CancelTransferList', reason }, { ...context, reason });
  }

  /**
   * 执行移交: checks every item again, starts the completion (TransferCompletionStarted), then
   * transfers each record and completes the list. Sent again, it finishes what was started.
   */
  async complete(transferId: string, context: CommandContext): Promise<CompletionResult> {
    const state = await this.load(transferId);
    const checks = state.status === 'completing' ? [] : await this.checkAll(state);
    await this.run(transferId, { type: 'StartTransferCompletion', checks }, context);
    return this.finish(transferId, context);
  }

  /**
   * Lists whose completion started but did not finish (the service stopped in between), finished
   * now under the identity of the person who started each. Returns the lists finished.
   */
  async resumePending(): Promise<string[]> {
    return finishListed(this.unfinished());
  }

  private async resumeWhenCaughtUp(): Promise<void> {
    await resumeUnfinished(this.unfinished());
  }

  /** Lists whose completion started and did not end: the register shows them as `completing`. */
  private unfinished(): UnfinishedWork {
    return {
      store: this.store,
      reads: this.reads,
      freshness: this.freshness,
      collection: TRANSFER_REGISTER,
      filter: { status: 'completing' },
      sort: { field: 'draftedAt', direction: 'asc' },
      finish: async (transferId) => {
        await this.finish(transferId, resumeContext(transferId));
        this.logger.log({ transferId }, 'finished a transfer completion interrupted earlier');
      },
      signal: this.abort.signal,
    };
  }

  /** Transfers each record of a list whose completion started, then completes the list. */
  private async finish(
    transferId: string,
    request: Omit<CommandContext, 'actor'>,
  ): Promise<CompletionResult> {
    const list = await this.load(transferId);
    const completion = list.completion;
    if (!completion || !list.transferor || !list.receiverSignature) {
      throw new Error(`transfer list ${transferId} has not started completion`);
    }
    const executor = completion.executor;
    const context: CommandContext = {
      actor: { ...executor, roles: [...executor.roles] },
      correlationId: request.correlationId,
      causationId: request.causationId,
      reason: `移交 ${transferId} → ${list.receiver.organisation}`,
      // Deterministic event ids per (list, record): a resumed completion appends nothing twice.
      idempotencyKey: `transfer-${transferId}`,
    };
    const transferred: string[] = [];
    const withheld: WithheldItem[] = [];
    for (const archiveCode of completion.archiveCodes) {
      try {
        await runRecordCommand(
          this.commands,
          archiveCode,
          {
            type: 'TransferRecord',
            transferId,
            receiver: list.receiver,
            receiptReference: list.receiverSignature.receiptReference,
            approvedBy: list.transferor.signer,
          },
          context,
        );
        transferred.push(archiveCode);
      } catch (error) {
        // A rule refused it after the checks (a hold placed in between, say): it stays with us.
        if (!(error instanceof DomainError)) throw error;
        withheld.push({
          archiveCode,
          code: error.code,
          rule: error.details.rule ?? null,
          message: error.message,
        });
      }
    }
    const outcome = await this.run(
      transferId,
      { type: 'FinishTransferCompletion', transferred, withheld },
      { ...context, idempotencyKey: undefined },
    );
    return { outcome, transferred, withheld };
  }

  private run(
    transferId: string,
    command: TransferCommand,
    context: CommandContext,
    digestOf?: unknown,
  ): Promise<CommandOutcome<TransferEvent>> {
    return this.shell.execute({
      decider: transferDecider,
      stream: transferStream(transferId),
      commandType: command.type,
      command,
      // The idempotency digest covers what was asked, not the facts looked up.
      digestOf: digestOf ?? stripLookups(command),
      context,
    });
  }

  private async load(transferId: string): Promise<TransferList> {
    const history = await readVerifiedStream(this.store, transferStream(transferId));
    const state = history.reduce<TransferState>(
      (s, e) => transferDecider.evolve(s, e as unknown as TransferEvent),
      transferDecider.initialState(),
    );
    if (state.status === 'none') throw notFound('TRANSFER_NOT_FOUND', `No transfer list ${transferId}`);
    return state;
  }

  private async readRecord(archiveCode: string): Promise<RecordState> {
    const history = await readVerifiedStream(this.store, recordStream(archiveCode));
    return history.reduce<RecordState>((s, e) => evolveRecord(s, e as unknown as RecordEvent), {
      status: 'not_filed',
    });
  }

  private async check(archiveCode: string, known?: RecordState): Promise<TransferItemCheck> {
    const record = known ?? (await this.readRecord(archiveCode));
    if (record.status !== 'filed') {
      return {
        archiveCode,
        classification: 'PUBLIC',
        blockers: [blockerOf(notFound('RECORD_NOT_FOUND', `${archiveCode} is not filed`))],
      };
    }
    return {
      archiveCode,
      classification: record.metadata.classification,
      blockers: transferBlockers(record).map(blockerOf),
    };
  }

  private checkAll(list: TransferList): Promise<TransferItemCheck[]> {
    return Promise.all(list.items.map((i) => this.check(i.facts.archiveCode)));
  }
}

/** The command without what the service looked up (record facts and checks). */
function stripLookups(command: TransferCommand): unknown {
  const {
    check: _check,
    checks: _checks,
    item,
    ...asked
  } = command as unknown as Record<string, unknown> & {
    item?: { archiveCode: string };
  };
  return item ? { ...asked, archiveCode: item.archiveCode } : asked;
}
