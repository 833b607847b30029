import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CommandAcceptedDto } from '../http/command-accepted';
import { Optional } from '../http/optional.decorator';
import { ARCHIVE_CODE_PATTERN } from '../records/archive-code';
import {
  DEFAULT_DESTRUCTION_SIGNING_POLICY,
  MAX_SIGNATURES,
  SIGNER_UNITS,
  type SignerUnit,
} from './destruction-signing.policy';

const NOT_BLANK = /\S/;

/** Body of `POST /destruction-lists` (D2). */
export class DraftDestructionListDto {
  @ApiProperty({ example: '2026年第一批到期档案销毁清册', description: 'title of the 销毁清册' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  @MaxLength(200)
  title!: string;

  @ApiProperty({
    example: 'SALES',
    description:
      'the business department whose records the list holds (the `{unit}` of their archive codes): its head and clerk sign (D3), its witness checks (D5)',
  })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9]{0,15}$/, { message: 'businessUnit must be a unit code such as SALES' })
  businessUnit!: string;
}

/** Body of `POST /destruction-lists/{listId}/items` (D1, D2, D4). */
export class AddDestructionItemDto {
  @ApiProperty({
    example: 'Z001-WS-2010-D10-SALES-0001',
    description: '档号 of a record appraised as releasable',
  })
  @IsString()
  @Matches(ARCHIVE_CODE_PATTERN, {
    message: 'archiveCode must be an archive code such as Z001-WS-2024-D30-BGS-0007',
  })
  archiveCode!: string;
}

/** Body of `POST /destruction-lists/{listId}/items/{code}/removal` (D4). */
export class RemoveDestructionItemDto {
  @ApiProperty({ example: '该件仍在诉讼参考范围内，暂不销毁' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'reason must not be blank' })
  @MaxLength(1000)
  reason!: string;
}

/** Body of `POST /destruction-lists/{listId}/signatures` (D3). */
export class SignDestructionListDto {
  @ApiPropertyOptional({
    example: 'office_head',
    description: 'the capacity you sign in; may be left out when you fill exactly one capacity still to sign',
  })
  @Optional()
  @IsString()
  @MaxLength(64)
  capacity?: string;

  @ApiProperty({
    enum: ['approve', 'refuse'],
    example: 'approve',
    description: 'refuse closes the list (D3)',
  })
  @IsIn(['approve', 'refuse'])
  decision!: 'approve' | 'refuse';

  @ApiProperty({ example: '同意销毁', description: '意见 — your opinion, recorded with your signature' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'opinion must not be blank' })
  @MaxLength(2000)
  opinion!: string;
}

/** Body of `POST /destruction-lists/{listId}/witness-checks` (D5). */
export class RecordWitnessCheckDto {
  @ApiProperty({ example: 3, description: 'how many items you counted' })
  @IsInt()
  @Min(0)
  itemCount!: number;

  @ApiProperty({
    example: ['Z001-WS-2010-D10-SALES-0001'],
    description: 'the archive codes you found and checked against the list',
  })
  @IsArray()
  @ArrayMaxSize(10000)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  archiveCodes!: string[];

  @ApiPropertyOptional({ example: '实物与清册核对无误' })
  @Optional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

/** Body of `POST /destruction-lists/{listId}/execution` (D6): nothing to send. */
export class ExecuteDestructionListDto {}

/** Body of `POST /destruction-lists/{listId}/witness-signatures` (D5). */
export class SignAsWitnessDto {
  @ApiPropertyOptional({ example: '已监督销毁完毕' })
  @Optional()
  @IsString()
  @MaxLength(2000)
  remark?: string;
}

/** Body of `POST /destruction-lists/{listId}/cancellation`. */
export class CancelDestructionListDto {
  @ApiProperty({ example: '清册编制有误，重新编制' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'reason must not be blank' })
  @MaxLength(1000)
  reason!: string;
}

/** Answer of a destruction list command: where the list now stands. */
export class DestructionListAcceptedDto extends CommandAcceptedDto {
  @ApiProperty({ example: 'XH-20260301-4F2A9C01', description: 'the destruction list' })
  override listId: string = '';
}

// ── The signing policy (D3) ─────────────────────────────────────────────────────────────────────

export class SigningRequirementDto {
  @ApiProperty({ example: 'office_head' })
  @IsString()
  @MaxLength(64)
  capacity!: string;

  @ApiProperty({ example: 'department_head' })
  @IsString()
  @MaxLength(64)
  role!: string;

  @ApiPropertyOptional({ enum: SIGNER_UNITS, example: 'office_unit' })
  @Optional()
  @IsIn(SIGNER_UNITS)
  of?: SignerUnit;

  @ApiProperty({ example: '办公室负责人' })
  @IsString()
  @MaxLength(100)
  label!: string;
}

export class DestructionSigningPolicyDraftDto {
  @ApiProperty({ example: 'ARCHIVE', description: "the archives department's unit code" })
  @IsString()
  @MaxLength(16)
  archiveUnit!: string;

  @ApiProperty({ example: 'BGS', description: "the office's unit code (办公室)" })
  @IsString()
  @MaxLength(16)
  officeUnit!: string;

  @ApiProperty({ type: [SigningRequirementDto] })
  @IsArray()
  @ArrayMaxSize(MAX_SIGNATURES * 2)
  @ValidateNested({ each: true })
  @Type(() => SigningRequirementDto)
  signatures!: SigningRequirementDto[];
}

export class DestructionSigningPolicyDto extends DestructionSigningPolicyDraftDto {
  @ApiProperty({ example: 1, description: 'every list records the version it was drafted under (D3)' })
  version!: number;
}

const { version: _shipped, ...defaultDraft } = DEFAULT_DESTRUCTION_SIGNING_POLICY;

/** Body of `PUT /policies/destruction-signing` (D3). */
export class AdoptDestructionSigningPolicyDto {
  @ApiProperty({
    example: 1,
    description: 'the version you read and changed (else 409 POLICY_VERSION_MOVED)',
  })
  @IsInt()
  @Min(1)
  basedOnVersion!: number;

  @ApiProperty({ type: DestructionSigningPolicyDraftDto, example: defaultDraft })
  @IsObject()
  @ValidateNested()
  @Type(() => DestructionSigningPolicyDraftDto)
  policy!: DestructionSigningPolicyDraftDto;

  @ApiProperty({ example: '2026年销毁审批制度修订' })
  @IsString()
  @MaxLength(1000)
  reason!: string;
}

export class DestructionPolicyAdoptedDto extends CommandAcceptedDto {
  @ApiProperty({ example: 2 })
  version!: number;
}
