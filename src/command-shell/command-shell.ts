import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../clock/clock';
import type { Actor } from '../domain-kernel/actor';
import type { Decider, DomainEvent } from '../domain-kernel/decider';
import { conflict, DomainError } from '../domain-kernel/domain-error';
import { canonicalBytes, GENESIS_HASH } from '../event-store/envelope';
import { readVerifiedStream } from '../event-store/read-verified-stream';
import { ChainMismatchError, WrongExpectedRevisionError } from '../event-store/event-store.errors';
import type {
  EventStore,
  JsonObject,
  Position,
  ProposedEvent,
  RecordedEvent,
} from '../event-store/event-store.port';

/** Who asks, why, and how the request is correlated: everything the envelope needs besides the events. */
export interface CommandContext {
  readonly actor: Actor;
  readonly reason?: string;
  /** When it happened as the actor states it; defaults to now. */
  readonly occurredAt?: Date;
  readonly correlationId: string;
  readonly causationId: string;
  /** Client-chosen key: a retried request with the same key appends nothing twice. */
  readonly idempotencyKey?: string;
}

export interface CommandRequest<Command, Event extends DomainEvent, State> {
  readonly decider: Decider<Command, Event, State>;
  readonly stream: string;
  /** Stable name of the command, part of the idempotency digest. */
  readonly commandType: string;
  readonly command: Command;
  /**
   * What the caller asked, for the idempotency digest; defaults to `command`. Set it when the
   * command also carries data the shell's caller looked up (such as the policy in force), so a
   * retry after that data changed is still recognised as the same request.
   */
  readonly digestOf?: unknown;
  readonly context: CommandContext;
  readonly schemaVersion?: number;
  /** Version of the policy the decision was taken under, recorded in the envelope. */
  readonly policyVersion?: number;
}

export interface CommandOutcome<Event extends DomainEvent> {
  readonly stream: string;
  /** The stream's revision after the command (-1: the stream still does not exist). */
  readonly revision: number;
  /** Global position reached; pass it as `?after=` to read your own write. Undefined if nothing was ever written. */
  readonly position: Position | undefined;
  readonly events: readonly Event[];
  /** True when an earlier request with the same Idempotency-Key already did this. */
  readonly replayed: boolean;
}

/**
 * The one generic command shell: read the stream, fold `evolve`, call `decide`, append with the
 * expected revision and head hash, and retry a bounded number of times when another writer got
 * there first. Nest command handlers only wire it.
 */
export class CommandShell {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly retries: number,
  ) {}

  async execute<Command, Event extends DomainEvent, State>(
    request: CommandRequest<Command, Event, State>,
  ): Promise<CommandOutcome<Event>> {
    const { decider, stream, context } = request;
    const digest = commandDigest(request.commandType, request.digestOf ?? request.command);
    const key = context.idempotencyKey === undefined ? undefined : scopedKey(context);
    for (let attempt = 0; ; attempt++) {
      const history = await readVerifiedStream(this.store, stream);

      if (key !== undefined) {
        const earlier = findEarlierOutcome<Event>(history, stream, key, digest);
        if (earlier) return earlier;
      }

      const state = history.reduce(
        (s, e) => decider.evolve(s, e as unknown as Event),
        decider.initialState(),
      );
      const now = this.clock.now();
      const events = decider.decide(request.command, state, { actor: context.actor, now });
      const head = history[history.length - 1];
      if (events.length === 0) {
        return {
          stream,
          revision: head ? head.revision : -1,
          position: head?.position,
          events,
          replayed: false,
        };
      }

      const proposed = events.map((event, index): ProposedEvent => ({
        eventId: key !== undefined ? idempotentEventId(key, stream, index) : randomUUID(),
        type: event.type,
        data: event.data as unknown as JsonObject,
        metadata: {
          actor: { id: context.actor.id, roles: [...context.actor.roles], unit: context.actor.unit },
          ...(context.reason !== undefined ? { reason: context.reason } : {}),
          occurredAt: (context.occurredAt ?? now).toISOString(),
          correlationId: context.correlationId,
          causationId: context.causationId,
          ...(request.policyVersion !== undefined ? { policyVersion: request.policyVersion } : {}),
          schemaVersion: request.schemaVersion ?? 1,
          ...(key !== undefined ? { commandDigest: digest } : {}),
        },
      }));

      try {
        const appended = await this.store.append(stream, proposed, {
          expectedRevision: head ? head.revision : 'no_stream',
          expectedHeadHash: head ? head.hash : GENESIS_HASH,
        });
        // A request racing this one with the same key stored these event ids first: read them back,
        // so that a different request under the same key is refused instead of told it succeeded.
        if (appended.replayed) continue;
        return {
          stream,
          revision: appended.nextRevision,
          position: appended.position,
          events,
          replayed: false,
        };
      } catch (error) {
        const raced = error instanceof WrongExpectedRevisionError || error instanceof ChainMismatchError;
        if (!raced) throw error;
        if (attempt >= this.retries) {
          throw conflict(
            'CONCURRENT_MODIFICATION',
            `${stream} kept changing while this command was decided (${attempt + 1} attempts); try again`,
          );
        }
      }
    }
  }
}

/** Keys belong to their caller: someone else reusing a key gets their own decision, not another person's result. */
function scopedKey(context: CommandContext): string {
  return `${context.actor.id}\n${context.idempotencyKey}`;
}

/** Digest of what was asked, so the same Idempotency-Key with a different request is caught. */
export function commandDigest(commandType: string, command: unknown): string {
  return createHash('sha256').update(canonicalBytes({ commandType, command })).digest('hex');
}

/** A deterministic UUID (v8 layout) derived from the key, the stream and the event's index. */
export function idempotentEventId(key: string, stream: string, index: number): string {
  const bytes = createHash('sha256')
    .update(`archive-ledger/idempotency\n${stream}\n${key}\n${index}`)
    .digest();
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function findEarlierOutcome<Event extends DomainEvent>(
  history: readonly RecordedEvent[],
  stream: string,
  key: string,
  digest: string,
): CommandOutcome<Event> | undefined {
  const firstId = idempotentEventId(key, stream, 0);
  const start = history.findIndex((e) => e.eventId === firstId);
  if (start < 0) return undefined;
  if (history[start].metadata.commandDigest !== digest) {
    throw new DomainError(
      'conflict',
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was already used for a different request; use a new key for a new request',
    );
  }
  let end = start;
  while (
    end + 1 < history.length &&
    history[end + 1].eventId === idempotentEventId(key, stream, end + 1 - start)
  )
    end++;
  const mine = history.slice(start, end + 1);
  return {
    stream,
    revision: history[end].revision,
    position: history[end].position,
    events: mine.map((e) => ({ type: e.type, data: e.data }) as unknown as Event),
    replayed: true,
  };
}
