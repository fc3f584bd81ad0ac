/** Why a run's signal fired, in words: "timed out after 30s", or the reason it was given. */
export function abortReason(signal: AbortSignal): string {
  const reason = signal.reason as unknown;
  return reason instanceof Error ? reason.message : 'aborted';
}
