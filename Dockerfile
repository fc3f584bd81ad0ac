# Ecotone on Node 24 (type stripping runs the TypeScript sources directly: no build step).
FROM node:24.11.1-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY . .
# The SQLite file lives in /data; the demo writes its drifting datasets under /app/data/demo.
RUN mkdir -p /data /app/data/demo && chown -R node:node /data /app/data
USER node
EXPOSE 9480
VOLUME /data
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9480/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "src/cli/main.ts"]
CMD ["serve", "-c", "examples/ecosystem.yaml", "--host", "0.0.0.0", "--db", "/data/ecotone.db"]
