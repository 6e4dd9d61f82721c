import type { FastifyInstance, FastifyReply } from 'fastify';
import { handleAuthOp, isAuthOp } from './auth-service';
import { failureEnvelope, responseErrorBody, wrapForQuery } from './envelopes';
import { countPackages, executeFormOp, isFormOp, isWrappedQueryOp } from './dynamic-form-service';
import { sessionCookies } from './login-response';
import { messages } from './messages';
import { authenticate } from './request-auth';
import { BodyError, parseRequestBody } from './request-body';
import { takeFault } from './settings';
import type { SimulatorState } from './simulator-state';

/**
 * `POST /k3cloud/<ServiceName>.common.kdsvc` (reference §1, §8): service and op matched
 * case-insensitively; bodies in either convention with any Content-Type (the Java SDK sends
 * `applicatin/json`). Business calls need a session and run through the per-session queue.
 */
const SERVICE_RE = /^(.*)\.([^.]+)\.common\.kdsvc$/i;

const IIS_500 = '<!DOCTYPE html><html><head><title>500 - 服务器内部错误。</title></head><body><h2>500 - 服务器内部错误。</h2><p>您查找的资源存在问题，因而无法显示。</p></body></html>';

function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

function sendResponseError(reply: FastifyReply, message: string): FastifyReply {
  return reply.type('text/plain; charset=utf-8').send(responseErrorBody(message));
}

/** Registers the protocol routes in their own encapsulated context (raw-string body parser). */
export async function protocolRoutes(app: FastifyInstance, opts: { state: SimulatorState }): Promise<void> {
  const { state } = opts;
  const { settings, stats, options } = state;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.post<{ Params: { service: string } }>('/k3cloud/:service', async (req, reply) => {
    const match = SERVICE_RE.exec(req.params.service);
    if (!match) return reply.code(404).type('text/html').send('<html><body>404 - 找不到文件或目录。</body></html>');
    const namespace = match[1].toLowerCase();
    const op = match[2].toLowerCase();
    stats.calls[op] = (stats.calls[op] ?? 0) + 1;
    const started = Date.now();
    const log = (extra: Record<string, unknown>): void => options.logger.debug({ op, ms: Date.now() - started, ...extra }, 'kingdee simulator call');

    if (takeFault(settings.faults.http500, options.random)) {
      stats.faults.http500++;
      log({ fault: 'http500' });
      return reply.code(500).type('text/html; charset=utf-8').send(IIS_500);
    }

    let body;
    try {
      body = parseRequestBody(typeof req.body === 'string' ? req.body : '');
    } catch (err) {
      if (err instanceof BodyError) return sendResponseError(reply, err.message);
      throw err;
    }

    if (namespace.endsWith('authservice') && isAuthOp(op)) {
      const answer = handleAuthOp(state, op, body, req.headers);
      if (answer.session) reply.header('set-cookie', sessionCookies(answer.session));
      log({ user: answer.session?.label });
      return sendJson(reply, answer.body);
    }
    if (!namespace.endsWith('dynamicformservice') || !isFormOp(op)) {
      return sendResponseError(reply, `Kingdee.BOS.WebApi: service ${match[1]}.${match[2]} is not available (simulator)`);
    }

    const wrap = (env: Record<string, unknown>): unknown => (isWrappedQueryOp(op) ? wrapForQuery(env) : env);
    const path = req.url.split('?')[0];
    const auth = authenticate(req.headers, path, {
      options,
      settings,
      sessions: state.sessions,
      nowMs: options.clock(),
      onSessionCreated: () => stats.sessionsCreated++,
    });
    if (auth.kind === 'rejected') {
      log({ rejected: auth.reason });
      return sendJson(reply, wrap(failureEnvelope(2, messages.signatureRejected)));
    }
    if (auth.kind === 'none') {
      stats.sessionLost++;
      log({ sessionLost: true });
      return sendJson(reply, wrap(failureEnvelope(1, messages.sessionLost)));
    }
    const { session } = auth;
    if (auth.setCookie) reply.header('set-cookie', sessionCookies(session));
    if (takeFault(settings.faults.callLimit, options.random)) {
      stats.faults.callLimit++;
      log({ fault: 'callLimit', user: session.label });
      return sendJson(reply, wrap(failureEnvelope(14, messages.callLimit)));
    }

    const { packages, lines } = countPackages(op, body);
    stats.packagesSent += packages;
    let answer: unknown;
    try {
      answer = await state.queue.run(session.label, settings.serializePerSession, async () => {
        await state.sleeper.sleep(settings.latency.perCallMs + settings.latency.perLineMs * lines);
        return executeFormOp(state, op, body);
      });
    } catch (err) {
      if (err instanceof BodyError) return sendResponseError(reply, err.message);
      options.logger.error({ op, err }, 'kingdee simulator failure');
      return sendResponseError(reply, err instanceof Error ? err.message : String(err));
    }
    if ((op === 'save' || op === 'batchsave') && takeFault(settings.faults.commitThenDelay, options.random)) {
      stats.faults.commitThenDelay++;
      // The bill is committed; the answer is held outside the session queue so the client's
      // existence check after its timeout is not stuck behind this call.
      await state.sleeper.sleep(settings.faults.commitThenDelay.delayMs);
    }
    log({ user: session.label, lines });
    return sendJson(reply, answer);
  });
}
