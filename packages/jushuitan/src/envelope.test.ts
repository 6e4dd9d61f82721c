import { PermanentError, RateLimitedError, TransientError } from '@sync/errors';
import { parseJstJson, readJstEnvelope, toJstPage, toJstTokenData } from './envelope';

const path = '/open/purchasein/query';
const json = (v: unknown) => ({ status: 200, body: JSON.stringify(v), contentType: 'application/json' });

describe('readJstEnvelope', () => {
  it('returns a success envelope, accepting a numeric-string code', () => {
    expect(readJstEnvelope(json({ code: '0', msg: '执行成功', data: { x: 1 } }), path)).toEqual({ code: 0, msg: '执行成功', data: { x: 1 } });
  });

  it('classifies a non-zero code', () => {
    expect(() => readJstEnvelope(json({ code: 199, msg: '调用太频繁', data: null }), path)).toThrow(RateLimitedError);
    const err = catchErr(() => readJstEnvelope(json({ code: 100, msg: 'token expired' }), path));
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).details.jstCode).toBe(100);
  });

  it('treats an HTML page or an empty body as transient INVALID_RESPONSE', () => {
    for (const raw of [
      { status: 200, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' },
      { status: 200, body: '   ', contentType: 'application/json' },
    ]) {
      const err = catchErr(() => readJstEnvelope(raw, path));
      expect(err).toBeInstanceOf(TransientError);
      expect((err as TransientError).code).toBe('INVALID_RESPONSE');
    }
  });

  it('classifies non-envelope answers with an error status by status', () => {
    expect(catchErr(() => readJstEnvelope({ status: 503, body: '<h1>busy</h1>' }, path))).toMatchObject({ kind: 'transient', code: 'HTTP_5XX' });
    expect(catchErr(() => readJstEnvelope({ status: 429, body: 'slow down', retryAfter: '3' }, path))).toMatchObject({ kind: 'rate-limited', retryAfterMs: 3000 });
    expect(catchErr(() => readJstEnvelope({ status: 404, body: 'not found' }, path))).toMatchObject({ kind: 'permanent', code: 'JST_REJECTED' });
  });

  it('treats invalid JSON or a missing code as permanent INVALID_RESPONSE', () => {
    for (const body of ['{"code":0,"data":', 'OK', JSON.stringify({ msg: 'no code', data: {} }), JSON.stringify({ code: 'zero' }), '[]']) {
      const err = catchErr(() => readJstEnvelope({ status: 200, body, contentType: 'application/json' }, path));
      expect(err).toBeInstanceOf(PermanentError);
      expect((err as PermanentError).code).toBe('INVALID_RESPONSE');
    }
  });
});

describe('toJstPage', () => {
  it('reads a normal page', () => {
    expect(toJstPage({ page_size: 50, page_index: 1, data_count: 3, page_count: 1, has_next: false, datas: [1, 2, 3] }, path)).toEqual({
      pageIndex: 1,
      pageSize: 50,
      hasNext: false,
      dataCount: 3,
      pageCount: 1,
      datas: [1, 2, 3],
    });
  });

  it('accepts numeric strings and string flags', () => {
    const p = toJstPage({ page_size: '2', page_index: '3', data_count: '9', page_count: '5', has_next: 'true', datas: [{}, {}] }, path);
    expect(p).toMatchObject({ pageSize: 2, pageIndex: 3, dataCount: 9, pageCount: 5, hasNext: true });
  });

  it('treats null or absent datas as an empty page', () => {
    expect(toJstPage({ page_size: 50, page_index: 1, has_next: false, datas: null }, path).datas).toEqual([]);
    expect(toJstPage({ page_size: 50, page_index: 1, has_next: false }, path).datas).toEqual([]);
  });

  it('derives has_next from page_count, else from a full page', () => {
    expect(toJstPage({ page_size: 2, page_index: 1, page_count: 3, datas: [1, 2] }, path).hasNext).toBe(true);
    expect(toJstPage({ page_size: 2, page_index: 3, page_count: 3, datas: [1] }, path).hasNext).toBe(false);
    // is_get_total=false: totals of 0 say nothing
    expect(toJstPage({ page_size: 2, page_index: 1, page_count: 0, data_count: 0, datas: [1, 2] }, path)).toMatchObject({ hasNext: true });
    expect(toJstPage({ page_size: 2, page_index: 1, page_count: 0, data_count: 0, datas: [1, 2] }, path).dataCount).toBeUndefined();
    expect(toJstPage({ page_size: 2, page_index: 1, datas: [1] }, path).hasNext).toBe(false);
  });

  it('refuses what is not a page instead of reading it as no rows', () => {
    for (const data of [null, undefined, {}, { page_size: 50, page_index: 1, datas: 'none' }, { page_index: 1, datas: [] }, { page_size: 'x', page_index: 1, datas: [] }]) {
      const err = catchErr(() => toJstPage(data, path));
      expect(err).toBeInstanceOf(PermanentError);
      expect((err as PermanentError).code).toBe('INVALID_RESPONSE');
    }
  });
});

describe('toJstTokenData', () => {
  it('reads a token answer and refuses one without access_token, without echoing values', () => {
    expect(toJstTokenData({ access_token: 'a', refresh_token: 'r', expires_in: '60', scope: 'all' }, path)).toMatchObject({ access_token: 'a', expires_in: 60 });
    const err = catchErr(() => toJstTokenData({ refresh_token: 'secret-refresh' }, path));
    expect(err).toMatchObject({ kind: 'permanent', code: 'INVALID_RESPONSE' });
    expect((err as Error).message).not.toContain('secret-refresh');
  });
});

describe('parseJstJson', () => {
  it('keeps ts values past 2^53 exact as strings', () => {
    const v = parseJstJson('{"datas":[{"ts":12345678901234567891,"io_id":1},{"ts": 42 }]}') as { datas: { ts: unknown }[] };
    expect(v.datas[0].ts).toBe('12345678901234567891');
    expect(v.datas[1].ts).toBe(42);
  });
});

function catchErr(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
