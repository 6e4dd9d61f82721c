import { parseSyncConfig } from '@sync/config';
import { flowDescriptorsFromConfig } from './flow-descriptors';

describe('flowDescriptorsFromConfig', () => {
  it('takes schedule, enablement and bill-number prefix from the config, titles from the registry', () => {
    const config = parseSyncConfig('flows:\n  sales-outbound:\n    enabled: false\n    billNoPrefix: XS\n    schedule: { everyMs: 60000 }\n', 'test.yaml');
    expect(flowDescriptorsFromConfig(config, { 'sales-outbound': '销售出库单' })).toContainEqual(
      { name: 'sales-outbound', title: '销售出库单', enabled: false, everyMs: 60000, billNoPrefix: 'XS' },
    );
  });

  it('lists a flow missing from the file as disabled, titled by its name', () => {
    const config = parseSyncConfig('{}', 'empty.json');
    const all = flowDescriptorsFromConfig(config);
    expect(all).toContainEqual({ name: 'sales-outbound', title: 'sales-outbound', enabled: false, everyMs: 15000 });
    expect(all.every((f) => !f.enabled)).toBe(true);
  });
});
