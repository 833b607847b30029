import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Optional } from '../../http/optional.decorator';
import { RETENTION_CLASSES, type RetentionClass } from '../archive-code';
import { APPRAISAL_DECISIONS, type AppraisalDecision } from '../record.events';

/** Another member of the appraisal committee (鉴定小组成员), as the recording member names them. */
export class CommitteeMemberDto {
  @ApiProperty({ example: 'liu.yang', description: 'user id' })
  @IsString()
  @Matches(/\S/, { message: 'id must not be blank' })
  @MaxLength(200)
  id!: string;

  @ApiProperty({ example: 'ARCHIVE', description: 'their unit (部门)' })
  @IsString()
  @Matches(/\S/, { message: 'unit must not be blank' })
  @MaxLength(100)
  unit!: string;
}

/** Body of `POST /records/{code}/appraisals` (R4, R5). */
export class RecordAppraisalDto {
  @ApiProperty({
    enum: APPRAISAL_DECISIONS,
    example: 'release',
    description: 'keep (继续保存, with a longer retention) or release for destruction (准予销毁)',
  })
  @IsIn(APPRAISAL_DECISIONS)
  decision!: AppraisalDecision;

  @ApiProperty({ example: '已无查考利用价值，保管期满，同意销毁', description: '鉴定意见 — the grounds' })
  @IsString()
  @Matches(/\S/, { message: 'grounds must not be blank' })
  @MaxLength(2000)
  grounds!: string;

  @ApiProperty({
    type: [CommitteeMemberDto],
    example: [{ id: 'liu.yang', unit: 'ARCHIVE' }],
    description: 'the other committee members (you are recorded as the first); at least one',
  })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CommitteeMemberDto)
  members!: CommitteeMemberDto[];

  @ApiPropertyOptional({
    enum: RETENTION_CLASSES,
    example: 'D30',
    description: 'keep only: the new, longer retention class (R2)',
  })
  @Optional()
  @IsIn(RETENTION_CLASSES)
  newRetentionClass?: RetentionClass;
}
