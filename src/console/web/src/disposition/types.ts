/** What the disposition desk reads from the service (src/queries/catalogue, src/queries/destruction). */

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  readonly total?: number;
}

export interface PersonRef {
  readonly id: string;
  readonly unit: string;
}

/** A catalogue entry as `GET /retention-due` answers it (only the fields this desk shows). */
export interface DueRecord {
  readonly archiveCode: string;
  readonly title: string;
  readonly responsibleParty: string;
  readonly documentNumber: string | null;
  readonly dateFormed: string;
  readonly retentionClass: string;
  readonly retentionDueOn: string | null;
  readonly classification: string;
  readonly unit: string;
  readonly onLoan: boolean;
  readonly held: boolean;
  readonly missing: boolean;
}

export interface SigningRequirement {
  readonly capacity: string;
  readonly role: string;
  readonly of?: 'office_unit' | 'archive_unit' | 'business_unit';
  readonly label: string;
}

export interface DestructionSignature {
  readonly capacity: string;
  readonly role: string;
  readonly unit?: string;
  readonly signer: PersonRef;
  readonly opinion: string;
  readonly signedAt: string;
}

export type WitnessCapacity = 'archive' | 'business' | 'security';

export interface WitnessCheck {
  readonly capacity: WitnessCapacity;
  readonly witness: PersonRef;
  readonly itemCount: number;
  readonly archiveCodes: readonly string[];
  readonly matched: boolean;
  readonly discrepancies: readonly string[];
  readonly notes?: string;
  readonly checkedAt: string;
}

export interface DestructionItem {
  readonly archiveCode: string;
  readonly documentNumber: string | null;
  readonly responsibleParty: string;
  readonly title: string;
  readonly dateFormed: string;
  readonly retentionClass: string;
  readonly yearsKept: number;
  readonly classification: string;
  readonly appraisalId: string;
  readonly addedAt: string;
  readonly destroyedOn: string | null;
  readonly withheld: { readonly rule: string; readonly code: string; readonly message: string } | null;
}

export type ListStatus =
  'draft' | 'signing' | 'approved' | 'refused' | 'cancelled' | 'executing' | 'executed' | 'completed';

export const LIST_STATUSES: readonly ListStatus[] = [
  'draft',
  'signing',
  'approved',
  'refused',
  'cancelled',
  'executing',
  'executed',
  'completed',
];

/** One destruction list as the register holds it (D7), as the caller may see it (A2). */
export interface DestructionList {
  readonly listId: string;
  readonly title: string;
  readonly status: ListStatus;
  readonly businessUnit: string;
  readonly archiveUnit: string;
  readonly officeUnit: string;
  readonly policyVersion: number;
  readonly requirements: readonly SigningRequirement[];
  readonly draftedBy: PersonRef;
  readonly draftedAt: string;
  readonly itemCount: number;
  readonly items: readonly DestructionItem[];
  readonly removedItems: readonly {
    readonly archiveCode: string;
    readonly reason: string;
    readonly removedBy: PersonRef;
    readonly removedAt: string;
  }[];
  readonly signatures: readonly DestructionSignature[];
  readonly refusal: DestructionSignature | null;
  readonly cancellation: {
    readonly reason: string;
    readonly cancelledBy: PersonRef;
    readonly cancelledAt: string;
  } | null;
  readonly approvedAt: string | null;
  readonly witnessChecks: readonly WitnessCheck[];
  readonly witnessSignatures: readonly {
    readonly capacity: WitnessCapacity;
    readonly witness: PersonRef;
    readonly remark: string | null;
    readonly signedAt: string;
  }[];
  readonly executedBy: PersonRef | null;
  readonly executionStartedAt: string | null;
  readonly destroyedOn: string | null;
  readonly executedAt: string | null;
  readonly completedAt: string | null;
}

/** Classifications at or above SECRET: a list holding one needs the security officer as a witness (D5). */
export const CLASSIFIED = new Set(['SECRET', 'CONFIDENTIAL', 'TOP_SECRET']);

/** The witnesses a list needs (D5), as the service's decider counts them. */
export function requiredWitnesses(list: DestructionList): readonly WitnessCapacity[] {
  return list.items.some((item) => CLASSIFIED.has(item.classification))
    ? ['archive', 'business', 'security']
    : ['archive', 'business'];
}

/** The unit a capacity's signer must belong to, if the policy names one (D3). */
export function unitOfRequirement(
  list: DestructionList,
  requirement: SigningRequirement,
): string | undefined {
  switch (requirement.of) {
    case 'office_unit':
      return list.officeUnit;
    case 'archive_unit':
      return list.archiveUnit;
    case 'business_unit':
      return list.businessUnit;
    default:
      return undefined;
  }
}

/** The capacities nobody has signed yet (D3). */
export function outstanding(list: DestructionList): readonly SigningRequirement[] {
  return list.requirements.filter((r) => !list.signatures.some((s) => s.capacity === r.capacity));
}

/** Today as the browser's calendar says it (YYYY-MM-DD). */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
