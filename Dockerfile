# The image2svg backend: the HTTP API on port 8000, which also serves the web UI.
#
#   docker build -t image2svg-backend .
#   docker run --rm -p 8000:8000 image2svg-backend
#
# Three stages: `build` compiles TypeScript to dist/ and the UI to dist/web with
# every dependency; `prod-deps` installs production dependencies only (its
# layer is reused until package-lock.json changes); `runtime` holds just those
# two results, owned by root and run as the unprivileged `node` user.
#
# The same image runs the HTTP API and the background workers
# (SERVICE_ROLE=api|worker|all, default all; the worker role serves /health,
# /ready and /metrics on WORKER_METRICS_PORT, 9100).
#
# Base image: Node 26, the Active LTS line (since October 2026). A tag alone
# moves; production builds pin it by digest, passing
#   --build-arg NODE_IMAGE=node:26-trixie-slim@sha256:<digest>
# as docker-compose.prod.yml does from NODE_DIGEST, which scripts/pin-images.sh
# resolves (docs/DEPLOYMENT.md, "Pinned base images").

ARG NODE_IMAGE=node:26-trixie-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.base.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
RUN npm run build && test -f dist/server/main.js && test -f dist/web/index.html

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
COPY package.json package-lock.json ./
# Same result as `npm prune --omit=dev` after the build, but cached apart from
# the sources, so a code change does not reinstall sharp and fastify.
RUN npm ci --omit=dev && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="image2svg-backend" \
      org.opencontainers.image.description="image2svg: raster images to clean, compact SVG (HTTP API and web UI)" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production \
    BACKEND_HOST=0.0.0.0 \
    BACKEND_PORT=8000
# glibc malloc, read at process start (docs/DEPLOYMENT.md, "Memory"): at most 2 arenas instead of 8 per
# core (worker threads, libuv and libvips threads each took one and kept its freed memory), and large
# buffers always mmap'ed and given back when freed (a fixed threshold stops glibc raising it after each
# big image, which left the next images' buffers fragmenting the heap). Measured: RSS after a 90 s soak
# 586 -> 317 MiB, and back to idle after the load with worker recycling (docs/BENCHMARKS.md).
ENV MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8000 9100
# Liveness only: /health never depends on Redis, so a Redis outage does not
# get healthy containers restarted. Node has fetch; the slim image has no curl.
# The worker role answers /health on WORKER_METRICS_PORT instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "const e = process.env; const port = e.SERVICE_ROLE === 'worker' ? e.WORKER_METRICS_PORT || 9100 : e.BACKEND_PORT || 8000; fetch('http://127.0.0.1:' + port + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Exec form: node is PID 1 and receives SIGTERM itself; the service then stops
# accepting, finishes the conversions in flight and exits 0.
CMD ["node", "dist/server/main.js"]
