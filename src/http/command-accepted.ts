import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CommandOutcome } from '../command-shell/command-shell';
import type { DomainEvent } from '../domain-kernel/decider';

/** Answer to every successful command: where the stream and the global order now stand. */
export class CommandAcceptedDto {
  @ApiProperty({ example: 'record-Z001-WS-2024-D30-BGS-0007' })
  stream!: string;

  @ApiProperty({ example: 0, description: 'stream revision after the command' })
  revision!: number;

  @ApiProperty({
    example: '42',
    nullable: true,
    type: String,
    description:
      'global position reached (opaque; pass as ?after= to read your own write once read models exist); null only when nothing was ever written',
  })
  position!: string | null;

  @ApiProperty({ example: ['ArchiveFiled'], type: [String] })
  events!: string[];

  @ApiProperty({
    example: false,
    description: 'true when an earlier request with the same Idempotency-Key did this',
  })
  replayed!: boolean;

  @ApiPropertyOptional({
    example: 'Z001-WS-2024-D30-BGS-0007',
    description: 'the record acted on (filing: the code assigned)',
  })
  archiveCode?: string;

  @ApiPropertyOptional({
    example: 'Z001-WS-2024-D30-BGS-0007.L1',
    description: 'the loan created or acted on',
  })
  loanId?: string;

  @ApiPropertyOptional({ example: 'C1', description: 'the correction created or decided' })
  correctionId?: string;

  @ApiPropertyOptional({ example: 'H1', description: 'the hold placed or released' })
  holdId?: string;

  @ApiPropertyOptional({ example: 'D1', description: 'the damage report created' })
  reportId?: string;

  // ── Transfer and stock-taking (X1, X2)
  @ApiPropertyOptional({ example: 'TR-2026-0001', description: 'the transfer list acted on (X1)' })
  transferId?: string;

  @ApiPropertyOptional({ example: 'ST-2026-0001', description: 'the stock-take acted on (X2)' })
  stockTakeId?: string;

  // ── Appraisal and destruction (R4, R5, D1–D8)
  @ApiPropertyOptional({ example: 'AP1', description: 'the appraisal recorded (R5)' })
  appraisalId?: string;

  @ApiPropertyOptional({
    example: 'XH-20260301-4F2A9C01',
    description: 'the destruction list created or acted on',
  })
  listId?: string;
}

/** Ids a command's answer names, so the caller can address what it created. */
export type CreatedIds = Pick<
  CommandAcceptedDto,
  | 'archiveCode'
  | 'loanId'
  | 'correctionId'
  | 'holdId'
  | 'reportId'
  | 'appraisalId'
  | 'listId'
  | 'transferId'
  | 'stockTakeId'
>;

/** The body every successful command answers with. */
export function commandAccepted(
  outcome: CommandOutcome<DomainEvent>,
  ids: CreatedIds = {},
): CommandAcceptedDto {
  return {
    ...ids,
    stream: outcome.stream,
    revision: outcome.revision,
    position: outcome.position ?? null,
    events: outcome.events.map((e) => e.type),
    replayed: outcome.replayed,
  };
}
