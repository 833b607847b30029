import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from '../../http/optional.decorator';
import { HOLD_KINDS, type HoldKind } from '../record.events';

/** Body of `POST /records/{code}/holds` (R6). */
export class PlaceHoldDto {
  @ApiProperty({
    enum: HOLD_KINDS,
    example: 'legal',
    description:
      'legal: placed and released by a compliance officer; audit: by an auditor or a compliance officer',
  })
  @IsIn(HOLD_KINDS)
  kind!: HoldKind;

  @ApiProperty({ example: '涉及合同纠纷诉讼，依法保全相关档案', description: 'why the record is frozen' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(1000)
  reason!: string;

  @ApiPropertyOptional({
    example: '（2026）沪0115民初1234号',
    description: 'case, matter or audit reference',
  })
  @Optional()
  @IsString()
  @Matches(/\S/, { message: 'reference must not be blank' })
  @MaxLength(200)
  reference?: string;
}

/** Body of `POST /records/{code}/holds/{holdId}/release` (R6). */
export class ReleaseHoldDto {
  @ApiProperty({ example: '诉讼已结案，解除保全', description: 'why the hold ends' })
  @IsString()
  @Matches(/\S/, { message: 'reason must not be blank' })
  @MaxLength(1000)
  reason!: string;
}
