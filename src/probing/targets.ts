import { createHash } from 'node:crypto';
import type { ProbeTarget } from '../../collector/probes/scheduler.ts';
import type { ProbeSpec } from '../../collector/probes/types.ts';
import type { StatusThresholds } from '../../collector/status/hysteresis.ts';
import type { IntegrationRow, Store } from '../../db/index.ts';
import type { Integration, Settings } from '../config/index.ts';
import { counterpartParticipant } from '../metrics/index.ts';
import type { NotificationSubject } from '../notifications/index.ts';

/** What the prober knows about one probed integration besides its spec. */
export interface ProbedIntegration {
  target: ProbeTarget;
  thresholds: StatusThresholds;
  /** The integration as notifications describe it. */
  subject: NotificationSubject;
}

/** The config's probe, with defaults from settings.probes, as the probers take it. */
export function toProbeSpec(
  probe: NonNullable<Integration['probe']>,
  defaults: Settings['probes'],
): ProbeSpec {
  const common = { interval: probe.interval, timeout: probe.timeout, conditions: probe.conditions };
  switch (probe.type) {
    case 'http':
      return {
        ...common,
        type: 'http',
        url: probe.url,
        method: probe.method,
        headers: probe.headers,
        body: probe.body,
        followRedirects: probe.followRedirects,
        expectStatus: probe.expectStatus,
        tls: probe.tls,
        maxBodyBytes: probe.maxBody ?? defaults.maxBody,
      };
    case 'tcp':
      return {
        ...common,
        type: 'tcp',
        host: probe.host,
        port: probe.port,
        send: probe.send,
        expect: probe.expect,
        maxBodyBytes: probe.maxBody ?? defaults.maxBody,
      };
    case 'dns':
      return {
        ...common,
        type: 'dns',
        name: probe.name,
        recordType: probe.recordType,
        expect: probe.expect,
        server: probe.server,
      };
  }
}

function probed(
  row: IntegrationRow,
  defaults: Settings['probes'],
  participant: { id: string; name: string },
): ProbedIntegration | undefined {
  const spec = row.spec as Integration;
  if (!spec.probe) return undefined;
  const probe = toProbeSpec(spec.probe, defaults);
  return {
    target: {
      integrationId: row.id,
      spec: probe,
      version: createHash('sha1').update(JSON.stringify(probe)).digest('base64url'),
    },
    thresholds: {
      failureThreshold: spec.probe.failureThreshold ?? defaults.failureThreshold,
      successThreshold: spec.probe.successThreshold ?? defaults.successThreshold,
      latencyTargetMs: spec.slo.latency,
    },
    subject: {
      id: row.id,
      name: row.name,
      tier: spec.tier,
      participant,
      sourceSystemId: row.sourceSystemId,
      targetSystemId: row.targetSystemId,
      runbook: spec.runbook,
    },
  };
}

const PAGE = 1_000;

/**
 * Every integration in the catalog that declares a probe, read from the store page by page and
 * cached until the catalog's revision changes.
 */
export function createProbeCatalog(store: Store, defaults: Settings['probes']) {
  let cache: { revision: number; probed: Map<string, ProbedIntegration> } | undefined;
  return {
    async current(): Promise<Map<string, ProbedIntegration>> {
      const revision = await store.catalogRevision();
      if (cache?.revision === revision) return cache.probed;
      const probedById = new Map<string, ProbedIntegration>();
      const counterpart = new Map(
        (await store.integrationLabels()).map((l) => [l.integration, counterpartParticipant(l)]),
      );
      const names = new Map<string, string>();
      for (let offset = 0; ; offset += PAGE) {
        const page = await store.list('participants', { limit: PAGE, offset });
        for (const p of page.items) names.set(p.id, p.name);
        if (page.items.length < PAGE) break;
      }
      for (let offset = 0; ; offset += PAGE) {
        const page = await store.list('integrations', { limit: PAGE, offset });
        for (const row of page.items) {
          const participantId = counterpart.get(row.id) ?? '';
          const entry = probed(row, defaults, {
            id: participantId,
            name: names.get(participantId) ?? participantId,
          });
          if (entry) probedById.set(row.id, entry);
        }
        if (page.items.length < PAGE) break;
      }
      cache = { revision, probed: probedById };
      return probedById;
    },
  };
}

export type ProbeCatalog = ReturnType<typeof createProbeCatalog>;
