import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Optional } from '../../http/optional.decorator';
import type { TransferRegisterStatus } from '../../projections/read-models/transfer-register.read-model';
import { PageQueryDto } from '../page-query.dto';

export const TRANSFER_STATUSES = [
  'draft',
  'signed',
  'completing',
  'completed',
  'cancelled',
] as const satisfies readonly TransferRegisterStatus[];

/** Query of `GET /transfers`. */
export class TransferRegisterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: TRANSFER_STATUSES,
    example: 'completed',
    description:
      'draft (items may change until the first signature), signed (both sides), completing, completed, cancelled',
  })
  @Optional()
  @IsIn(TRANSFER_STATUSES)
  status?: TransferRegisterStatus;
}

class PersonDto {
  @ApiProperty({ example: 'wang.fang' })
  id!: string;
  @ApiProperty({ example: 'ARCHIVE' })
  unit!: string;
}

class ReceiverDto {
  @ApiProperty({ example: '上海市档案馆' })
  organisation!: string;
  @ApiProperty({ example: '周明' })
  representative!: string;
}

/** One transfer list in the register, counted under the caller's clearance (A2). */
export class TransferSummaryDto {
  @ApiProperty({ example: 'TR-2026-0001' })
  transferId!: string;
  @ApiProperty({ enum: TRANSFER_STATUSES, example: 'completed' })
  status!: TransferRegisterStatus;
  @ApiProperty({ type: ReceiverDto })
  receiver!: ReceiverDto;
  @ApiProperty({ example: '2014年度永久档案进馆移交' })
  basis!: string;
  @ApiProperty({ type: PersonDto })
  draftedBy!: PersonDto;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' })
  draftedAt!: string;
  @ApiProperty({ example: 12, description: 'items visible to the caller' })
  itemCount!: number;
  @ApiProperty({ example: 0, description: 'visible items still awaiting their classification review (X1)' })
  awaitingReview!: number;
  @ApiProperty({ example: true })
  transferorSigned!: boolean;
  @ApiProperty({ example: true })
  receiverSigned!: boolean;
  @ApiProperty({ example: '2026-03-02T10:00:00.000Z', nullable: true, type: String })
  completedAt!: string | null;
  @ApiProperty({ example: 12, description: 'visible items transferred out' })
  transferredCount!: number;
}

export class TransferRegisterPageDto {
  @ApiProperty({ type: [TransferSummaryDto] })
  items!: TransferSummaryDto[];
  @ApiProperty({ nullable: true, type: String, example: null })
  nextCursor!: string | null;
  @ApiProperty({ example: 1, description: 'lists matching (lists are not classified; their items are)' })
  total!: number;
}

class TransferItemDto {
  @ApiProperty({ example: 'Z001-WS-2014-Y-BGS-0003' })
  archiveCode!: string;
  @ApiProperty({ example: '关于2014年度经营工作的总结报告' })
  title!: string;
  @ApiProperty({ example: '办字〔2014〕3号', nullable: true, type: String })
  documentNumber!: string | null;
  @ApiProperty({ example: '办公室' })
  responsibleParty!: string;
  @ApiProperty({ example: '2014-12-20' })
  dateFormed!: string;
  @ApiProperty({ example: 'PERMANENT' })
  retentionClass!: string;
  @ApiProperty({ example: 'PUBLIC' })
  classification!: string;
  @ApiProperty({ example: 'A-01-01-01' })
  shelfLocation!: string;
  @ApiProperty({ example: 1 })
  itemCount!: number;
  @ApiProperty({ example: true })
  needsReview!: boolean;
  @ApiProperty({
    nullable: true,
    type: Object,
    example: {
      outcome: 'lifted',
      from: 'SECRET',
      to: 'PUBLIC',
      grounds: '保密期限已满',
      reviewedBy: { id: 'qian.bao', unit: 'SECURITY' },
      reviewedAt: '2026-03-01T09:00:00.000Z',
    },
  })
  review!: object | null;
  @ApiProperty({ type: PersonDto })
  addedBy!: PersonDto;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' })
  addedAt!: string;
}

/** One transfer list (移交清册), its items under the caller's clearance (A2). */
export class TransferListDto extends TransferSummaryDto {
  @ApiProperty({ type: [TransferItemDto] })
  items!: TransferItemDto[];
  @ApiProperty({ type: [Object], description: 'items taken off before signing, with why' })
  removed!: object[];
  @ApiProperty({
    nullable: true,
    type: Object,
    example: {
      signer: { id: 'liu.yang', unit: 'ARCHIVE' },
      role: 'archive_department_head',
      opinion: '同意移交',
      signedAt: '2026-03-01T09:00:00.000Z',
    },
  })
  transferorSignature!: object | null;
  @ApiProperty({
    nullable: true,
    type: Object,
    example: {
      representative: '周明',
      organisation: '上海市档案馆',
      receiptReference: '沪档接〔2026〕15号',
      signedOn: '2026-03-01',
      recordedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
      recordedAt: '2026-03-01T09:00:00.000Z',
    },
  })
  receiverSignature!: object | null;
  @ApiProperty({ nullable: true, type: Object })
  cancellation!: object | null;
  @ApiProperty({
    nullable: true,
    type: Object,
    description:
      'startedBy, startedAt, completedAt, transferred (codes), withheld (codes a rule refused after signing)',
  })
  completion!: object | null;
}
