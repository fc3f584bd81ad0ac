import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Store } from '../../../db/index.ts';

export interface Readiness {
  store: Store;
  /** Whether the scheduler is running (jobs would otherwise silently not run). */
  schedulerRunning: () => boolean;
}

/**
 * `/healthz`: the process answers. `/readyz`: the store answers with every migration applied,
 * and the scheduler runs.
 */
export function registerHealthRoutes(app: OpenAPIHono, readiness: Readiness): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const store = await readiness.store.health();
    const scheduler = readiness.schedulerRunning();
    const checks = {
      store: store.ok ? 'ok' : `failing: ${store.detail ?? 'no answer'}`,
      scheduler: scheduler ? 'ok' : 'stopped',
    };
    const ready = store.ok && scheduler;
    return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  });
}
