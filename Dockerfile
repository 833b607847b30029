# syntax=docker/dockerfile:1
#
# archive-ledger service image.
#   build stage:   installs all dependencies (compiling better-sqlite3 if no prebuilt binary fits),
#                  compiles TypeScript to dist/, then drops the dev dependencies.
#   runtime stage: Node 20 on Debian bookworm slim, runs as the unprivileged `node` user.
# Both stages use the same Debian release, so the native better-sqlite3 binding built here
# matches the C library of the runtime image.
#
# Note: this file was written against the images' documented behaviour; there is no Docker
# engine on the development and CI machines, so it has not been built there.

ARG NODE_IMAGE=node:20-bookworm-slim

########################################################################################
FROM ${NODE_IMAGE} AS build

# node-gyp needs python3, make and a C++ compiler when better-sqlite3 has to be compiled.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# package.json carries an `allowScripts` field (npm 11 install-script approvals); use npm 11
# so the install is done by an npm that knows the field.
RUN npm install -g npm@11

# Dependencies first, so this layer is reused while only the sources change.
COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev

########################################################################################
FROM ${NODE_IMAGE} AS runtime

ENV NODE_ENV=production \
    DATA_DIR=/data

WORKDIR /app

# Application files are owned by root and only readable by the service user.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin

# DATA_DIR: the embedded SQLite store, the generated JWT signing key (AUTH_MODE=embedded) and
# other local state. Created and owned by `node` before it is declared a volume, so a fresh
# named volume starts with the right owner.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]

# The official Node images ship an unprivileged `node` user (uid 1000).
USER node

EXPOSE 3000

# Slim images have no curl: use Node's built-in fetch. /health/live answers once the process is up.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/main.js"]
