import { formatBeijingTime } from '@sync/jushuitan';
import { documentJobId, flowQueueName, type ReconciliationRecord, type StoredDayReconciliation } from '@sync/queue';
import { z } from 'zod';
import { defineRoute, type ApiRoute } from './api-route';
import { BULL_BOARD_PATH } from './bull-board';
import { notFound } from './http-error';
import { RECONCILE_CSS, RECONCILE_JS } from './reconcile-assets';
import type { ReconciliationOps } from './reconciliation-ops';
import { requireReconciliations } from './reconciliation-routes';

/** Where the page lives (behind the API's authentication). */
export const RECONCILE_PAGE_PATH = '/reconcile';

/** How the finance team names each kind (issue 13): 未同步, 多余, 数量差异, 未审核, and what was left out on purpose. */
export const KIND_LABELS: Record<string, string> = { missing: '未同步', extra: '多余', quantity: '数量差异', status: '未审核', skipped: '跳过' };
const ACTION_LABELS: Record<string, string> = { resync: '修复时重新同步', person: '需人工处理', none: '—' };
const STATE_LABELS: Record<string, string> = { waiting: '排队中', running: '进行中', done: '完成', failed: '失败' };

const esc = (v: unknown): string =>
  String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const beijing = (iso: string | undefined): string => (iso ? formatBeijingTime(Date.parse(iso)) : '—');
const num = (n: number | undefined): string => (n === undefined ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(2));
const differences = (d: Pick<StoredDayReconciliation, 'counts'>): number => d.counts.missing + d.counts.extra + d.counts.quantity + d.counts.status;
export const dayPath = (id: string, flow: string, day: string): string => `${RECONCILE_PAGE_PATH}/${encodeURIComponent(id)}/${encodeURIComponent(flow)}/${day}`;

function layout(title: string, body: string, attrs: Record<string, string> = {}): string {
  const data = Object.entries(attrs).map(([k, v]) => ` data-${k}="${esc(v)}"`).join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="${RECONCILE_PAGE_PATH}/assets/reconcile.css">
<script src="${RECONCILE_PAGE_PATH}/assets/reconcile.js" defer></script></head>
<body${data}><header><a href="${RECONCILE_PAGE_PATH}">对账 聚水潭 ↔ 金蝶</a><nav><a href="${BULL_BOARD_PATH}">队列 (Bull Board)</a></nav></header>
<main>${body}</main></body></html>`;
}

export interface PageContext {
  titles: Readonly<Record<string, string>>;
  flows: readonly string[];
  operator: boolean;
  now: Date;
}

/** The list page: per flow and business day the latest result (green: balanced, red: differences), the runs, a start form. Pure. */
export function renderListPage(runs: readonly ReconciliationRecord[], ctx: PageContext): string {
  const latest = new Map<string, { id: string; day: StoredDayReconciliation }>();
  for (const run of runs) {
    if (run.state !== 'done') continue;
    for (const day of run.days) if (!latest.has(`${day.flow} ${day.day}`)) latest.set(`${day.flow} ${day.day}`, { id: run.id, day });
  }
  const days = [...new Set([...latest.values()].map((v) => v.day.day))].sort().reverse().slice(0, 14);
  const flows = [...new Set([...ctx.flows, ...[...latest.values()].map((v) => v.day.flow)])];
  const cell = (flow: string, day: string): string => {
    const hit = latest.get(`${flow} ${day}`);
    if (!hit) return '<td class="none">—</td>';
    const d = hit.day;
    const n = differences(d);
    const text = d.balanced ? '平' : `差异 ${n}`;
    return `<td class="${d.balanced ? 'ok' : 'bad'}"><a href="${dayPath(hit.id, flow, day)}">${text}</a><small>单据数 ${d.totals.jst.documents} / ${d.totals.kingdee.documents}</small></td>`;
  };
  const grid = days.length
    ? `<table class="grid"><thead><tr><th>流程</th>${days.map((d) => `<th>${d}</th>`).join('')}</tr></thead><tbody>${flows
        .map((f) => `<tr><th>${esc(ctx.titles[f] ?? f)}<small>${esc(f)}</small></th>${days.map((d) => cell(f, d)).join('')}</tr>`)
        .join('')}</tbody></table>`
    : '<p class="empty">还没有对账结果。</p>';
  const runRows = runs
    .slice(0, 20)
    .map((r) => {
      const result = r.state === 'done' ? (r.balanced ? '<span class="ok">平</span>' : `<span class="bad">差异 ${r.days.reduce((n, d) => n + differences(d), 0)}</span>`) : r.state === 'failed' ? `<span class="bad">${esc(r.error ?? '失败')}</span>` : `${r.progress.flowsDone}/${r.progress.flowsTotal} ${esc(r.progress.step ?? '')}`;
      const dayLinks = r.days.map((d) => `<a class="${d.balanced ? 'ok' : 'bad'}" href="${dayPath(r.id, d.flow, d.day)}">${esc(d.flow)} ${d.day}</a>`).join(' ');
      return `<tr><td>${esc(r.id)}</td><td>${STATE_LABELS[r.state]}</td><td>${r.from === r.to ? r.from : `${r.from} … ${r.to}`}</td><td>${beijing(r.createdAt)}</td><td>${esc(r.trigger === 'schedule' ? '定时' : r.by)}</td><td>${result}</td><td>${dayLinks}</td></tr>`;
    })
    .join('');
  const today = formatBeijingTime(ctx.now).slice(0, 10);
  const yesterday = formatBeijingTime(ctx.now.getTime() - 24 * 3600 * 1000).slice(0, 10);
  const form = ctx.operator
    ? `<form id="start-form"><label>流程 <select name="flow"><option value="">全部</option>${ctx.flows.map((f) => `<option value="${esc(f)}">${esc(ctx.titles[f] ?? f)}</option>`).join('')}</select></label>
<label>从 <input type="date" name="from" value="${yesterday}" max="${today}" required></label><label>到 <input type="date" name="to" value="${yesterday}" max="${today}" required></label>
<button type="submit">开始对账</button><span id="status" role="status"></span></form>`
    : '';
  return layout(
    '对账',
    `<h1>对账 (聚水潭 ↔ 金蝶)</h1><p class="hint">每个流程每个业务日 (北京时间) 的最近一次对账: 绿色为平, 红色为有差异; 点开查看单据。</p>${form}${grid}
<h2>最近的对账</h2><table class="runs"><thead><tr><th>编号</th><th>状态</th><th>业务日期</th><th>开始 (北京时间)</th><th>发起</th><th>结果</th><th>明细</th></tr></thead><tbody>${runRows}</tbody></table>`,
  );
}

/** The day page: totals of both sides, counts per kind, and every document that is not equal, with links and the repair button. Pure. */
export function renderDayPage(run: ReconciliationRecord, day: StoredDayReconciliation, ctx: PageContext): string {
  const { jst, kingdee } = day.totals;
  const totals = `<table class="totals"><thead><tr><th></th><th>单据数</th><th>金蝶单据</th><th>行数</th><th>数量</th><th>金额</th></tr></thead><tbody>
<tr><th>聚水潭</th><td>${jst.documents}</td><td>${jst.bills}</td><td>${jst.lines}</td><td>${num(jst.qty)}</td><td>${num(jst.amount)}</td></tr>
<tr><th>金蝶</th><td>${kingdee.documents}</td><td>${kingdee.bills}</td><td>${kingdee.lines}</td><td>${num(kingdee.qty)}</td><td>${num(kingdee.amount)}</td></tr></tbody></table>`;
  const counts = `<ul class="counts">${['missing', 'extra', 'quantity', 'status', 'skipped']
    .map((k) => `<li class="${k !== 'skipped' && day.counts[k as keyof typeof day.counts] > 0 ? 'bad' : ''}">${KIND_LABELS[k]} <b>${day.counts[k as keyof typeof day.counts]}</b></li>`)
    .join('')}<li>一致 <b>${day.counts.equal}</b></li></ul>`;
  const rows = day.documents
    .map((d) => {
      const job = d.version !== undefined ? `<a href="${BULL_BOARD_PATH}/queue/${encodeURIComponent(flowQueueName(day.flow))}/${encodeURIComponent(documentJobId(day.flow, d.docId, d.version))}">任务</a>` : '';
      const lines = d.lines?.length ? `<ul class="lines">${d.lines.map((l) => `<li>${esc(l.material)}${l.lot ? ` 批号 ${esc(l.lot)}` : ''}: 聚水潭 ${num(l.jst)}, 金蝶 ${num(l.kingdee)}</li>`).join('')}</ul>` : '';
      return `<tr class="${d.kind}" data-doc="${esc(d.docId)}"><td>${KIND_LABELS[d.kind]}</td><td>${esc(d.docId)}${d.status ? `<small>${esc(d.status)}</small>` : ''}</td><td>${d.bills.map((b) => `${esc(b.billNo)}${b.status ? ` (${esc(b.status)})` : ''}`).join('<br>')}</td><td>${esc(d.detail)}${lines}</td><td>${ACTION_LABELS[d.action]}</td><td><a href="/documents/${encodeURIComponent(day.flow)}/${encodeURIComponent(d.docId)}">追溯</a> ${job}</td></tr>`;
    })
    .join('');
  const omitted = day.omitted ? `<p class="hint">另有 ${day.omitted} 张单据未列出 (见 GET /reconciliations/${esc(run.id)})。</p>` : '';
  const repairable = day.documents.some((d) => d.action === 'resync');
  const repair = ctx.operator && repairable && run.state === 'done'
    ? `<p><button id="repair" type="button">修复</button> <span class="hint">重新同步未同步和数量差异的单据 (数量差异需先在金蝶反审核并删除该单); 多余和未审核的单据需人工处理, 不会自动删除。</span></p>`
    : '';
  const repairs = run.repairs.length ? `<p class="hint">已修复 ${run.repairs.length} 次, 最近: ${beijing(run.repairs.at(-1)!.at)} (${esc(run.repairs.at(-1)!.by)})</p>` : '';
  const title = `${ctx.titles[day.flow] ?? day.flow} ${day.day}`;
  return layout(
    `对账 ${title}`,
    `<h1>${esc(title)} <span id="verdict" class="${day.balanced ? 'ok' : 'bad'}">${day.balanced ? '平' : '不平'}</span></h1>
<p class="hint">对账 ${esc(run.id)}, ${beijing(run.finishedAt)} (北京时间) 完成; 流程 ${esc(day.flow)}</p>${totals}${counts}${repair}<p id="status" role="status"></p>${repairs}
${day.documents.length ? `<table class="docs"><thead><tr><th>差异</th><th>聚水潭单号</th><th>金蝶单号</th><th>说明</th><th>处理</th><th>链接</th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="empty">所有单据一致。</p>'}${omitted}`,
    { run: run.id, flow: day.flow, day: day.day },
  );
}

const dayParamsSchema = z.object({
  id: z.string().regex(/^recon-[A-Za-z0-9-]{1,80}$/, 'expected a reconciliation id (recon-…)'),
  flow: z.string().min(1).max(64),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected yyyy-MM-dd'),
});
const assetParamsSchema = z.object({ file: z.enum(['reconcile.js', 'reconcile.css']) });

/**
 * The page (read-only role views, operator starts runs and repairs): `GET /reconcile`, `GET /reconcile/:id/:flow/:day`
 * and its two static files. No inline script or style, so it works under a strict content security policy.
 */
export function reconcilePageRoutes(get: () => ReconciliationOps | undefined, now: () => Date): ApiRoute[] {
  const context = (ops: ReconciliationOps, operator: boolean): PageContext => ({ titles: ops.titles(), flows: ops.documentFlows(), operator, now: now() });
  const html = 'text/html; charset=utf-8';
  return [
    defineRoute({
      method: 'GET', url: RECONCILE_PAGE_PATH, role: 'readonly', produces: html,
      summary: 'The reconciliation page (HTML, Chinese): per flow and business day the latest result (green balanced, red differences), recent runs, a start form for operators.',
      schema: {},
      handler: async (req, reply) => {
        const ops = requireReconciliations(get());
        const runs = await ops.list(50);
        return reply.type(html).send(renderListPage(runs, context(ops, req.role === 'operator')));
      },
    }),
    defineRoute({
      method: 'GET', url: `${RECONCILE_PAGE_PATH}/:id/:flow/:day`, role: 'readonly', produces: html,
      summary: 'One flow and day of a reconciliation (HTML): totals of both sides, the differing documents with links to their lineage and queue job, the repair button for operators.',
      schema: { params: dayParamsSchema },
      handler: async (req, reply) => {
        const { id, flow, day } = req.params;
        const ops = requireReconciliations(get());
        const run = await ops.get(id);
        const result = run?.days.find((d) => d.flow === flow && d.day === day);
        if (!run || !result) throw notFound(`reconciliation "${id}" has no result for ${flow} on ${day}`);
        return reply.type(html).send(renderDayPage(run, result, context(ops, req.role === 'operator')));
      },
    }),
    defineRoute({
      method: 'GET', url: `${RECONCILE_PAGE_PATH}/assets/:file`, role: 'readonly', produces: 'text/javascript, text/css',
      summary: 'The page\'s static script and style sheet (reconcile.js, reconcile.css).',
      schema: { params: assetParamsSchema },
      handler: async (req, reply) => {
        const { file } = req.params;
        reply.header('cache-control', 'no-cache');
        return file === 'reconcile.js' ? reply.type('text/javascript; charset=utf-8').send(RECONCILE_JS) : reply.type('text/css; charset=utf-8').send(RECONCILE_CSS);
      },
    }),
  ];
}
