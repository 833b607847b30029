import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { RETENTION_CLASSES, type RetentionClass } from '../archive-code';

/** Body of `POST /records/{code}/retention` (R2, R3). */
export class ExtendRetentionDto {
  @ApiProperty({
    enum: RETENTION_CLASSES,
    example: 'PERMANENT',
    description: 'the new 保管期限; must be longer than the current one (D10 < D30 < PERMANENT)',
  })
  @IsIn(RETENTION_CLASSES)
  retentionClass!: RetentionClass;

  @ApiProperty({ example: '经鉴定具有长期保存价值', description: 'grounds for the extension (鉴定意见)' })
  @IsString()
  @Matches(/\S/, { message: 'grounds must not be blank' })
  @MaxLength(1000)
  grounds!: string;
}
