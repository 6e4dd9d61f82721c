import { topSign } from './qimen-sign';

describe('Qimen simulator: topSign (jst-qimen.md §3.2–3.3 vectors)', () => {
  it('matches the TOP official vector', () => {
    const params = {
      method: 'taobao.item.seller.get', app_key: '12345678', session: 'test', timestamp: '2016-01-01 12:00:00', format: 'json',
      v: '2.0', sign_method: 'md5', fields: 'num_iid,title,nick,price,num', num_iid: '11223344',
    };
    expect(topSign('helloworld', params, 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
  });

  it('matches the JST-shaped vectors for md5, hmac and hmac-sha256, and knows no other method', () => {
    const base = {
      app_key: '12345678', customer_id: '10000001', date_type: '2', end_time: '2024-05-01 00:00:00', format: 'json',
      method: 'jushuitan.saleout.list.query', page_index: '1', page_size: '50', start_time: '2024-04-30 00:00:00',
      status: 'Confirmed', target_app_key: '23060081', timestamp: '2024-05-01 12:00:00', v: '2.0',
    };
    expect(topSign('helloworld', { ...base, sign_method: 'md5' }, 'md5')).toBe('823B1234DE903362E9005EE14932B4CB');
    expect(topSign('helloworld', { ...base, sign_method: 'hmac' }, 'hmac')).toBe('FCB79B830317572F62BE3B0F465108C3');
    expect(topSign('helloworld', { ...base, sign_method: 'hmac-sha256' }, 'hmac-sha256')).toBe('9D7C05757EE9C1D02888679E407E02A96A9DA2A7F69FC3008323F213A9AA015E');
    expect(topSign('helloworld', base, 'sha1')).toBeUndefined();
  });
});
