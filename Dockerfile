# The container runtime's image (issue 25). Not built on the project's machines (no Docker
# engine): kept minimal. Build: docker build -t bcss-exchanges . ; run: see README, "Container runtime".

# Build: the runtime bundled into one file with esbuild, the migrations and the pages beside it.
FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx tsx container/build.ts /bundle

# Runtime: Node 24 slim, the bundle only, a non-root user.
FROM node:24-slim
ENV NODE_ENV=production RUNTIME=container HOST=0.0.0.0 PORT=3000 WEB_DIR=/app/web
WORKDIR /app
COPY --from=build --chown=node:node /bundle/ /app/
USER node
EXPOSE 3000
CMD ["node", "server.mjs"]
