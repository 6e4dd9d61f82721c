import { until } from './until';

describe('until', () => {
  it('resolves once the check holds', async () => {
    let calls = 0;
    await until('the third call', () => ++calls === 3, 5000, 1);
    expect(calls).toBe(3);
  });

  it('names what it waited for, and what explain() says, when it times out', async () => {
    await expect(until('the moon', async () => false, 20, 5, () => 'still new')).rejects.toThrow('timed out after 20 ms waiting for the moon: still new');
  });
});
