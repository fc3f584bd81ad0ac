import { type Attributes, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { compileConditions } from '../../collector/conditions/index.ts';
import { runProbe } from '../../collector/probes/index.ts';
import type { ProbeTarget } from '../../collector/probes/scheduler.ts';
import type { ProbeResult } from '../../collector/probes/types.ts';

function spanAttributes(target: ProbeTarget, result: ProbeResult): Attributes {
  const attributes: Attributes = {
    'ecotone.integration.id': target.integrationId,
    'ecotone.probe.type': target.spec.type,
    'ecotone.probe.outcome': result.success ? 'success' : (result.failure?.class ?? 'other'),
    'ecotone.probe.duration_ms': result.durationMs,
  };
  const spec = target.spec;
  if (spec.type === 'http') {
    const url = new URL(spec.url);
    attributes['http.request.method'] = spec.method;
    attributes['url.full'] = `${url.protocol}//${url.host}${url.pathname}`;
    attributes['server.address'] = url.hostname;
    attributes['server.port'] = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (result.statusCode !== undefined) attributes['http.response.status_code'] = result.statusCode;
  } else if (spec.type === 'tcp') {
    attributes['server.address'] = spec.host;
    attributes['server.port'] = spec.port;
  } else {
    attributes['dns.question.name'] = spec.name;
  }
  if (result.failure) attributes['error.type'] = result.failure.class;
  return attributes;
}

/**
 * The run function the scheduler calls: the target's conditions compiled once per spec version,
 * the probe run, and one `ecotone.probe` span per run (exported only when tracing is configured).
 * The URL in the span has no query string or user info.
 */
export function createProbeRunner(tracer: Tracer) {
  const checks = new Map<string, { version: string; check: ReturnType<typeof compileConditions> }>();
  return async (target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> => {
    let compiled = checks.get(target.integrationId);
    if (compiled?.version !== target.version) {
      compiled = { version: target.version, check: compileConditions(target.spec.conditions) };
      checks.set(target.integrationId, compiled);
    }
    const check = compiled.check;
    return tracer.startActiveSpan('ecotone.probe', async (span) => {
      const result = await runProbe(target.spec, { signal, check: (r) => check(r) });
      span.setAttributes(spanAttributes(target, result));
      if (!result.success) span.setStatus({ code: SpanStatusCode.ERROR, message: result.failure?.reason });
      span.end();
      return result;
    });
  };
}
