import type { QualityCheck } from '../types.ts';
import { anomalyCheck } from './anomaly.ts';
import { consistencyCheck } from './consistency.ts';
import { duplicatesCheck } from './duplicates.ts';
import { freshnessCheck } from './freshness.ts';
import { invalidCheck } from './invalid.ts';
import { missingCheck } from './missing.ts';
import { rowCountCheck } from './row-count.ts';
import { schemaCheck } from './schema.ts';
import type { CheckKind } from './types.ts';

export type { CheckContext, CheckKind, Verdict } from './types.ts';

/** One judge per check type; the runner looks each check's `type` up here. */
export const CHECKS: { [K in QualityCheck['type']]: CheckKind<Extract<QualityCheck, { type: K }>> } = {
  freshness: freshnessCheck,
  row_count: rowCountCheck,
  missing: missingCheck,
  duplicates: duplicatesCheck,
  invalid: invalidCheck,
  schema: schemaCheck,
  consistency: consistencyCheck,
  anomaly: anomalyCheck,
};

export const checkKind = (check: QualityCheck) => CHECKS[check.type] as CheckKind;
