import { assertNever, type Decider } from '../domain-kernel/decider';
import { conflict, invalid, ruleBroken } from '../domain-kernel/domain-error';
import { parseArchiveCode, RETENTION_CODES } from './archive-code';
import type { RecordEvent, RecordMetadata } from './record.events';

/** The record aggregate's state, folded from its stream. */
export type RecordState =
  { readonly status: 'not_filed' } | { readonly status: 'in_custody'; readonly metadata: RecordMetadata };

/** 归档 — file a record (F1–F3, F6). */
export interface FileRecord {
  readonly type: 'FileRecord';
  readonly metadata: RecordMetadata;
}

export type RecordCommand = FileRecord;

export const recordDecider: Decider<RecordCommand, RecordEvent, RecordState> = {
  initialState: () => ({ status: 'not_filed' }),

  decide(command, state) {
    switch (command.type) {
      case 'FileRecord':
        return fileRecord(command, state);
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ArchiveFiled':
        return { status: 'in_custody', metadata: event.data };
      default:
        return assertNever(event.type);
    }
  },
};

function fileRecord({ metadata }: FileRecord, state: RecordState): RecordEvent[] {
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
  return [{ type: 'ArchiveFiled', data: metadata }];
}
