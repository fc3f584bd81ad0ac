/**
 * A condition that does not parse or type-check. `message` is `column N: reason`; `column` is
 * 1-based in the condition text and `reason` is the message without the column.
 */
export class ConditionError extends Error {
  readonly column: number;
  readonly reason: string;

  constructor(reason: string, column: number) {
    super(`column ${column}: ${reason}`);
    this.name = 'ConditionError';
    this.column = column;
    this.reason = reason;
  }
}
