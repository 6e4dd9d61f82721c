import { enabledFlows, flowBills, getFlow, settingsFor, type FlowName, type SyncConfig } from '@sync/flows';
import type { DocumentFlowSettings } from '@sync/config';
import type { KingdeeKind } from './facts';

/** One place in the configuration that names a Kingdee base-data record. */
export interface BaseDataRef {
  kind: KingdeeKind;
  number: string;
  /** Config path of the value, e.g. `mappings.warehouses."10969016".stock`. */
  path: string;
  /** Stocks: the organisation the mapping books them under (must be a use organisation of the stock). */
  org?: string;
  /** Bill types: the Kingdee form the flow writes with it. */
  formId?: string;
  /** Materials: the SKU mapping's flags, when set. */
  batchManaged?: boolean;
  shelfLifeManaged?: boolean;
}

const q = (key: string) => `"${key}"`;

/** The bill types a document flow writes with (flowBills), and the form each is for. */
function billTypeRefs(name: FlowName, config: SyncConfig): BaseDataRef[] {
  const settings = settingsFor(config, name);
  if (!settings) return [];
  return flowBills(getFlow(name), settings).map((bill): BaseDataRef => ({ kind: 'billType', number: bill.billType, path: `flows.${name}.${bill.billTypeKey}`, formId: bill.formId }));
}

/**
 * Every Kingdee base-data number the configuration refers to, with its config path: the organisations, stocks,
 * customers, suppliers, departments, units and materials of the mappings, and the bill types, currencies and
 * organisations of the enabled flows. Pure; in config order.
 */
export function baseDataRefs(config: SyncConfig): BaseDataRef[] {
  const m = config.mappings;
  const refs: BaseDataRef[] = [];
  const flows = enabledFlows(config);
  const orgRef = (number: string, path: string) => refs.push({ kind: 'organization', number, path });
  for (const [key, w] of Object.entries(m.warehouses)) {
    const at = `mappings.warehouses.${q(key)}`;
    orgRef(w.stockOrg, `${at}.stockOrg`);
    refs.push({ kind: 'stock', number: w.stock, path: `${at}.stock`, org: w.stockOrg });
  }
  for (const [key, s] of Object.entries(m.shops)) {
    const at = `mappings.shops.${q(key)}`;
    refs.push({ kind: 'customer', number: s.customer, path: `${at}.customer` });
    orgRef(s.saleOrg, `${at}.saleOrg`);
    if (s.settleOrg) orgRef(s.settleOrg, `${at}.settleOrg`);
  }
  for (const [key, s] of Object.entries(m.suppliers)) {
    const at = `mappings.suppliers.${q(key)}`;
    refs.push({ kind: 'supplier', number: s.supplier, path: `${at}.supplier` });
    if (s.purchaseOrg) orgRef(s.purchaseOrg, `${at}.purchaseOrg`);
  }
  for (const [key, number] of Object.entries(m.departments)) refs.push({ kind: 'department', number, path: `mappings.departments.${q(key)}` });
  for (const [key, s] of Object.entries(m.skus.map)) {
    const at = `mappings.skus.map.${q(key)}`;
    refs.push({ kind: 'material', number: s.material, path: `${at}.material`, batchManaged: s.batchManaged, shelfLifeManaged: s.shelfLifeManaged });
    if (s.unit) refs.push({ kind: 'unit', number: s.unit, path: `${at}.unit` });
  }
  refs.push({ kind: 'unit', number: m.defaults.unit, path: 'mappings.defaults.unit' });
  for (const [key, unit] of Object.entries(m.defaults.units)) refs.push({ kind: 'unit', number: unit, path: `mappings.defaults.units.${q(key)}` });
  for (const name of flows) {
    // Seen as the shared settings: `currency` only where the flow's bills carry prices.
    const settings: DocumentFlowSettings | undefined = settingsFor(config, name);
    if (!settings) continue;
    refs.push(...billTypeRefs(name, config));
    if (settings.currency !== undefined) refs.push({ kind: 'currency', number: settings.currency, path: `flows.${name}.currency` });
    if ('pickOrg' in settings && typeof settings.pickOrg === 'string') orgRef(settings.pickOrg, `flows.${name}.pickOrg`);
  }
  const material = config.flows.material;
  if (material?.enabled && material.useOrg) orgRef(material.useOrg, 'flows.material.useOrg');
  return refs;
}

/** Config paths of flow settings that name a key of `mappings.departments`, with the key. Pure. */
export function departmentKeyRefs(config: SyncConfig): Array<{ key: string; path: string }> {
  const out: Array<{ key: string; path: string }> = [];
  for (const name of enabledFlows(config)) {
    const settings = config.flows[name];
    if (settings && 'department' in settings && typeof settings.department === 'string') {
      out.push({ key: settings.department, path: `flows.${name}.department` });
    }
  }
  return out;
}
