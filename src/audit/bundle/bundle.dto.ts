import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { Optional } from '../../http/optional.decorator';
import { BUNDLE_FORMAT, BUNDLE_VERSION } from './bundle.format';

export class BundleQueryDto {
  @ApiPropertyOptional({
    example: '合规检查：离线核验档案历史',
    description:
      'Why (A1): required when the record is, or ever was, classified SECRET or above; the export is then registered in the access register (RecordDetailViewed, view `history`) before it is answered.',
  })
  @Optional()
  @IsString()
  @MaxLength(500)
  purpose?: string;
}

export class BundleEventDto {
  @ApiProperty({
    example: '17',
    description:
      'global position as the event store reports it ("17" embedded, "<commit>/<prepare>" on EventStoreDB)',
  })
  position!: string;
  @ApiProperty({
    example: 16,
    description:
      'index of the event’s leaf in the log’s tree (version 2), proven by the inclusion proof; on the embedded store position − 1',
  })
  leafIndex!: number;
  @ApiProperty({ example: 'record-Z001-WS-2024-D30-BGS-0007' }) stream!: string;
  @ApiProperty({ example: 0 }) revision!: number;
  @ApiProperty({ description: 'hex SHA-256 of the domain tag and the canonical bytes' }) hash!: string;
  @ApiPropertyOptional({ description: 'base64 of the stored RFC 8785 bytes, exactly as hashed' })
  canonical?: string;
  @ApiPropertyOptional({
    description:
      'present instead of `canonical` for a destruction-list event that names a record above the caller’s clearance (A2)',
  })
  withheld?: string;
  @ApiProperty({
    type: [String],
    description: 'RFC 9162 inclusion proof in the checkpoint’s tree (hex, leaf side first)',
  })
  inclusionProof!: string[];
}

export class BundleCheckpointDto {
  @ApiProperty({ description: 'the C2SP signed note, exactly as signed' }) note!: string;
  @ApiProperty({ example: 1000 }) treeSize!: number;
  @ApiProperty({ description: 'signed-note verifier key `<name>+<key id>+<base64(0x01 ‖ public key)>`' })
  verifierKey!: string;
}

/** The export bundle / destruction certificate (docs/audit.md): verify it offline with `archive-ledger verify`. */
export class AuditBundleDto {
  @ApiProperty({ example: BUNDLE_FORMAT }) format!: string;
  @ApiProperty({ example: BUNDLE_VERSION }) version!: number;
  @ApiProperty({ enum: ['record-export', 'destruction-certificate'] }) kind!: string;
  @ApiProperty({ example: 'Z001-WS-2024-D30-BGS-0007' }) archiveCode!: string;
  @ApiPropertyOptional({ example: 'XH-20260301-4F2A9C01', description: 'certificates: the destruction list' })
  listId?: string;
  @ApiProperty({ type: BundleCheckpointDto }) checkpoint!: BundleCheckpointDto;
  @ApiProperty({ type: [BundleEventDto] }) events!: BundleEventDto[];
}
