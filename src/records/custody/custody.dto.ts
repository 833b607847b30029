import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from '../../http/optional.decorator';

/** Body of `POST /records/{code}/found-again` (X2). */
export class FoundAgainDto {
  @ApiProperty({ example: 'A-03-02-16', description: 'where the record was found' })
  @IsString()
  @Matches(/\S/, { message: 'location must not be blank' })
  @MaxLength(64)
  location!: string;

  @ApiPropertyOptional({ example: '错架于相邻格，已归位' })
  @Optional()
  @IsString()
  @Matches(/\S/, { message: 'note must not be blank' })
  @MaxLength(1000)
  note?: string;
}
