import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { silentLogger } from '@sync/logger';
import { createFlowPauseStore, flowQueueName } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { UnrecoverableError } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApiQueues, type ApiQueues } from './api-queues';
import { buildApi } from './app';
import { API_DOCS_PATH } from './openapi';
import { createAuditLog } from './audit-log';
import type { FlowDescriptor } from './flow-descriptors';
import { createRedisLoginStore } from './login-guard';
import { createRedisOps } from './redis-ops';
import { closeRedisWorld, failDocumentJobs } from './redis-world.test-support';

/**
 * Bull Board in a real browser under the API's security headers: Debian's Chromium driven by playwright-core
 * (never a downloaded browser). `scripts/test.sh` installs Chromium (`ensure_chromium`); CHROMIUM_PATH overrides.
 * The API page (Swagger UI at /docs) likewise. With UPDATE_SCREENSHOTS=1 it refreshes docs/screenshots/bull-board-csp.png
 * and docs/screenshots/api-docs.png.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const FLOW = 'sales-outbound';
const USER = 'ops';
const PASSWORD = 'ops-password-0123';
const flows: FlowDescriptor[] = [{ name: FLOW, title: '销售出库单', enabled: true, everyMs: 15000, billNoPrefix: 'JSTSO' }];

const prefix = uniquePrefix('api-browser');
let redis: Redis;
let queues: ApiQueues;
let app: FastifyInstance;
let api: string;
let evil: Server;
let evilUrl: string;
let profile: string;
let context: BrowserContext;
/** Every CSP violation the pages reported (console and `securitypolicyviolation` events). */
const violations: string[] = [];
const pageErrors: string[] = [];

async function failJob(docId: string): Promise<string> {
  const [jobId] = await failDocumentJobs({
    queue: queues.flows.get(FLOW)!, prefix, flow: FLOW, docIds: [docId],
    reason: (id) => {
      const err = new UnrecoverableError(`[UNMAPPED_BASE_DATA] ${FLOW} ${id}: SKU "Z9999" is not mapped (add mappings.skus.map."Z9999")`);
      err.stack = `UnrecoverableError: ${err.message}`; // what Bull Board shows under Error; no test paths in the screenshot
      return err;
    },
  });
  return jobId;
}

/** Reads `read()` until `done` holds (Chromium and Redis catch up on their own time), at most 30 s. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not reached in 30 s');
}

async function watch(page: Page): Promise<void> {
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does it: ensure_chromium in scripts/lib.sh) or set CHROMIUM_PATH`);
  }
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  queues = createApiQueues({ connection: redis, prefix, flows: flows.map((f) => f.name) });
  app = await buildApi({
    // The English UI (BULL_BOARD_LOCALE; the default is zh-CN): this test finds its buttons by their English names.
    env: { API_BASIC_USER: USER, API_BASIC_PASSWORD: PASSWORD, API_TOKEN: 'operator-token-0123', BULL_BOARD_LOCALE: 'en-US' },
    ops: createRedisOps({ redis, prefix, flows, queues }),
    queues: queues.all,
    logger: silentLogger(),
    audit: createAuditLog(redis, prefix),
    loginStore: createRedisLoginStore(redis, prefix),
  });
  api = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('[::1]', '127.0.0.1');
  // Another site: a different origin (port) that frames Bull Board and posts to the API.
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>evil</title><iframe id="f" src="${api}/admin/queues" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  profile = mkdtempSync(join(tmpdir(), 'bull-board-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    httpCredentials: { username: USER, password: PASSWORD },
    viewport: { width: 1280, height: 800 },
  });
  // Google Fonts cannot be reached here: refuse at once instead of waiting for DNS.
  await context.route(/fonts\.(googleapis|gstatic)\.com/, (route) => route.abort());
  await context.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
});

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await new Promise<void>((r) => (evil ? evil.close(() => r()) : r()));
  await closeRedisWorld({ app, redis, queues, prefix });
});

describe('Bull Board in Chromium under the security headers', () => {
  it('renders without CSP violations and its Retry button moves a failed job back to waiting', async () => {
    const jobId = await failJob('7001');
    const page = await context.newPage();
    await watch(page);
    const res = await page.goto(`${api}/admin/queues/queue/${flowQueueName(FLOW)}?status=failed`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    await page.getByText(jobId).first().waitFor({ timeout: 30_000 });
    await page.getByText('SKU "Z9999" is not mapped').first().waitFor();
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      const dir = resolve(__dirname, '../../../docs/screenshots');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'bull-board-csp.png') });
    }
    const job = await queues.flows.get(FLOW)!.getJob(jobId);
    expect(await job!.getState()).toBe('failed');
    // "Retry all" asks for confirmation in a dialog, then sends PUT .../retry/failed: a same-origin request.
    await page.getByRole('button', { name: 'Retry all' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    await until(async () => (await queues.flows.get(FLOW)!.getJob(jobId))!.getState(), (state) => state !== 'failed');
    expect(await (await queues.flows.get(FLOW)!.getJob(jobId))!.getState()).toBe('waiting');
    const entries = await createAuditLog(redis, prefix).list({ principal: `basic:${USER}` });
    expect(entries.map((e) => [e.method, e.url, e.statusCode])).toContainEqual(['PUT', `/admin/queues/api/queues/${flowQueueName(FLOW)}/retry/failed`, 200]);
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('cannot be framed by another site, and that site cannot make the browser pause a flow', async () => {
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => refused.push(m.text()));
    await page.goto(evilUrl);
    await until(async () => refused.some((t) => /frame-ancestors/.test(t)), (seen) => seen);
    const framed = page.frames().find((f) => f !== page.mainFrame());
    expect(await framed?.evaluate('document.title').catch(() => 'blocked')).not.toBe('JST → Kingdee sync');
    // What a hostile page can send with the operator's credentials: a "simple" cross-origin POST.
    // (The browser hides the answer from the page either way: Cross-Origin-Resource-Policy makes fetch reject.)
    await page.evaluate(async (url) => {
      await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: 'x' }).catch(() => undefined);
    }, `${api}/flows/${FLOW}/pause`);
    // The browser did attach the operator's credentials; the API refused the request as cross-site.
    const refusedEntries = await until(() => createAuditLog(redis, prefix).list({ action: 'cross-site-refused' }), (e) => e.length > 0);
    expect(refusedEntries).toEqual([
      expect.objectContaining({ principal: `basic:${USER}`, method: 'POST', url: `/flows/${FLOW}/pause`, statusCode: 403, details: { origin: evilUrl, secFetchSite: 'same-site' } }),
    ]);
    expect(await createFlowPauseStore(redis, prefix).isPaused(FLOW)).toBe(false);
    expect(await queues.flows.get(FLOW)!.isPaused()).toBe(false);
    await page.close();
  });
});

describe('the API page in Chromium under the security headers', () => {
  it('renders every route of the document without CSP violations, and "Try it out" calls the API with the browser\'s credentials', async () => {
    violations.length = 0;
    pageErrors.length = 0;
    const page = await context.newPage();
    await watch(page);
    const res = await page.goto(`${api}${API_DOCS_PATH}`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.opblock-summary-path', { hasText: '/dead-letters/{flow}/{jobId}/discard' }).first().waitFor({ timeout: 30_000 });
    const documented = await page.locator('.opblock-summary-path').count();
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    expect(documented).toBe(Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0));
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      const dir = resolve(__dirname, '../../../docs/screenshots');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'api-docs.png') });
    }
    const flowsOp = page.locator('.opblock-get', { has: page.locator('.opblock-summary-path', { hasText: /^\/flows$/ }) });
    await flowsOp.locator('.opblock-summary').click();
    await flowsOp.getByRole('button', { name: 'Try it out' }).click();
    await flowsOp.getByRole('button', { name: 'Execute' }).click();
    const status = flowsOp.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 30_000 });
    expect((await status.innerText()).trim()).toBe('200');
    expect(await flowsOp.locator('.live-responses-table .microlight').first().innerText()).toContain(FLOW);
    expect(violations).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
