import { PermanentError } from '@sync/errors';
import { flowRegistry, type AnyDocumentFlow, type FlowContext } from '@sync/flows';
import { transformDocument, validateTarget } from './process-document';

// A registered flow with its transform replaced: what the worker does with what a transform throws or returns.
const base: AnyDocumentFlow = flowRegistry['sales-outbound'];
const withTransform = (transform: AnyDocumentFlow['transform']): AnyDocumentFlow => ({ ...base, transform });
const ctx = {} as FlowContext;

describe('transformDocument: who is to blame for a failed transform', () => {
  it.each([
    { what: 'a TypeError (a bug in the flow)', thrown: new TypeError("Cannot read properties of undefined (reading 'qty')"), code: 'TRANSFORM_FAILED', text: "reading 'qty'" },
    { what: 'a thrown string', thrown: 'boom', code: 'TRANSFORM_FAILED', text: 'boom' },
    { what: "the flow's own refusal of the source", thrown: new PermanentError('INVALID_SOURCE_DOCUMENT', 'batch quantities do not add up'), code: 'INVALID_SOURCE_DOCUMENT', text: 'do not add up' },
    { what: 'an unmapped SKU', thrown: new PermanentError('UNMAPPED_BASE_DATA', 'SKU X is not mapped'), code: 'UNMAPPED_BASE_DATA', text: 'SKU X' },
  ])('$what → $code', ({ thrown, code, text }) => {
    const flow = withTransform(() => {
      throw thrown;
    });
    let caught: unknown;
    try {
      transformDocument(flow, {}, ctx, '2080123');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(PermanentError);
    expect(caught).toMatchObject({ code });
    expect((caught as Error).message).toContain(text);
    if (code === 'TRANSFORM_FAILED') {
      expect((caught as Error).message).toContain('sales-outbound document 2080123');
      expect((caught as Error).message).toContain('a bug in the flow; report it');
    }
  });

  it('a target that fails its form schema is the flow\'s bug too', () => {
    expect(() => validateTarget(base, { formId: 'SAL_OUTSTOCK', billNo: 'JSTSO1', model: {} } as never, '1')).toThrow(
      expect.objectContaining({ code: 'TRANSFORM_FAILED' }),
    );
  });
});
