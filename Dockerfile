# Podium's image: the built server and clients on Node 20 with production dependencies only.
#   docker build -t podium .        (or: docker compose up, with Redis — see compose.yaml)
# Stage 1 installs everything and builds; stage 2 keeps dist/ and the pruned node_modules.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    PODIUM_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded store's folder (used when REDIS_URL is not set), owned by the unprivileged user.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Ready = the store answers (GET /readyz). Node's fetch: no curl in a slim image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1: Podium handles SIGTERM and SIGINT itself (graceful stop in < 5 s) and starts no
# child processes, so no init is needed to forward signals or reap zombies (compose adds one anyway).
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
