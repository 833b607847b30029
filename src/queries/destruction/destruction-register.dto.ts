import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { Optional } from '../../http/optional.decorator';
import { PageQueryDto } from '../page-query.dto';

export const LIST_STATUSES = [
  'draft',
  'signing',
  'approved',
  'refused',
  'cancelled',
  'executing',
  'executed',
  'completed',
] as const;

/** Query of `GET /destruction-lists` (D7). */
export class DestructionRegisterQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LIST_STATUSES, example: 'completed' })
  @Optional()
  @IsIn(LIST_STATUSES)
  status?: (typeof LIST_STATUSES)[number];
}

/** Query of `GET /destruction-lists/{listId}`: JSON, or the items as CSV. */
export class DestructionListQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    description: 'csv: the items with the D2 columns, as a file',
  })
  @Optional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional({
    example: '42',
    description: 'a position returned by a command: the answer reflects that write',
  })
  @Optional()
  @IsString()
  @Matches(/^[0-9/]{1,64}$/, { message: 'after must be a position returned by a command' })
  after?: string;
}

export class DestructionItemDto {
  @ApiProperty({ example: 'Z001-WS-2010-D10-SALES-0001' }) archiveCode!: string;
  @ApiProperty({ example: '销合〔2010〕031号', nullable: true, type: String }) documentNumber!: string | null;
  @ApiProperty({ example: '销售部' }) responsibleParty!: string;
  @ApiProperty({ example: '华东精密机械有限公司2010年度供货合同' }) title!: string;
  @ApiProperty({ example: '2010-03-15' }) dateFormed!: string;
  @ApiProperty({ example: 'D10' }) retentionClass!: string;
  @ApiProperty({ example: 15 }) yearsKept!: number;
  @ApiProperty({ example: 'INTERNAL' }) classification!: string;
  @ApiProperty({ example: 'AP1' }) appraisalId!: string;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' }) addedAt!: string;
  @ApiProperty({ example: '2026-03-01', nullable: true, type: String }) destroyedOn!: string | null;
  @ApiProperty({ nullable: true, type: Object, example: null }) withheld!: object | null;
}

/** One destruction list in the register (D7), as the caller may see it (A2). */
export class DestructionListDto {
  @ApiProperty({ example: 'XH-20260301-4F2A9C01' }) listId!: string;
  @ApiProperty({ example: '2026年第一批到期档案销毁清册' }) title!: string;
  @ApiProperty({ enum: LIST_STATUSES, example: 'completed' }) status!: string;
  @ApiProperty({ example: 'SALES' }) businessUnit!: string;
  @ApiProperty({ example: 'ARCHIVE' }) archiveUnit!: string;
  @ApiProperty({ example: 'BGS' }) officeUnit!: string;
  @ApiProperty({ example: 1 }) policyVersion!: number;
  @ApiProperty({ type: [Object], description: 'the capacities the list needs (D3)' }) requirements!: object[];
  @ApiProperty({ example: { id: 'wang.fang', unit: 'ARCHIVE' } }) draftedBy!: object;
  @ApiProperty({ example: '2026-03-01T09:00:00.000Z' }) draftedAt!: string;
  @ApiProperty({ example: 3, description: 'items visible to the caller (A2)' }) itemCount!: number;
  @ApiProperty({ type: [DestructionItemDto] }) items!: DestructionItemDto[];
  @ApiProperty({ type: [Object] }) removedItems!: object[];
  @ApiProperty({ type: [Object], description: 'capacity, role, unit, signer, opinion, signedAt (D3)' })
  signatures!: object[];
  @ApiProperty({ nullable: true, type: Object }) refusal!: object | null;
  @ApiProperty({ nullable: true, type: Object }) cancellation!: object | null;
  @ApiProperty({ nullable: true, type: String }) approvedAt!: string | null;
  @ApiProperty({ type: [Object], description: 'each witness’s check before destruction (D5)' })
  witnessChecks!: object[];
  @ApiProperty({ type: [Object], description: 'each witness’s signature after destruction (D5)' })
  witnessSignatures!: object[];
  @ApiProperty({ nullable: true, type: Object }) executedBy!: object | null;
  @ApiProperty({ nullable: true, type: String }) executionStartedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) destroyedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) executedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
}

export class DestructionRegisterPageDto {
  @ApiProperty({ type: [DestructionListDto] }) items!: DestructionListDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
  @ApiProperty({ example: 1 }) total!: number;
}
