import { classificationRank, type Actor } from '../../domain-kernel/actor';
import { conflict, forbidden, invalid, ruleBroken } from '../../domain-kernel/domain-error';
import { parseArchiveCode, RETENTION_CODES } from '../archive-code';
import type { FileRecord } from '../record.commands';
import type { RecordEvent } from '../record.events';
import type { RecordState } from '../record.state';

/** 归档 (F1–F3, F6). */
export function fileRecord({ metadata }: FileRecord, state: RecordState, actor: Actor): RecordEvent[] {
  if (state.status !== 'not_filed') {
    throw conflict(
      'ARCHIVE_CODE_TAKEN',
      `F2: archive code ${metadata.archiveCode} is already used and is never reused`,
      'F2',
    );
  }
  const parts = parseArchiveCode(metadata.archiveCode);
  if (!parts) {
    throw invalid('ARCHIVE_CODE_MALFORMED', 'F2: archive code must look like Z001-WS-2024-D30-BGS-0007', [
      {
        field: 'archiveCode',
        problems: ['expected {fonds}-{category}-{year}-{retention code}-{unit}-{seq:4}'],
      },
    ]);
  }
  const mismatched = [
    parts.fonds !== metadata.fonds && 'fonds',
    parts.category !== metadata.category && 'category',
    parts.year !== metadata.year && 'year',
    parts.retentionCode !== RETENTION_CODES[metadata.retentionClass] && 'retentionClass',
  ].filter((f): f is string => typeof f === 'string');
  if (mismatched.length > 0) {
    throw ruleBroken(
      'F2',
      'ARCHIVE_CODE_INCONSISTENT',
      `the archive code disagrees with the record's ${mismatched.join(', ')}`,
    );
  }
  if (!metadata.isOriginal && !metadata.copyReason?.trim()) {
    throw ruleBroken(
      'F3',
      'COPY_WITHOUT_REASON',
      'a copy is filed only with a stated reason (e.g. 原件用于报批)',
    );
  }
  if (classificationRank(actor.clearance) < classificationRank(metadata.classification)) {
    throw forbidden(
      'CLEARANCE_INSUFFICIENT',
      `A2: filing a ${metadata.classification} record needs clearance ${metadata.classification} or above`,
    );
  }
  return [{ type: 'ArchiveFiled', data: metadata }];
}
