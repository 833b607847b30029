import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { CLASSIFICATIONS, type Classification } from '../domain-kernel/actor';
import { CommandAcceptedDto } from '../http/command-accepted';
import { Optional } from '../http/optional.decorator';
import { ARCHIVE_CODE_PATTERN } from '../records/archive-code';

const NOT_BLANK = /\S/;

/** 接收单位 — who receives the records and who signs for them. */
export class TransferReceiverDto {
  @ApiProperty({ example: '上海市档案馆', description: 'the receiving custodian' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'organisation must not be blank' })
  @MaxLength(200)
  organisation!: string;

  @ApiProperty({ example: '周明', description: "the receiver's representative, who signs for it (接收人)" })
  @IsString()
  @Matches(NOT_BLANK, { message: 'representative must not be blank' })
  @MaxLength(100)
  representative!: string;
}

/** Body of `POST /transfers` (X1). */
export class DraftTransferListDto {
  @ApiProperty({ type: TransferReceiverDto })
  @IsObject()
  @ValidateNested()
  @Type(() => TransferReceiverDto)
  receiver!: TransferReceiverDto;

  @ApiProperty({
    example: '依据《机关档案管理规定》，2014年度永久档案进馆移交',
    description: 'why and under what arrangement the records are transferred (移交依据)',
  })
  @IsString()
  @Matches(NOT_BLANK, { message: 'basis must not be blank' })
  @MaxLength(1000)
  basis!: string;
}

/** Body of `POST /transfers/{transferId}/items`. */
export class AddTransferItemDto {
  @ApiProperty({ example: 'Z001-WS-2014-Y-BGS-0003', description: '档号 of a record in custody' })
  @IsString()
  @Matches(ARCHIVE_CODE_PATTERN, {
    message: 'archiveCode must be an archive code such as Z001-WS-2014-Y-BGS-0003',
  })
  archiveCode!: string;
}

/** Body of `POST /transfers/{transferId}/items/{code}/removal`. */
export class RemoveTransferItemDto {
  @ApiProperty({ example: '该件仍在业务使用，暂缓移交' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'reason must not be blank' })
  @MaxLength(1000)
  reason!: string;
}

/** Body of `POST /transfers/{transferId}/items/{code}/classification-review` (X1, F6). */
export class ReviewTransferClassificationDto {
  @ApiProperty({
    enum: CLASSIFICATIONS,
    example: 'PUBLIC',
    description:
      'the classification the record leaves with: its current one keeps it; another changes (or, below SECRET, lifts) it on the record first (F6)',
  })
  @IsIn(CLASSIFICATIONS)
  to!: Classification;

  @ApiProperty({ example: '保密期限已满，经审查解密后进馆' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'grounds must not be blank' })
  @MaxLength(1000)
  grounds!: string;
}

/** Body of `POST /transfers/{transferId}/signatures/transferor`. */
export class SignTransferDto {
  @ApiPropertyOptional({ example: '同意移交' })
  @Optional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'opinion must not be blank' })
  @MaxLength(1000)
  opinion?: string;
}

/** Body of `POST /transfers/{transferId}/signatures/receiver`. */
export class ReceiverSignatureDto {
  @ApiProperty({
    example: '沪档接〔2026〕15号',
    description: 'reference of the receipt (接收凭证) the representative signed',
  })
  @IsString()
  @Matches(NOT_BLANK, { message: 'receiptReference must not be blank' })
  @MaxLength(200)
  receiptReference!: string;

  @ApiProperty({
    example: '2026-03-01',
    description: 'the day the representative signed (YYYY-MM-DD), not after today',
  })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'signedOn must be a day such as 2026-03-01' })
  signedOn!: string;
}

/** Body of `POST /transfers/{transferId}/cancellation`. */
export class CancelTransferDto {
  @ApiProperty({ example: '接收单位要求调整进馆范围' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'reason must not be blank' })
  @MaxLength(1000)
  reason!: string;
}

/** Body of `POST /transfers/{transferId}/completion`. */
export class CompleteTransferDto {
  @ApiPropertyOptional({
    example: '档案实体已清点交接',
    description: 'a note on the handover, kept as the reason',
  })
  @Optional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'note must not be blank' })
  @MaxLength(1000)
  note?: string;
}

export class WithheldItemDto {
  @ApiProperty({ example: 'Z001-WS-2014-Y-BGS-0003' })
  archiveCode!: string;

  @ApiProperty({ example: 'RECORD_HELD' })
  code!: string;

  @ApiProperty({ example: 'R6', nullable: true, type: String })
  rule!: string | null;

  @ApiProperty({ example: 'R6: … is under a legal hold (H1): no transfer until released' })
  message!: string;
}

/** Answer of a completion: the records transferred, and any a rule refused after signing. */
export class TransferCompletedDto extends CommandAcceptedDto {
  @ApiProperty({ type: [String], example: ['Z001-WS-2014-Y-BGS-0003'] })
  transferred!: string[];

  @ApiProperty({ type: [WithheldItemDto] })
  withheld!: WithheldItemDto[];
}
