/**
 * Conditions: small declarative checks that probes evaluate on each result, in the spirit of
 * Gatus's conditions. Each string holds one condition; it is parsed and type-checked once (at
 * config load), and evaluating it never throws.
 *
 * Grammar (spaces between the three parts are optional):
 *
 * ```text
 * condition  = operand comparator value
 * operand    = "status" | "duration" | "certificate_expires_in" | "connected" | "answers"
 *            | body | "len(" ( body | "answers" ) ")"
 * body       = "body" [ "." jsonpath ]
 * jsonpath   = "$" { "." name | "['" text "']" | '["' text '"]' | "[" digits "]" }
 * name       = ( letter | "_" ) { letter | digit | "_" }
 * comparator = "==" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "!contains" | "matches"
 * value      = number | duration | string | "true" | "false" | "null" | regex
 * number     = [ "-" ] digits [ "." digits ]
 * duration   = ( digits [ "." digits ] ( "ms" | "s" | "m" | "h" | "d" | "w" ) )+
 * string     = '"' { any character but '"' and "\" | '\"' | "\\" } '"'
 * regex      = "/" source "/" { "d" | "i" | "m" | "s" | "u" | "v" }
 * ```
 *
 * Operands, and what each is compared with (checked at parse time):
 * - `status`: HTTP status of the final response; `==`, `!=`, `<`, `<=`, `>`, `>=` an integer.
 * - `duration`: the run's wall-clock time; the same comparators with a duration such as `500ms`.
 * - `certificate_expires_in`: ms from evaluation until the leaf certificate expires (negative once
 *   expired); the same comparators with a duration such as `14d`.
 * - `connected`: whether the TCP connection was established; `==` or `!=` `true` or `false`.
 * - `answers`: the DNS answers; `contains` / `!contains` a string test exact membership,
 *   `matches` holds when any answer matches.
 * - `body`: the body as text; `==` / `!=` / `contains` / `!contains` a string, `matches` a regex.
 * - `body.<jsonpath>`: the value at the path in the body parsed as JSON. `==` / `!=` a number,
 *   string, `true`, `false` or `null`, strictly typed (`5` is not `"5"`); `<`, `<=`, `>`, `>=` a
 *   number; `contains`, `!contains` and `matches` on string values.
 * - `len(body)`, `len(body.<jsonpath>)`, `len(answers)`: the length in characters of the body or a
 *   JSON string, the items of a JSON array, or the number of answers; compared with an integer.
 *
 * A condition whose operand has no value (no status code, no body, body not JSON, nothing at the
 * path) fails whatever its comparator. Details quote at most 60 characters of any found string.
 *
 * @example
 * const check = compileConditions(['status == 200', 'duration < 500ms', 'body.$.status == "ok"']);
 * check(result); // undefined when all hold, else e.g. 'body.$.status == "ok" (found "degraded")'
 *
 * @module
 */

export { inapplicableOperand } from './applicability.ts';
export { ConditionError } from './errors.ts';
export { compileConditions, evaluateCondition } from './evaluate.ts';
export { parseCondition } from './parse.ts';
export type { Comparator, Condition, ConditionOutcome, LengthTarget, Operand, Value } from './types.ts';
