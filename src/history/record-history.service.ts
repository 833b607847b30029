import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { CommandShell, type CommandContext } from '../command-shell/command-shell';
import { classificationRank, type Actor, type Classification } from '../domain-kernel/actor';
import { DomainError, invalid, notFound, type FieldProblem } from '../domain-kernel/domain-error';
import { readVerifiedStream } from '../event-store/read-verified-stream';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { accessDecider, viewIsRegistered } from '../records/access/access.decider';
import type { AccessView } from '../records/access/access.events';
import { accessStream } from '../records/access/access.stream';
import { recordStream } from '../records/archive-code';
import { summarise } from './domain/record-event-summaries';
import {
  classificationsOf,
  historyEntry,
  stricter,
  type StoredRecordEvent,
  type StreamClassifications,
} from './domain/record-history';
import { DEFAULT_TIME_BASIS, replayTo, type AsOf } from './domain/state-at';
import {
  HISTORY_PAGE_MAX,
  type AccessRegisterNoteDto,
  type AsOfDto,
  type RecordHistoryDto,
  type RecordHistoryQueryDto,
  type RecordStateDto,
  type RecordStateQueryDto,
  type ViewRegisteredDto,
} from './record-history.dto';

/**
 * A record's history and its state at a past moment, replayed from its stream in the event store
 * (hash chain verified: an altered stream is 503 INTEGRITY_FAULT), never from a read model.
 * One read of the stream, one fold. Clearance (A2) and the access register (A1) as in docs/history.md.
 */
@Injectable()
export class RecordHistoryService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly shell: CommandShell,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * `GET /records/{code}/history`, as the UTF-8 JSON of a RecordHistoryDto: each entry is serialised
   * once per stored event and kept (see `entryJson`), so a long history is not rebuilt, serialised
   * and encoded again for every request.
   */
  async history(
    actor: Actor,
    archiveCode: string,
    query: RecordHistoryQueryDto,
    context: Omit<CommandContext, 'reason'>,
  ): Promise<Buffer> {
    const events = await this.read(archiveCode);
    const classifications = classificationsNow(events);
    if (classifications === undefined) throw recordNotFound(archiveCode);
    const { current, highest } = classifications;
    hiddenAbove(actor, archiveCode, current);
    // The history shows the record under every classification it ever had: it needs the highest.
    aboveClearance(
      actor,
      highest,
      `the history of ${archiveCode} includes a time it was classified above your clearance`,
    );

    const from = query.fromRevision ?? 0;
    const limit = query.limit ?? HISTORY_PAGE_MAX;
    const page = events.slice(from, from + limit);
    const viewRegistered = await this.register(archiveCode, highest, query.purpose, context, {
      view: 'history',
    });
    const head: Omit<RecordHistoryDto, 'entries' | 'nextRevision' | 'accessRegister' | 'viewRegistered'> = {
      archiveCode,
      stream: recordStream(archiveCode),
      classification: current,
      highestClassification: highest,
      eventsInStream: events.length,
    };
    const tail: Pick<RecordHistoryDto, 'nextRevision' | 'accessRegister' | 'viewRegistered'> = {
      nextRevision: from + limit < events.length ? from + limit : null,
      accessRegister: accessRegisterNote(archiveCode),
      viewRegistered,
    };
    // The fields in RecordHistoryDto's order: head, entries, tail.
    const parts: Buffer[] = [Buffer.from(`${JSON.stringify(head).slice(0, -1)},"entries":[`, 'utf8')];
    page.forEach((event, index) => {
      if (index > 0) parts.push(COMMA);
      parts.push(entryJson(event));
    });
    parts.push(Buffer.from(`],${JSON.stringify(tail).slice(1)}`, 'utf8'));
    return Buffer.concat(parts);
  }

  /** `GET /records/{code}/state`. */
  async stateAt(
    actor: Actor,
    archiveCode: string,
    query: RecordStateQueryDto,
    context: Omit<CommandContext, 'reason'>,
  ): Promise<RecordStateDto> {
    const asOf = this.asOfFrom(query);
    const events = await this.read(archiveCode);
    const now = classificationsNow(events);
    const replay = replayTo(events, asOf, { now: { classification: now?.current } });
    if (replay.currentClassification === undefined) throw recordNotFound(archiveCode);
    hiddenAbove(actor, archiveCode, replay.currentClassification);
    if (asOf.kind === 'revision' && asOf.revision >= events.length) {
      throw notFound(
        'REVISION_NOT_FOUND',
        `${recordStream(archiveCode)} has revisions 0 to ${events.length - 1}; there is no revision ${asOf.revision}`,
      );
    }
    const { state, lastApplied, custody } = replay;
    if (state.status === 'not_filed' || lastApplied === undefined || custody === undefined) {
      throw notFound(
        'NOT_FILED_YET',
        `${archiveCode} was not filed yet at ${describeAsOf(asOf)}: ask for a later moment`,
      );
    }
    const shown = state.metadata.classification;
    aboveClearance(
      actor,
      shown,
      `${archiveCode} was classified above your clearance at ${describeAsOf(asOf)}`,
    );

    const viewRegistered = await this.register(
      archiveCode,
      stricter(shown, replay.currentClassification),
      query.purpose,
      context,
      { view: 'past_state', asOf: describeAsOf(asOf) },
    );
    return {
      archiveCode,
      stream: recordStream(archiveCode),
      asOf: asOfAnswer(asOf),
      classification: shown,
      currentClassification: replay.currentClassification,
      lastApplied: {
        revision: lastApplied.revision,
        position: lastApplied.position,
        type: lastApplied.type,
        occurredAt: lastApplied.metadata.occurredAt,
        recordedAt: lastApplied.metadata.recordedAt,
        actor: { ...lastApplied.metadata.actor, roles: [...lastApplied.metadata.actor.roles] },
        summary: summarise(lastApplied, { archiveCode, metadata: lastApplied.metadata }),
      },
      eventsApplied: replay.eventsApplied,
      eventsInStream: replay.eventsInStream,
      recordedAfterAt: [...replay.recordedAfterAt],
      custody,
      state,
      accessRegister: accessRegisterNote(archiveCode),
      viewRegistered,
    };
  }

  /** The record's stream, its hash chain verified (ChainIntegrityError → 503 INTEGRITY_FAULT). */
  private async read(archiveCode: string): Promise<StoredRecordEvent[]> {
    const events = await readVerifiedStream(this.store, recordStream(archiveCode));
    return events as unknown as StoredRecordEvent[];
  }

  /** The moment asked for; 400 naming the fields when the combination makes no sense. */
  private asOfFrom(query: RecordStateQueryDto): AsOf {
    const problems: FieldProblem[] = [];
    if (query.at !== undefined && query.revision !== undefined) {
      problems.push(
        { field: 'at', problems: ['give either at or revision, not both'] },
        { field: 'revision', problems: ['give either at or revision, not both'] },
      );
    }
    if (query.by !== undefined && query.at === undefined) {
      problems.push({ field: 'by', problems: ['applies to at only: give at too'] });
    }
    const now = this.clock.now();
    if (query.at !== undefined && Date.parse(query.at) > now.getTime()) {
      problems.push({
        field: 'at',
        problems: [`is in the future (now is ${now.toISOString()}): the state there is not known yet`],
      });
    }
    if (problems.length > 0) throw invalid('VALIDATION_FAILED', 'Invalid query parameters', problems);
    if (query.revision !== undefined) return { kind: 'revision', revision: query.revision };
    if (query.at !== undefined) {
      return {
        kind: 'time',
        at: new Date(Date.parse(query.at)).toISOString(),
        by: query.by ?? DEFAULT_TIME_BASIS,
      };
    }
    return { kind: 'latest' };
  }

  /** A1: a view of what is shown at SECRET or above is registered, with its purpose, before it is answered. */
  private async register(
    archiveCode: string,
    classification: Classification,
    purpose: string | undefined,
    context: Omit<CommandContext, 'reason'>,
    what: { view: AccessView; asOf?: string },
  ): Promise<ViewRegisteredDto | null> {
    if (!viewIsRegistered(classification)) return null;
    const outcome = await this.shell.execute({
      decider: accessDecider,
      stream: accessStream(archiveCode),
      commandType: 'RegisterDetailView',
      command: { type: 'RegisterDetailView', archiveCode, purpose, classification, ...what },
      context: { ...context, ...(purpose !== undefined ? { reason: purpose.trim() } : {}) },
    });
    return { stream: outcome.stream, position: outcome.position ?? null };
  }
}

/*
 * What depends only on a stream's events is kept per event object. `readVerifiedStream` hands out
 * the same frozen event objects for a long stream as long as its stored events cannot have changed
 * (VerifiedStreamCache), and a stream only grows by appending: so the same last event means the same
 * stream, and the same event the same history entry. Events that are not frozen (short streams, a
 * store without that guarantee) are fresh objects on every read and are not kept.
 */
const classificationsByLastEvent = new WeakMap<object, StreamClassifications | null>();
const entryJsonByEvent = new WeakMap<object, Buffer>();
const COMMA = Buffer.from(',', 'utf8');

/** The record's classification now and the highest it ever had (one fold over the stream, kept per stream head). */
function classificationsNow(events: readonly StoredRecordEvent[]): StreamClassifications | undefined {
  const last = events[events.length - 1];
  if (last === undefined) return undefined;
  const kept = classificationsByLastEvent.get(last);
  if (kept !== undefined) return kept ?? undefined;
  const folded = classificationsOf(events);
  if (Object.isFrozen(last)) classificationsByLastEvent.set(last, folded ?? null);
  return folded;
}

/** One history entry as UTF-8 JSON (HistoryEntryDto), serialised once per stored event. */
function entryJson(event: StoredRecordEvent): Buffer {
  const kept = entryJsonByEvent.get(event);
  if (kept !== undefined) return kept;
  const json = Buffer.from(JSON.stringify(historyEntry(event)), 'utf8');
  if (Object.isFrozen(event)) entryJsonByEvent.set(event, json);
  return json;
}

function recordNotFound(archiveCode: string): DomainError {
  return notFound('RECORD_NOT_FOUND', `No record ${archiveCode}`);
}

/** A2: a record whose classification now is above the caller's clearance does not exist for them. */
function hiddenAbove(actor: Actor, archiveCode: string, current: Classification): void {
  if (classificationRank(current) > classificationRank(actor.clearance)) throw recordNotFound(archiveCode);
}

/** A2: the record is visible now, but what this view would show was classified above the caller's clearance. */
function aboveClearance(actor: Actor, shown: Classification, message: string): void {
  if (classificationRank(shown) > classificationRank(actor.clearance)) {
    throw new DomainError('forbidden', 'ABOVE_CLEARANCE', `A2: ${message}`, { rule: 'A2' });
  }
}

function describeAsOf(asOf: AsOf): string {
  switch (asOf.kind) {
    case 'time':
      return `${asOf.at} (${asOf.by})`;
    case 'revision':
      return `revision ${asOf.revision}`;
    case 'latest':
      return 'the latest revision';
  }
}

function asOfAnswer(asOf: AsOf): AsOfDto {
  switch (asOf.kind) {
    case 'time':
      return {
        at: asOf.at,
        by: asOf.by,
        revision: null,
        meaning:
          asOf.by === 'recorded'
            ? {
                zh: `截至 ${asOf.at} 系统所知的状态：按记录时间（recordedAt），应用此前已记录的事件`,
                en: `The state as known at ${asOf.at}: every event the store had recorded by then (recordedAt)`,
              }
            : {
                zh: `${asOf.at} 时的实际状态：按发生时间（occurredAt），应用此前已发生的事件，包括之后补记的`,
                en: `The state as it was at ${asOf.at}: every event that had happened by then as its actor stated (occurredAt), including ones recorded later`,
              },
      };
    case 'revision':
      return {
        at: null,
        by: null,
        revision: asOf.revision,
        meaning: {
          zh: `第 ${asOf.revision} 号事件之后的状态`,
          en: `The state right after the event at revision ${asOf.revision}`,
        },
      };
    case 'latest':
      return {
        at: null,
        by: null,
        revision: null,
        meaning: { zh: '当前状态（应用全部事件）', en: 'The latest state: every event applied' },
      };
  }
}

function accessRegisterNote(archiveCode: string): AccessRegisterNoteDto {
  return {
    stream: accessStream(archiveCode),
    note: `Views of this record are registered in a separate stream (${accessStream(archiveCode)}) and are not part of this history; see GET /access-register?archiveCode=${archiveCode}.`,
  };
}
