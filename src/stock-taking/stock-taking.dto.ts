import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CommandAcceptedDto } from '../http/command-accepted';
import { Optional } from '../http/optional.decorator';
import { MAX_FINDINGS_PER_CALL, MAX_LOCATIONS } from './stock-taking.decider';

const NOT_BLANK = /\S/;

/** Body of `POST /stock-takes` (X2). */
export class OpenStockTakeDto {
  @ApiProperty({
    type: [String],
    example: ['A-03', 'B-01-04'],
    description:
      'shelf locations in scope, each covering everything shelved under it (A-03 covers A-03-02-15)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LOCATIONS)
  @IsString({ each: true })
  @Matches(NOT_BLANK, { each: true, message: 'each location must not be blank' })
  @MaxLength(64, { each: true })
  locations!: string[];

  @ApiPropertyOptional({ example: '2026年第一季度库房清点' })
  @Optional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'note must not be blank' })
  @MaxLength(1000)
  note?: string;
}

export class FindingDto {
  @ApiProperty({
    example: 'Z001-WS-2024-D30-BGS-0007',
    description: 'the code on the label, as read (unknown codes are reported)',
  })
  @IsString()
  @Matches(NOT_BLANK, { message: 'archiveCode must not be blank' })
  @MaxLength(64)
  archiveCode!: string;

  @ApiProperty({ example: 'A-03-02-15', description: 'where it stood' })
  @IsString()
  @Matches(NOT_BLANK, { message: 'location must not be blank' })
  @MaxLength(64)
  location!: string;
}

/** Body of `POST /stock-takes/{stockTakeId}/findings`. */
export class RecordFindingsDto {
  @ApiProperty({ type: [FindingDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_FINDINGS_PER_CALL)
  @ValidateNested({ each: true })
  @Type(() => FindingDto)
  findings!: FindingDto[];
}

/** Body of `POST /stock-takes/{stockTakeId}/closure`. */
export class CloseStockTakeDto {
  @ApiPropertyOptional({ example: '清点完毕', description: 'kept as the reason' })
  @Optional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'note must not be blank' })
  @MaxLength(1000)
  note?: string;
}

/** Answer of a close: which records were flagged missing and which found again. */
export class StockTakeClosedDto extends CommandAcceptedDto {
  @ApiProperty({ type: [String], example: ['Z001-WS-2024-D30-BGS-0009'] })
  flaggedMissing!: string[];

  @ApiProperty({ type: [String], example: [] })
  foundAgain!: string[];
}
