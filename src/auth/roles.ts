/**
 * The roles a token may carry (claim `roles`). Approval rules (BRIEF B3, D3 …) name these roles;
 * a token naming any other role is refused.
 */
export const ROLES = [
  /** 档案管理员 — files records, issues and receives loans, compiles destruction lists. */
  'archivist',
  /** 借阅人 — requests to consult, borrow or copy records. */
  'borrower',
  /** 部门负责人 — head of the borrower's or the record's department; approves requests. */
  'department_head',
  /** 档案部门负责人 — head of the archives department. */
  'archive_department_head',
  /** 分管副总 — deputy general manager in charge. */
  'deputy_gm',
  /** 总经理 — general manager. */
  'general_manager',
  /** 鉴定小组成员 — member of the appraisal committee. */
  'appraisal_committee',
  /** 销毁签署人 — signs a destruction list. */
  'destruction_signatory',
  /** 监销人 — supervising witness of a destruction. */
  'witness',
  /** 保密员 — security officer, responsible for classified records. */
  'security_officer',
  /** 合规官 — replays any record's history and its state at any past moment. */
  'compliance_officer',
  /** 审计员 — verifies that history was not altered and destructions were approved and witnessed. */
  'auditor',
  /** 系统管理员 — system administrator. */
  'administrator',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
