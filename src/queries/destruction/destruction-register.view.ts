import { stringify } from 'csv-stringify/sync';
import { classificationRank, type Actor } from '../../domain-kernel/actor';
import type {
  DestructionRegisterDoc,
  DestructionRegisterItem,
} from '../../projections/read-models/destruction-register.read-model';
import type { ReadDoc } from '../../read-store/read-store.port';
import { withoutBookkeeping } from '../catalogue/read-query';

/** A list as one caller may see it (A2): items above their clearance are left out, and every count and code with them. */
export type DestructionListView = Omit<
  DestructionRegisterDoc,
  'id' | 'classificationRank' | 'items' | 'removedItems'
> & {
  readonly itemCount: number;
  readonly items: readonly Omit<DestructionRegisterItem, 'classificationRank'>[];
  readonly removedItems: readonly Omit<
    DestructionRegisterDoc['removedItems'][number],
    'classificationRank'
  >[];
};

/** A2 over one register document: hidden items never appear, nor their codes in the witnesses' checks. */
export function viewFor(doc: ReadDoc, actor: Actor): DestructionListView {
  const list = withoutBookkeeping<DestructionRegisterDoc>(doc, true);
  const rank = classificationRank(actor.clearance);
  const hidden = new Set(
    [...list.items, ...list.removedItems]
      .filter((i) => i.classificationRank > rank)
      .map((i) => i.archiveCode),
  );
  const mentionsHidden = (text: string) => [...hidden].some((code) => text.includes(code));
  const items = list.items
    .filter((i) => !hidden.has(i.archiveCode))
    .map(({ classificationRank: _rank, ...item }) => item);
  const { id: _id, classificationRank: _listRank, ...rest } = list;
  return {
    ...rest,
    itemCount: items.length,
    items,
    removedItems: list.removedItems
      .filter((i) => !hidden.has(i.archiveCode))
      .map(({ classificationRank: _rank, ...removed }) => removed),
    witnessChecks: list.witnessChecks.map((check) => ({
      ...check,
      itemCount:
        hidden.size > 0
          ? Math.max(0, check.itemCount - countHiddenFound(check.archiveCodes, hidden))
          : check.itemCount,
      archiveCodes: check.archiveCodes.filter((code) => !hidden.has(code)),
      discrepancies: check.discrepancies.filter((d) => !mentionsHidden(d)),
    })),
  };
}

function countHiddenFound(codes: readonly string[], hidden: ReadonlySet<string>): number {
  return codes.filter((c) => hidden.has(c)).length;
}

const RETENTION_ZH: Readonly<Record<string, string>> = {
  PERMANENT: '永久',
  D30: '定期30年',
  D10: '定期10年',
};
const CLASSIFICATION_ZH: Readonly<Record<string, string>> = {
  PUBLIC: '公开',
  INTERNAL: '内部',
  SECRET: '秘密',
  CONFIDENTIAL: '机密',
  TOP_SECRET: '绝密',
};
const STATUS_ZH: Readonly<Record<string, string>> = {
  draft: '编制中',
  signing: '签署中',
  approved: '已批准',
  refused: '已拒绝',
  cancelled: '已撤销',
  executing: '销毁执行中',
  executed: '已销毁',
  completed: '已销毁并经监销人签字',
};
const WITNESS_ZH: Readonly<Record<string, string>> = {
  archive: '档案部门监销人',
  business: '业务部门监销人',
  security: '保密员',
};

/** The D2 columns, as the CSV and the printed list head them. */
const COLUMNS = [
  { key: 'seq', header: '序号' },
  { key: 'archiveCode', header: '档号' },
  { key: 'documentNumber', header: '文号' },
  { key: 'responsibleParty', header: '责任者' },
  { key: 'title', header: '题名' },
  { key: 'dateFormed', header: '形成时间' },
  { key: 'retention', header: '保管期限' },
  { key: 'yearsKept', header: '已保管年限' },
  { key: 'classification', header: '密级' },
  { key: 'destroyedOn', header: '销毁日期' },
  { key: 'remark', header: '备注' },
] as const;

type Row = Record<(typeof COLUMNS)[number]['key'], string | number>;

function rows(list: DestructionListView): Row[] {
  return list.items.map((item, index) => ({
    seq: index + 1,
    archiveCode: item.archiveCode,
    documentNumber: item.documentNumber ?? '',
    responsibleParty: item.responsibleParty,
    title: item.title,
    dateFormed: item.dateFormed,
    retention: RETENTION_ZH[item.retentionClass] ?? item.retentionClass,
    yearsKept: item.yearsKept,
    classification: CLASSIFICATION_ZH[item.classification] ?? item.classification,
    destroyedOn: item.destroyedOn ?? '',
    remark: item.withheld ? `未销毁（${item.withheld.rule} ${item.withheld.code}）` : '',
  }));
}

/** The list's items as CSV (D2 columns; UTF-8 with BOM, Chinese header row, CRLF), as the statistics CSVs. */
export function listCsv(list: DestructionListView): { filename: string; content: string } {
  return {
    filename: `${list.listId}.csv`,
    content: stringify(rows(list), {
      header: true,
      bom: true,
      record_delimiter: 'windows',
      columns: COLUMNS.map((c) => ({ key: c.key, header: c.header })),
    }),
  };
}

/** Escapes text for HTML element content and quoted attribute values. Every value printed passes through it. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const day = (iso: string | null) => (iso ? escapeHtml(iso.slice(0, 10)) : '');

/**
 * 销毁清册 as a printable page, laid out for wet signatures: the D2 columns, then a line per
 * signing capacity (opinion, signature, date) and per witness (before: checked; after: signed).
 * What the system recorded is printed beside each line; the blank lines are for ink.
 */
export function listHtml(list: DestructionListView): string {
  const e = escapeHtml;
  const itemRows = rows(list)
    .map((row) => `<tr>${COLUMNS.map((c) => `<td>${e(row[c.key])}</td>`).join('')}</tr>`)
    .join('\n');
  const signatureRows = list.requirements
    .map((req) => {
      const signed = list.signatures.find((s) => s.capacity === req.capacity);
      const refused = list.refusal?.capacity === req.capacity ? list.refusal : undefined;
      const given = signed ?? refused;
      return `<tr><th scope="row">${e(req.label)}</th><td>${given ? `${refused ? '不同意：' : ''}${e(given.opinion)}` : ''}</td><td class="ink">${given ? `<span class="recorded">系统记录：${e(given.signer.id)}（${e(given.signer.unit)}）</span>` : ''}</td><td>${given ? day(given.signedAt) : ''}</td></tr>`;
    })
    .join('\n');
  const witnessRows = list.witnessChecks
    .map((check) => {
      const after = list.witnessSignatures.find((s) => s.witness.id === check.witness.id);
      return `<tr><th scope="row">${e(WITNESS_ZH[check.capacity] ?? check.capacity)}</th><td>${e(check.witness.id)}（${e(check.witness.unit)}）</td><td>${check.matched ? '清点核对无误' : `不符：${e(check.discrepancies.join('；'))}`}（${day(check.checkedAt)}）</td><td class="ink">${after ? `<span class="recorded">系统记录：${day(after.signedAt)}</span>` : ''}</td></tr>`;
    })
    .join('\n');
  const blankWitnesses =
    list.witnessChecks.length === 0
      ? ['档案部门监销人', '业务部门监销人']
          .map((label) => `<tr><th scope="row">${e(label)}</th><td></td><td></td><td class="ink"></td></tr>`)
          .join('\n')
      : '';
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>销毁清册 ${e(list.listId)}</title>
<style>
  body { font-family: "SimSun", "Songti SC", serif; margin: 2cm; }
  h1 { text-align: center; font-size: 20pt; letter-spacing: 0.5em; }
  table { width: 100%; border-collapse: collapse; margin: 1em 0; }
  th, td { border: 1px solid #000; padding: 4pt 6pt; font-size: 10.5pt; vertical-align: top; }
  td.ink { height: 2.2em; min-width: 8em; }
  .recorded { color: #555; font-size: 8pt; }
  .meta td, .meta th { border: none; text-align: left; }
  @media print { body { margin: 1cm; } }
</style>
</head>
<body>
<h1>档案销毁清册</h1>
<table class="meta">
<tr><th>清册编号</th><td>${e(list.listId)}</td><th>题名</th><td>${e(list.title)}</td></tr>
<tr><th>业务部门</th><td>${e(list.businessUnit)}</td><th>状态</th><td>${e(STATUS_ZH[list.status] ?? list.status)}</td></tr>
<tr><th>编制人</th><td>${e(list.draftedBy.id)}（${e(list.draftedBy.unit)}）</td><th>编制日期</th><td>${day(list.draftedAt)}</td></tr>
<tr><th>共计</th><td>${e(list.itemCount)} 件</td><th>销毁日期</th><td>${day(list.destroyedOn)}</td></tr>
<tr><th>签署制度</th><td colspan="3">第 ${e(list.policyVersion)} 版</td></tr>
</table>
<table class="items">
<thead><tr>${COLUMNS.map((c) => `<th scope="col">${e(c.header)}</th>`).join('')}</tr></thead>
<tbody>
${itemRows}
</tbody>
</table>
<h2>签署意见</h2>
<table class="signatures">
<thead><tr><th scope="col">签署人</th><th scope="col">意见</th><th scope="col">签字</th><th scope="col">日期</th></tr></thead>
<tbody>
${signatureRows}
</tbody>
</table>
<h2>监销</h2>
<table class="witnesses">
<thead><tr><th scope="col">监销人</th><th scope="col">姓名（部门）</th><th scope="col">销毁前清点核对</th><th scope="col">销毁后签字</th></tr></thead>
<tbody>
${witnessRows}${blankWitnesses}
</tbody>
</table>
</body>
</html>
`;
}
