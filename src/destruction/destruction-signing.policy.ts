import type { FieldProblem } from '../domain-kernel/domain-error';

/**
 * The destruction signing policy (D3) as data: which capacities must sign a destruction list
 * (销毁清册), each filled by a person holding a role — for some, in a given unit. Versioned in its
 * own stream (`policy-destruction-signing`); every list records the version it was drafted under
 * and keeps it, so a policy change never alters a list already in progress.
 */
export interface DestructionSigningPolicy {
  readonly version: number;
  /** The archives department's unit code: its witness (D5) and, where asked, its signers come from it. */
  readonly archiveUnit: string;
  /** The office's unit code (办公室): the office head signs as `department_head` of this unit. */
  readonly officeUnit: string;
  readonly signatures: readonly SigningRequirement[];
}

/** Whose unit a signer must belong to: the office, the archives department, or the records' business unit. */
export const SIGNER_UNITS = ['office_unit', 'archive_unit', 'business_unit'] as const;
export type SignerUnit = (typeof SIGNER_UNITS)[number];

/**
 * The roles a signing capacity may ask for. The signing route admits exactly these, so a policy
 * cannot ask for a role the route would turn away.
 */
export const SIGNING_ROLES = [
  'deputy_gm',
  'general_manager',
  'department_head',
  'archive_department_head',
  'archivist',
  'destruction_signatory',
] as const;

/** One signature a list needs: a capacity (unique in the policy), the role that fills it, and optionally whose unit. */
export interface SigningRequirement {
  /** Stable name of the capacity, e.g. `office_head`; a signature names it. */
  readonly capacity: string;
  readonly role: string;
  readonly of?: SignerUnit;
  /** How the printed list (销毁清册) labels the line, e.g. 办公室负责人. */
  readonly label: string;
}

/**
 * Version 1, the shipped default (D3): the six capacities of the BRIEF mapped onto roles
 * (docs/disposition.md explains the mapping).
 */
export const DEFAULT_DESTRUCTION_SIGNING_POLICY: DestructionSigningPolicy = {
  version: 1,
  archiveUnit: 'ARCHIVE',
  officeUnit: 'BGS',
  signatures: [
    { capacity: 'leader_in_charge', role: 'deputy_gm', label: '分管档案工作的领导' },
    { capacity: 'office_head', role: 'department_head', of: 'office_unit', label: '办公室负责人' },
    {
      capacity: 'archive_department_head',
      role: 'archive_department_head',
      of: 'archive_unit',
      label: '档案部门负责人',
    },
    {
      capacity: 'business_department_head',
      role: 'department_head',
      of: 'business_unit',
      label: '业务部门负责人',
    },
    { capacity: 'archive_clerk', role: 'archivist', of: 'archive_unit', label: '档案部门经办人' },
    {
      capacity: 'business_clerk',
      role: 'destruction_signatory',
      of: 'business_unit',
      label: '业务部门经办人',
    },
  ],
};

/** A policy as an administrator proposes it: without its version. */
export type DestructionSigningPolicyDraft = Omit<DestructionSigningPolicy, 'version'>;

const UNIT_CODE = /^[A-Z][A-Z0-9]{0,15}$/;
const CAPACITY = /^[a-z][a-z0-9_]{0,63}$/;
export const MAX_SIGNATURES = 12;

/** Every problem of a proposed policy, by field path; empty when it can be adopted. */
export function validateDestructionSigningPolicy(draft: DestructionSigningPolicyDraft): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of ['archiveUnit', 'officeUnit'] as const) {
    if (typeof draft[field] !== 'string' || !UNIT_CODE.test(draft[field])) {
      problems.push({ field, problems: ['must be a unit code as used in archive codes, e.g. ARCHIVE, BGS'] });
    }
  }
  const signatures = Array.isArray(draft.signatures) ? draft.signatures : [];
  if (signatures.length < 1 || signatures.length > MAX_SIGNATURES) {
    problems.push({ field: 'signatures', problems: [`must list 1 to ${MAX_SIGNATURES} capacities`] });
  }
  const seen = new Set<string>();
  signatures.forEach((s, i) => {
    const at = `signatures[${i}]`;
    if (typeof s.capacity !== 'string' || !CAPACITY.test(s.capacity)) {
      problems.push({ field: `${at}.capacity`, problems: ['must be a lower_snake_case name'] });
    } else if (seen.has(s.capacity)) {
      problems.push({ field: `${at}.capacity`, problems: [`${s.capacity} is listed twice`] });
    } else {
      seen.add(s.capacity);
    }
    if (!(SIGNING_ROLES as readonly string[]).includes(s.role)) {
      problems.push({ field: `${at}.role`, problems: [`must be one of ${SIGNING_ROLES.join(', ')}`] });
    }
    if (s.of !== undefined && !(SIGNER_UNITS as readonly string[]).includes(s.of)) {
      problems.push({ field: `${at}.of`, problems: [`must be one of ${SIGNER_UNITS.join(', ')}`] });
    }
    if (typeof s.label !== 'string' || s.label.trim() === '' || s.label.length > 100) {
      problems.push({
        field: `${at}.label`,
        problems: ['must name the line on the printed list (1–100 characters)'],
      });
    }
  });
  return problems;
}

/** The policy as adopted: only the known fields, with its version. */
export function normaliseDestructionSigningPolicy(
  draft: DestructionSigningPolicyDraft,
  version: number,
): DestructionSigningPolicy {
  return {
    version,
    archiveUnit: draft.archiveUnit,
    officeUnit: draft.officeUnit,
    signatures: draft.signatures.map(({ capacity, role, of, label }) => ({
      capacity,
      role,
      ...(of !== undefined ? { of } : {}),
      label,
    })),
  };
}
