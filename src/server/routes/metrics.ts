import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from 'pino';
import { createScrapeMetrics } from '../../metrics/index.ts';
import { PROMETHEUS_CONTENT_TYPE, type Telemetry } from '../../telemetry/index.ts';

/** `GET /metrics` in the Prometheus text format. */
export function registerMetricsRoute(app: OpenAPIHono, telemetry: Telemetry, logger: Logger): void {
  const scrapes = createScrapeMetrics(telemetry.meter);
  app.get('/metrics', async (c) => {
    try {
      const started = performance.now();
      const body = await telemetry.render();
      scrapes.record(performance.now() - started, Buffer.byteLength(body));
      return c.body(body, 200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
    } catch (error) {
      logger.error({ err: error }, 'could not render metrics');
      return c.text('could not render metrics\n', 500);
    }
  });
}
