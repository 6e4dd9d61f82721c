import { z } from 'zod';
import { defineRoute, type ApiRoute } from './api-route';
import { notFound } from './http-error';
import { flowStatusSchema, type ApiOps } from './ops';
import { flowParamsSchema } from './request-schemas';

/** `flow` when `ops.flowNames()` lists it; else 404 naming the known flows. */
export function requireKnownFlow(ops: Pick<ApiOps, 'flowNames'>, flow: string): string {
  if (!ops.flowNames().includes(flow)) {
    throw notFound(`unknown flow "${flow}" (known: ${ops.flowNames().join(', ') || 'none'})`);
  }
  return flow;
}

/** The flows: their status, poll now, pause and resume (404 for a flow `ops.flowNames()` does not list). */
export function flowRoutes(ops: ApiOps): ApiRoute[] {
  const pauseRoute = (action: 'pause' | 'resume', summary: string): ApiRoute =>
    defineRoute({
      method: 'POST', url: `/flows/:flow/${action}`, role: 'operator', summary,
      schema: { params: flowParamsSchema, response: { 200: z.object({ flow: z.string(), paused: z.boolean() }) } },
      handler: async (req) => {
        const { flow } = req.params;
        requireKnownFlow(ops, flow);
        req.audit = { action, details: { flow } };
        await ops.setPaused(flow, action === 'pause', req.principal ?? 'unknown');
        return { flow, paused: action === 'pause' };
      },
    });

  return [
    defineRoute({
      method: 'GET', url: '/flows', role: 'readonly',
      summary: 'Status of every flow: enabled, schedule, cursor, last poll, lag, queue counts, written today, last error, paused, cutover and the documents skipped before it.',
      schema: { response: { 200: z.object({ flows: z.array(flowStatusSchema) }) } },
      handler: async () => ({ flows: await ops.listFlows() }),
    }),
    defineRoute({
      method: 'POST', url: '/flows/:flow/poll', role: 'operator',
      summary: 'Poll the flow now.',
      schema: { params: flowParamsSchema, response: { 202: z.object({ flow: z.string(), jobId: z.string() }) } },
      handler: async (req, reply) => {
        const { flow } = req.params;
        requireKnownFlow(ops, flow);
        const { jobId } = await ops.triggerPoll(flow);
        req.audit = { action: 'poll', details: { flow, jobId } };
        req.log.info({ flow, jobId, principal: req.principal }, 'poll triggered');
        return reply.code(202).send({ flow, jobId });
      },
    }),
    pauseRoute('pause', 'Pause the flow: its queue stops and its scheduled polls are skipped (the cursor stays).'),
    pauseRoute('resume', 'Resume a paused flow.'),
  ];
}
