import { createUploadBatcher } from './upload-batcher';

function recorder(fail?: (items: string[]) => Error | undefined) {
  const calls: string[][] = [];
  return {
    calls,
    send: async (items: string[]) => {
      calls.push([...items]);
      const err = fail?.(items);
      if (err) throw err;
      return items.map((i) => `ok:${i}`);
    },
  };
}

describe('createUploadBatcher', () => {
  it('sends full batches at once and the rest after the wait, each item getting its own result', async () => {
    const r = recorder();
    const b = createUploadBatcher({ maxItems: 3, waitMs: 10, send: r.send });
    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((x) => b.submit([x])));
    expect(results).toEqual([['ok:a'], ['ok:b'], ['ok:c'], ['ok:d'], ['ok:e']]);
    expect(r.calls).toEqual([['a', 'b', 'c'], ['d', 'e']]);
  });

  it('splits a submission larger than a batch and keeps its order', async () => {
    const r = recorder();
    const b = createUploadBatcher({ maxItems: 2, waitMs: 0, send: r.send });
    expect(await b.submit(['a', 'b', 'c'])).toEqual(['ok:a', 'ok:b', 'ok:c']);
    expect(r.calls.every((c) => c.length <= 2)).toBe(true);
    expect(r.calls.flat()).toEqual(['a', 'b', 'c']);
  });

  it('a failed call rejects every submission it carried, and only those', async () => {
    const r = recorder((items) => (items.includes('bad') ? new Error('call failed') : undefined));
    const b = createUploadBatcher({ maxItems: 2, waitMs: 5, send: r.send });
    const outcomes = await Promise.allSettled([b.submit(['x']), b.submit(['bad']), b.submit(['y'])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect((outcomes[0] as PromiseRejectedResult).reason).toEqual(new Error('call failed'));
  });

  it('a repeated key starts a new call (two versions of one SKU never share an upload)', async () => {
    const r = recorder();
    const b = createUploadBatcher({ maxItems: 10, waitMs: 5, send: r.send, keyOf: (s: string) => s.split('@')[0] });
    await Promise.all([b.submit(['a@1']), b.submit(['b@1']), b.submit(['a@2'])]);
    expect(r.calls).toEqual([['a@1', 'b@1'], ['a@2']]);
  });

  it('flush sends what is pending without waiting for the timer', async () => {
    const r = recorder();
    const b = createUploadBatcher({ maxItems: 10, waitMs: 60_000, send: r.send });
    const pending = b.submit(['a']);
    await b.flush();
    expect(await pending).toEqual(['ok:a']);
    expect(r.calls).toEqual([['a']]);
  });

  it('a call answering the wrong number of results fails its items', async () => {
    const b = createUploadBatcher({ maxItems: 2, waitMs: 0, send: async () => ['only-one'] });
    await expect(b.submit(['a', 'b'])).rejects.toThrow('1 results for 2 items');
  });
});
