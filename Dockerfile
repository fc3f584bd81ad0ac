FROM node:24-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
EXPOSE 9480
VOLUME /data
ENTRYPOINT ["node", "src/cli/main.ts"]
CMD ["serve", "-c", "examples/ecosystem.yaml", "--host", "0.0.0.0", "--db", "/data/ecotone.db"]
