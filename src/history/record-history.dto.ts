import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { QueryInt } from '../http/query-int.decorator';
import { IsIn, IsInt, IsISO8601, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CLASSIFICATIONS, type Classification } from '../domain-kernel/actor';
import { Optional } from '../http/optional.decorator';
import type { Summary } from './domain/record-event-summaries';
import type { HistoryEntry } from './domain/record-history';
import { TIME_BASES, type Custody, type TimeBasis } from './domain/state-at';

/** The most entries one history answer holds. */
export const HISTORY_PAGE_MAX = 1000;

const PURPOSE_DESCRIPTION =
  'A1: why you view the record (查阅目的). Required when what is shown is classified SECRET or above; the view is then registered in the access register.';

/** Query of `GET /records/{code}/history`. */
export class RecordHistoryQueryDto {
  @ApiPropertyOptional({ example: '合规检查：核对借阅审批', description: PURPOSE_DESCRIPTION })
  @Optional()
  @IsString()
  @MaxLength(500)
  purpose?: string;

  @ApiPropertyOptional({ example: 0, default: 0, description: 'first revision to list' })
  @Optional()
  @QueryInt()
  @IsInt()
  @Min(0)
  fromRevision?: number;

  @ApiPropertyOptional({ example: 1000, default: HISTORY_PAGE_MAX, minimum: 1, maximum: HISTORY_PAGE_MAX })
  @Optional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(HISTORY_PAGE_MAX)
  limit?: number;
}

/** An ISO 8601 timestamp with a time and a zone: a moment, not a day. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Query of `GET /records/{code}/state`. */
export class RecordStateQueryDto {
  @ApiPropertyOptional({
    example: '2025-03-03T12:00:00+08:00',
    description:
      'the moment: an ISO 8601 timestamp with a time zone. Give `at` or `revision`, not both; neither: the latest state',
  })
  @Optional()
  @IsString()
  @Matches(TIMESTAMP, {
    message: 'at must be an ISO 8601 timestamp with a time and a time zone, e.g. 2025-03-03T12:00:00+08:00',
  })
  @IsISO8601({ strict: true }, { message: 'at must be a real date and time' })
  at?: string;

  @ApiPropertyOptional({
    enum: TIME_BASES,
    default: 'recorded',
    description:
      'with `at`: `recorded` (default) — the state as known at `at`: events the store had recorded by then; `occurred` — the state as it was at `at`: events that had happened by then as their actors stated, including ones recorded later',
  })
  @Optional()
  @IsIn(TIME_BASES)
  by?: TimeBasis;

  @ApiPropertyOptional({
    example: 4,
    description: 'the state right after the event at this revision (0: the filing)',
  })
  @Optional()
  @QueryInt()
  @IsInt()
  @Min(0)
  revision?: number;

  @ApiPropertyOptional({ example: '合规检查：2025年3月3日的借阅情况', description: PURPOSE_DESCRIPTION })
  @Optional()
  @IsString()
  @MaxLength(500)
  purpose?: string;
}

// ── answers ─────────────────────────────────────────────────────────────────────────────────────

class SummaryDto implements Summary {
  @ApiProperty({ example: '档案管理员 wang.fang (archivist, ARCHIVE) 借出 Z001-WS-2024-D30-SALES-0001 …' })
  zh!: string;
  @ApiProperty({ example: 'wang.fang (archivist, ARCHIVE) lent out Z001-WS-2024-D30-SALES-0001 …' })
  en!: string;
}

export class ViewRegisteredDto {
  @ApiProperty({ example: 'access-Z001-WS-2024-D30-BGS-0009' })
  stream!: string;
  @ApiProperty({ example: '57', nullable: true, type: String })
  position!: string | null;
}

export class AccessRegisterNoteDto {
  @ApiProperty({ example: 'access-Z001-WS-2024-D30-BGS-0009' })
  stream!: string;
  @ApiProperty()
  note!: string;
}

export class HistoryEntryDto implements HistoryEntry {
  @ApiProperty({ example: 4 })
  revision!: number;
  @ApiProperty({ example: '57', description: 'global position' })
  position!: string;
  @ApiProperty({ example: 'Borrowed' })
  type!: string;
  @ApiProperty({ example: { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE' } })
  actor!: HistoryEntry['actor'];
  @ApiProperty({ nullable: true, type: String, example: '借出' })
  reason!: string | null;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', description: 'when it happened, as the actor stated' })
  occurredAt!: string;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', description: 'when the store recorded it' })
  recordedAt!: string;
  @ApiProperty({ type: SummaryDto })
  summary!: SummaryDto;
  @ApiProperty({
    nullable: true,
    example: [{ field: 'title', before: '旧题名', after: '新题名' }],
    description: 'fields before and after (corrections F5, classification F6, retention R2); null otherwise',
  })
  changes!: HistoryEntry['changes'];
  @ApiProperty({
    description:
      'the stored event: eventId, stream, revision, position, type, data, metadata (actor, reason, occurredAt, recordedAt, correlationId, causationId, policyVersion, schemaVersion, prevHash) and hash',
  })
  event!: HistoryEntry['event'];
}

export class RecordHistoryDto {
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001' })
  archiveCode!: string;
  @ApiProperty({ example: 'record-Z001-WS-2024-D30-SALES-0001' })
  stream!: string;
  @ApiProperty({ enum: CLASSIFICATIONS, description: 'the classification now' })
  classification!: Classification;
  @ApiProperty({
    enum: CLASSIFICATIONS,
    description:
      'the highest classification the record ever had: what this view needs (A2) and registers (A1)',
  })
  highestClassification!: Classification;
  @ApiProperty({ example: 7, description: 'events in the stream' })
  eventsInStream!: number;
  @ApiProperty({ type: [HistoryEntryDto], description: 'in stream order' })
  entries!: HistoryEntry[];
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'pass as ?fromRevision= for the next page; null at the end',
  })
  nextRevision!: number | null;
  @ApiProperty({ type: AccessRegisterNoteDto })
  accessRegister!: AccessRegisterNoteDto;
  @ApiProperty({
    type: ViewRegisteredDto,
    nullable: true,
    description: 'A1: where this view was registered; null below SECRET',
  })
  viewRegistered!: ViewRegisteredDto | null;
}

export class AsOfDto {
  @ApiProperty({ nullable: true, type: String, example: '2025-03-03T04:00:00.000Z' })
  at!: string | null;
  @ApiProperty({ nullable: true, enum: TIME_BASES })
  by!: TimeBasis | null;
  @ApiProperty({ nullable: true, type: Number })
  revision!: number | null;
  @ApiProperty({ type: SummaryDto, description: 'what the state shown means' })
  meaning!: SummaryDto;
}

export class LastAppliedDto {
  @ApiProperty() revision!: number;
  @ApiProperty() position!: string;
  @ApiProperty() type!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ example: { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE' } })
  actor!: { id: string; roles: string[]; unit: string };
  @ApiProperty({ type: SummaryDto }) summary!: SummaryDto;
}

export class RecordStateDto {
  @ApiProperty({ example: 'Z001-WS-2024-D30-SALES-0001' })
  archiveCode!: string;
  @ApiProperty({ example: 'record-Z001-WS-2024-D30-SALES-0001' })
  stream!: string;
  @ApiProperty({ type: AsOfDto })
  asOf!: AsOfDto;
  @ApiProperty({ enum: CLASSIFICATIONS, description: 'the classification at the moment shown' })
  classification!: Classification;
  @ApiProperty({ enum: CLASSIFICATIONS, description: 'the classification now' })
  currentClassification!: Classification;
  @ApiProperty({ type: LastAppliedDto })
  lastApplied!: LastAppliedDto;
  @ApiProperty() eventsApplied!: number;
  @ApiProperty() eventsInStream!: number;
  @ApiProperty({
    type: [Number],
    description:
      '`by=occurred` only: revisions applied although the store recorded them after `at` (back-dated)',
  })
  recordedAfterAt!: number[];
  @ApiProperty({
    description:
      'who held the record (B11): `in_custody`, `on_loan` (holders: borrower, since, due, who handed it over, approvals with approver, role and time, renewals, policy version) or `transferred`, with a readable line',
  })
  custody!: Custody;
  @ApiProperty({
    description:
      'the record folded from its events up to that moment: metadata, loans (with approvals), pending correction, corrections count, damage, holds …',
  })
  state!: object;
  @ApiProperty({ type: AccessRegisterNoteDto })
  accessRegister!: AccessRegisterNoteDto;
  @ApiProperty({ type: ViewRegisteredDto, nullable: true })
  viewRegistered!: ViewRegisteredDto | null;
}
