import type { CommandShell } from '../command-shell/command-shell';
import type { Actor } from '../domain-kernel/actor';
import { DomainError } from '../domain-kernel/domain-error';
import type { EventStore, Position, RecordedEvent } from '../event-store/event-store.port';
import { readVerifiedStream } from '../event-store/read-verified-stream';
import type { ReadStore } from '../read-store/read-store.port';
import { describeBlocker } from '../records/destruction/destruction.rules';
import { recordStream } from '../records/archive-code';
import type { DestroyRecord } from '../records/record.commands';
import { recordDecider } from '../records/record.decider';
import {
  destructionListDecider,
  evolveDestructionList,
  type DestructionList,
  type DestructionListState,
} from './destruction-list.decider';
import {
  DESTRUCTION_STREAM_PREFIX,
  destructionListStream,
  type DestructionExecutionStarted,
  type DestructionListEvent,
} from './destruction-list.events';
import type { ElectronicContentStore } from './electronic-content';

/** Test hooks that stop the execution at a chosen point, as a crash would. */
export interface ExecutionFaults {
  /** Called before item `index` of a list is purged and destroyed; throwing stops the execution there. */
  beforeDestroy?(listId: string, archiveCode: string, index: number): void;
  /** Called after item `index` was destroyed, before the next; throwing stops the execution there. */
  afterDestroy?(listId: string, archiveCode: string, index: number): void;
}

/** How often the checkpoint moves past events that are not executions. */
const CHECKPOINT_EVERY = 500;

/**
 * The destruction execution process manager (D6). It follows the global order from its own
 * checkpoint (kept in the read store under its own name, apart from the projector's); for every
 * `DestructionExecutionStarted` it appends `Destroyed` to each listed record, then
 * `DestructionExecuted` to the list, and only then moves its checkpoint past that event.
 *
 * Crash safety: every append it makes carries an idempotency key derived from the list and the
 * record (`destruction/{listId}/{code}`), so the event ids are deterministic. After a crash it
 * starts again from the checkpoint, finds the started event again, and re-runs the list: records
 * already destroyed find their own `Destroyed` (a replay, nothing appended); the rest are
 * destroyed. No record is destroyed twice, and each record's destruction is one append, so none
 * is left half-way.
 */
export class DestructionExecutor {
  static readonly NAME = 'destruction-execution';

  constructor(
    private readonly store: EventStore,
    private readonly reads: ReadStore,
    private readonly shell: CommandShell,
    private readonly content: ElectronicContentStore,
    private readonly faults: ExecutionFaults = {},
  ) {}

  /** Catch up from the checkpoint, then follow live appends until `signal` aborts (or a fault throws). */
  async follow(signal: AbortSignal): Promise<void> {
    const checkpoint = await this.reads.checkpoint(DestructionExecutor.NAME);
    let pending: Position | undefined;
    let sinceCommit = 0;
    for await (const event of this.store.subscribeToAll({
      ...(checkpoint !== undefined ? { after: checkpoint } : {}),
      signal,
    })) {
      if (isExecutionStart(event)) {
        await this.execute(event);
        await this.commit(event.position);
        pending = undefined;
        sinceCommit = 0;
      } else {
        pending = event.position;
        if (++sinceCommit >= CHECKPOINT_EVERY) {
          await this.commit(pending);
          pending = undefined;
          sinceCommit = 0;
        }
      }
    }
    if (pending !== undefined) await this.commit(pending);
  }

  /** Carry out one started execution, or finish it after a crash. Idempotent. */
  async execute(started: RecordedEvent): Promise<void> {
    const { listId } = (started as unknown as DestructionExecutionStarted).data;
    const list = await this.readList(listId);
    if (list.status !== 'executing' || !list.execution) return;
    const { executedBy, destroyedOn, archiveCodes } = list.execution;
    const actor: Actor = { ...executedBy, roles: [...executedBy.roles] };
    const context = (key: string) => ({
      actor,
      reason: `销毁清册 ${listId}`,
      correlationId: started.metadata.correlationId,
      causationId: started.eventId,
      idempotencyKey: key,
    });
    for (const [index, archiveCode] of archiveCodes.entries()) {
      if (list.withheld.includes(archiveCode)) continue;
      this.faults.beforeDestroy?.(listId, archiveCode, index);
      const electronicContent = await this.content.purge(archiveCode);
      const command: DestroyRecord = {
        type: 'DestroyRecord',
        listId,
        destroyedOn,
        policyVersion: list.policy.version,
        signatures: list.signatures,
        witnesses: witnessesOf(list),
        electronicContent,
      };
      try {
        await this.shell.execute({
          decider: recordDecider,
          stream: recordStream(archiveCode),
          commandType: 'DestroyRecord',
          command,
          digestOf: { listId, archiveCode },
          context: context(`destruction/${listId}/${archiveCode}`),
        });
      } catch (error) {
        // Transient failures (a store error, a record that kept changing) stop the run; it is retried.
        if (!(error instanceof DomainError) || error.code === 'CONCURRENT_MODIFICATION') throw error;
        // D1 refused this record after execution began (a hold or loan placed meanwhile): record it.
        const { rule, code, message } = describeBlocker(error);
        await this.shell.execute({
          decider: destructionListDecider,
          stream: destructionListStream(listId),
          commandType: 'WithholdDestructionItem',
          command: { type: 'WithholdDestructionItem', archiveCode, rule, code, message },
          context: context(`destruction/${listId}/withheld/${archiveCode}`),
        });
      }
      this.faults.afterDestroy?.(listId, archiveCode, index);
    }
    await this.shell.execute({
      decider: destructionListDecider,
      stream: destructionListStream(listId),
      commandType: 'CompleteDestructionExecution',
      command: { type: 'CompleteDestructionExecution' },
      context: context(`destruction/${listId}/executed`),
    });
  }

  private async readList(listId: string): Promise<DestructionList> {
    const history = await readVerifiedStream(this.store, destructionListStream(listId));
    return history.reduce(
      (state, e) => evolveDestructionList(state, e as unknown as DestructionListEvent),
      destructionListDecider.initialState(),
    );
  }

  private commit(position: Position): Promise<void> {
    return this.reads.commit(DestructionExecutor.NAME, { upserts: [], deletes: [] }, position);
  }
}

function isExecutionStart(event: RecordedEvent): boolean {
  return event.type === 'DestructionExecutionStarted' && event.stream.startsWith(DESTRUCTION_STREAM_PREFIX);
}

/** The witnesses a destroyed record cites: every check recorded before execution (D5, D6). */
export function witnessesOf(list: DestructionListState): DestroyRecord['witnesses'] {
  return list.witnessChecks.map(({ capacity, witness }) => ({ capacity, witness }));
}
