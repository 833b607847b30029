import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { CLASSIFICATIONS, type Classification } from '../../domain-kernel/actor';

/** Body of `POST /records/{code}/classification` (F6). */
export class ChangeClassificationDto {
  @ApiProperty({
    enum: CLASSIFICATIONS,
    example: 'INTERNAL',
    description: 'the new 密级; below SECRET from SECRET or above lifts the classification (解密)',
  })
  @IsIn(CLASSIFICATIONS)
  classification!: Classification;

  @ApiProperty({
    example: '保密期限已满，经保密委员会审定解密',
    description: 'grounds for the change (变更/解除依据)',
  })
  @IsString()
  @Matches(/\S/, { message: 'grounds must not be blank' })
  @MaxLength(1000)
  grounds!: string;
}
