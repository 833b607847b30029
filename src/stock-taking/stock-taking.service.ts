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
import { DomainError, notFound } from '../domain-kernel/domain-error';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { readVerifiedStream } from '../event-store/read-verified-stream';
import { ProjectionFreshness } from '../projections/projection-freshness';
import { finishListed, resumeUnfinished, type UnfinishedWork } from '../projections/resume-unfinished';
import { CATALOGUE, type CatalogueDoc } from '../projections/read-models/catalogue.read-model';
import { STOCK_TAKING } from '../projections/read-models/stock-taking.read-model';
import { READ_STORE, type ReadDoc, type ReadStore } from '../read-store/read-store.port';
import { prefixRange } from '../queries/ledgers/ledger-query';
import { ARCHIVE_CODE_PATTERN, recordStream } from '../records/archive-code';
import { runRecordCommand } from '../records/record-routes';
import type { RecordEvent } from '../records/record.events';
import { evolveRecord, type RecordState } from '../records/record.state';
import { listNumberingDecider } from '../transfer/list-numbering.decider';
import {
  stockTakeDecider,
  type StockTake,
  type StockTakeCommand,
  type StockTakeState,
} from './stock-taking.decider';
import type { Finding, LedgerEntry, StockTakeEvent } from './stock-taking.events';
import { stockTakeIdFor, stockTakeNumberingStream, stockTakeStream } from './stock-taking.stream';

export interface CloseResult {
  readonly outcome: CommandOutcome<StockTakeEvent>;
  readonly flaggedMissing: readonly string[];
  readonly foundAgain: readonly string[];
}

const PAGE = 200;

/**
 * 清点 (X2): runs a stock-take's commands through the command shell, with the ledger looked up for
 * the pure decider, and on close flags every record not found (MarkedMissing) and clears every
 * flagged record found (FoundAgain). A close interrupted by a restart is finished at the next start.
 *
 * The ledger at close is the catalogue read model, read once the projector has passed every event
 * stored when the close began (`?after=` the head): so the comparison sees every filing, loan and
 * move up to that moment, never an older state. If the read side cannot catch up within the
 * wait, the close is refused with 503 PROJECTION_BEHIND and nothing is written.
 */
@Injectable()
export class StockTakingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('StockTaking');
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
      if (!this.abort.signal.aborted) this.logger.error({ err: error }, 'resuming stock-take closes failed');
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.resuming;
  }

  async open(
    request: { readonly locations: readonly string[]; readonly note?: string },
    context: CommandContext,
  ): Promise<CommandOutcome<StockTakeEvent>> {
    const probe: StockTakeCommand = { type: 'OpenStockTake', stockTakeId: 'ST-0000-0000', ...request };
    stockTakeDecider.decide(probe, stockTakeDecider.initialState(), {
      actor: context.actor,
      now: this.clock.now(),
    });
    const year = this.clock.now().getUTCFullYear();
    const numbered = await this.shell.execute({
      decider: listNumberingDecider,
      stream: stockTakeNumberingStream(year),
      commandType: 'TakeListNumber',
      command: { type: 'TakeListNumber' },
      context,
    });
    const number = numbered.events[0]?.data.number;
    if (number === undefined) throw new Error('no stock-take number was taken');
    const stockTakeId = stockTakeIdFor(year, number);
    return this.run(stockTakeId, { type: 'OpenStockTake', stockTakeId, ...request }, context);
  }

  /** Records what was seen; each code the ledger knows carries its title and classification (for A2 in the report). */
  async recordFindings(
    stockTakeId: string,
    seen: readonly { readonly archiveCode: string; readonly location: string }[],
    context: CommandContext,
  ): Promise<CommandOutcome<StockTakeEvent>> {
    const findings: Finding[] = await Promise.all(
      seen.map(async ({ archiveCode, location }) => {
        const code = archiveCode.trim();
        const record = ARCHIVE_CODE_PATTERN.test(code) ? await this.readRecord(code) : undefined;
        const ledger =
          record?.status === 'filed'
            ? { title: record.metadata.title, classification: record.metadata.classification }
            : null;
        return { archiveCode, location, ledger };
      }),
    );
    return this.run(stockTakeId, { type: 'RecordFindings', findings }, context, { seen });
  }

  async close(stockTakeId: string, context: CommandContext): Promise<CloseResult> {
    const stockTake = await this.load(stockTakeId);
    if (stockTake.status === 'open') {
      // Refused for role or state before the ledger is read.
      stockTakeDecider.decide({ type: 'CloseStockTake', inScope: [], found: [] }, stockTake, {
        actor: context.actor,
        now: this.clock.now(),
      });
      await this.freshness.ensure(await this.store.headPosition());
      const [inScope, found] = await Promise.all([
        this.ledgerAt(stockTake.locations),
        this.ledgerOf([...stockTake.findings.keys()]),
      ]);
      await this.run(stockTakeId, { type: 'CloseStockTake', inScope, found }, context, {});
    } else if (stockTake.status === 'closed') {
      // Answer the conflict the decider gives.
      await this.run(stockTakeId, { type: 'CloseStockTake', inScope: [], found: [] }, context, {});
    }
    return this.reconcile(stockTakeId, context);
  }

  /** Stock-takes closed but not reconciled (the service stopped in between), finished now. */
  async resumePending(): Promise<string[]> {
    return finishListed(this.unfinished());
  }

  private async resumeWhenCaughtUp(): Promise<void> {
    await resumeUnfinished(this.unfinished());
  }

  /** Stock-takes closed but not reconciled: the report shows them as `closing`. */
  private unfinished(): UnfinishedWork {
    return {
      store: this.store,
      reads: this.reads,
      freshness: this.freshness,
      collection: STOCK_TAKING,
      filter: { status: 'closing' },
      sort: { field: 'openedAt', direction: 'asc' },
      finish: async (stockTakeId) => {
        await this.reconcile(stockTakeId, {
          correlationId: `resume-${stockTakeId}`,
          causationId: `resume-${stockTakeId}`,
        });
        this.logger.log({ stockTakeId }, 'finished a stock-take close interrupted earlier');
      },
      signal: this.abort.signal,
    };
  }

  /** Flags the records the report names, under the closer's identity, then marks the stock-take reconciled. */
  private async reconcile(stockTakeId: string, request: Omit<CommandContext, 'actor'>): Promise<CloseResult> {
    const stockTake = await this.load(stockTakeId);
    const { report, executor } = stockTake;
    if (!report || !executor) throw new Error(`stock-take ${stockTakeId} is not closed`);
    const context: CommandContext = {
      actor: { ...executor, roles: [...executor.roles] },
      correlationId: request.correlationId,
      causationId: request.causationId,
      reason: `清点 ${stockTakeId}`,
      idempotencyKey: `stocktake-${stockTakeId}`,
    };
    const flaggedMissing: string[] = [];
    const foundAgain: string[] = [];
    const skipped: { archiveCode: string; code: string; message: string }[] = [];
    const attempt = async (archiveCode: string, work: () => Promise<unknown>, done: string[]) => {
      try {
        await work();
        done.push(archiveCode);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        skipped.push({ archiveCode, code: error.code, message: error.message });
      }
    };
    if (stockTake.status === 'closing') {
      for (const d of report.discrepancies) {
        if (d.kind !== 'missing' || d.alreadyMissing) continue;
        await attempt(
          d.archiveCode,
          () => runRecordCommand(this.commands, d.archiveCode, { type: 'MarkMissing', stockTakeId }, context),
          flaggedMissing,
        );
      }
      for (const f of report.foundAgain) {
        await attempt(
          f.archiveCode,
          () =>
            runRecordCommand(
              this.commands,
              f.archiveCode,
              { type: 'RecordFoundAgain', stockTakeId, location: f.foundAt },
              context,
            ),
          foundAgain,
        );
      }
    }
    const outcome = await this.run(
      stockTakeId,
      { type: 'FinishReconciliation', flaggedMissing, foundAgain, skipped },
      { ...context, idempotencyKey: undefined },
    );
    return { outcome, flaggedMissing, foundAgain };
  }

  /** The ledger's records in custody at the locations in scope (each a prefix). */
  private async ledgerAt(locations: readonly string[]): Promise<LedgerEntry[]> {
    const entries = new Map<string, LedgerEntry>();
    for (const location of locations) {
      for (let cursor: string | undefined; ;) {
        const page = await this.reads.find(CATALOGUE, {
          filter: { custody: 'in_custody', shelfLocation: prefixRange(location) },
          sort: { field: 'id', direction: 'asc' },
          limit: PAGE,
          ...(cursor !== undefined ? { cursor } : {}),
        });
        for (const doc of page.items) entries.set(doc.id, ledgerEntry(doc));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
    }
    return [...entries.values()];
  }

  /** The ledger's entries for codes found (codes it does not know are left out). */
  private async ledgerOf(codes: readonly string[]): Promise<LedgerEntry[]> {
    const known = codes.filter((c) => ARCHIVE_CODE_PATTERN.test(c));
    const entries: LedgerEntry[] = [];
    for (let i = 0; i < known.length; i += PAGE) {
      const docs = await this.reads.getMany(CATALOGUE, known.slice(i, i + PAGE));
      entries.push(...docs.map(ledgerEntry));
    }
    return entries;
  }

  private run(
    stockTakeId: string,
    command: StockTakeCommand,
    context: CommandContext,
    digestOf?: unknown,
  ): Promise<CommandOutcome<StockTakeEvent>> {
    return this.shell.execute({
      decider: stockTakeDecider,
      stream: stockTakeStream(stockTakeId),
      commandType: command.type,
      command,
      ...(digestOf !== undefined ? { digestOf } : {}),
      context,
    });
  }

  private async load(stockTakeId: string): Promise<StockTake> {
    const history = await readVerifiedStream(this.store, stockTakeStream(stockTakeId));
    const state = history.reduce<StockTakeState>(
      (s, e) => stockTakeDecider.evolve(s, e as unknown as StockTakeEvent),
      stockTakeDecider.initialState(),
    );
    if (state.status === 'none') throw notFound('STOCK_TAKE_NOT_FOUND', `No stock-take ${stockTakeId}`);
    return state;
  }

  private async readRecord(archiveCode: string): Promise<RecordState> {
    const history = await readVerifiedStream(this.store, recordStream(archiveCode));
    return history.reduce<RecordState>((s, e) => evolveRecord(s, e as unknown as RecordEvent), {
      status: 'not_filed',
    });
  }
}

function ledgerEntry(doc: ReadDoc): LedgerEntry {
  const c = doc as unknown as CatalogueDoc;
  return {
    archiveCode: c.archiveCode,
    title: c.title,
    classification: c.classification,
    shelfLocation: c.shelfLocation,
    custody: c.custody,
    onLoan: c.onLoan,
    missing: c.missing,
  };
}
