import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseBeijing } from './beijing-time';
import type { JstSimulatorInternals } from './core';
import { formToRecord } from './protocol';
import { drawFault, HTML_502, type DelayPool } from './protocol-routes';
import { QimenRejection, qimenFailure, qimenSuccess } from './qimen-errors';
import { QIMEN_METHODS } from './qimen-methods';
import { topSign } from './qimen-sign';
import { latencyDelay } from './settings';

/** The Qimen custom-scene router paths (production and test, jst-qimen.md §2.1). */
export const QIMEN_ROUTER_PATHS = ['/router/qm', '/router/qmtest'] as const;
/** JST's app key on Qimen: requests must name it as target_app_key (§2.2). */
export const JST_TARGET_APP_KEY = '23060081';
/** Stats path of a Qimen method, e.g. `qimen:jushuitan.saleout.list.query`. */
export const qimenStatsPath = (method: string) => `qimen:${method}`;

/**
 * The gateway and JST behind it, in the order a request meets them: method (21), app_key (28/29), sign (24/25,
 * md5/hmac/hmac-sha256), timestamp (30/31: Beijing time within the clock skew), v=2.0 and target_app_key (41),
 * method known (22), customer_id (40, or JST's own string code when it routes to no company), call limit per
 * (app, customer_id, method) per second (7), then the method's parameters (41). Returns the success body.
 */
function answer(core: JstSimulatorInternals, form: Readonly<Record<string, string>>): Record<string, unknown> {
  const method = form.method;
  if (!method) throw new QimenRejection('missingMethod');
  if (!form.app_key) throw new QimenRejection('missingAppKey');
  const app = core.qimenApps.get(form.app_key);
  if (!app) throw new QimenRejection('invalidAppKey');
  if (!form.sign) throw new QimenRejection('missingSignature');
  const expected = topSign(app.appSecret, form, form.sign_method || 'md5');
  if (expected === undefined) throw new QimenRejection('invalidSignature', { subMessage: `sign_method ${JSON.stringify(form.sign_method)} is not md5, hmac or hmac-sha256` });
  if (form.sign.toUpperCase() !== expected) throw new QimenRejection('invalidSignature');
  if (!form.timestamp) throw new QimenRejection('missingTimestamp');
  const at = parseBeijing(form.timestamp);
  if (at === undefined || Math.abs(at - core.now()) > core.settings.clockSkewSeconds * 1000) {
    throw new QimenRejection('invalidTimestamp', { subMessage: 'timestamp must be yyyy-MM-dd HH:mm:ss GMT+8 within 10 minutes' });
  }
  if (form.v !== '2.0') throw new QimenRejection('invalidArguments', { subCode: 'isv.invalid-parameter', subMessage: 'v must be 2.0' });
  if (form.target_app_key !== JST_TARGET_APP_KEY) {
    throw new QimenRejection('invalidArguments', { subCode: 'isv.invalid-parameter', subMessage: `target_app_key must be JST's ${JST_TARGET_APP_KEY}` });
  }
  const handler = Object.prototype.hasOwnProperty.call(QIMEN_METHODS, method) ? QIMEN_METHODS[method] : undefined;
  if (!handler) throw new QimenRejection('invalidMethod');
  if (!form.customer_id) throw new QimenRejection('missingArguments', { subCode: 'isv.missing-parameter', subMessage: 'customer_id' });
  if (!core.qimenCustomers.has(form.customer_id)) throw new QimenRejection({ code: 'JST_CUSTOMER_NOT_FOUND', text: `customer_id ${form.customer_id} 未授权或不存在` });
  const decision = core.qimenLimiter.take(`${app.appKey}\u0000${form.customer_id}`, method, core.now(), { perSecond: core.settings.qimen.perSecond, perMinute: 0 });
  if (decision !== 'ok') throw new QimenRejection('callLimited', { subCode: 'accesscontrol.limited-by-app-access-count', subMessage: 'This ban will last for 1 more seconds' });
  return qimenSuccess(core.settings.qimen.envelope, method, handler(form, { store: core.store, settings: core.settings.qimen }));
}

/**
 * Registers the Qimen router (POST, form body). Its own faults (`qimen.faults`) and the shared latency apply
 * first: an outage of Qimen leaves the open API up. `format` other than json is answered in XML, as TOP defaults
 * to (§2.2). Every answer is HTTP 200 unless a fault says otherwise.
 */
export function registerQimenRoutes(app: FastifyInstance, core: JstSimulatorInternals, delays: DelayPool): void {
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const form = request.body instanceof URLSearchParams ? formToRecord(request.body) : {};
    const statsPath = qimenStatsPath(form.method || '?');
    core.recorder.call(statsPath);
    const fault = drawFault(core.settings.qimen.faults, core.random);
    if (fault) core.recorder.fault(`qimen:${fault}`);
    if (fault === 'reset') {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (fault === 'hang') await delays.wait(core.settings.qimen.faults.hangMs);
    await delays.wait(latencyDelay(core.settings.latencyMs, () => core.random.next()));
    if (fault === 'http500') return reply.code(500).type('text/plain').send('Internal Server Error');
    if (fault === 'htmlError') return reply.code(502).type('text/html').send(HTML_502);
    try {
      if (fault === 'internalError') throw new QimenRejection('remoteError');
      const body = answer(core, form);
      core.recorder.code(statsPath, 0);
      if (form.format !== 'json') return reply.type('text/xml').send('<response><flag>success</flag><code>0</code></response>');
      return body;
    } catch (err) {
      if (!(err instanceof QimenRejection)) throw err;
      core.recorder.code(statsPath, typeof err.code === 'number' ? err.code : 1);
      if (form.format !== 'json') {
        return reply.type('text/xml').send(`<response><flag>failure</flag><code>${err.code}</code><message>${err.message}</message></response>`);
      }
      return qimenFailure(err);
    }
  };
  for (const path of QIMEN_ROUTER_PATHS) app.post(path, handle);
}
