import { demoCredentials } from '../demo-catalog';
import { formatBeijing } from './beijing-time';
import { startJstSimulator, type JstSimulator } from './index';
import { admin, businessForm, postForm } from './jst-calls.test-support';
import { topSign } from './qimen-sign';

const NOW = Date.UTC(2024, 4, 20, 8, 0, 0); // 2024-05-20 16:00:00 Beijing
const q = demoCredentials.qimen;
const SALEOUT = 'jushuitan.saleout.list.query';
const REFUND = 'jushuitan.refund.list.query';
const TMALL = 16882300;
const JD = 16882301;
const BOTH = 16882302;
const day = { start_time: '2024-05-20 00:00:00', end_time: '2024-05-20 23:59:59' };

/** A signed Qimen form (the simulator's own signer, pinned by qimen-sign.test.ts); '' drops a parameter. */
function qimenForm(method: string, biz: Record<string, string | number>, over: Record<string, string> = {}, secret = q.appSecret): Record<string, string> {
  const params: Record<string, string> = {
    method, app_key: q.appKey, target_app_key: '23060081', customer_id: q.customerId, timestamp: formatBeijing(NOW), format: 'json', v: '2.0', sign_method: 'md5',
    ...Object.fromEntries(Object.entries(biz).map(([k, v]) => [k, String(v)])),
    ...over,
  };
  for (const k of Object.keys(params)) if (params[k] === '') delete params[k];
  if (!('sign' in over)) params.sign = topSign(secret, params, params.sign_method ?? 'md5') ?? 'x';
  return params;
}

function outbound(ioId: number, shopId: number, modified = '2024-05-20 10:00:00', extra: Record<string, unknown> = {}) {
  return { io_id: ioId, o_id: ioId + 1000, so_id: `SO${ioId}`, status: 'Confirmed', modified, io_date: modified, shop_id: shopId, wms_co_id: 10969016, items: [{ ioi_id: 1, sku_id: 'A1001-RED-S', qty: 1 }], batchs: [], sns: [], ...extra };
}

describe('JST simulator: Qimen router', () => {
  let sim: JstSimulator;
  const call = async (method: string, biz: Record<string, string | number>, over: Record<string, string> = {}, secret?: string) => {
    const res = await postForm(`${sim.url}/router/qm`, qimenForm(method, biz, over, secret));
    expect(res.status).toBe(200);
    return res.body as unknown as Record<string, any>;
  };
  const openweb = async (biz: Record<string, unknown>) => {
    const res = await postForm(`${sim.url}/open/orders/out/simple/query`, businessForm(biz, { ...demoCredentials.jst, timestamp: Math.floor(NOW / 1000) }));
    return res.body!.data as { datas: { io_id: number }[] };
  };

  beforeEach(async () => {
    sim = await startJstSimulator({ now: () => NOW, rateLimit: { perSecond: 0, perMinute: 0 } });
    sim.settings.qimen.shopChannels = { [TMALL]: 'qimen', [BOTH]: 'both' };
    // The clock stands still: one simulated second would hold every call of a test.
    sim.settings.qimen.perSecond = 0;
    sim.insert('orders-out', [outbound(1, TMALL), outbound(2, JD), outbound(3, BOTH), outbound(4, TMALL, '2024-05-20 11:00:00', { status: 'WaitConfirm' })]);
  });
  afterEach(() => sim.close());

  it('routes by shop: Qimen serves qimen and both shops, the open API every shop but qimen-only ones', async () => {
    const viaQimen = await call(SALEOUT, { ...day, page_index: 1, page_size: 50 });
    expect(viaQimen.response.flag).toBe('success');
    expect(viaQimen.response.datas.map((d: { io_id: number }) => d.io_id)).toEqual([1, 3, 4]);
    expect(viaQimen.response.datas[0].ts).toEqual(expect.any(Number));
    const viaOpenweb = await openweb({ modified_begin: day.start_time, modified_end: day.end_time });
    expect(viaOpenweb.datas.map((d) => d.io_id)).toEqual([2, 3]);
    const byTs = await openweb({ start_ts: 0, page_index: 1, page_size: 50 });
    expect(byTs.datas.map((d) => d.io_id)).toEqual([2, 3]);
  });

  it('filters and pages like JST: status, shop, id lists (comma or JSON array), date_type, page_size ≤ 50', async () => {
    const ids = (body: Record<string, any>) => body.response.datas.map((d: { io_id: number }) => d.io_id);
    expect(ids(await call(SALEOUT, { ...day, status: 'Confirmed' }))).toEqual([1, 3]);
    expect(ids(await call(SALEOUT, { ...day, shop_id: BOTH }))).toEqual([3]);
    expect(ids(await call(SALEOUT, { io_ids: '1,4' }))).toEqual([1, 4]);
    expect(ids(await call(SALEOUT, { io_ids: '[3]' }))).toEqual([3]);
    expect(ids(await call(SALEOUT, { ...day, date_type: 2, page_size: 2, page_index: 2 }))).toEqual([4]);
    const first = await call(SALEOUT, { ...day, page_size: 2, page_index: 1 });
    expect(first.response).toMatchObject({ page_index: 1, page_size: 2, data_count: 3, page_count: 2, has_next: true });
    const big = await call(SALEOUT, { ...day, page_size: 51 });
    expect(big.response).toMatchObject({ flag: 'failure', code: 41, sub_message: expect.stringContaining('page_size') });
    const wide = await call(SALEOUT, { start_time: '2024-05-10 00:00:00', end_time: '2024-05-20 00:00:00' });
    expect(wide.response).toMatchObject({ flag: 'failure', code: 41, sub_message: expect.stringContaining('7 days') });
    const none = await call(SALEOUT, {});
    expect(none.response).toMatchObject({ flag: 'failure', code: 40 });
  });

  it('start_ts: rows with ts ≥ start_ts in ts order; without ts on rows when so configured', async () => {
    const all = await call(SALEOUT, { start_ts: 1, page_index: 1, page_size: 50, is_get_total: 'false' });
    const ts = all.response.datas.map((d: { ts: number }) => d.ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    const from = await call(SALEOUT, { start_ts: ts[1], page_index: 1, page_size: 50 });
    expect(from.response.datas.map((d: { io_id: number }) => d.io_id)).toEqual([3, 4]);
    sim.settings.qimen.saleoutRowsCarryTs = false;
    const bare = await call(SALEOUT, { ...day });
    expect(bare.response.datas[0]).not.toHaveProperty('ts');
  });

  it('answers in the configured success shape', async () => {
    await admin(sim.url, 'POST', '/settings', { qimen: { envelope: 'method-response' } });
    const wrapped = await call(SALEOUT, { ...day });
    expect(wrapped.jushuitan_saleout_list_query_response.result.datas).toHaveLength(3);
    await admin(sim.url, 'POST', '/settings', { qimen: { envelope: 'bare' } });
    const bare = await call(SALEOUT, { ...day });
    expect(bare).toMatchObject({ code: '0', success: true, data: { datas: expect.any(Array) } });
  });

  it('serves 售后单 of Qimen shops with r_qty through jushuitan.refund.list.query, filtered by status and good_status', async () => {
    const refund = (asId: number, shopId: number, good: string) => ({
      as_id: asId, shop_id: shopId, status: 'Confirmed', good_status: good, modified: '2024-05-20 09:00:00', wms_co_id: 10969016, so_id: `SO${asId}`,
      items: [{ asi_id: 1, sku_id: 'A1001-RED-S', qty: 2, r_qty: 1, type: '退货' }], batchs: [],
    });
    sim.insert('refund', [refund(11, TMALL, 'SELLER_RECEIVED'), refund(12, TMALL, 'BUYER_RETURNED_GOODS'), refund(13, JD, 'SELLER_RECEIVED')]);
    const body = await call(REFUND, { ...day, status: 'Confirmed', good_status: 'SELLER_RECEIVED', date_type: 0 });
    expect(body.response.datas.map((d: { as_id: number }) => d.as_id)).toEqual([11]);
    expect(body.response.datas[0].items[0].r_qty).toBe(1);
  });

  it.each([
    ['no method', { method: '' }, 21],
    ['no app_key', { app_key: '' }, 28],
    ['unknown app_key', { app_key: 'someone-else' }, 29],
    ['no sign', { sign: '' }, 24],
    ['a wrong sign', { sign: 'ABCDEF' }, 25],
    ['no timestamp', { timestamp: '' }, 30],
    ['a Unix timestamp', { timestamp: String(Math.floor(NOW / 1000)) }, 31],
    ['a timestamp 11 minutes off', { timestamp: formatBeijing(NOW - 11 * 60_000) }, 31],
    ['v 1.0', { v: '1.0' }, 41],
    ['another target_app_key', { target_app_key: '12345' }, 41],
    ['an unknown method', { method: 'jushuitan.purchasein.list.query' }, 22],
    ['no customer_id', { customer_id: '' }, 40],
  ])('refuses %s with TOP code %s', async (_name, over, code) => {
    const body = await call(SALEOUT, day, over);
    expect(body.response).toMatchObject({ flag: 'failure', code, request_id: expect.any(String) });
  });

  it('checks hmac and hmac-sha256 signatures, and refuses a signature made with another secret', async () => {
    for (const m of ['hmac', 'hmac-sha256']) expect((await call(SALEOUT, day, { sign_method: m })).response.flag).toBe('success');
    expect((await call(SALEOUT, day, {}, 'wrong-secret')).response).toMatchObject({ code: 25, message: 'Invalid signature' });
  });

  it('answers an unknown customer_id with a JST string code, format xml in XML', async () => {
    const body = await call(SALEOUT, day, { customer_id: '999' });
    expect(body.response).toMatchObject({ flag: 'failure', code: 'JST_CUSTOMER_NOT_FOUND' });
    const xml = await postForm(`${sim.url}/router/qm`, qimenForm(SALEOUT, day, { format: 'xml' }));
    expect(xml.contentType).toMatch(/xml/);
    expect(xml.text).toContain('<flag>success</flag>');
  });

  it('limits calls per second per app, customer and method with code 7', async () => {
    sim.settings.qimen.perSecond = 2;
    await call(SALEOUT, day);
    await call(REFUND, day);
    await call(SALEOUT, day);
    expect((await call(SALEOUT, day)).response).toMatchObject({ flag: 'failure', code: 7, message: 'App Call Limited' });
    expect(sim.stats().codes['qimen:jushuitan.saleout.list.query']).toEqual({ 0: 2, 7: 1 });
  });

  it('injects Qimen faults without touching the open API (a Qimen outage)', async () => {
    await admin(sim.url, 'POST', '/settings', { qimen: { faults: { htmlErrorRate: 1 } } });
    const down = await postForm(`${sim.url}/router/qm`, qimenForm(SALEOUT, day));
    expect(down.status).toBe(502);
    expect(down.contentType).toMatch(/html/);
    expect((await openweb({ modified_begin: day.start_time, modified_end: day.end_time })).datas).toHaveLength(2);
    sim.settings.qimen.faults.htmlErrorRate = 0;
    sim.settings.qimen.faults.failNext.push('internalError', 'http500');
    expect((await call(SALEOUT, day)).response).toMatchObject({ flag: 'failure', code: 15 });
    expect((await postForm(`${sim.url}/router/qm`, qimenForm(SALEOUT, day))).status).toBe(500);
    expect((await call(SALEOUT, day)).response.flag).toBe('success');
    expect(sim.stats().faults).toMatchObject({ 'qimen:htmlError': 1, 'qimen:internalError': 1, 'qimen:http500': 1 });
  });

  it('reset restores the Qimen settings', async () => {
    await admin(sim.url, 'POST', '/settings', { qimen: { envelope: 'bare', perSecond: 1, shopChannels: { 1: 'both' } } });
    sim.reset();
    expect(sim.settings.qimen).toMatchObject({ envelope: 'response', perSecond: 8, shopChannels: {}, saleoutRowsCarryTs: true });
    const badPatch = await admin(sim.url, 'POST', '/settings', { qimen: { shopChannels: { 1: 'fax' } } });
    expect(badPatch.status).toBe(400);
  });
});
