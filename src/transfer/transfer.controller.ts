import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { CommandContext } from '../command-shell/command-shell';
import { commandAccepted, CommandAcceptedDto } from '../http/command-accepted';
import { CommandContextFrom } from '../http/command-context.decorator';
import { CommandRoute } from '../http/command-route.decorator';
import { ArchiveCodeParam } from '../records/record-params';
import { CODE_PARAM } from '../records/record-routes';
import { TRANSFER_ID_PARAM, TransferIdParam } from './transfer-params';
import {
  AddTransferItemDto,
  CancelTransferDto,
  CompleteTransferDto,
  DraftTransferListDto,
  ReceiverSignatureDto,
  RemoveTransferItemDto,
  ReviewTransferClassificationDto,
  SignTransferDto,
  TransferCompletedDto,
} from './transfer.dto';
import { TransferService } from './transfer.service';

const NOT_FOUND = 'TRANSFER_NOT_FOUND: no such transfer list';
const CONFLICTS =
  'TRANSFER_CANCELLED, TRANSFER_COMPLETED (X1), IDEMPOTENCY_KEY_REUSED or CONCURRENT_MODIFICATION';

/** 移交 — transfer lists to another custodian (X1); docs/disposition.md. */
@ApiTags('transfers')
@ApiBearerAuth()
@Controller('transfers')
export class TransferController {
  constructor(private readonly transfers: TransferService) {}

  @Post()
  @CommandRoute({
    roles: ['archivist'],
    summary: '编制移交清册 — draft a transfer list to another custodian (X1)',
    description:
      'Appends TransferListDrafted to a new stream `transfer-{transferId}`; `transferId` (TR-{year}-{number}) in the answer names the list. The receiver is the custodian and the representative who will sign for it.',
    responses: { 400: 'VALIDATION_FAILED: the offending fields are listed', 409: 'IDEMPOTENCY_KEY_REUSED' },
  })
  async draft(
    @Body() body: DraftTransferListDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.transfers.draft(
      { receiver: { ...body.receiver }, basis: body.basis },
      { ...context, reason: body.basis },
    );
    const drafted = outcome.events.find((e) => e.type === 'TransferListDrafted');
    const transferId = drafted?.type === 'TransferListDrafted' ? drafted.data.transferId : undefined;
    return commandAccepted(outcome, transferId ? { transferId } : {});
  }

  @Post(':transferId/items')
  @CommandRoute({
    roles: ['archivist'],
    summary: 'add a record to an unsigned transfer list (X1)',
    description:
      'Appends TransferItemAdded with the record as the list shows it (档号, 题名, 文号, 责任者, 日期, 保管期限, 密级). Refused if the record is under a hold (R6), has open loans, is flagged missing (X2), was transferred or destroyed, or the list is signed.',
    params: [TRANSFER_ID_PARAM],
    responses: {
      400: 'VALIDATION_FAILED',
      404: 'TRANSFER_NOT_FOUND, or RECORD_NOT_FOUND (A2)',
      409: `ITEM_ALREADY_LISTED, ${CONFLICTS}`,
      422: 'RECORD_HELD (R6), RECORD_ON_LOAN (X1), RECORD_MISSING (X2), RECORD_TRANSFERRED (X1), RECORD_DESTROYED (X1) or TRANSFER_LIST_SIGNED (X1)',
    },
  })
  async addItem(
    @TransferIdParam() transferId: string,
    @Body() body: AddTransferItemDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.transfers.addItem(transferId, body.archiveCode, context);
    return commandAccepted(outcome, { transferId, archiveCode: body.archiveCode });
  }

  @Post(':transferId/items/:code/removal')
  @CommandRoute({
    roles: ['archivist'],
    summary: 'take a record off an unsigned transfer list',
    description:
      'Appends TransferItemRemoved with the reason. Refused once the list carries a signature (X1).',
    params: [TRANSFER_ID_PARAM, CODE_PARAM],
    responses: {
      400: 'VALIDATION_FAILED',
      404: 'TRANSFER_NOT_FOUND or ITEM_NOT_LISTED',
      409: CONFLICTS,
      422: 'TRANSFER_LIST_SIGNED (X1)',
    },
  })
  async removeItem(
    @TransferIdParam() transferId: string,
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: RemoveTransferItemDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.transfers.removeItem(transferId, archiveCode, body.reason, {
      ...context,
      reason: body.reason,
    });
    return commandAccepted(outcome, { transferId, archiveCode });
  }

  @Post(':transferId/items/:code/classification-review')
  @CommandRoute({
    roles: ['security_officer'],
    summary: '密级审查 — review an item’s classification before transfer (X1, F6)',
    description:
      'Appends TransferClassificationReviewed (kept, changed or lifted). A new classification is first changed on the record itself (ClassificationChanged, F6). Every item INTERNAL or above needs a review before either side signs.',
    params: [TRANSFER_ID_PARAM, CODE_PARAM],
    responses: {
      400: 'VALIDATION_FAILED',
      403: 'CLEARANCE_INSUFFICIENT: the reviewer is not cleared for the old or the new level',
      404: 'TRANSFER_NOT_FOUND, ITEM_NOT_LISTED or RECORD_NOT_FOUND',
      409: CONFLICTS,
      422: 'TRANSFER_LIST_SIGNED (X1)',
    },
  })
  async review(
    @TransferIdParam() transferId: string,
    @ArchiveCodeParam() archiveCode: string,
    @Body() body: ReviewTransferClassificationDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.transfers.review(
      transferId,
      archiveCode,
      { to: body.to, grounds: body.grounds },
      context,
    );
    return commandAccepted(outcome, { transferId, archiveCode });
  }

  @Post(':transferId/signatures/transferor')
  @CommandRoute({
    roles: ['archive_department_head'],
    summary: '移交方签字 — sign the transfer list for us (X1)',
    description:
      'Appends TransferorSigned under the archive department head’s own identity. Needs at least one item, every classification review (X1), every item still transferable (R6, loans, X2) and the signer cleared for every item. The first signature freezes the items.',
    params: [TRANSFER_ID_PARAM],
    responses: {
      400: 'VALIDATION_FAILED',
      403: 'CLEARANCE_INSUFFICIENT (A2)',
      404: NOT_FOUND,
      409: `ALREADY_SIGNED (X1), ${CONFLICTS}`,
      422: 'TRANSFER_LIST_EMPTY, CLASSIFICATION_REVIEW_REQUIRED, CLASSIFICATION_CHANGED_SINCE_REVIEW (X1), RECORD_HELD (R6) …',
    },
  })
  async signAsTransferor(
    @TransferIdParam() transferId: string,
    @Body() body: SignTransferDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.transfers.signAsTransferor(transferId, body.opinion, context);
    return commandAccepted(outcome, { transferId });
  }

  @Post(':transferId/signatures/receiver')
  @CommandRoute({
    roles: ['archivist'],
    summary: '接收方签字 — record the receiver’s signature (X1)',
    description:
      'The receiver’s representative (registered on the list) signs the receipt on paper; an archivist records it with the receipt’s reference and the day it was signed (ReceiverSigned). Same preconditions as our signature.',
    params: [TRANSFER_ID_PARAM],
    responses: {
      400: 'VALIDATION_FAILED, SIGNED_ON_IN_FUTURE',
      403: 'CLEARANCE_INSUFFICIENT (A2)',
      404: NOT_FOUND,
      409: `ALREADY_SIGNED (X1), ${CONFLICTS}`,
      422: 'TRANSFER_LIST_EMPTY, CLASSIFICATION_REVIEW_REQUIRED, CLASSIFICATION_CHANGED_SINCE_REVIEW (X1), RECORD_HELD (R6) …',
    },
  })
  async recordReceiverSignature(
    @TransferIdParam() transferId: string,
    @Body() body: ReceiverSignatureDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.transfers.recordReceiverSignature(
      transferId,
      { receiptReference: body.receiptReference, signedOn: body.signedOn },
      context,
    );
    return commandAccepted(outcome, { transferId });
  }

  @Post(':transferId/cancellation')
  @CommandRoute({
    roles: ['archivist', 'archive_department_head'],
    summary: 'cancel a transfer list not carried out',
    description:
      'Appends TransferListCancelled with the reason. The records stay in custody; the list stays in the register.',
    params: [TRANSFER_ID_PARAM],
    responses: { 400: 'VALIDATION_FAILED', 404: NOT_FOUND, 409: CONFLICTS },
  })
  async cancel(
    @TransferIdParam() transferId: string,
    @Body() body: CancelTransferDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<CommandAcceptedDto> {
    const outcome = await this.transfers.cancel(transferId, body.reason, context);
    return commandAccepted(outcome, { transferId });
  }

  @Post(':transferId/completion')
  @CommandRoute({
    roles: ['archivist', 'archive_department_head'],
    summary: '执行移交 — carry a signed transfer list out (X1)',
    description:
      'Checks every item again, appends TransferCompletionStarted, then Transferred on every record (they leave custody and refuse further loans), then TransferCompleted. Sent again — or at the next start of the service after a crash — it finishes what was started without transferring anything twice. An item a rule refuses after the checks (a hold placed in between) is named in `withheld` and stays in custody.',
    params: [TRANSFER_ID_PARAM],
    answer: { type: TransferCompletedDto },
    responses: {
      400: 'VALIDATION_FAILED',
      403: 'CLEARANCE_INSUFFICIENT (A2)',
      404: NOT_FOUND,
      409: CONFLICTS,
      422: 'SIGNATURES_MISSING (X1), RECORD_HELD (R6), RECORD_ON_LOAN (X1), RECORD_MISSING (X2), CLASSIFICATION_CHANGED_SINCE_REVIEW (X1)',
    },
  })
  async complete(
    @TransferIdParam() transferId: string,
    @Body() body: CompleteTransferDto,
    @CommandContextFrom() context: CommandContext,
  ): Promise<TransferCompletedDto> {
    const result = await this.transfers.complete(transferId, {
      ...context,
      ...(body.note !== undefined ? { reason: body.note } : {}),
    });
    return {
      ...commandAccepted(result.outcome, { transferId }),
      transferred: [...result.transferred],
      withheld: result.withheld.map((w) => ({ ...w })),
    };
  }
}
