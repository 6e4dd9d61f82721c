import { demoCredentials, startKingdeeSimulator, type KingdeeSimulator } from '@sync/simulator';
import { createKingdeeClient } from '@sync/kingdee';
import { locationExists, readLocationValues } from './gather-locations';

describe('locationExists', () => {
  const two = { dimensions: ['FF100001', 'FF100002'], values: [['G', 'H'], ['01', '02']] };
  it.each([
    ['G.01', two, 'yes'],
    ['g.02', two, 'yes'],
    ['G.09', two, 'no'],
    ['X.01', two, 'no'],
    ['G01', two, 'wrong-shape'],
    ['G.01.1', two, 'wrong-shape'],
    ['A-01', { dimensions: ['FF100001'], values: [['A-01', 'A-02']] }, 'yes'],
    ['A.01', { dimensions: ['FF100001'], values: [['A.01']] }, 'yes'],
    ['A-09', { dimensions: ['FF100001'], values: [[]] }, 'unknown'],
    ['A-01', { dimensions: [], values: [] }, 'wrong-shape'],
  ] as const)('%s in %j → %s', (code, stock, expected) => {
    expect(locationExists(code, { dimensions: [...stock.dimensions], values: stock.values.map((v) => [...v]) })).toBe(expected);
  });
});

describe('readLocationValues against the Kingdee simulator (View BD_STOCK)', () => {
  let sim: KingdeeSimulator;
  beforeAll(async () => {
    sim = await startKingdeeSimulator({});
    sim.addBaseData({ stocks: [{ number: 'CK-2D', name: '两维仓', flexNumbers: ['FF100001', 'FF100002'], bins: ['G.01', 'H.02'] }, { number: 'CK-NONE', name: '无仓位' }] });
  });
  afterAll(() => sim.close());

  it('reads the dimensions and values of each stock; a stock Kingdee lacks is undefined', async () => {
    const { kingdee } = demoCredentials;
    const kd = createKingdeeClient({ baseUrl: sim.url, auth: 'password', acctId: kingdee.acctId, users: [{ ...kingdee.users[0] }] });
    try {
      expect(await readLocationValues(kd, ['CK-2D', 'CK-NONE', 'NOPE'])).toEqual({
        'CK-2D': { dimensions: ['FF100001', 'FF100002'], values: [['G', 'H'], ['01', '02']] },
        'CK-NONE': { dimensions: [], values: [] },
        NOPE: undefined,
      });
    } finally {
      await kd.close();
    }
  });
});
