import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../../auth/current-actor.decorator';
import type { Role } from '../../auth/roles';
import { notFound } from '../../domain-kernel/domain-error';
import type { Actor } from '../../domain-kernel/actor';
import { LIST_ID_PARAM, LIST_NOT_FOUND, ListIdParam } from '../../destruction/destruction-params';
import { ProjectionFreshness } from '../../projections/projection-freshness';
import { DESTRUCTION_REGISTER } from '../../projections/read-models/destruction-register.read-model';
import { READ_STORE, type Filter, type ReadStore } from '../../read-store/read-store.port';
import { QueryRoute } from '../catalogue/query-route.decorator';
import { visibleTo } from '../clearance';
import { ledgerPage, type LedgerPage } from '../ledgers/ledger-query';
import {
  DestructionListDto,
  DestructionListQueryDto,
  DestructionRegisterPageDto,
  DestructionRegisterQueryDto,
} from './destruction-register.dto';
import { listCsv, listHtml, viewFor, type DestructionListView } from './destruction-register.view';

/** Who reads the destruction register: those who compile, sign, witness, appraise or audit destructions. */
const REGISTER_READERS: readonly [Role, ...Role[]] = [
  'archivist',
  'archive_department_head',
  'department_head',
  'deputy_gm',
  'general_manager',
  'destruction_signatory',
  'witness',
  'security_officer',
  'appraisal_committee',
  'compliance_officer',
  'auditor',
];

/**
 * 销毁清册登记簿 — the destruction register (D7): every list with its items, signatures, witnesses and
 * dates; one list as JSON, CSV or a printable page. Read from the `destruction_register` read model.
 */
@ApiTags('destruction')
@ApiBearerAuth()
@Controller('destruction-lists')
export class DestructionRegisterController {
  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly freshness: ProjectionFreshness,
  ) {}

  @Get()
  @QueryRoute({
    roles: REGISTER_READERS,
    summary: '销毁清册登记簿 — the destruction register (D7)',
    description:
      'Every destruction list, newest first: its items (D2 columns, destruction date once done), every signature with its opinion (D3), the witnesses’ checks and signatures (D5), and the dates. Lists are never deleted; refused and cancelled ones stay. Items above the caller’s clearance are left out, counts included; a list all of whose items are above it is not shown (A2). Filter: status.',
    answer: { type: DestructionRegisterPageDto },
  })
  async register(
    @Query() query: DestructionRegisterQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<LedgerPage<DestructionListView>> {
    await this.freshness.ensure(query.after);
    const filter: Filter = query.status !== undefined ? { status: query.status } : {};
    return ledgerPage(
      this.reads,
      {
        collection: DESTRUCTION_REGISTER,
        actor,
        filter,
        sort: { field: 'draftedAt', direction: 'desc' },
        page: query,
      },
      (doc) => viewFor(doc, actor),
    );
  }

  @Get(':listId')
  @QueryRoute({
    roles: REGISTER_READERS,
    summary: '销毁清册 — one destruction list (D2, D7), as JSON or CSV',
    description:
      'The list as the register holds it. With `format=csv` or `Accept: text/csv`: its items with the D2 columns (序号, 档号, 文号, 责任者, 题名, 形成时间, 保管期限, 已保管年限, 密级, 销毁日期, 备注), UTF-8 with BOM, as an attachment. Items above the caller’s clearance are left out (A2).',
    params: [LIST_ID_PARAM],
    csv: true,
    answer: { type: DestructionListDto },
    notFound: LIST_NOT_FOUND,
  })
  async one(
    @ListIdParam() listId: string,
    @Query() query: DestructionListQueryDto,
    @Headers('accept') accept: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DestructionListView | string> {
    await this.freshness.ensure(query.after);
    const list = await this.find(listId, actor);
    const csv =
      query.format !== undefined ? query.format === 'csv' : /(^|,)\s*text\/csv\b/i.test(accept ?? '');
    if (!csv) return list;
    const file = listCsv(list);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file.filename}"`);
    return file.content;
  }

  @Get(':listId/print')
  @QueryRoute({
    roles: REGISTER_READERS,
    summary: '打印销毁清册 — the list as a printable page for wet signatures (D2, D3, D5)',
    description:
      'Server-rendered HTML (every value escaped): the D2 columns, a line per signing capacity (opinion, signature, date) and per witness (check before, signature after), with what the system recorded beside each. Items above the caller’s clearance are left out (A2).',
    params: [LIST_ID_PARAM],
    answer: { type: String },
    notFound: LIST_NOT_FOUND,
  })
  @ApiProduces('text/html')
  async print(
    @ListIdParam() listId: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const list = await this.find(listId, actor);
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .header('x-content-type-options', 'nosniff');
    return listHtml(list);
  }

  private async find(listId: string, actor: Actor): Promise<DestructionListView> {
    const [doc] = (
      await this.reads.find(DESTRUCTION_REGISTER, { filter: { id: listId, ...visibleTo(actor) }, limit: 1 })
    ).items;
    if (!doc) throw notFound('DESTRUCTION_LIST_NOT_FOUND', `No destruction list ${listId} visible to you`);
    return viewFor(doc, actor);
  }
}
