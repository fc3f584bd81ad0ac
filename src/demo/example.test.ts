import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../config/index.ts';
import type { Answer, Behaviour } from './behaviours/types.ts';
import { addressOf, type EndpointDefinition } from './endpoint.ts';
import { EXAMPLE_ENDPOINTS, EXAMPLE_LISTENERS, type ExampleListener } from './example-partners.ts';
import { DEFAULT_PORTS } from './options.ts';
import { seededRandom } from './random.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/ecosystem.yaml', import.meta.url));
const MINUTE = 60_000;

let config: Config;
let built: { definition: EndpointDefinition<ExampleListener>; behaviour: Behaviour }[];

beforeAll(async () => {
  config = await loadConfig(EXAMPLE, { env: {} });
  built = await Promise.all(
    EXAMPLE_ENDPOINTS.map(async (definition, i) => ({
      definition,
      behaviour: await definition.behaviour({ random: seededRandom(i), now: Date.now }),
    })),
  );
});

/** The endpoint with behaviour `name`, the integration it stands in for and that integration's probe. */
function using(name: string) {
  const endpoint = built.find((e) => e.behaviour.name === name);
  const integration = config.integrations.find((i) => i.id === endpoint?.definition.integration);
  if (!endpoint || !integration?.probe) throw new Error(`no probed integration uses behaviour ${name}`);
  const failureThreshold = integration.probe.failureThreshold ?? config.settings.probes.failureThreshold;
  return { ...endpoint, integration, probe: integration.probe, failureThreshold };
}

const sample = (behaviour: Behaviour, count: number): Answer[] =>
  Array.from({ length: count }, () => behaviour.answer(Date.parse('2026-03-02T12:05:00Z')));

describe('examples/ecosystem.yaml and the demo simulator', () => {
  it('probes each simulated endpoint at its default address, every 15-30s', () => {
    for (const { definition } of built) {
      const probe = config.integrations.find((i) => i.id === definition.integration)?.probe;
      const { protocol } = EXAMPLE_LISTENERS[definition.listener];
      const address = addressOf(definition, protocol, '127.0.0.1', DEFAULT_PORTS[definition.listener]);
      if (probe?.type === 'http') expect(probe.url).toBe(address.target);
      else if (probe?.type === 'tcp') expect([probe.host, probe.port]).toEqual([address.host, address.port]);
      else if (probe?.type === 'dns')
        expect([probe.name, probe.server]).toEqual([address.target, address.server]);
      else throw new Error(`integration ${definition.integration} has no probe`);
      expect(probe.interval).toBeGreaterThanOrEqual(15_000);
      expect(probe.interval).toBeLessThanOrEqual(30_000);
    }
  });

  it.each(['healthy', 'slow', 'flapping', 'outage', 'expiring-certificate', 'reports-degraded'])(
    'exercises the %s behaviour',
    (name) => {
      expect(() => using(name)).not.toThrow();
    },
  );

  it('answers the slow endpoint above its SLO latency, below its timeout, with no duration condition', () => {
    const { behaviour, integration, probe } = using('slow');
    const delays = sample(behaviour, 1_000).map((answer) => answer.delayMs);
    expect(Math.min(...delays)).toBeGreaterThan(integration.slo.latency + 100);
    expect(Math.max(...delays)).toBeLessThan(probe.timeout - 500);
    expect(probe.conditions.filter((c) => c.startsWith('duration'))).toEqual([]);
  });

  it('never fails the flapping endpoint as often in a row as its failure threshold', () => {
    const { behaviour, failureThreshold } = using('flapping');
    const failed = sample(behaviour, 10_000).map((a) => a.kind === 'reset' || a.status !== 200);
    expect(failed.map(Number).join('')).not.toContain('1'.repeat(failureThreshold));
  });

  it('marks the outage endpoint down well within its 3-minute window', () => {
    const { probe, failureThreshold } = using('outage');
    expect(probe.interval * failureThreshold + probe.timeout).toBeLessThan(2 * MINUTE);
  });

  it('checks the body of the endpoint that reports degraded', () => {
    expect(using('reports-degraded').probe.conditions).toContain('body.$.status == "ok"');
  });

  it('checks the expiry of the 7-day certificate against 14 days, without verifying it', () => {
    const { behaviour, probe } = using('expiring-certificate');
    expect(probe).toMatchObject({ type: 'http', tls: { verify: false } });
    expect(probe.conditions).toContain('certificate_expires_in > 14d');
    expect((behaviour.certificate?.expiresAt ?? 0) - Date.now()).toBeLessThan(7 * 24 * 60 * MINUTE);
  });
});
