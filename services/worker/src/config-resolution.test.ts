import { envSchema } from '@sync/config';
import { type DocumentFlow, syncConfigSchema } from '@sync/flows';
import { resolveWorkerFlows } from './resolve-worker-flows';
import { kingdeeOptionsFromEnv } from '@sync/kingdee';

const flow = { name: 'sales-outbound' } as DocumentFlow;

describe('resolveWorkerFlows', () => {
  const enabled = syncConfigSchema.parse({ flows: { 'sales-outbound': {} } });
  const disabled = syncConfigSchema.parse({ flows: { 'sales-outbound': { enabled: false } } });
  it('all = every registered flow enabled in the config', () => {
    expect(resolveWorkerFlows('all', enabled, { 'sales-outbound': flow })).toEqual(['sales-outbound']);
    expect(resolveWorkerFlows('all', disabled, { 'sales-outbound': flow })).toEqual([]);
    expect(resolveWorkerFlows('all', syncConfigSchema.parse({}), { 'sales-outbound': flow })).toEqual([]);
  });
  it('a list must name registered, enabled flows', () => {
    expect(resolveWorkerFlows(' sales-outbound , sales-outbound', enabled, { 'sales-outbound': flow })).toEqual(['sales-outbound']);
    expect(() => resolveWorkerFlows('purchase-in', enabled, { 'sales-outbound': flow })).toThrow(/unknown flow\(s\) purchase-in/);
    expect(() => resolveWorkerFlows('sales-outbound', disabled, { 'sales-outbound': flow })).toThrow(/disabled or missing/);
  });
  it('-name removes a flow, so worker groups can split the flows between them', () => {
    const other = { name: 'other-inbound' } as DocumentFlow;
    const two = syncConfigSchema.parse({ flows: { 'sales-outbound': {} } });
    const registry = { 'sales-outbound': flow, 'other-inbound': other };
    (two.flows as Record<string, unknown>)['other-inbound'] = { enabled: true };
    expect(resolveWorkerFlows('all,-sales-outbound', two, registry)).toEqual(['other-inbound']);
    expect(resolveWorkerFlows('all', two, registry)).toEqual(['sales-outbound', 'other-inbound']);
    expect(resolveWorkerFlows('all,-sales-outbound', enabled, { 'sales-outbound': flow })).toEqual([]);
    expect(() => resolveWorkerFlows('all,-nope', enabled, { 'sales-outbound': flow })).toThrow(/excludes unknown flow\(s\) nope/);
  });
});

describe('kingdeeOptionsFromEnv', () => {
  const base = { KINGDEE_ACCT_ID: 'acct', KINGDEE_BASE_URL: 'http://127.0.0.1:8702/k3cloud/' };
  it('one password for every user, or one per user', () => {
    const same = kingdeeOptionsFromEnv(envSchema.parse({ ...base, KINGDEE_USERNAME: 'a,b', KINGDEE_PASSWORD: 'pw' }), 'the worker');
    expect(same.users).toEqual([{ username: 'a', password: 'pw' }, { username: 'b', password: 'pw' }]);
    const paired = kingdeeOptionsFromEnv(envSchema.parse({ ...base, KINGDEE_USERNAME: 'a, b', KINGDEE_PASSWORD: 'p1,p2' }), 'the worker');
    expect(paired.users).toEqual([{ username: 'a', password: 'p1' }, { username: 'b', password: 'p2' }]);
    expect(paired).toMatchObject({ auth: 'password', acctId: 'acct', lcid: 2052, timeoutMs: 60000 });
  });
  it('names what is missing', () => {
    expect(() => kingdeeOptionsFromEnv(envSchema.parse({ ...base, KINGDEE_USERNAME: 'a' }), 'the worker')).toThrow(/KINGDEE_PASSWORD/);
    expect(() => kingdeeOptionsFromEnv(envSchema.parse({ KINGDEE_USERNAME: 'a', KINGDEE_PASSWORD: 'p' }), 'the worker')).toThrow(/KINGDEE_ACCT_ID/);
  });
});
