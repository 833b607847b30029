import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export class DevSignInDto {
  @ApiProperty({
    description: 'Id of one of the demo users listed by GET /auth/sign-in-options',
    example: 'wang.fang',
  })
  @IsString()
  @MaxLength(100)
  @Matches(/^[a-z0-9._-]+$/, { message: 'user must be a demo user id such as wang.fang' })
  user!: string;
}
