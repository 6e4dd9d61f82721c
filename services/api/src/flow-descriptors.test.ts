import { flowDescriptorsFromConfig } from './flow-descriptors';
import { parseSyncConfig } from '@sync/flows';

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

  it('shows each document flow its cutover: its own, else the top-level one; none for the material flow', () => {
    const config = parseSyncConfig('cutover: "2026-12-01 00:00:00"\nflows:\n  sales-outbound: {}\n  transfer: { cutover: "2026-12-05 00:00:00" }\n  material: {}\n', 'c.yaml');
    const all = flowDescriptorsFromConfig(config);
    expect(all.find((f) => f.name === 'sales-outbound')?.cutover).toBe('2026-12-01 00:00:00');
    expect(all.find((f) => f.name === 'transfer')?.cutover).toBe('2026-12-05 00:00:00');
    expect(all.find((f) => f.name === 'material')).not.toHaveProperty('cutover');
    expect(all.find((f) => f.name === 'stocktake')).not.toHaveProperty('cutover');
  });
});
