import type { JsonPath } from './jsonpath.ts';

/** Comparators in the order they are listed in messages. */
export const COMPARATORS = ['==', '!=', '<', '<=', '>', '>=', 'contains', '!contains', 'matches'] as const;
export type Comparator = (typeof COMPARATORS)[number];

/** What `len(...)` measures. */
export type LengthTarget = { kind: 'body' } | { kind: 'answers' } | { kind: 'json'; path: JsonPath };

/** The left side of a condition: a field of the probe result, a JSON value in the body, or a length. */
export type Operand =
  | { kind: 'status' | 'duration' | 'certificate_expires_in' | 'connected' | 'answers' | 'body' }
  | { kind: 'json'; path: JsonPath }
  | { kind: 'len'; of: LengthTarget };

/** The right side, checked against the operand at parse time; durations are in ms. */
export type Value =
  | { kind: 'number'; value: number }
  | { kind: 'duration'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null'; value: null }
  | { kind: 'regex'; value: RegExp };

/** A parsed, type-checked condition; `text` is its normalised source, used in details. */
export interface Condition {
  readonly text: string;
  readonly operand: Operand;
  readonly comparator: Comparator;
  readonly value: Value;
}

/** The outcome of one condition on one result; `detail` names the condition and what was found. */
export interface ConditionOutcome {
  ok: boolean;
  detail: string;
}
