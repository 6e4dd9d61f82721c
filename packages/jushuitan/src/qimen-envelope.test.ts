import { PermanentError, RateLimitedError, TransientError } from '@sync/errors';
import { readQimenResponse, toQimenPage } from './qimen-envelope';

const method = 'jushuitan.saleout.list.query';
const row = { io_id: 2081234, ts: 1938475612, shop_id: 16882300 };
const json = (body: unknown, status = 200) => ({ status, body: JSON.stringify(body), contentType: 'application/json' });
const pageOf = (body: unknown, status = 200) => {
  const { body: b } = readQimenResponse(json(body, status), method);
  return toQimenPage(b, method, { pageIndex: 1, pageSize: 50 });
};
const caught = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('readQimenResponse + toQimenPage: success shapes of jst-qimen.md §4.3', () => {
  it('wrapped in response (eshop-plat-api modelling), flag success', () => {
    const p = pageOf({ response: { flag: 'success', code: '0', message: '', page_index: 2, page_size: 50, data_count: 51, page_count: 2, has_next: false, datas: [row] } });
    expect(p).toEqual({ pageIndex: 2, pageSize: 50, hasNext: false, dataCount: 51, pageCount: 2, datas: [row] });
    expect(readQimenResponse(json({ response: { datas: [] } }), method).shape).toBe('response');
  });

  it('wrapped in <method>_response with a result object (python copilot client)', () => {
    const body = { jushuitan_saleout_list_query_response: { result: { code: 0, page_index: 1, page_size: 50, has_next: true, datas: [row] } } };
    const r = readQimenResponse(json(body), method);
    expect(r.shape).toBe('method_response');
    expect(r.fromResult).toBe(true);
    expect(toQimenPage(r.body, method, { pageIndex: 1, pageSize: 50 })).toMatchObject({ hasNext: true, datas: [row] });
  });

  it('a result that is a JSON string, with a ts past 2^53 kept exact', () => {
    const inner = '{"code":0,"page_index":1,"page_size":50,"has_next":false,"datas":[{"io_id":1,"ts":12345678901234567890}]}';
    const p = pageOf({ jushuitan_saleout_list_query_response: { result: inner } });
    expect(p.datas).toEqual([{ io_id: 1, ts: '12345678901234567890' }]);
  });

  it('another method name in the *_response key', () => {
    expect(pageOf({ jushuitan_order_list_query_response: { orders: [row], has_next: false } }).datas).toEqual([row]);
  });

  it('bare rows under orders with has_next only (shopops collector): page fields from the request', () => {
    expect(pageOf({ orders: [row], has_next: false })).toEqual({ pageIndex: 1, pageSize: 50, hasNext: false, datas: [row] });
  });

  it('bare target body {code:"0", data:{…datas}, msg, success:true} (unwrapped custom API)', () => {
    const p = pageOf({ code: '0', msg: '成功', success: true, data: { page_index: 1, page_size: 2, data_count: 3, page_count: 2, datas: [row, row] } });
    expect(p).toMatchObject({ pageSize: 2, hasNext: true, dataCount: 3, datas: [row, row] });
  });

  it('rows under data as a list', () => {
    expect(pageOf({ response: { flag: 'success', data: [row] } }).datas).toEqual([row]);
  });

  it('an empty page: no rows key, or datas null', () => {
    expect(pageOf({ response: { flag: 'success', code: 0, page_index: 1, page_size: 50, has_next: false } }).datas).toEqual([]);
    expect(pageOf({ response: { flag: 'success', datas: null, has_next: false } }).datas).toEqual([]);
  });

  it('derives has_next from a full page when the answer omits it', () => {
    const rows = Array.from({ length: 2 }, (_, i) => ({ ...row, io_id: i }));
    const { body } = readQimenResponse(json({ datas: rows }), method);
    expect(toQimenPage(body, method, { pageIndex: 1, pageSize: 2 }).hasNext).toBe(true);
    expect(toQimenPage(body, method, { pageIndex: 1, pageSize: 3 }).hasNext).toBe(false);
  });
});

describe('readQimenResponse: failure shapes', () => {
  it('gateway failure with a numeric code (observed: code 25 Invalid signature)', () => {
    const e = caught(() => readQimenResponse(json({ response: { flag: 'failure', code: 25, message: 'Invalid signature', request_id: '15qzd9btbeym5' } }), method));
    expect(e).toBeInstanceOf(PermanentError);
    expect((e as PermanentError).code).toBe('AUTH_FAILED');
  });

  it('gateway failure with a sub_message naming the argument', () => {
    const e = caught(() => readQimenResponse(json({ response: { flag: 'failure', code: 41, message: 'Invalid arguments', sub_message: 'start_time and end_time must be within 7 days', request_id: 'x' } }), method));
    expect((e as PermanentError).code).toBe('JST_REJECTED');
    expect((e as PermanentError).details.field).toBe('start_time');
  });

  it('classic TOP error_response with msg / sub_code / sub_msg', () => {
    const e = caught(() => readQimenResponse(json({ error_response: { code: 7, msg: 'App Call Limited', sub_code: 'accesscontrol.limited-by-app-access-count', sub_msg: 'This ban will last for 2 more seconds', request_id: 'y' } }), method));
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as RateLimitedError).retryAfterMs).toBe(2000);
  });

  it('target business failure with a string code, inside a success wrapper or a result', () => {
    const a = caught(() => readQimenResponse(json({ response: { flag: 'failure', code: 'JST_CUSTOMER_ERROR', message: 'customer_id 无效' } }), method));
    expect((a as PermanentError).code).toBe('JST_REJECTED');
    expect((a as PermanentError).message).toContain('JST_CUSTOMER_ERROR');
    const b = caught(() => readQimenResponse(json({ jushuitan_saleout_list_query_response: { result: { code: 'JST_ERR', msg: '参数错误: page_size' } } }), method));
    expect((b as PermanentError).code).toBe('JST_REJECTED');
    const c = caught(() => readQimenResponse(json({ code: '500', msg: '系统繁忙稍后', success: false }), method));
    expect(c).toBeInstanceOf(PermanentError);
  });

  it('a failure flag without a code is still an error', () => {
    const e = caught(() => readQimenResponse(json({ response: { flag: 'failure', message: 'unknown' } }), method));
    expect(e).toBeInstanceOf(PermanentError);
  });

  it('HTTP 502 HTML page → transient; empty 200 → transient; XML 200 (format not json) → transient', () => {
    expect(caught(() => readQimenResponse({ status: 502, body: '<html>bad gateway</html>', contentType: 'text/html' }, method))).toBeInstanceOf(TransientError);
    expect(caught(() => readQimenResponse({ status: 200, body: '' }, method))).toBeInstanceOf(TransientError);
    const xml = caught(() => readQimenResponse({ status: 200, body: '<response><flag>failure</flag></response>', contentType: 'text/xml' }, method));
    expect(xml).toBeInstanceOf(TransientError);
    expect((xml as Error).message).toMatch(/format=json/);
  });

  it('invalid JSON on 200 → permanent INVALID_RESPONSE; JSON success body on HTTP 503 → transient', () => {
    const e = caught(() => readQimenResponse({ status: 200, body: '{"response":' }, method));
    expect((e as PermanentError).code).toBe('INVALID_RESPONSE');
    expect(caught(() => readQimenResponse(json({ response: { datas: [] } }, 503), method))).toBeInstanceOf(TransientError);
  });

  it('rows that are not a list, or paging that is not a number, are INVALID_RESPONSE naming the key', () => {
    const a = caught(() => pageOf({ response: { datas: 'oops' } }));
    expect((a as PermanentError).code).toBe('INVALID_RESPONSE');
    expect((a as PermanentError).details.field).toBe('datas');
    const b = caught(() => pageOf({ response: { datas: [], page_index: 'one' } }));
    expect((b as PermanentError).message).toContain('page_index');
  });
});
