/**
 * 档号 — archive code. Default shape (DA/T 13 style, BRIEF F2):
 * `{fonds}-{category}-{year}-{retention code}-{unit}-{seq:4}`, e.g. `Z001-WS-2024-D30-BGS-0007`.
 * Pure: used by the domain and by request validation.
 */
export const RETENTION_CLASSES = ['PERMANENT', 'D30', 'D10'] as const;
/** 保管期限 — retention class: PERMANENT (永久), D30 (定期30年), D10 (定期10年). */
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

/** Retention codes as written in the archive code (DA/T 22): 永久 = Y. */
export const RETENTION_CODES: Readonly<Record<RetentionClass, string>> = {
  PERMANENT: 'Y',
  D30: 'D30',
  D10: 'D10',
};

export const ARCHIVE_CODE_PATTERN =
  /^(?<fonds>[A-Z0-9]{1,8})-(?<category>[A-Z]{2}(?:·[A-Z]{2})?)-(?<year>\d{4})-(?<retention>Y|D30|D10)-(?<unit>[A-Z0-9]{1,12})-(?<seq>\d{4})$/;

/** An archive code without its sequence, e.g. `Z001-WS-2024-D30-BGS`: the system assigns the next free one (F2). */
export const ARCHIVE_CODE_PREFIX_PATTERN =
  /^(?<fonds>[A-Z0-9]{1,8})-(?<category>[A-Z]{2}(?:·[A-Z]{2})?)-(?<year>\d{4})-(?<retention>Y|D30|D10)-(?<unit>[A-Z0-9]{1,12})$/;

/** A full archive code, or a prefix for which the next sequence is assigned (request validation). */
export const ARCHIVE_CODE_OR_PREFIX_PATTERN =
  /^[A-Z0-9]{1,8}-[A-Z]{2}(?:·[A-Z]{2})?-\d{4}-(?:Y|D30|D10)-[A-Z0-9]{1,12}(?:-\d{4})?$/;

/** The highest sequence the default shape can hold ({seq:4}). */
export const MAX_SEQUENCE = 9999;

export interface ArchiveCodeParts {
  readonly fonds: string;
  readonly category: string;
  readonly year: number;
  readonly retentionCode: string;
  readonly unit: string;
  readonly sequence: number;
}

export function parseArchiveCode(code: string): ArchiveCodeParts | undefined {
  const match = ARCHIVE_CODE_PATTERN.exec(code);
  if (!match?.groups) return undefined;
  const g = match.groups;
  return {
    fonds: g.fonds,
    category: g.category,
    year: Number(g.year),
    retentionCode: g.retention,
    unit: g.unit,
    sequence: Number(g.seq),
  };
}

export function formatArchiveCode(parts: ArchiveCodeParts): string {
  return [
    parts.fonds,
    parts.category,
    String(parts.year),
    parts.retentionCode,
    parts.unit,
    String(parts.sequence).padStart(4, '0'),
  ].join('-');
}

/** Stream that hands out sequence numbers for one archive-code prefix (F2). */
export function archiveSequenceStream(prefix: string): string {
  return `archive-sequence-${prefix}`;
}

/** Stream of one record: the archive code is the identity (one helper names every stream). */
export function recordStream(archiveCode: string): string {
  return `record-${archiveCode}`;
}

/** A loan's id: its record's archive code and its number on that record, e.g. `Z001-WS-2024-D30-BGS-0007.L1`. */
export function loanIdFor(archiveCode: string, loanNumber: number): string {
  return `${archiveCode}.L${loanNumber}`;
}

const LOAN_ID_PATTERN = /^(?<code>.+)\.L(?<number>[1-9]\d{0,5})$/;

/** The record a loan id belongs to, or undefined when the id is not one this system issues. */
export function parseLoanId(loanId: string): { archiveCode: string; loanNumber: number } | undefined {
  const match = LOAN_ID_PATTERN.exec(loanId);
  if (!match?.groups || !ARCHIVE_CODE_PATTERN.test(match.groups.code)) return undefined;
  return { archiveCode: match.groups.code, loanNumber: Number(match.groups.number) };
}
