import { defineRoute, type ApiRoute } from './api-route';
import { HttpError, notFound } from './http-error';
import type { ApiOps } from './ops';
import { previewBodySchema, previewDocument, previewResultSchema, type PreviewDeps } from './preview';

/**
 * `POST /preview` (read-only role: a dry run writes nothing): the Kingdee payload a flow's transform makes of a JST
 * document, given or fetched by id. 404 for an unknown flow; 503 without `preview` deps in this API process.
 */
export function previewRoute(ops: ApiOps, preview: PreviewDeps | undefined, now: () => Date): ApiRoute {
  return defineRoute({
    method: 'POST', url: '/preview', role: 'readonly',
    summary: 'Dry run: the Kingdee payload the transform would send for a JST document, and mapping problems; writes nothing.',
    schema: { body: previewBodySchema, response: { 200: previewResultSchema } },
    handler: async (req) => {
      const body = req.body;
      if (!ops.flowNames().includes(body.flow)) throw notFound(`unknown flow "${body.flow}"`);
      if (!preview) throw new HttpError(503, { error: 'preview_unavailable', message: 'preview is not configured in this API process' });
      let document: unknown = body.document;
      if (body.docId !== undefined) {
        if (!preview.fetchDocument) {
          throw new HttpError(400, { error: 'bad_request', field: 'docId', message: 'docId: this API has no JST settings; send the document itself' });
        }
        document = await preview.fetchDocument(body.flow, body.docId);
        if (document === undefined) throw new HttpError(404, { error: 'not_found', message: `JST has no ${body.flow} document "${body.docId}"` });
      }
      return previewDocument(preview, body.flow, document, now().toISOString());
    },
  });
}
