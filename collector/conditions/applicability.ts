import type { Condition, Operand } from './types.ts';

type ProbeKind = 'http' | 'tcp' | 'dns';

function operandName(operand: Operand): string {
  if (operand.kind === 'json') return 'body.<jsonpath>';
  if (operand.kind === 'len')
    return operand.of.kind === 'json' ? 'len(body.<jsonpath>)' : `len(${operand.of.kind})`;
  return operand.kind;
}

/** Operands each probe type's results carry; a condition on any other could never hold. */
const OPERANDS: Record<ProbeKind, string[]> = {
  http: [
    'status',
    'duration',
    'certificate_expires_in',
    'body',
    'body.<jsonpath>',
    'len(body)',
    'len(body.<jsonpath>)',
  ],
  tcp: ['duration', 'connected'],
  dns: ['duration', 'answers', 'len(answers)'],
};

/**
 * Why a condition cannot apply to a probe type (e.g. `status` on a tcp probe), or undefined when it
 * can; checked at config load so such a condition is an error there, not a failure at every run.
 */
export function inapplicableOperand(condition: Condition, probe: ProbeKind): string | undefined {
  const name = operandName(condition.operand);
  if (OPERANDS[probe].includes(name)) return undefined;
  return `${name} is not available on a ${probe} probe (available: ${OPERANDS[probe].join(', ')})`;
}
