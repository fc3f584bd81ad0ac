import { describePair, judge, round } from '../judge.ts';
import { compareCodePoints } from '../sources/column-types.ts';
import { SourceError, type SourceReader } from '../types.ts';
import type { CheckKind, CheckOf } from './types.ts';

const SAMPLES = 5;

/** Relative difference of two figures: |a − b| / max(|a|, |b|), 0 when both are 0. */
export function deltaRatio(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

async function single(source: SourceReader, aggregate: Parameters<SourceReader['aggregate']>[0][number]) {
  const [value] = await source.aggregate([aggregate]);
  return value === null || value === undefined ? 0 : Number(value);
}

/**
 * Merges two sorted key streams without holding either: one pull at a time from each side, so
 * memory is two batches whatever the size of the sets. Counts keys on one side only and keeps a
 * few samples of each.
 */
async function compareKeys(here: AsyncIterable<string[]>, there: AsyncIterable<string[]>) {
  const cursor = (batches: AsyncIterable<string[]>) => {
    const it = batches[Symbol.asyncIterator]();
    let batch: string[] = [];
    let i = 0;
    return {
      async peek(): Promise<string | undefined> {
        while (i >= batch.length) {
          const next = await it.next();
          if (next.done) return undefined;
          batch = next.value;
          i = 0;
        }
        return batch[i];
      },
      advance() {
        i++;
      },
      async close() {
        await it.return?.();
      },
    };
  };
  const a = cursor(here);
  const b = cursor(there);
  let common = 0;
  const onlyHere: string[] = [];
  const onlyThere: string[] = [];
  let onlyHereCount = 0;
  let onlyThereCount = 0;
  try {
    for (;;) {
      const x = await a.peek();
      const y = await b.peek();
      if (x === undefined && y === undefined) break;
      const order = x === undefined ? 1 : y === undefined ? -1 : compareCodePoints(x, y);
      if (order === 0) {
        common++;
        a.advance();
        b.advance();
      } else if (order < 0) {
        if (onlyHere.length < SAMPLES) onlyHere.push(x as string);
        onlyHereCount++;
        a.advance();
      } else {
        if (onlyThere.length < SAMPLES) onlyThere.push(y as string);
        onlyThereCount++;
        b.advance();
      }
    }
  } finally {
    await a.close();
    await b.close();
  }
  return { common, onlyHereCount, onlyThereCount, onlyHere, onlyThere };
}

/**
 * Compares this dataset with `reference` (usually the same data in another system, the CRM
 * against analytics): row counts, the sums of a column, or the sets of key values. The value is
 * the difference as a percent: |a − b| / max(|a|, |b|) for counts and sums, and for keys the keys
 * on one side only over the keys on either side. Higher is worse.
 */
export const consistencyCheck: CheckKind<CheckOf<'consistency'>> = {
  aggregates: (check) =>
    check.measure === 'count'
      ? [{ kind: 'count' }]
      : check.measure === 'sum'
        ? [{ kind: 'sum', column: check.column as string }]
        : [],
  columns: (check) =>
    check.measure === 'sum'
      ? [check.column as string]
      : check.measure === 'keys'
        ? (check.key as string[])
        : [],
  async evaluate(check, context) {
    const threshold = describePair(check);
    const { source: reference } = await context.reference(check.reference);
    if (check.measure === 'keys') {
      const key = check.key as string[];
      const keys = await compareKeys(context.source.keys(key), reference.keys(check.referenceKey ?? key));
      const union = keys.common + keys.onlyHereCount + keys.onlyThereCount;
      const ratio = union === 0 ? 0 : (keys.onlyHereCount + keys.onlyThereCount) / union;
      const value = round(ratio * 100);
      return {
        outcome: judge(value, check),
        value,
        unit: 'percent',
        threshold,
        message: `${keys.onlyHereCount} keys only here, ${keys.onlyThereCount} only in ${check.reference}, ${keys.common} in both (${value}% differ)`,
        details: {
          reference: check.reference,
          ratio,
          common: keys.common,
          onlyHere: keys.onlyHereCount,
          onlyInReference: keys.onlyThereCount,
          samplesOnlyHere: keys.onlyHere.map((k) => k.split('\u001f')),
          samplesOnlyInReference: keys.onlyThere.map((k) => k.split('\u001f')),
        },
      };
    }
    const here =
      check.measure === 'count'
        ? Number(context.value({ kind: 'count' }))
        : Number(context.value({ kind: 'sum', column: check.column as string }) ?? 0);
    const there =
      check.measure === 'count'
        ? await single(reference, { kind: 'count' })
        : await single(reference, { kind: 'sum', column: check.referenceColumn ?? (check.column as string) });
    if (!Number.isFinite(here) || !Number.isFinite(there))
      throw new SourceError(`the ${check.measure} is not a number`);
    const ratio = deltaRatio(here, there);
    const value = round(ratio * 100);
    const what = check.measure === 'count' ? 'rows' : `sum of ${check.column}`;
    return {
      outcome: judge(value, check),
      value,
      unit: 'percent',
      threshold,
      message: `${what}: ${here} here, ${there} in ${check.reference} (${value}% apart)`,
      details: { reference: check.reference, here, there, ratio },
    };
  },
};
