# The annotator server with the built PWA. HTTPS comes from Caddy in front (compose.yaml).
# Build:  docker build -t in3d-annotator .
FROM node:20-bookworm-slim AS build
WORKDIR /app
# argon2 and better-sqlite3 ship prebuilt binaries; the toolchain is the fallback when none fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY sync-server/package.json sync-server/
COPY pwa/package.json pwa/
RUN npm ci
COPY . .
RUN npx vite build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=8080 DATA_DIR=/data STATIC_DIR=/app/dist
# The server runs its TypeScript through tsx (a dev dependency), so node_modules is kept whole.
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD node -e "fetch('http://127.0.0.1:8080/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "node_modules/tsx/dist/cli.mjs", "sync-server/src/main.ts"]
