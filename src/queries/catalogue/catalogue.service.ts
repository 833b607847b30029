import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../clock/clock';
import { CommandShell, type CommandContext } from '../../command-shell/command-shell';
import { classificationRank, type Actor } from '../../domain-kernel/actor';
import { notFound } from '../../domain-kernel/domain-error';
import { ProjectionFreshness } from '../../projections/projection-freshness';
import { ACCESS_REGISTER } from '../../projections/read-models/access-register.read-model';
import { CATALOGUE, type CatalogueDoc } from '../../projections/read-models/catalogue.read-model';
import {
  READ_STORE,
  type Filter,
  type FindQuery,
  type ReadDoc,
  type ReadStore,
} from '../../read-store/read-store.port';
import { accessDecider, viewIsRegistered } from '../../records/access/access.decider';
import { accessStream } from '../../records/access/access.stream';
import { visibleTo } from '../clearance';
import type {
  AccessRegisterEntryDto,
  AccessRegisterPageDto,
  AccessRegisterQueryDto,
  CatalogueEntryDto,
  CataloguePageDto,
  CatalogueQueryDto,
  CatalogueStatus,
  RecordDetailDto,
  RetentionDueQueryDto,
} from './catalogue.dto';
import { todayOf, withoutBookkeeping } from './read-query';

const DEFAULT_LIMIT = 50;

/**
 * The catalogue (档案目录), the retention-due list (R4) and the access register (A1), read from
 * their read models. Every query waits for `after` first (read-your-writes) and carries the
 * caller's clearance inside its filter (A2), so pages, totals and counts never include what the
 * caller may not see.
 */
@Injectable()
export class CatalogueService {
  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly freshness: ProjectionFreshness,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly shell: CommandShell,
  ) {}

  /** `GET /records`. */
  async search(actor: Actor, query: CatalogueQueryDto): Promise<CataloguePageDto> {
    await this.freshness.ensure(query.after);
    const filter: Filter = { ...this.catalogueFilter(query), ...visibleTo(actor) };
    const text = query.q?.trim() || undefined;
    const find: FindQuery = {
      filter,
      ...(text !== undefined ? { text } : {}),
      sort: { field: sortField(query.sort ?? 'archiveCode'), direction: query.direction ?? 'asc' },
      limit: query.limit ?? DEFAULT_LIMIT,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    };
    return this.page<CatalogueEntryDto>(CATALOGUE, find);
  }

  /**
   * `GET /records/{code}`: one record, if the caller may see it (A2; 404 otherwise, as if it did
   * not exist). A view of a SECRET-or-above record is registered first, with its purpose (A1).
   */
  async detail(
    actor: Actor,
    archiveCode: string,
    purpose: string | undefined,
    context: Omit<CommandContext, 'reason'>,
    after: string | undefined,
  ): Promise<RecordDetailDto> {
    await this.freshness.ensure(after);
    const doc = (await this.reads.get(CATALOGUE, archiveCode)) as CatalogueDoc | undefined;
    if (doc === undefined || doc.classificationRank > classificationRank(actor.clearance)) {
      throw notFound('RECORD_NOT_FOUND', `No record ${archiveCode}`);
    }
    let viewRegistered: RecordDetailDto['viewRegistered'] = null;
    if (viewIsRegistered(doc.classification)) {
      const outcome = await this.shell.execute({
        decider: accessDecider,
        stream: accessStream(archiveCode),
        commandType: 'RegisterDetailView',
        command: { type: 'RegisterDetailView', archiveCode, purpose, classification: doc.classification },
        context: { ...context, ...(purpose !== undefined ? { reason: purpose.trim() } : {}) },
      });
      viewRegistered = { stream: outcome.stream, position: outcome.position ?? null };
    }
    return { ...withoutBookkeeping<CatalogueEntryDto>(doc as unknown as ReadDoc), viewRegistered };
  }

  /** `GET /retention-due` (R4): records in custody whose retention expires on or before `date`. */
  async retentionDue(actor: Actor, query: RetentionDueQueryDto): Promise<CataloguePageDto> {
    await this.freshness.ensure(query.after);
    const date = query.date ?? todayOf(this.clock.now());
    return this.page<CatalogueEntryDto>(CATALOGUE, {
      filter: { retentionDueOn: { lte: date }, custody: 'in_custody', ...visibleTo(actor) },
      sort: { field: 'retentionDueOn', direction: 'asc' },
      limit: query.limit ?? DEFAULT_LIMIT,
      ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
    });
  }

  /** `GET /access-register` (A1), newest first; entries about records above the caller's clearance stay hidden (A2). */
  async accessRegister(actor: Actor, query: AccessRegisterQueryDto): Promise<AccessRegisterPageDto> {
    await this.freshness.ensure(query.after);
    const viewedAt = {
      ...(query.from !== undefined ? { gte: startOf(query.from) } : {}),
      ...(query.to !== undefined ? endOf(query.to) : {}),
    };
    const filter: Filter = {
      ...(query.archiveCode !== undefined ? { archiveCode: query.archiveCode } : {}),
      ...(query.viewer !== undefined ? { 'viewer.id': query.viewer } : {}),
      ...(Object.keys(viewedAt).length > 0 ? { viewedAt } : {}),
      ...visibleTo(actor),
    };
    return this.page<AccessRegisterEntryDto>(
      ACCESS_REGISTER,
      {
        filter,
        sort: { field: 'viewedAt', direction: 'desc' },
        limit: query.limit ?? DEFAULT_LIMIT,
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
      },
      { keepId: true },
    );
  }

  /** One page, and the total under the same filter and text (both inside the caller's clearance). */
  private async page<Item>(
    collection: string,
    find: FindQuery,
    { keepId = false }: { keepId?: boolean } = {},
  ): Promise<{ items: Item[]; nextCursor: string | null; total: number }> {
    const [page, total] = await Promise.all([
      this.reads.find(collection, find),
      this.reads.count(collection, {
        ...(find.filter !== undefined ? { filter: find.filter } : {}),
        ...(find.text !== undefined ? { text: find.text } : {}),
      }),
    ]);
    return {
      items: page.items.map((doc) => withoutBookkeeping<Item>(doc, keepId)),
      nextCursor: page.nextCursor ?? null,
      total,
    };
  }

  private catalogueFilter(query: CatalogueQueryDto): Filter {
    const filter: Record<string, Filter[string]> = {};
    const equal = (field: string, value: string | number | undefined) => {
      if (value !== undefined) filter[field] = value;
    };
    equal('fonds', query.fonds);
    equal('category', query.category);
    equal('year', query.year);
    equal('retentionClass', query.retentionClass);
    equal('classification', query.classification);
    equal('unit', query.unit);
    equal('counterparty', query.counterparty);
    if (query.location !== undefined) {
      // The location or anything shelved under it: A-03 finds A-03-02-15.
      filter.shelfLocation = { gte: query.location, lt: `${query.location}\uffff` };
    }
    if (query.status !== undefined) Object.assign(filter, this.statusFilter(query.status));
    return filter;
  }

  private statusFilter(status: CatalogueStatus): Filter {
    switch (status) {
      case 'in_custody':
        return { custody: 'in_custody' };
      case 'on_loan':
        return { onLoan: true };
      case 'held':
        return { held: true };
      case 'due_for_appraisal':
        return { custody: 'in_custody', retentionDueOn: { lte: todayOf(this.clock.now()) } };
      case 'destroyed':
        return { custody: 'destroyed' };
      case 'transferred':
        return { custody: 'transferred' };
      case 'missing':
        return { missing: true };
      case 'late_filing':
        return { lateFiling: true };
    }
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The first moment of `from`: its day at 00:00 UTC, or the moment itself. */
function startOf(from: string): string {
  return DATE_ONLY.test(from) ? `${from}T00:00:00.000Z` : new Date(from).toISOString();
}

/** Up to `to`: the whole of its day (UTC), or up to and including the moment itself. */
function endOf(to: string): { lt: string } | { lte: string } {
  if (!DATE_ONLY.test(to)) return { lte: new Date(to).toISOString() };
  const next = new Date(Date.parse(`${to}T00:00:00.000Z`) + 24 * 60 * 60 * 1000);
  return { lt: next.toISOString() };
}

/**
 * A catalogue document's id is its archive code, so archive-code order is id order: sorting by `id`
 * lets the store answer from any index that ends in the id (every declared index does) instead of
 * reading and sorting every match (at 100,000 records, `status=late_filing`: 170 ms → 8 ms).
 */
function sortField(sort: string): string {
  return sort === 'archiveCode' ? 'id' : sort;
}
