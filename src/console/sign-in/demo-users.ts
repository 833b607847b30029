import type { Classification } from '../../domain-kernel/actor';
import type { Role } from '../../auth/roles';

/** A person the console's development sign-in can act as (AUTH_MODE=embedded only). */
export interface DemoUser {
  readonly user: string;
  readonly roles: readonly Role[];
  readonly unit: string;
  readonly clearance: Classification;
  /** Who they are, for the sign-in page. */
  readonly title: { readonly zh: string; readonly en: string };
}

/**
 * The people of the demo and test stories (the same ones as test/support/people.ts), one per
 * desk of an archive: enough to walk a record from filing through loans to destruction.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    user: 'wang.fang',
    roles: ['archivist'],
    unit: 'ARCHIVE',
    clearance: 'SECRET',
    title: { zh: '档案管理员 王芳', en: 'Archivist Wang Fang' },
  },
  {
    user: 'zhou.min',
    roles: ['archivist'],
    unit: 'ARCHIVE',
    clearance: 'TOP_SECRET',
    title: { zh: '档案管理员 周敏', en: 'Archivist Zhou Min' },
  },
  {
    user: 'liu.yang',
    roles: ['archive_department_head', 'borrower'],
    unit: 'ARCHIVE',
    clearance: 'TOP_SECRET',
    title: { zh: '档案部门负责人 刘洋', en: 'Head of the archive department Liu Yang' },
  },
  {
    user: 'li.lei',
    roles: ['borrower'],
    unit: 'SALES',
    clearance: 'INTERNAL',
    title: { zh: '销售部 李雷（借阅人）', en: 'Li Lei, sales (borrower)' },
  },
  {
    user: 'zhao.qiang',
    roles: ['department_head', 'borrower'],
    unit: 'SALES',
    clearance: 'CONFIDENTIAL',
    title: { zh: '销售部负责人 赵强', en: 'Head of sales Zhao Qiang' },
  },
  {
    user: 'he.jun',
    roles: ['deputy_gm', 'borrower'],
    unit: 'MGMT',
    clearance: 'TOP_SECRET',
    title: { zh: '分管副总 何军', en: 'Deputy general manager He Jun' },
  },
  {
    user: 'ma.hua',
    roles: ['general_manager', 'borrower'],
    unit: 'MGMT',
    clearance: 'TOP_SECRET',
    title: { zh: '总经理 马华', en: 'General manager Ma Hua' },
  },
  {
    user: 'qian.bao',
    roles: ['security_officer'],
    unit: 'SECURITY',
    clearance: 'TOP_SECRET',
    title: { zh: '保密员 钱保', en: 'Security officer Qian Bao' },
  },
  {
    user: 'guo.jian',
    roles: ['appraisal_committee'],
    unit: 'ARCHIVE',
    clearance: 'SECRET',
    title: { zh: '鉴定小组成员 郭鉴', en: 'Appraisal committee Guo Jian' },
  },
  {
    user: 'tang.ping',
    roles: ['appraisal_committee'],
    unit: 'LEGAL',
    clearance: 'SECRET',
    title: { zh: '鉴定小组成员 唐平', en: 'Appraisal committee Tang Ping' },
  },
  {
    user: 'feng.yu',
    roles: ['department_head', 'borrower'],
    unit: 'BGS',
    clearance: 'CONFIDENTIAL',
    title: { zh: '办公室负责人 冯宇', en: 'Head of the office Feng Yu' },
  },
  {
    user: 'jiang.tao',
    roles: ['destruction_signatory'],
    unit: 'SALES',
    clearance: 'SECRET',
    title: { zh: '销售部经办人 蒋涛（销毁签署）', en: 'Sales clerk Jiang Tao (signs destructions)' },
  },
  {
    user: 'song.jie',
    roles: ['witness'],
    unit: 'ARCHIVE',
    clearance: 'SECRET',
    title: { zh: '档案部门监销人 宋杰', en: 'Archive witness Song Jie' },
  },
  {
    user: 'deng.hui',
    roles: ['witness'],
    unit: 'SALES',
    clearance: 'SECRET',
    title: { zh: '销售部监销人 邓辉', en: 'Sales witness Deng Hui' },
  },
  {
    user: 'xu.he',
    roles: ['compliance_officer'],
    unit: 'LEGAL',
    clearance: 'TOP_SECRET',
    title: { zh: '合规官 徐和', en: 'Compliance officer Xu He' },
  },
  {
    user: 'lin.shen',
    roles: ['auditor'],
    unit: 'AUDIT',
    clearance: 'TOP_SECRET',
    title: { zh: '审计员 林审', en: 'Auditor Lin Shen' },
  },
  {
    user: 'admin.ops',
    roles: ['administrator'],
    unit: 'IT',
    clearance: 'PUBLIC',
    title: { zh: '系统管理员', en: 'Administrator' },
  },
];
