import { signQimen } from './qimen-sign';

// jst-qimen.md §3.2: the TOP official vector (open.taobao.com docId=101617).
const topParams = {
  method: 'taobao.item.seller.get',
  app_key: '12345678',
  session: 'test',
  timestamp: '2016-01-01 12:00:00',
  format: 'json',
  v: '2.0',
  sign_method: 'md5',
  fields: 'num_iid,title,nick,price,num',
  num_iid: '11223344',
};

// jst-qimen.md §3.3: the JST-shaped saleout request.
const jstShaped = {
  app_key: '12345678',
  customer_id: '10000001',
  date_type: '2',
  end_time: '2024-05-01 00:00:00',
  format: 'json',
  method: 'jushuitan.saleout.list.query',
  page_index: '1',
  page_size: '50',
  sign_method: 'md5',
  start_time: '2024-04-30 00:00:00',
  status: 'Confirmed',
  target_app_key: '23060081',
  timestamp: '2024-05-01 12:00:00',
  v: '2.0',
};

describe('signQimen', () => {
  it('matches the TOP official md5 vector', () => {
    expect(signQimen(topParams, 'helloworld', 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
  });

  it('matches the JST-shaped md5, hmac and hmac-sha256 vectors', () => {
    expect(signQimen(jstShaped, 'helloworld', 'md5')).toBe('823B1234DE903362E9005EE14932B4CB');
    expect(signQimen({ ...jstShaped, sign_method: 'hmac' }, 'helloworld', 'hmac')).toBe('FCB79B830317572F62BE3B0F465108C3');
    expect(signQimen({ ...jstShaped, sign_method: 'hmac-sha256' }, 'helloworld', 'hmac-sha256')).toBe(
      '9D7C05757EE9C1D02888679E407E02A96A9DA2A7F69FC3008323F213A9AA015E',
    );
  });

  it('matches the RFC 2202 HMAC-MD5 case 1 (key 0x0b × 16, "Hi There")', () => {
    const key = Buffer.alloc(16, 0x0b).toString('latin1');
    // The key bytes are all < 0x80, so latin1 and utf8 encode them identically.
    expect(signQimen({ Hi: ' There' }, key, 'hmac')).toBe('9294727A3638BB1C13F48EF8158BFC9D');
  });

  it('ignores sign and empty values, and not the key order', () => {
    const shuffled = Object.fromEntries(Object.entries(jstShaped).reverse());
    expect(signQimen({ ...shuffled, sign: 'STALE', session: '', partner_id: undefined }, 'helloworld')).toBe('823B1234DE903362E9005EE14932B4CB');
  });

  it('signs values raw (Chinese, spaces, commas), and changes with the secret', () => {
    const a = signQimen({ so_ids: '111,222', remark: '天猫 旗舰店' }, 's1');
    expect(a).toMatch(/^[0-9A-F]{32}$/);
    expect(signQimen({ so_ids: '111,222', remark: '天猫 旗舰店' }, 's2')).not.toBe(a);
  });
});
