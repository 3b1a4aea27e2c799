# One image for every service: `docker run commerce-graph <service>`, where service is
# gateway | product | inventory | customer | order | magento-sim | crm-sim | erp-sim | pos-sim.
# test/e2e/docker-entrypoint.test.ts runs the built output exactly as ENTRYPOINT does.
# Each service answers GET /healthz (alive) and /readyz (ready) on its own port: point the
# orchestrator's probes there (no HEALTHCHECK here, since the port depends on the service).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY lib ./lib
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY simulators ./simulators
COPY bin ./bin
COPY schema ./schema
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# A heap ceiling sized for these services rather than for the host: without one, V8 on a large machine lets the
# heap grow to several times what is live before collecting (the gateway's RSS under load, issue #7). It overrides
# Node's own sizing from a container's memory limit: give each container more than 512 MiB (the largest measured
# heap, the ERP sync of 1M SKUs, stays well under it), or set NODE_OPTIONS for that container.
ENV NODE_ENV=production HOST=0.0.0.0 NODE_OPTIONS=--max-old-space-size=512
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
USER node
EXPOSE 4000 4001 4002 4003 4004 4101 4102 4103 4104
ENTRYPOINT ["node", "dist/bin/service.js"]
CMD ["gateway"]
