import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../command-shell/command-shell';
import { commandAccepted } from '../http/command-accepted';
import { CommandContextFrom } from '../http/command-context.decorator';
import { CommandRoute } from '../http/command-route.decorator';
import { ArchiveCodeParam } from '../records/record-params';
import { CODE_PARAM } from '../records/record-routes';
import { LIST_ID_PARAM, LIST_NOT_FOUND, ListIdParam } from './destruction-params';
import {
  AddDestructionItemDto,
  CancelDestructionListDto,
  DestructionListAcceptedDto,
  DraftDestructionListDto,
  ExecuteDestructionListDto,
  RecordWitnessCheckDto,
  RemoveDestructionItemDto,
  SignAsWitnessDto,
  SignDestructionListDto,
} from './destruction.dto';
import { DestructionListService } from './destruction-list.service';

const ANSWER = { type: DestructionListAcceptedDto };
const CONFLICTS = 'IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION';

/**
 * 销毁清册 — the destruction list's commands (D1–D6). Reading it (register, one list, CSV, the
 * printable page) is in src/queries/destruction/.
 */
@ApiTags('destruction')
@ApiBearerAuth()
@Controller('destruction-lists')
export class DestructionListController {
  constructor(private readonly lists: DestructionListService) {}

  @Post()
  @CommandRoute({
    roles: ['archivist'],
    summary: '编制销毁清册 — draft a destruction list (D2, D3)',
    description:
      'Appends DestructionListDrafted to a new stream `destruction-{listId}` with the signing policy in force (D3), which the list keeps. A list holds one business department’s records (`businessUnit`). `listId` in the answer names it; with an Idempotency-Key a retry finds the same list.',
    answer: ANSWER,
    responses: {
      400: 'VALIDATION_FAILED or DESTRUCTION_LIST_INVALID: the offending fields are listed',
      403: 'ROLE_REQUIRED: only an archivist compiles a list',
      409: CONFLICTS,
    },
  })
  async draft(
    @Body() body: DraftDestructionListDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<DestructionListAcceptedDto> {
    const outcome = await this.lists.draft({ title: body.title, businessUnit: body.businessUnit }, context);
    return { ...commandAccepted(outcome), listId: outcome.listId };
  }

  @Post(':listId/items')
  @CommandRoute({
    roles: ['archivist'],
    summary: 'list a record for destruction (D1, D2, D4)',
    description:
      'Appends DestructionItemAdded with the D2 columns. D1 is checked on the record’s own history: its retention has expired, the committee released it (R5), it is not on loan, not under hold, not PERMANENT, not destroyed. Only while nobody has signed (D4).',
    params: [LIST_ID_PARAM],
    answer: ANSWER,
    responses: {
      400: 'VALIDATION_FAILED',
      403: 'ROLE_REQUIRED',
      404: `${LIST_NOT_FOUND}; or RECORD_NOT_FOUND (A2)`,
      409: `DESTRUCTION_LIST_SIGNED (D4), DESTRUCTION_LIST_CLOSED, ITEM_ALREADY_LISTED; ${CONFLICTS}`,
      422: 'D6 RECORD_DESTROYED; D1 PERMANENT_NEVER_DESTROYED, RETENTION_NOT_EXPIRED, NOT_APPRAISED, NOT_RELEASED_FOR_DESTRUCTION, RECORD_UNDER_HOLD, RECORD_ON_LOAN, RECORD_MISSING, RECORD_NOT_IN_CUSTODY; D3 ITEM_OF_ANOTHER_UNIT',
    },
  })
  async addItem(
    @ListIdParam() listId: string,
    @Body() body: AddDestructionItemDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<DestructionListAcceptedDto> {
    const outcome = await this.lists.run(
      listId,
      { type: 'AddDestructionItem', archiveCode: body.archiveCode },
      context,
    );
    return { ...commandAccepted(outcome, { archiveCode: body.archiveCode }), listId };
  }

  @Post(':listId/items/:code/removal')
  @CommandRoute({
    roles: ['archivist'],
    summary: 'take a record off a list (D4)',
    description: 'Appends DestructionItemRemoved with the reason. Only while nobody has signed (D4).',
    params: [LIST_ID_PARAM, CODE_PARAM],
    answer: ANSWER,
    responses: {
      400: 'VALIDATION_FAILED',
      403: 'ROLE_REQUIRED',
      404: `${LIST_NOT_FOUND}; or ITEM_NOT_LISTED`,
      409: `DESTRUCTION_LIST_SIGNED (D4), DESTRUCTION_LIST_CLOSED; ${CONFLICTS}`,
    },
  })
  async removeItem(
    @ListIdParam() listId: string,
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: RemoveDestructionItemDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<DestructionListAcceptedDto> {
    const outcome = await this.lists.run(
      listId,
      { type: 'RemoveDestructionItem', archiveCode, reason: body.reason },
      { ...context, reason: body.reason },
    );
    return { ...commandAccepted(outcome, { archiveCode }), listId };
  }

  @Post(':listId/signatures')
  @CommandRoute({
    roles: [
      'deputy_gm',
      'general_manager',
      'department_head',
      'archive_department_head',
      'archivist',
      'destruction_signatory',
    ],
    summary: '签署意见 — sign the list with your opinion, or refuse it (D3)',
    description:
      'Appends DestructionListSigned (the first signature locks the items, D4) and, with the last capacity of the list’s policy, DestructionListApproved; or DestructionListRefused, which closes the list. Each capacity is filled by a person holding its role (and, where the policy says, of the office, archives or business unit), each signer a distinct person under their own identity.',
    params: [LIST_ID_PARAM],
    answer: ANSWER,
    responses: {
      400: 'VALIDATION_FAILED, CAPACITY_UNKNOWN or CAPACITY_AMBIGUOUS (name the capacity)',
      403: 'ROLE_REQUIRED; or NOT_A_REQUIRED_SIGNER (D3): you hold no role (in the right unit) the list still needs',
      404: LIST_NOT_FOUND,
      409: `CAPACITY_ALREADY_SIGNED, DESTRUCTION_LIST_SIGNED_BY_ALL, DESTRUCTION_LIST_CLOSED (D3); ${CONFLICTS}`,
      422: 'D3 SIGNER_NOT_DISTINCT (you signed already in another capacity) or DESTRUCTION_LIST_EMPTY',
    },
  })
  async sign(
    @ListIdParam() listId: string,
    @Body() body: SignDestructionListDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<DestructionListAcceptedDto> {
    const outcome = await this.lists.run(
      listId,
      {
        type: 'SignDestructionList',
        decision: body.decision,
        opinion: body.opinion,
        ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
      },
      { ...context, reason: body.opinion },
    );
    return { ...commandAccepted(outcome), listId };
  }

  @Post(':listId/witness-checks')
  @CommandRoute({
    roles: ['witness', 'security_officer'],
    summary: '监销核对 — a witness checks the items against the list before destruction (D5)',
    description:
      'Appends WitnessCheckRecorded: what you counted and the codes you found, compared with the list (discrepancies recorded). One witness from the archives department and one from the business department, two different people; a classified list also needs the security officer. Only on an approved list, before execution.',
    params: [LIST_ID_PARAM],
    answer: ANSWER,
    responses: {
      400: 'VALIDATION_FAILED',
      403: 'ROLE_REQUIRED',
      404: LIST_NOT_FOUND,
      409: `DESTRUCTION_LIST_CLOSED; ${CONFLICTS}`,
      422: 'D5 WITNESS_UNIT (not of the archives or business unit), WITNESS_UNIT_TAKEN (two witnesses from one unit), WITNESS_NOT_DISTINCT, SECURITY_OFFICER_NOT_NEEDED, SIGNATURES_MISSING, ALREADY_EXECUTED',
    },
  })
  async witnessCheck(
    @ListIdParam() listId: string,
    @Body() body: RecordWitnessCheckDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<DestructionListAcceptedDto> {
    const outcome = await this.lists.run(
      listId,
      {
        type: 'RecordWitnessCheck',
        itemCount: body.itemCount,
        archiveCodes: body.archiveCodes,
        ...(body.notes !== undefined ? { notes: body.notes } : {}),
      },
      context,
    );
    return { ...commandAccepted(outcome), listId };
  }

  @Post(':listId/execution')
  @CommandRoute({
    roles: ['archivist'],
    summary: '执行销毁 — execute an approved, witnessed list (D1, D5, D6)',
    description:
      'Re-checks D1 on every item’s own history, checks the signatures (D3) and the witnesses’ checks (D5), and appends DestructionExecutionStarted. The execution process then appends Destroyed to every record (citing the list, its signatures and witnesses) and DestructionExecuted to the list, shortly after the answer; follow the list (GET /destruction-lists/{listId}) for its status. A crash during execution is finished on restart, no record destroyed twice.',
    params: [LIST_ID_PARAM],
    answer: ANSWER,
    responses: {
      400: 'VALIDATION_FAILED',
      403: 'ROLE_REQUIRED',
      404: `${LIST_NOT_FOUND}; or RECORD_NOT_FOUND: an item the caller may not see (A2)`,
      409: `ALREADY_EXECUTED, DESTRUCTION_LIST_CLOSED; ${CONFLICTS}`,
      422: 'D6 RECORD_DESTROYED (an item was destroyed by another list meanwhile); D3 SIGNATURES_MISSING; D5 WITNESSES_MISSING or WITNESS_CHECK_DISCREPANCY; D1 (an item no longer passes: hold, loan …)',
    },
  })
  async execute(
    @ListIdParam() listId: string,
    @Body() _body: ExecuteDestructionListDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<DestructionListAcceptedDto> {
    const outcome = await this.lists.run(listId, { type: 'StartDestructionExecution' }, context);
    return { ...commandAccepted(outcome), listId };
  }

  @Post(':listId/witness-signatures')
  @CommandRoute({
    roles: ['witness', 'security_officer'],
    summary: '监销人签字 — a witness signs after the destruction (D5)',
    description:
      'Appends DestructionWitnessSigned; with the last witness, DestructionListCompleted. Only the witnesses who checked the list before, only after it was executed.',
    params: [LIST_ID_PARAM],
    answer: ANSWER,
    responses: {
      400: 'VALIDATION_FAILED',
      403: 'ROLE_REQUIRED; or NOT_A_WITNESS (D5)',
      404: LIST_NOT_FOUND,
      409: `WITNESS_ALREADY_SIGNED; ${CONFLICTS}`,
      422: 'D5 NOT_YET_DESTROYED',
    },
  })
  async witnessSign(
    @ListIdParam() listId: string,
    @Body() body: SignAsWitnessDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<DestructionListAcceptedDto> {
    const outcome = await this.lists.run(
      listId,
      { type: 'SignAsWitness', ...(body.remark !== undefined ? { remark: body.remark } : {}) },
      context,
    );
    return { ...commandAccepted(outcome), listId };
  }

  @Post(':listId/cancellation')
  @CommandRoute({
    roles: ['archivist', 'archive_department_head'],
    summary: 'cancel a list before it is executed',
    description: 'Appends DestructionListCancelled with the reason; the list stays in the register (D7).',
    params: [LIST_ID_PARAM],
    answer: ANSWER,
    responses: {
      400: 'VALIDATION_FAILED',
      403: 'ROLE_REQUIRED',
      404: LIST_NOT_FOUND,
      409: `ALREADY_EXECUTED, DESTRUCTION_LIST_CLOSED; ${CONFLICTS}`,
    },
  })
  async cancel(
    @ListIdParam() listId: string,
    @Body() body: CancelDestructionListDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<DestructionListAcceptedDto> {
    const outcome = await this.lists.run(
      listId,
      { type: 'CancelDestructionList', reason: body.reason },
      { ...context, reason: body.reason },
    );
    return { ...commandAccepted(outcome), listId };
  }
}
