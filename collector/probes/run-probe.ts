import { classifyFailure } from './classify.ts';
import { roundMs } from './phase-clock.ts';
import { PROBERS } from './probers.ts';
import { failed, ProbeError } from './result.ts';
import type { ProbeResult, Prober, ProberMap, ProbeSpec } from './types.ts';

/** Options of {@link runProbe}. */
export interface RunProbeOptions {
  /** Ends the run early, e.g. when the service stops (default: none). */
  signal?: AbortSignal | undefined;
  /**
   * Evaluates the spec's conditions on a successful result (with its `durationMs` set) and returns
   * the text of the first one that fails, or undefined when all hold (default: none).
   */
  check?: ((result: ProbeResult) => string | undefined) | undefined;
  /** Probers to use instead of the registered ones, by type (default: {@link PROBERS}). */
  probers?: Partial<ProberMap> | undefined;
}

/** Ms a prober gets, once its signal aborts, to return what it measured before the run ends without it. */
export const ABORT_GRACE_MS = 100;

function proberFor(spec: ProbeSpec, probers: Partial<ProberMap> | undefined): Prober | undefined {
  return (probers?.[spec.type] ?? PROBERS[spec.type]) as Prober | undefined;
}

function settleWithin<T>(work: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    const onAbort = () => {
      grace = setTimeout(() => reject(signal.reason), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(grace);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

function applyCheck(result: ProbeResult, check: RunProbeOptions['check']): ProbeResult {
  if (!result.success || !check) return result;
  let failing: string | undefined;
  try {
    failing = check(result);
  } catch {
    failing = 'condition could not be evaluated';
  }
  return failing === undefined
    ? result
    : { ...result, success: false, failure: { class: 'condition', reason: failing } };
}

/**
 * Runs one probe: the shared work around the protocol's prober. Applies the spec's timeout (and
 * the caller's signal) as one AbortSignal, measures the run, applies `check` to a success, and
 * turns anything thrown or aborted into a classified failure. Never throws.
 * @example
 * const result = await runProbe(spec, { signal: service.signal, check: (r) => evaluate(conditions, r) });
 * if (!result.success) log.warn(result.failure);
 */
export async function runProbe(spec: ProbeSpec, options: RunProbeOptions = {}): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => roundMs(performance.now() - started);
  let timeout: AbortSignal | undefined;
  try {
    timeout = AbortSignal.timeout(spec.timeout);
    const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
    const prober = proberFor(spec, options.probers);
    if (!prober)
      return { ...failed('other', `no prober for type ${String(spec.type)}`), durationMs: elapsed() };
    const result = await settleWithin(prober(spec, { signal }), signal, ABORT_GRACE_MS);
    return applyCheck({ ...result, durationMs: elapsed() }, options.check);
  } catch (error) {
    const partial = error instanceof ProbeError ? error.partial : {};
    const failure = classifyFailure(error, {
      timedOut: timeout?.aborted === true,
      timeoutMs: spec.timeout,
      aborted: options.signal?.aborted === true,
      phases: partial.phases,
    });
    return { success: false, ...partial, durationMs: elapsed(), failure };
  }
}
