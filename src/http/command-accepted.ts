import { ApiProperty } from '@nestjs/swagger';
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
}

/** The body every successful command answers with. */
export function commandAccepted(outcome: CommandOutcome<DomainEvent>): CommandAcceptedDto {
  return {
    stream: outcome.stream,
    revision: outcome.revision,
    position: outcome.position ?? null,
    events: outcome.events.map((e) => e.type),
    replayed: outcome.replayed,
  };
}
