import type {
  ContextConfigDefault,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';

// Adding a route: one `defineRoute({...})` entry in the table of its resource (`<resource>-routes.ts`, composed in
// api-routes.ts) with its method, path, role, summary, zod schemas and handler. Validation (400 naming the field),
// the handler's types, the answer's serialisation, the OpenAPI entry and the read-only check all follow from it.

/**
 * Who may call a route: anyone (`public`, no credentials), any credential (`readonly`: the read-only one too), or
 * the operator credential only (`operator`: changes, or reads that cost Kingdee and JST calls).
 */
export type RouteRole = 'public' | 'readonly' | 'operator';

/** The message a read-only credential gets (403) on an operator route that does not give its own reason. */
export const READONLY_REFUSAL = 'the read-only credential cannot change anything';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's role, from its table entry; absent on routes of plugins (Bull Board, the docs page). */
    role?: RouteRole;
    /** Why the read-only credential is refused, when an operator route says more than READONLY_REFUSAL. */
    refusal?: string;
    /** Content type of a non-JSON answer (HTML page, Prometheus text, static file), for the OpenAPI document. */
    produces?: string;
    /** A request without a body is refused as such (400 `body`), not validated as `{}`. */
    requireBody?: boolean;
  }
}

/** The zod schemas of a route: validated input (400 naming the field) and the answers by status. */
export interface RouteSchemas {
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  /** JSON answers by status code, serialised through the schema; absent for text and HTML answers. */
  response?: Partial<Record<200 | 202, z.ZodType>>;
}

/** A route as written in a table: everything about it in one place; the handler is typed from the schemas. */
export interface RouteDefinition<S extends RouteSchemas> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify syntax (`/flows/:flow/poll`). */
  url: string;
  role: RouteRole;
  /** One or two sentences for the OpenAPI document and the API page. */
  summary: string;
  refusal?: string;
  produces?: string;
  /** Refuse a missing body as a whole; by default a missing or `null` body is validated as `{}`, naming the first missing field. */
  requireBody?: boolean;
  schema: S;
  handler: RouteHandlerMethod<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, RouteGenericInterface, ContextConfigDefault, S, ZodTypeProvider>;
}

/** A route of the table, its types erased: what the app registers, documents and checks roles against. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly role: RouteRole;
  readonly summary: string;
  /** Registers it on `scope` (whose compilers are the zod ones; see registerApiRoutes). */
  register(scope: FastifyInstance): void;
}

/** One table entry. The route carries its role in its config: the request guard and the OpenAPI document read it there. */
export function defineRoute<S extends RouteSchemas>(def: RouteDefinition<S>): ApiRoute {
  const { method, url, role, summary, refusal, produces, requireBody, schema, handler } = def;
  return {
    method,
    url,
    role,
    summary,
    register(scope) {
      scope.withTypeProvider<ZodTypeProvider>().route({
        method,
        url,
        schema: { ...schema, summary },
        config: { role, ...(refusal ? { refusal } : {}), ...(produces ? { produces } : {}), ...(requireBody ? { requireBody } : {}) },
        handler,
      });
    },
  };
}

/** `METHOD url` of a route, the key tests and the fuzzer use. */
export const routeKey = (r: Pick<ApiRoute, 'method' | 'url'>): string => `${r.method} ${r.url}`;
