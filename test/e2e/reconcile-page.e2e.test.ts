/**
 * The reconciliation page in a real browser: headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core; no browser is downloaded) logs in with Basic credentials, opens the list, opens a day with
 * differences (two bills deleted in Kingdee after the sync), presses 修复 and sees the day balance. Screenshots of
 * the three views go to docs/screenshots/ (linked from README).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatBeijingTime } from '@sync/jushuitan';
import type { JstSimulator, KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import { chromium, type BrowserContext } from 'playwright-core';
import { demoConfig, startSystem, type System } from '../support/system';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLOW = 'sales-outbound';
const FORM = 'SAL_OUTSTOCK';
const USER = 'finance';
const PASSWORD = 'browser-test-password-1';
const shots = path.resolve(__dirname, '../../docs/screenshots');

describe('the reconciliation page in headless Chromium', () => {
  const prefix = uniquePrefix('e2e-recon-page');
  const day = formatBeijingTime(Date.now() - 24 * 3600 * 1000).slice(0, 10);
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: System;
  let browser: BrowserContext | undefined;
  let profile = '';
  let ids: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (scripts/lib.sh ensure_chromium)`);
    const sims = await startSimulators();
    jstSim = sims.jst;
    kdSim = sims.kingdee;
    ids = jstSim.seed({ count: 8, seed: 'recon-page', unmappedRate: 0, statusMix: { Confirmed: 1 }, batchRate: 0.5, modifiedFrom: `${day} 09:00:00`, modifiedTo: `${day} 17:00:00` }).ids.map(String);
    const fileConfig = demoConfig();
    const so = fileConfig.flows[FLOW]!;
    pipeline = await startSystem({
      prefix, simulators: sims, config: { ...fileConfig, flows: { [FLOW]: { ...so, schedule: { ...so.schedule, everyMs: 3_600_000 } } } },
      env: { API_BASIC_USER: USER, API_BASIC_PASSWORD: PASSWORD },
    });
    profile = mkdtempSync(path.join(os.tmpdir(), 'recon-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      httpCredentials: { username: USER, password: PASSWORD },
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await pipeline?.stop();
  });

  it('log in, open the list, open a day with differences, press 修复, see the day balance', async () => {
    await pipeline.pollOnce(FLOW);
    const bills = () => new Map(kdSim.documents(FORM).map((d) => [d.billNo, d.status]));
    await until('the seeded day to be written', async () => ids.every((id) => bills().get(`JSTSO${id}`) === 'C') && (await pipeline.idle(FLOW)), 60_000);
    const lost = ids.slice(0, 2);
    // Deleted in Kingdee through its WebAPI (the system's own client), as a person would.
    for (const id of lost) {
      await pipeline.kingdee.unAudit(FORM, [`JSTSO${id}`]);
      await pipeline.kingdee.delete(FORM, [`JSTSO${id}`]);
    }
    const started = await fetch(`${pipeline.apiUrl}/reconciliations`, { method: 'POST', headers: { ...pipeline.authed, 'content-type': 'application/json' }, body: JSON.stringify({ flow: FLOW, from: day }) });
    const { id } = (await started.json()) as { id: string };
    await until('the reconciliation to finish', async () => ((await (await fetch(`${pipeline.apiUrl}/reconciliations/${id}`, { headers: pipeline.authed })).json()) as { state: string }).state === 'done', 60_000);

    mkdirSync(shots, { recursive: true });
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Every answer the page got, except the favicon the browser asks for by itself (the API serves none).
    page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`); });

    await page.goto(`${pipeline.apiUrl}/reconcile`);
    const cell = page.locator('table.grid td.bad a').first();
    await cell.waitFor();
    expect(await cell.textContent()).toBe('差异 2');
    await page.screenshot({ path: path.join(shots, 'reconcile-list.png'), fullPage: true });

    await cell.click();
    await page.waitForURL(`**/reconcile/${id}/${FLOW}/${day}`);
    expect(await page.locator('#verdict').textContent()).toBe('不平');
    const missing = await page.locator('tr.missing').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-doc')));
    expect(missing.sort()).toEqual([...lost].sort());
    await page.screenshot({ path: path.join(shots, 'reconcile-day.png'), fullPage: true });

    await page.locator('#repair').click();
    await page.waitForURL((url) => url.pathname.endsWith(`/${FLOW}/${day}`) && !url.pathname.includes(id), { timeout: 90_000 });
    await page.locator('#verdict').waitFor();
    expect(await page.locator('#verdict').textContent()).toBe('平');
    expect(await page.locator('tr.missing').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'reconcile-balanced.png'), fullPage: true });
    expect(lost.every((no) => bills().get(`JSTSO${no}`) === 'C')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('Bull Board speaks Chinese by default (BULL_BOARD_LOCALE zh-CN)', async () => {
    const page = await browser!.newPage();
    await page.goto(`${pipeline.apiUrl}/admin/queues`);
    // The menu's 调度器 (job schedulers) and the status tabs 已完成 / 失败 come from its zh-CN messages.
    await page.getByText('调度器').first().waitFor({ timeout: 30_000 });
    await page.getByText('已完成').first().waitFor({ timeout: 30_000 });
    await page.close();
  }, 60_000);
});
