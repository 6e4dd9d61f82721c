# syntax=docker/dockerfile:1
#
# One image for every service of the JST → Kingdee sync; the command picks the service:
#   node services/poller/dist/main.js     node services/worker/dist/main.js
#   node services/api/dist/main.js        node services/simulator/dist/main.js   (demo)
# Build: `docker compose build` (or `docker build -t jst-kingdee-sync .`). Needs BuildKit (the
# default since Docker Engine 23 and in Compose v2) for the heredoc COPY below.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------- toolchain: Node + pnpm
FROM ${NODE_IMAGE} AS toolchain
# Exactly the version in package.json "packageManager": pnpm 12 refuses to run under another
# version, and corepack cannot verify pnpm on registries that serve no signatures.
ARG PNPM_VERSION=12.4.2
RUN npm install -g "pnpm@${PNPM_VERSION}" \
 && npm cache clean --force \
 && pnpm --version
ENV CI=true
WORKDIR /src

# ---------------------------------------------------------------- build: compile, then prune to production
FROM toolchain AS build
# Dependencies first: this layer is reused until the lockfile changes.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch --store-dir /pnpm-store
COPY . .
RUN pnpm install --frozen-lockfile --offline --store-dir /pnpm-store
RUN pnpm exec tsc -b
# Production dependencies of the services (and the sync-cli tool) and the packages they use (no dev tools, no
# packages/testing and its container libraries), then the run-time tree in /out: package.json,
# dist and node_modules of each workspace project (pnpm's links are relative, so the tree moves).
RUN rm -rf node_modules packages/*/node_modules services/*/node_modules \
 && pnpm install --prod --frozen-lockfile --offline --store-dir /pnpm-store \
      --filter "@sync/poller..." --filter "@sync/worker..." --filter "@sync/api..." --filter "@sync/simulator..." --filter "@sync/cli..." \
 && mkdir -p /out \
 && cp -a package.json node_modules /out/ \
 && for dir in packages/* services/*; do \
      [ -d "$dir/dist" ] || continue; \
      mkdir -p "/out/$dir" && cp -a "$dir/package.json" "$dir/dist" "/out/$dir/"; \
      if [ -d "$dir/node_modules" ]; then cp -a "$dir/node_modules" "/out/$dir/"; fi; \
    done \
 && find /out -path '*/node_modules' -prune -o \( -name '*.tsbuildinfo' -o -name '*.d.ts' -o -name '*.d.ts.map' \) -type f -print0 | xargs -0 rm -f \
 && mkdir -p /out/config \
 && if [ -d config ]; then cp -a config/. /out/config/; fi

# ---------------------------------------------------------------- runtime
FROM ${NODE_IMAGE} AS runtime
# Package managers are not needed at run time (this hides them from the image, it does not shrink
# the base layers).
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
# A 160 MB heap: the services' live data is small (bounded concurrency, pages of 50), and a capped heap makes V8
# collect early instead of growing to hundreds of MB under load (the bench runs the services with these options).
ENV NODE_ENV=production \
    NODE_OPTIONS="--enable-source-maps --max-old-space-size=160"
WORKDIR /app
# Owned by root and read-only for the service user; config/ holds the defaults baked in at build
# time (compose mounts the real one over it).
COPY --from=build /out/ /app/
# Health probe without dependencies, shared by every service:
#   redis            Redis at REDIS_URL (or REDIS_URL_FILE) answers PING (with AUTH when the URL has a password)
#   api              GET http://127.0.0.1:$API_PORT/health answers 2xx
#   tcp HOST:PORT... every address accepts a TCP connection
COPY <<'EOF' /app/docker-healthcheck.cjs
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const tls = require('node:tls');
const http = require('node:http');

const timeoutMs = Number(process.env.HEALTHCHECK_TIMEOUT_MS) || 3000;

function fail(reason) {
  process.stderr.write('unhealthy: ' + reason + '\n');
  process.exit(1);
}

function ok(what) {
  process.stdout.write('healthy: ' + what + '\n');
  process.exit(0);
}

// Same rule as the services' env loader: NAME_FILE wins over NAME.
function setting(name, fallback) {
  const file = process.env[name + '_FILE'];
  if (file) {
    try {
      return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      fail(name + '_FILE: cannot read ' + file + ': ' + e.message);
    }
  }
  return process.env[name] || fallback;
}

function command(args) {
  return '*' + args.length + '\r\n' + args.map((a) => '$' + Buffer.byteLength(a) + '\r\n' + a + '\r\n').join('');
}

function checkRedis() {
  let url;
  try {
    url = new URL(setting('REDIS_URL', 'redis://127.0.0.1:6379'));
  } catch (e) {
    fail('REDIS_URL is not a URL');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = Number(url.port) || 6379;
  const where = 'redis ' + host + ':' + port;
  let request = '';
  let replies = 1;
  if (url.password) {
    const password = decodeURIComponent(url.password);
    request += command(url.username ? ['AUTH', decodeURIComponent(url.username), password] : ['AUTH', password]);
    replies = 2;
  }
  request += command(['PING']);
  const socket = url.protocol === 'rediss:' ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
  socket.setTimeout(timeoutMs, () => fail(where + ': no answer within ' + timeoutMs + ' ms'));
  socket.on('error', (e) => fail(where + ': ' + e.message));
  socket.on('end', () => fail(where + ': connection closed'));
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString('utf8');
    const lines = received.split('\r\n').slice(0, -1);
    if (lines.length < replies) return;
    const reply = lines[replies - 1];
    if (reply === '+PONG') ok(where);
    fail(where + ' answered ' + reply + (replies > 1 ? ' (AUTH: ' + lines[0] + ')' : ''));
  });
  socket.write(request);
}

function checkApi() {
  const port = Number(setting('API_PORT', '8700'));
  const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: timeoutMs }, (res) => {
    res.resume();
    const status = res.statusCode || 0;
    if (status >= 200 && status < 300) ok('api :' + port + ' /health ' + status);
    fail('api :' + port + ' /health answered ' + status);
  });
  req.on('timeout', () => req.destroy(new Error('no answer within ' + timeoutMs + ' ms')));
  req.on('error', (e) => fail('api :' + port + ': ' + e.message));
}

function checkTcp(addresses) {
  if (addresses.length === 0) fail('tcp needs HOST:PORT arguments');
  let pending = addresses.length;
  for (const address of addresses) {
    const at = address.lastIndexOf(':');
    const host = address.slice(0, at).replace(/^\[(.*)\]$/, '$1');
    const port = Number(address.slice(at + 1));
    if (at <= 0 || !Number.isInteger(port) || port <= 0) fail('not HOST:PORT: ' + address);
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => fail(address + ': no answer within ' + timeoutMs + ' ms'));
    socket.on('error', (e) => fail(address + ': ' + e.message));
    socket.on('connect', () => {
      socket.destroy();
      pending -= 1;
      if (pending === 0) ok('tcp ' + addresses.join(' '));
    });
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'redis') checkRedis();
else if (mode === 'api') checkApi();
else if (mode === 'tcp') checkTcp(rest);
else fail('usage: docker-healthcheck.cjs redis | api | tcp HOST:PORT...');
EOF
USER node
EXPOSE 8700 8701 8702
# Default probe (poller, workers): Redis answers from inside the container. Compose overrides it
# for the API (/health) and the simulators (their ports).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/docker-healthcheck.cjs", "redis"]
CMD ["node", "services/api/dist/main.js"]
