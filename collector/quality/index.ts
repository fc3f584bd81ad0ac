export { effectiveSpread, meanAndSpread } from './checks/anomaly.ts';
export { deltaRatio } from './checks/consistency.ts';
export { CHECKS, type CheckContext, type CheckKind, type Verdict } from './checks/index.ts';
export { describePair, formatBound, judge, worst } from './judge.ts';
export { type RunDatasetOptions, type RunLimits, runDatasetChecks } from './run.ts';
export { describeChange, diffColumns } from './schema-diff.ts';
export { openSource, SOURCES } from './sources/index.ts';
export { toTimestampMs } from './timestamps.ts';
export * from './types.ts';
