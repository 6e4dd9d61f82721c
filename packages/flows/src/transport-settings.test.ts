import { transportServesShop, transportSettingsOf, transportsOf } from '@sync/config';
import { parseSyncConfig } from './sync-config';

describe('flow transport settings (openweb | qimen | both)', () => {
  it('defaults to the open API without changing the parsed shape', () => {
    const s = parseSyncConfig('flows: { sales-outbound: {} }', 'x').flows['sales-outbound']!;
    expect(s).not.toHaveProperty('transport');
    expect(transportSettingsOf(s)).toEqual({ transport: 'openweb', qimen: { shops: 'all', cursor: 'window', pageSize: 50 }, openweb: { shops: 'all' } });
  });

  it('reads both transports with the Taobao/Tmall shops through Qimen and every other shop through the open API', () => {
    const s = parseSyncConfig('flows: { sales-outbound: { transport: both, qimen: { shops: [16882300, "16882304"], cursor: ts }, openweb: { shops: others } } }', 'x').flows['sales-outbound']!;
    const t = transportSettingsOf(s);
    expect(t).toMatchObject({ transport: 'both', qimen: { shops: [16882300, 16882304], cursor: 'ts', pageSize: 50 }, openweb: { shops: 'others' } });
    expect(transportsOf(t.transport)).toEqual(['openweb', 'qimen']);
    expect([16882300, 16882301].map((shop) => [transportServesShop(t, 'qimen', shop), transportServesShop(t, 'openweb', shop)])).toEqual([[true, false], [false, true]]);
  });

  it.each([
    ['all shops on both sides', { qimen: { shops: 'all' as const, cursor: 'window' as const, pageSize: 50 }, openweb: { shops: 'all' as const } }, [true, true]],
    ['an explicit open-API list', { qimen: { shops: [1], cursor: 'window' as const, pageSize: 50 }, openweb: { shops: [2] } }, [false, false]],
  ])('serves shop 3 by %s', (_name, t, [qimen, openweb]) => {
    const s = { transport: 'both' as const, ...t };
    expect([transportServesShop(s, 'qimen', 3), transportServesShop(s, 'openweb', 3)]).toEqual([qimen, openweb]);
  });

  it.each([
    ['flows: { sales-outbound: { transport: fax } }', /flows\.sales-outbound\.transport/],
    ['flows: { sales-outbound: { transport: both, openweb: { shops: others } } }', /flows\.sales-outbound\.openweb\.shops.*list the Qimen shops/],
    ['flows: { sales-outbound: { qimen: { pageSize: 100 } } }', /flows\.sales-outbound\.qimen\.pageSize/],
    ['flows: { sales-outbound: { qimen: { shops: [abc] } } }', /flows\.sales-outbound\.qimen\.shops/],
    ['flows: { sales-return: { transport: both } }', /flows\.sales-return\.transport.*source: refund/],
    ['flows: { sales-return: { transport: both, qimen: { shops: [1] }, openweb: { shops: [1, 2] } } }', /flows\.sales-return\.transport/],
  ])('refuses %s naming the key', (yaml, message) => {
    expect(() => parseSyncConfig(yaml, 'x')).toThrow(message);
  });

  it('accepts sales-return through both when the bill series cannot meet', () => {
    expect(() => parseSyncConfig('flows: { sales-return: { transport: both, source: refund } }', 'x')).not.toThrow();
    expect(() => parseSyncConfig('flows: { sales-return: { transport: both, qimen: { shops: [1] }, openweb: { shops: others } } }', 'x')).not.toThrow();
    expect(() => parseSyncConfig('flows: { sales-return: { transport: qimen } }', 'x')).not.toThrow();
  });
});
