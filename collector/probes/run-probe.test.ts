import { describe, expect, it } from 'vitest';
import { PROBERS } from './probers.ts';
import { ProbeError, succeeded } from './result.ts';
import { ABORT_GRACE_MS, runProbe } from './run-probe.ts';
import { expectEndedAtTimeout, httpSpec, TIMEOUT_MARGIN_MS } from './test-specs.ts';
import type { HttpProbeSpec, ProbeResult, Prober, ProbeSpec } from './types.ts';

const spec = httpSpec({ url: 'http://localhost/', timeout: 200 });
const returning =
  (result: ProbeResult): Prober<HttpProbeSpec> =>
  async () =>
    result;
const ok = returning(succeeded({ statusCode: 200, body: 'up', phases: { total: 1 } }));

describe('runProbe', () => {
  it('registers one prober per probe type', () => {
    expect(Object.keys(PROBERS).sort()).toEqual(['dns', 'http', 'tcp']);
  });

  it('returns the prober result with the run duration', async () => {
    const result = await runProbe(spec, { probers: { http: ok } });
    expect(result).toMatchObject({ success: true, statusCode: 200, body: 'up' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('fails with condition and the failing condition text when check rejects the result', async () => {
    const seen: ProbeResult[] = [];
    const check = (result: ProbeResult) => {
      seen.push(result);
      return result.body === 'up' ? 'status == 201' : undefined;
    };
    const result = await runProbe(spec, { probers: { http: ok }, check });
    expect(result).toMatchObject({ success: false, statusCode: 200 });
    expect(result.failure).toEqual({ class: 'condition', reason: 'status == 201' });
    expect(seen[0]?.durationMs).toBe(result.durationMs);
  });

  it('keeps a success when check passes, and skips check on a failed run', async () => {
    expect(await runProbe(spec, { probers: { http: ok }, check: () => undefined })).toMatchObject({
      success: true,
    });
    let called = false;
    const failing = returning({
      success: false,
      durationMs: 1,
      failure: { class: 'status', reason: 'status 500, expected 2xx' },
    });
    const result = await runProbe(spec, {
      probers: { http: failing },
      check: () => {
        called = true;
        return 'x';
      },
    });
    expect(result.failure?.class).toBe('status');
    expect(called).toBe(false);
  });

  it('fails with condition when check throws, without its message', async () => {
    const check = () => {
      throw new Error('body.token was secret-123');
    };
    const result = await runProbe(spec, { probers: { http: ok }, check });
    expect(result.failure).toEqual({ class: 'condition', reason: 'condition could not be evaluated' });
  });

  it('ends the run at the timeout even when the prober ignores its signal', async () => {
    const stuck: Prober<HttpProbeSpec> = () => new Promise(() => {});
    const result = await runProbe(spec, { probers: { http: stuck } });
    expectEndedAtTimeout(result, 200);
    expect(result.durationMs).toBeGreaterThanOrEqual(200 + ABORT_GRACE_MS - 1);
    expect(result.failure?.reason).toBe('timeout after 200ms');
  });

  it('keeps what the prober measured before it failed', async () => {
    const failing: Prober<HttpProbeSpec> = async () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
        address: '10.0.0.1',
        port: 81,
      });
      throw new ProbeError(refused, { phases: { dns: 1, total: 2 }, tlsExpiresAt: 5 });
    };
    const result = await runProbe(spec, { probers: { http: failing } });
    expect(result).toMatchObject({ success: false, phases: { dns: 1, total: 2 }, tlsExpiresAt: 5 });
    expect(result.failure).toEqual({
      class: 'connect_refused',
      reason: 'connection refused to 10.0.0.1:81 (ECONNREFUSED)',
    });
  });

  it('classifies a prober that throws synchronously', async () => {
    const throwing = (() => {
      throw new TypeError('boom');
    }) as unknown as Prober<HttpProbeSpec>;
    const result = await runProbe(spec, { probers: { http: throwing } });
    expect(result.failure).toEqual({ class: 'other', reason: 'unexpected TypeError' });
  });

  it('reports an abort by the caller as other, before the timeout', async () => {
    const controller = new AbortController();
    const waiting: Prober<HttpProbeSpec> = (_spec, ctx) =>
      new Promise((_resolve, reject) =>
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
      );
    setTimeout(() => controller.abort(), 20);
    const result = await runProbe(
      { ...spec, timeout: 5_000 },
      { probers: { http: waiting }, signal: controller.signal },
    );
    expect(result.failure).toEqual({ class: 'other', reason: 'run aborted' });
    expect(result.durationMs).toBeLessThan(TIMEOUT_MARGIN_MS);
  });

  it('never throws, even on a spec it has no prober for', async () => {
    const result = await runProbe({ ...spec, type: 'smtp' } as unknown as ProbeSpec);
    expect(result.failure).toEqual({ class: 'other', reason: 'no prober for type smtp' });
    const invalid = await runProbe({ ...spec, timeout: -1 });
    expect(invalid.failure).toEqual({ class: 'other', reason: 'unexpected error (ERR_OUT_OF_RANGE)' });
  });
});
