import type { Classification } from '../domain-kernel/actor';
import type { DomainEvent } from '../domain-kernel/decider';
import type { RetentionClass } from './archive-code';

export const CARRIERS = ['paper', 'electronic', 'photo', 'audio', 'video', 'microfilm', 'object'] as const;
/** 载体 — carrier. */
export type Carrier = (typeof CARRIERS)[number];

/** The metadata of a filed record (BRIEF F1). Chinese text is first-class in every field. */
export interface RecordMetadata {
  /** 档号 */
  readonly archiveCode: string;
  /** 全宗 */
  readonly fonds: string;
  /** 门类 */
  readonly category: string;
  readonly year: number;
  /** 保管期限 */
  readonly retentionClass: RetentionClass;
  /** 机构/问题 — organisational unit or issue. */
  readonly organisationalUnit: string;
  /** 题名 */
  readonly title: string;
  /** 责任者 */
  readonly responsibleParty: string;
  /** 文号 */
  readonly documentNumber?: string;
  /** 形成时间 (YYYY-MM-DD) */
  readonly dateFormed: string;
  readonly carrier: Carrier;
  readonly itemCount: number;
  readonly pageCount?: number;
  /** 密级 */
  readonly classification: Classification;
  readonly custodianDepartment: string;
  readonly shelfLocation: string;
  /** The client, supplier or partner the record is about. */
  readonly counterparty?: string;
  readonly keywords: readonly string[];
  /** F3: records are filed as originals; a copy carries the reason. */
  readonly isOriginal: boolean;
  readonly copyReason?: string;
}

/** 归档 — a record was filed (F1). */
export type ArchiveFiled = DomainEvent<'ArchiveFiled', RecordMetadata>;

/** One discriminated union per stream: every event of `record-{archiveCode}`. */
export type RecordEvent = ArchiveFiled;

export const RECORD_EVENT_TYPES: readonly RecordEvent['type'][] = ['ArchiveFiled'];
