/** A source of uniform numbers in [0, 1), like `Math.random`. */
export type Random = () => number;

/** An inclusive range of milliseconds. */
export interface MsRange {
  min: number;
  max: number;
}

/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence, so tests can
 * count failures exactly while the demo still looks random.
 *
 * @example
 * const random = seededRandom(42);
 * random(); // 0.6011037519201636, every time
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A whole number of ms drawn uniformly from `range`. */
export function between(random: Random, range: MsRange): number {
  return range.min + Math.floor(random() * (range.max - range.min + 1));
}
