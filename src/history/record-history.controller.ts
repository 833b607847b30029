import { Controller, Get, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../auth/current-actor.decorator';
import type { Role } from '../auth/roles';
import type { CommandContext } from '../command-shell/command-shell';
import type { Actor } from '../domain-kernel/actor';
import { CommandContextFrom } from '../http/command-context.decorator';
import { QueryRoute } from '../queries/catalogue/query-route.decorator';
import { ArchiveCodeParam } from '../records/record-params';
import { CODE_PARAM, RECORD_NOT_FOUND } from '../records/record-routes';
import {
  RecordHistoryDto,
  RecordHistoryQueryDto,
  RecordStateDto,
  RecordStateQueryDto,
} from './record-history.dto';
import { RecordHistoryService } from './record-history.service';

/**
 * Who may replay a record: compliance officers (the BRIEF: they replay any record's full history),
 * auditors, the archive's own people, and the security officer who answers for classified records.
 */
export const HISTORY_READERS: readonly [Role, ...Role[]] = [
  'compliance_officer',
  'auditor',
  'archivist',
  'archive_department_head',
  'security_officer',
];

const CLEARANCE_RULES =
  'A record whose classification now is above the caller’s clearance is answered 404, as if it did not exist (A2). ' +
  'If it is visible now but what would be shown was classified above the caller’s clearance, the answer is 403 ABOVE_CLEARANCE (A2). ' +
  'When what is shown is classified SECRET or above (the stricter of now and then), `purpose` is required and the view is registered (RecordDetailViewed on `access-{code}`, a separate stream) before the answer (A1). ' +
  'Read from the record’s own stream, hash chain verified (503 INTEGRITY_FAULT if stored history was altered), never from a read model.';

/** 档案历史 — a record's full history, and its state at any past moment (docs/history.md). */
@ApiTags('history')
@ApiBearerAuth()
@Controller('records')
export class RecordHistoryController {
  constructor(private readonly history: RecordHistoryService) {}

  @Get(':code/history')
  @QueryRoute({
    roles: HISTORY_READERS,
    summary: '档案历史 — every event of a record, with readable lines (A1, A2)',
    description:
      'Every event of the record in stream order: type, actor (id, roles, unit), reason, occurredAt and recordedAt, the fields before and after for corrections (F5), classification (F6) and retention (R2) changes, a summary line in Chinese and English, and the raw stored event (data, metadata, hash, prevHash). ' +
      'Up to 1,000 entries an answer: `fromRevision` and `nextRevision` page through longer histories. The history needs clearance for the highest classification the record ever had. ' +
      CLEARANCE_RULES,
    params: [CODE_PARAM],
    answer: { type: RecordHistoryDto },
    invalid:
      'VALIDATION_FAILED: a malformed code or query parameter (fields); PURPOSE_REQUIRED (A1): a SECRET-or-above history without `purpose`',
    notFound: RECORD_NOT_FOUND,
  })
  async recordHistory(
    @ArchiveCodeParam() archiveCode: string,
    @Query() query: RecordHistoryQueryDto,
    @CurrentActor() actor: Actor,
    @CommandContextFrom() context: Omit<CommandContext, 'reason'>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    // The service answers the RecordHistoryDto already serialised (its entries are kept as JSON).
    const json = await this.history.history(actor, archiveCode, query, context);
    void reply.header('content-type', 'application/json; charset=utf-8');
    return json;
  }

  @Get(':code/state')
  @QueryRoute({
    roles: HISTORY_READERS,
    summary: '档案某时状态 — a record’s state at a past moment or revision (A1, A2)',
    description:
      'The record replayed from its events up to `at` or `revision` (neither: every event): its metadata, loans with their approvals, pending correction, damage, holds; the last event applied; and who held it then (borrower, since, due, who handed it over, approvals with approver, role and time, renewals, approval policy version). ' +
      '`by=recorded` (the default) is the state as known at `at` (events recorded by then); `by=occurred` the state as it was at `at` (events that had happened by then, including ones recorded later). ' +
      'Before the filing: 404 NOT_FILED_YET; a revision the stream does not have: 404 REVISION_NOT_FOUND. ' +
      'Clearance: the stricter of the record’s classification now and at the moment shown. ' +
      CLEARANCE_RULES,
    params: [CODE_PARAM],
    answer: { type: RecordStateDto },
    invalid:
      'VALIDATION_FAILED: a malformed code, `at` (not a timestamp with a zone, or in the future), `by`, `revision`, or `at` with `revision` (fields); PURPOSE_REQUIRED (A1)',
    notFound: `${RECORD_NOT_FOUND}; NOT_FILED_YET: not filed at that moment; REVISION_NOT_FOUND`,
  })
  recordState(
    @ArchiveCodeParam() archiveCode: string,
    @Query() query: RecordStateQueryDto,
    @CurrentActor() actor: Actor,
    @CommandContextFrom() context: Omit<CommandContext, 'reason'>,
  ): Promise<RecordStateDto> {
    return this.history.stateAt(actor, archiveCode, query, context);
  }
}
