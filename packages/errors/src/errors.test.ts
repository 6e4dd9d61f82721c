import { RateLimitedError, TransientError, isClassified } from './index';

describe('error kinds', () => {
  it('classifies only our kinds', () => {
    expect(isClassified(new TransientError('TIMEOUT', 't'))).toBe(true);
    expect(isClassified(new RateLimitedError('JST_199', 'r', 1000))).toBe(true);
    expect(isClassified(new Error('x'))).toBe(false);
  });
});
