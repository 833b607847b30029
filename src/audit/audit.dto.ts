import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { QueryInt } from '../http/query-int.decorator';
import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CommandAcceptedDto } from '../http/command-accepted';
import { Optional } from '../http/optional.decorator';

const SIZE = /^(0|[1-9]\d{0,14})$/;

export class CheckpointQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'note'],
    description: '`note`: the signed note as text/plain (as does `Accept: text/plain`); default JSON',
  })
  @Optional()
  @IsIn(['json', 'note'])
  format?: 'json' | 'note';
}

export class CheckpointListQueryDto {
  @ApiPropertyOptional({ example: 50, default: 50, minimum: 1, maximum: 200 })
  @Optional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'the `nextCursor` of the previous page' })
  @Optional()
  @IsString()
  @Matches(/^[1-9]\d{0,14}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;
}

export class InclusionQueryDto {
  @ApiProperty({
    example: '42',
    description:
      'global position of the event, as commands answer it: "42" on the embedded store, "<commit>/<prepare>" on EventStoreDB',
  })
  @IsString()
  @Matches(/^([1-9]\d{0,14}|(0|[1-9]\d{0,19})\/(0|[1-9]\d{0,19}))$/, {
    message: 'position must be a global position such as "42" (or "1234/1234" with EventStoreDB)',
  })
  position!: string;

  @ApiPropertyOptional({
    example: '1000',
    description: 'tree size of the checkpoint to prove against; default the latest',
  })
  @Optional()
  @IsString()
  @Matches(SIZE, { message: 'treeSize must be a whole number' })
  treeSize?: string;
}

export class ConsistencyQueryDto {
  @ApiProperty({ example: '1000', description: 'the older tree size' })
  @IsString()
  @Matches(SIZE, { message: 'from must be a whole number' })
  from!: string;

  @ApiPropertyOptional({ example: '2000', description: 'the newer tree size; default the latest checkpoint' })
  @Optional()
  @IsString()
  @Matches(SIZE, { message: 'to must be a whole number' })
  to?: string;
}

export class VerifyQueryDto {
  @ApiProperty({ example: 'record-Z001-WS-2024-D30-BGS-0007', description: 'the stream to verify' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  stream!: string;
}

export class RotateSealingKeyDto {
  @ApiProperty({
    example: 'annual key rotation',
    description: 'why the key is rotated (recorded in the event)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}

// ---- answers ---------------------------------------------------------------------------------------

export class CheckpointDto {
  @ApiProperty({ example: 1 }) sequence!: number;
  @ApiProperty({ example: 'archive-ledger.local/log' }) origin!: string;
  @ApiProperty({ example: 1000 }) treeSize!: number;
  @ApiProperty({ description: 'RFC 6962 root hash, hex' }) rootHash!: string;
  @ApiProperty({ example: 'c74f20a3', description: 'key id of the signing key (8 hex digits)' })
  keyId!: string;
  @ApiProperty({ description: 'signed-note verifier key that checks `note`' }) verifierKey!: string;
  @ApiProperty() signedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'global position of the last event covered' })
  lastPosition!: string | null;
  @ApiProperty({ description: 'the C2SP signed note (tlog-checkpoint), exactly as signed' }) note!: string;
}

export class CheckpointPageDto {
  @ApiProperty({ type: [CheckpointDto] }) items!: CheckpointDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class InclusionProofDto {
  @ApiProperty() position!: string;
  @ApiProperty() stream!: string;
  @ApiProperty() revision!: number;
  @ApiProperty({
    description: '0-based index of the event’s leaf in the global order, as the seal store recorded it',
  })
  leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'the event hash (leaf input), hex' }) eventHash!: string;
  @ApiProperty({ description: 'SHA-256(0x00 ‖ event hash), hex' }) leafHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 inclusion path, hex, leaf side first' })
  proof!: string[];
  @ApiProperty({ description: 'root of the tree of treeSize leaves, hex' }) rootHash!: string;
  @ApiProperty({ type: CheckpointDto, nullable: true }) checkpoint!: CheckpointDto | null;
}

export class ConsistencyProofDto {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @ApiProperty() fromRootHash!: string;
  @ApiProperty() toRootHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 consistency proof, hex' }) proof!: string[];
}

export class SealingKeyDto {
  @ApiProperty({ example: 'c74f20a3' }) keyId!: string;
  @ApiProperty({ description: '<name>+<key id>+<base64(0x01 ‖ Ed25519 public key)>' }) verifierKey!: string;
  @ApiProperty({ enum: ['current', 'retired'] }) status!: string;
  @ApiProperty() fromTreeSize!: number;
  @ApiPropertyOptional() untilTreeSize?: number;
  @ApiPropertyOptional({ description: 'reason, who and when, for a key that replaced another' })
  rotation?: object;
}

export class PublicKeysDto {
  @ApiProperty({ example: 'archive-ledger.local/log' }) keyName!: string;
  @ApiProperty({ type: SealingKeyDto }) current!: SealingKeyDto;
  @ApiProperty({ type: [SealingKeyDto] }) keys!: SealingKeyDto[];
}

export class ChainFaultDto {
  @ApiProperty() stream!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() problem!: string;
}

export class StreamVerificationDto {
  @ApiProperty() stream!: string;
  @ApiProperty({ description: 'the chain holds and every sealed event is in the signed tree' })
  verified!: boolean;
  @ApiProperty() events!: number;
  @ApiProperty() sealedEvents!: number;
  @ApiProperty({ description: 'events newer than the checkpoint: not a fault' }) unsealedEvents!: number;
  @ApiProperty({ nullable: true, type: Number }) unsealedFromRevision!: number | null;
  @ApiProperty({ nullable: true, type: Object }) checkpoint!: object | null;
  @ApiProperty({ type: ChainFaultDto, nullable: true }) fault!: ChainFaultDto | null;
}

export class SealingKeyRotatedDto extends CommandAcceptedDto {
  @ApiProperty({ example: 'af0cfe78' }) keyId!: string;
  @ApiProperty({ example: 'c74f20a3' }) previousKeyId!: string;
}
