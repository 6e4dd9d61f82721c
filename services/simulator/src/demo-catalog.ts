/**
 * The demo world both simulators are seeded from: the JST simulator generates documents that use these
 * shops, warehouses and SKUs; the Kingdee simulator holds the matching base data (organisations, stocks,
 * customers, materials, units). config/sync.config.yaml maps one onto the other.
 * SKUs listed in `unmappedSkus` exist in JST but have no Kingdee material: documents that use them must
 * end in the dead letters.
 */
export interface DemoSku {
  skuId: string;
  iId: string;
  name: string;
  properties: string;
  unit: string;
  price: number;
  batchManaged: boolean;
  shelfLifeDays?: number;
}

export const demoOrg = { number: '100', name: '电商公司' };

export const demoShops = [
  { shopId: 16882300, name: '天猫旗舰店', customer: 'CUST-TMALL' },
  { shopId: 16882301, name: '京东自营店', customer: 'CUST-JD' },
  { shopId: 16882302, name: '抖音小店', customer: 'CUST-DOUYIN' },
] as const;

export const demoWarehouses = [
  { wmsCoId: 10969016, name: '杭州主仓', stock: 'CK001' },
  { wmsCoId: 10969017, name: '广州分仓', stock: 'CK002' },
] as const;

/**
 * Kingdee stocks kept by location (启用仓位), as a common real account has them: their location dimensions
 * (BD_STOCK FFlexNumber) and valid locations (one part per dimension, joined by "."). Every line saved into one of
 * them needs a location; config/sync.config.yaml gives each a default. CK001 keeps no locations.
 */
export const demoStockLocations: Record<string, { flexNumbers: string[]; locations: string[] }> = {
  CK002: { flexNumbers: ['FF100001', 'FF100002'], locations: ['G.01', 'G.02', 'H.01'] },
  'CK001-TH': { flexNumbers: ['FF100001'], locations: ['TH-01', 'TH-02'] },
  'CK001-DEF': { flexNumbers: ['FF100003'], locations: ['DEF-01', 'DEF-02'] },
};

/**
 * Virtual warehouses (wh_id: 1 主仓, 2 销退仓, 3 进货仓, 4 次品仓) that have their own Kingdee stock, mapped as
 * `<wms_co_id>/<wh_id>`; the demo config lets the other wh_ids of a warehouse book into the warehouse's own stock
 * (`coversSubWarehouses`).
 */
export const demoSubWarehouses = [
  { wmsCoId: 10969016, whId: 2, name: '杭州主仓-销退仓', stock: 'CK001-TH' },
  { wmsCoId: 10969016, whId: 4, name: '杭州主仓-次品仓', stock: 'CK001-DEF' },
] as const;

const colors = [
  ['RED', '红色'],
  ['BLK', '黑色'],
] as const;
const sizes = ['S', 'M', 'L'] as const;

function tshirtSkus(): DemoSku[] {
  const out: DemoSku[] = [];
  for (const [c, cn] of colors) {
    for (const s of sizes) {
      out.push({ skuId: `A1001-${c}-${s}`, iId: 'A1001', name: '纯棉T恤', properties: `${cn};${s}`, unit: '件', price: 99, batchManaged: false });
    }
  }
  return out;
}

export const demoSkus: DemoSku[] = [
  ...tshirtSkus(),
  { skuId: 'B2001-250ML', iId: 'B2001', name: '保湿精华液', properties: '250ml', unit: '瓶', price: 159, batchManaged: true, shelfLifeDays: 730 },
  { skuId: 'B2001-500ML', iId: 'B2001', name: '保湿精华液', properties: '500ml', unit: '瓶', price: 269, batchManaged: true, shelfLifeDays: 730 },
  { skuId: 'C3001', iId: 'C3001', name: '坚果礼盒', properties: '', unit: '盒', price: 128, batchManaged: true, shelfLifeDays: 180 },
  { skuId: 'D4001', iId: 'D4001', name: '帆布袋(赠品)', properties: '', unit: '个', price: 0, batchManaged: false },
];

/** JST suppliers (supplier_id) and their Kingdee supplier numbers; config maps one onto the other. */
export const demoSuppliers = [
  { supplierId: 30001, name: '杭州优选包材有限公司', supplier: 'SUP-001' },
  { supplierId: 30002, name: '广州美妆代工厂', supplier: 'SUP-002' },
] as const;

/** Kingdee departments by purpose (mappings.departments keys). */
export const demoDepartments = [{ key: 'stock', number: 'BM000001', name: '仓储部' }] as const;

/** JST suppliers with no Kingdee supplier and no mapping: purchase documents from them end in the dead letters. */
export const unmappedSuppliers = [{ supplierId: 39999, name: '未建档供应商' }] as const;

/** JST SKUs with no Kingdee material and no mapping. */
export const unmappedSkus: DemoSku[] = [
  { skuId: 'Z9999-NEW', iId: 'Z9999', name: '新品未建档', properties: '', unit: '件', price: 59, batchManaged: false },
];

/** Kingdee unit numbers for JST unit names. */
export const demoUnits: Record<string, string> = { 件: 'Pcs', 瓶: 'Btl', 盒: 'Box', 个: 'Pcs' };

/** Credentials the demo and the tests use against the simulators (not secrets of any real system). */
export const demoCredentials = {
  jst: { appKey: 'demo-app-key', appSecret: 'demo-app-secret-0123456789', accessToken: 'demo-access-token-0123456789' },
  /** The demo's own Taobao/Qimen app and the customer_id JST would issue for the demo company. */
  qimen: { appKey: 'demo-qimen-app', appSecret: 'demo-qimen-secret-0123456789', customerId: '10969016' },
  kingdee: {
    acctId: '5f1e2d3c4b5a69',
    users: [
      { username: 'integration', password: 'demo-kd-password-1' },
      { username: 'integration2', password: 'demo-kd-password-2' },
    ],
    appId: '100001_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY',
    appSecret: '0123456789abcdef0123456789abcdef',
  },
};
