import { ApiPropertyOptional } from '@nestjs/swagger';
import { QueryInt } from '../http/query-int.decorator';
import { IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Optional } from '../http/optional.decorator';

/** Query parameters every list endpoint accepts: a page size, a cursor, and read-your-writes. */
export class PageQueryDto {
  @ApiPropertyOptional({ example: 50, default: 50, minimum: 1, maximum: 200 })
  @Optional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `nextCursor` of the previous page; send the same filters' })
  @Optional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;

  @ApiPropertyOptional({
    example: '42',
    description:
      'a global position returned by a command: the answer waits (bounded) until the read models have passed it, then reflects that write',
  })
  @Optional()
  @IsString()
  @Matches(/^[0-9/]{1,64}$/, { message: 'after must be a position returned by a command' })
  after?: string;
}

/** The page every list endpoint answers. */
export interface PageAnswer<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}
