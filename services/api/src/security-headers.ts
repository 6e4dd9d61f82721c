import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** Google Fonts, which Bull Board's page links (toolchain P14); where they cannot be reached the page still works. */
const FONT_CSS = 'https://fonts.googleapis.com';
const FONT_FILES = 'https://fonts.gstatic.com';

/**
 * The content security policy of every answer (Bull Board's page is the only HTML). Scripts only from this origin:
 * Bull Board's page has no inline script (its one inline `<script>` is `type="application/json"` data). Styles
 * also inline, because the page's loading screen and React set `style` attributes and Bull Board adds a
 * `<style>` element for its theme. No frames, forms, plugins or base URL from elsewhere; requests only to this origin.
 */
export const CONTENT_SECURITY_POLICY: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'", FONT_CSS],
  'font-src': ["'self'", 'data:', FONT_FILES],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** One year, the usual preload-grade HSTS lifetime. */
const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/**
 * Security headers on every answer, errors and 404s included (@fastify/helmet on the root instance): the CSP
 * above, `X-Frame-Options: DENY` (older browsers), `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
 * `Cross-Origin-Opener-Policy` / `-Resource-Policy: same-origin`. `Strict-Transport-Security` per `hsts`: `on`
 * always, `off` never, `auto` when the request came over TLS — directly, or as `X-Forwarded-Proto: https` from a
 * proxy listed in API_TRUSTED_PROXIES (Fastify's `request.protocol`).
 */
export async function registerSecurityHeaders(app: FastifyInstance, hsts: 'auto' | 'on' | 'off'): Promise<void> {
  await app.register(fastifyHelmet, HELMET_OPTIONS);
  if (hsts === 'off') return;
  app.addHook('onRequest', async (req, reply) => setHsts(req, reply, hsts));
}

function setHsts(req: FastifyRequest, reply: FastifyReply, hsts: 'auto' | 'on' | 'off'): void {
  if (hsts === 'on' || (hsts === 'auto' && req.protocol === 'https')) reply.header('strict-transport-security', HSTS_VALUE);
}

const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: Object.fromEntries(Object.entries(CONTENT_SECURITY_POLICY).map(([k, v]) => [k, [...v]])),
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  strictTransportSecurity: false,
};

/**
 * The same headers on an answer sent where no hook runs (Fastify's `frameworkErrors`: a malformed URL is refused
 * before routing).
 */
export function applySecurityHeaders(req: FastifyRequest, reply: FastifyReply, hsts: 'auto' | 'on' | 'off'): void {
  helmet(HELMET_OPTIONS)(req.raw as IncomingMessage, reply.raw as ServerResponse, () => undefined);
  setHsts(req, reply, hsts);
}
