import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { CommandShell, type CommandContext, type CommandOutcome } from '../command-shell/command-shell';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { readVerifiedStream } from '../event-store/read-verified-stream';
import { recordStream } from '../records/archive-code';
import type { RecordEvent } from '../records/record.events';
import { evolveRecord, type RecordState } from '../records/record.state';
import {
  destructionListDecider,
  evolveDestructionList,
  type DestructionList,
  type DestructionListCommand,
} from './destruction-list.decider';
import { destructionListStream, type DestructionListEvent } from './destruction-list.events';
import { DestructionSigningPolicyService } from './destruction-signing-policy.service';

/** What a caller sends: the handler adds what the decider needs to read from elsewhere. */
export type DestructionListRequest =
  | { readonly type: 'DraftDestructionList'; readonly title: string; readonly businessUnit: string }
  | { readonly type: 'AddDestructionItem'; readonly archiveCode: string }
  | { readonly type: 'StartDestructionExecution' }
  | Exclude<
      DestructionListCommand,
      | { type: 'DraftDestructionList' }
      | { type: 'AddDestructionItem' }
      | { type: 'StartDestructionExecution' }
    >;

/**
 * Runs destruction list commands through the command shell on `destruction-{listId}`. It reads
 * what the pure decider needs from other streams first: the signing policy in force (drafting),
 * and the records' own states (adding an item, ordering execution: D1 is decided on each record's
 * history, not on a read model).
 */
@Injectable()
export class DestructionListService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommandShell) private readonly shell: CommandShell,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: DestructionSigningPolicyService,
  ) {}

  /** 编制 — draft a new list; its id is derived from the Idempotency-Key when one is sent, so a retry finds it. */
  async draft(
    request: { readonly title: string; readonly businessUnit: string },
    context: CommandContext,
  ): Promise<CommandOutcome<DestructionListEvent> & { listId: string }> {
    const listId = this.newListId(context);
    const policy = await this.policies.current();
    const outcome = await this.shell.execute({
      decider: destructionListDecider,
      stream: destructionListStream(listId),
      commandType: 'DraftDestructionList',
      command: { type: 'DraftDestructionList', listId, ...request, policy },
      digestOf: { type: 'DraftDestructionList', ...request },
      context,
      policyVersion: policy.version,
    });
    return { ...outcome, listId };
  }

  async run(
    listId: string,
    request: Exclude<DestructionListRequest, { type: 'DraftDestructionList' }>,
    context: CommandContext,
  ): Promise<CommandOutcome<DestructionListEvent>> {
    let command: DestructionListCommand;
    if (request.type === 'AddDestructionItem') {
      command = { ...request, record: await this.recordState(request.archiveCode) };
    } else if (request.type === 'StartDestructionExecution') {
      const list = await this.list(listId);
      const codes = list.status === 'none' ? [] : list.items.map((i) => i.archiveCode);
      const records = await Promise.all(
        codes.map(async (archiveCode) => ({ archiveCode, record: await this.recordState(archiveCode) })),
      );
      command = { type: 'StartDestructionExecution', records };
    } else {
      command = request;
    }
    return this.shell.execute({
      decider: destructionListDecider,
      stream: destructionListStream(listId),
      commandType: request.type,
      command,
      digestOf: request,
      context,
    });
  }

  /** The list folded from its stream (verified). */
  async list(listId: string): Promise<DestructionList> {
    const history = await readVerifiedStream(this.store, destructionListStream(listId));
    return history.reduce(
      (state, e) => evolveDestructionList(state, e as unknown as DestructionListEvent),
      destructionListDecider.initialState(),
    );
  }

  /** A record folded from its own stream (verified); `not_filed` when there is none. */
  async recordState(archiveCode: string): Promise<RecordState> {
    const history = await readVerifiedStream(this.store, recordStream(archiveCode));
    return history.reduce((state, e) => evolveRecord(state, e as unknown as RecordEvent), {
      status: 'not_filed',
    } as RecordState);
  }

  private newListId(context: CommandContext): string {
    const day = this.clock.now().toISOString().slice(0, 10).replace(/-/g, '');
    const suffix =
      context.idempotencyKey !== undefined
        ? createHash('sha256')
            .update(`archive-ledger/destruction-list\n${context.actor.id}\n${context.idempotencyKey}`)
            .digest('hex')
            .slice(0, 8)
        : randomBytes(4).toString('hex');
    return `XH-${day}-${suffix.toUpperCase()}`;
  }
}
