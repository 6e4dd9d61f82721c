/**
 * JST open-API signature vectors (reference §2.3, from ieu/jst-java's DefaultJstDigestTest). The client
 * (@sync/jushuitan) and the simulator sign independently; both check their own implementation against these.
 */
const appKey = '5b53060f23d84ddf9703056e84fa5a2d';

export const jstSignVectors = {
  appKey,
  appSecret: 'e9c5ca33fecb404b8e6cdbd0ef4a6d25',
  /** getInitToken's parameters. */
  initToken: {
    params: { app_key: appKey, timestamp: '1639128407', grant_type: 'authorization_code', charset: 'utf-8', code: '123456' },
    sign: '05e3a51e19e0883afd1882ccd309e0b9',
  },
  /** A business request; the Chinese in `biz` is signed unencoded, as the exact string. */
  business: {
    params: {
      app_key: appKey,
      access_token: 'd7b01bf0842a4742a9450e21ffd95f60',
      timestamp: '1639128407',
      version: '2',
      charset: 'utf-8',
      biz: '{"page_index":"1","page_size":"100","nicks":["老板"]}',
    },
    sign: '395f5a78b446be465ac03a02491296c7',
  },
} as const;
