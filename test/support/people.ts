import type { TestUser } from './test-app';

/**
 * The people of the test stories, each with the roles, unit and clearance their token carries.
 * Units are the department codes used in archive codes (`…-SALES-0001` belongs to SALES).
 */
export const people = {
  /** 档案管理员 */
  archivist: { user: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE', clearance: 'SECRET' },
  /** A second archivist at the counter. */
  archivist2: { user: 'zhou.min', roles: ['archivist'], unit: 'ARCHIVE', clearance: 'TOP_SECRET' },
  /** 销售员 — a staff borrower in the sales department. */
  salesperson: { user: 'li.lei', roles: ['borrower'], unit: 'SALES', clearance: 'INTERNAL' },
  /** A sales engineer cleared for confidential records. */
  engineer: { user: 'chen.jing', roles: ['borrower'], unit: 'SALES', clearance: 'CONFIDENTIAL' },
  /** 销售部负责人 */
  salesHead: {
    user: 'zhao.qiang',
    roles: ['department_head', 'borrower'],
    unit: 'SALES',
    clearance: 'CONFIDENTIAL',
  },
  /** 财务部负责人 — a department head of another unit. */
  financeHead: {
    user: 'sun.li',
    roles: ['department_head', 'borrower'],
    unit: 'FIN',
    clearance: 'CONFIDENTIAL',
  },
  /** 档案部门负责人 */
  archiveHead: {
    user: 'liu.yang',
    roles: ['archive_department_head', 'borrower'],
    unit: 'ARCHIVE',
    clearance: 'TOP_SECRET',
  },
  /** 分管副总 */
  deputyGm: { user: 'he.jun', roles: ['deputy_gm', 'borrower'], unit: 'MGMT', clearance: 'TOP_SECRET' },
  /** 总经理 */
  generalManager: {
    user: 'ma.hua',
    roles: ['general_manager', 'borrower'],
    unit: 'MGMT',
    clearance: 'TOP_SECRET',
  },
  /** 保密员 */
  securityOfficer: {
    user: 'qian.bao',
    roles: ['security_officer'],
    unit: 'SECURITY',
    clearance: 'TOP_SECRET',
  },
  /** 合规官 */
  complianceOfficer: { user: 'xu.he', roles: ['compliance_officer'], unit: 'LEGAL', clearance: 'TOP_SECRET' },
  /** 审计员 */
  auditor: { user: 'lin.shen', roles: ['auditor'], unit: 'AUDIT', clearance: 'TOP_SECRET' },
  /** 鉴定小组成员 */
  appraiser: { user: 'guo.jian', roles: ['appraisal_committee'], unit: 'ARCHIVE', clearance: 'SECRET' },
  /** 系统管理员 */
  administrator: { user: 'admin.ops', roles: ['administrator'], unit: 'IT', clearance: 'PUBLIC' },
  // ── Appraisal and destruction (R4, R5, D1–D8)
  /** A second member of the appraisal committee (鉴定小组). */
  appraiser2: { user: 'tang.ping', roles: ['appraisal_committee'], unit: 'LEGAL', clearance: 'SECRET' },
  /** 办公室负责人 — head of the office (BGS): signs destruction lists (D3). */
  officeHead: {
    user: 'feng.yu',
    roles: ['department_head', 'borrower'],
    unit: 'BGS',
    clearance: 'CONFIDENTIAL',
  },
  /** 业务部门经办人 — the sales department's destruction signatory (D3). */
  salesClerk: { user: 'jiang.tao', roles: ['destruction_signatory'], unit: 'SALES', clearance: 'SECRET' },
  /** 档案部门监销人 — the archives department's supervising witness (D5). */
  archiveWitness: { user: 'song.jie', roles: ['witness'], unit: 'ARCHIVE', clearance: 'SECRET' },
  /** 业务部门监销人 — the sales department's supervising witness (D5). */
  salesWitness: { user: 'deng.hui', roles: ['witness'], unit: 'SALES', clearance: 'SECRET' },
  /** A second archives department witness (two from one unit are refused, D5). */
  archiveWitness2: { user: 'cao.lin', roles: ['witness'], unit: 'ARCHIVE', clearance: 'SECRET' },
} satisfies Record<string, TestUser>;

/** The acting identity a decider sees for a test user. */
export function actorOf(user: TestUser) {
  return { id: user.user, roles: [...user.roles], unit: user.unit, clearance: user.clearance } as {
    id: string;
    roles: string[];
    unit: string;
    clearance: 'PUBLIC' | 'INTERNAL' | 'SECRET' | 'CONFIDENTIAL' | 'TOP_SECRET';
  };
}
