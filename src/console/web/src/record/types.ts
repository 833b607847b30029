import type { CatalogueEntry } from '../catalogue/types';

/** Answers of the record page's routes (src/history/record-history.dto.ts, src/audit/audit.dto.ts). */
export interface Summary {
  readonly zh: string;
  readonly en: string;
}

export interface ActorRef {
  readonly id: string;
  readonly roles: readonly string[];
  readonly unit: string;
}

export interface FieldChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface HistoryEntry {
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly actor: ActorRef;
  readonly reason: string | null;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly summary: Summary;
  readonly changes: readonly FieldChange[] | null;
}

export interface RecordHistory {
  readonly archiveCode: string;
  readonly stream: string;
  readonly classification: string;
  readonly highestClassification: string;
  readonly eventsInStream: number;
  readonly entries: readonly HistoryEntry[];
  readonly nextRevision: number | null;
}

export interface PersonRef {
  readonly id: string;
  readonly unit: string;
}

export interface TimedApproval {
  readonly role: string;
  readonly unit?: string;
  readonly approver: PersonRef;
  readonly opinion?: string;
  readonly approvedAt: string;
  readonly revision: number;
}

export type Borrower =
  | { readonly type: 'staff'; readonly id: string; readonly unit: string }
  | {
      readonly type: 'external';
      readonly name: string;
      readonly organisation: string;
      readonly introductionLetterRef: string;
    };

export interface Holder {
  readonly loanId: string;
  readonly borrower: Borrower;
  readonly mode: string;
  readonly purpose: string;
  readonly since: string | null;
  readonly due: string | null;
  readonly overdue: boolean;
  readonly handedOverBy: PersonRef | null;
  readonly policyVersion: number;
  readonly approvals: readonly TimedApproval[];
  readonly renewals: readonly {
    readonly renewal: number;
    readonly previousDueAt: string;
    readonly dueAt: string;
    readonly approvals: readonly TimedApproval[];
  }[];
}

export interface RecordState {
  readonly archiveCode: string;
  readonly asOf: {
    readonly at: string | null;
    readonly by: string | null;
    readonly revision: number | null;
    readonly meaning: Summary;
  };
  readonly classification: string;
  readonly currentClassification: string;
  readonly lastApplied: {
    readonly revision: number;
    readonly type: string;
    readonly occurredAt: string;
    readonly recordedAt: string;
    readonly actor: ActorRef;
    readonly summary: Summary;
  };
  readonly eventsApplied: number;
  readonly eventsInStream: number;
  readonly recordedAfterAt: readonly number[];
  readonly custody: {
    readonly status: 'in_custody' | 'on_loan' | 'transferred' | 'destroyed';
    readonly shelfLocation: string;
    readonly missing: { readonly stockTakeId: string } | null;
    readonly holders: readonly Holder[];
    readonly summary: Summary;
  };
  readonly state: { readonly metadata?: { readonly title?: string; readonly classification?: string } };
}

export interface StreamVerification {
  readonly stream: string;
  readonly verified: boolean;
  readonly events: number;
  readonly sealedEvents: number;
  readonly unsealedEvents: number;
  readonly unsealedFromRevision: number | null;
  readonly checkpoint: {
    readonly treeSize: number;
    readonly rootHash: string;
    readonly keyId: string;
    readonly signedAt: string;
  } | null;
  readonly fault: { readonly stream: string; readonly revision: number; readonly problem: string } | null;
}

export type RecordDetail = CatalogueEntry & {
  readonly viewRegistered: { readonly stream: string; readonly position: string | null } | null;
};
