import { describe, expect, it } from 'vitest';
import { createExpiringMap, createPairingStore } from './pairing.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

interface Entry {
  expiresAt: number;
  traceId: string;
  name: string;
}
const entry = (name: string, traceId = TRACE): Entry => ({ expiresAt: 0, traceId, name });
const names = (values: Iterable<Entry>) => [...values].map((v) => v.name);

describe('createPairingStore', () => {
  it('holds, finds and takes entries', () => {
    const store = createPairingStore<Entry>({ maxPending: 10, waitMs: 1_000 });
    expect(store.put('k1', entry('one'), 0)).toBeUndefined();
    expect(store.get(TRACE, 'k1')?.name).toBe('one');
    expect(store.size).toBe(1);
    expect(store.take(TRACE, 'k1')?.name).toBe('one');
    expect(store.take(TRACE, 'k1')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('expires an entry once waitMs has passed, not before', () => {
    const store = createPairingStore<Entry>({ maxPending: 10, waitMs: 1_000 });
    store.put('a', entry('a'), 0);
    store.put('b', entry('b'), 500);
    expect(store.expire(999)).toBe(0);
    const expired: string[] = [];
    expect(store.expire(1_000, (v) => expired.push(v.name))).toBe(1);
    expect(expired).toEqual(['a']);
    expect(store.expire(1_499)).toBe(0);
    expect(store.expire(1_500)).toBe(1);
    expect(store.size).toBe(0);
  });

  it('evicts the oldest entry at maxPending and returns it', () => {
    const store = createPairingStore<Entry>({ maxPending: 2, waitMs: 1_000 });
    expect(store.put('a', entry('a'), 0)).toBeUndefined();
    expect(store.put('b', entry('b'), 1)).toBeUndefined();
    expect(store.put('c', entry('c'), 2)?.name).toBe('a');
    expect(store.size).toBe(2);
    expect(names(store.values())).toEqual(['b', 'c']);
    store.take(TRACE, 'b');
    expect(store.put('d', entry('d'), 3)).toBeUndefined();
    expect(names(store.values())).toEqual(['c', 'd']);
  });

  it('tells calls of different traces apart', () => {
    const store = createPairingStore<Entry>({ maxPending: 10, waitMs: 1_000 });
    store.put('b7ad6b7169203331', entry('one'), 0);
    expect(store.get('f'.repeat(32), 'b7ad6b7169203331')).toBeUndefined();
    expect(store.take('f'.repeat(32), 'b7ad6b7169203331')).toBeUndefined();
    expect(store.size).toBe(1);
    expect(store.take(TRACE, 'b7ad6b7169203331')?.name).toBe('one');
  });

  it('renews an entry put again under its key', () => {
    const store = createPairingStore<Entry>({ maxPending: 2, waitMs: 1_000 });
    store.put('a', entry('a1'), 0);
    store.put('b', entry('b'), 1);
    expect(store.put('a', entry('a2'), 2)).toBeUndefined();
    expect(names(store.values())).toEqual(['b', 'a2']);
    expect(store.get(TRACE, 'a')?.expiresAt).toBe(1_002);
  });

  it('lets a later entry wait for earlier ones when the clock steps back', () => {
    const store = createPairingStore<Entry>({ maxPending: 10, waitMs: 100 });
    store.put('a', entry('a'), 1_000);
    store.put('b', entry('b'), 500);
    expect(store.expire(700)).toBe(0);
    expect(store.expire(1_100)).toBe(2);
  });

  it.each([
    [{ maxPending: 0, waitMs: 1 }, 'pairing.maxPending: expected an integer of at least 1'],
    [{ maxPending: 1.5, waitMs: 1 }, 'pairing.maxPending: expected an integer of at least 1'],
    [{ maxPending: 1, waitMs: -1 }, 'pairing.waitMs: expected ms ≥ 0'],
    [{ maxPending: 1, waitMs: Number.NaN }, 'pairing.waitMs: expected ms ≥ 0'],
  ])('rejects %j', (options, message) => {
    expect(() => createPairingStore<Entry>(options)).toThrow(new RangeError(message));
  });
});

describe('createExpiringMap', () => {
  it('skips entries taken early when evicting and expiring', () => {
    const map = createExpiringMap<Entry>(2);
    map.put('a', { ...entry('a'), expiresAt: 10 });
    map.put('b', { ...entry('b'), expiresAt: 20 });
    map.take('a');
    map.put('c', { ...entry('c'), expiresAt: 30 });
    expect(map.put('d', { ...entry('d'), expiresAt: 40 })?.name).toBe('b');
    expect(map.expire(35)).toBe(1);
    expect(names(map.values())).toEqual(['d']);
  });

  it('stays within its bound and keeps age order through heavy churn', () => {
    const map = createExpiringMap<Entry>(100);
    let evicted = 0;
    for (let i = 0; i < 50_000; i++) {
      if (map.put(`k${i}`, { ...entry(`k${i}`), expiresAt: i })) evicted++;
      if (i % 3 === 0) map.take(`k${i - 1}`);
      if (i % 1_000 === 0) map.expire(i - 500);
    }
    expect(map.size).toBeLessThanOrEqual(100);
    const order = names(map.values()).map((k) => Number(k.slice(1)));
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(order.at(-1)).toBe(49_999);
    expect(evicted).toBeGreaterThan(0);
  });

  it('rejects a bound below 1', () => {
    expect(() => createExpiringMap<Entry>(0)).toThrow(new RangeError('expected a bound of at least 1 entry'));
  });
});

describe('createPairingStore against a plain model', () => {
  /** The definition: a Map for lookups, arrival order for age. */
  function model(maxPending: number, waitMs: number) {
    const entries = new Map<string, Entry>();
    return {
      entries,
      get: (traceId: string, id: string) => {
        const v = entries.get(id);
        return v?.traceId === traceId ? v : undefined;
      },
      take(traceId: string, id: string) {
        const v = entries.get(id);
        if (v?.traceId !== traceId) return undefined;
        entries.delete(id);
        return v;
      },
      put(id: string, v: Entry, now: number) {
        v.expiresAt = now + waitMs;
        entries.delete(id);
        entries.set(id, v);
        if (entries.size <= maxPending) return undefined;
        const [oldestId, oldest] = entries.entries().next().value as [string, Entry];
        entries.delete(oldestId);
        return oldest;
      },
      expire(now: number) {
        let n = 0;
        for (const [id, v] of entries) {
          if (v.expiresAt > now) break;
          entries.delete(id);
          n++;
        }
        return n;
      },
    };
  }

  const sequential = (n: number) => n.toString(16).padStart(16, '0');
  const scattered = (n: number) => (Math.imul(n, 2654435761) >>> 0).toString(16).padStart(16, 'f');
  const text = (n: number) => `span-${n}`;
  it.each([
    { ids: '16 hex digits', idOf: sequential, maxPending: 500 },
    { ids: 'scattered hex digits', idOf: scattered, maxPending: 500 },
    { ids: 'other text', idOf: text, maxPending: 500 },
    { ids: '16 hex digits', idOf: sequential, maxPending: 5_000 },
    { ids: 'scattered hex digits', idOf: scattered, maxPending: 5_000 },
  ])('agrees over 100,000 random operations on $ids ids, maxPending $maxPending', ({ idOf, maxPending }) => {
    let seed = 42;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      return (seed >>> 8) / 16_777_216;
    };
    const store = createPairingStore<Entry>({ maxPending, waitMs: 1_000 });
    const reference = model(maxPending, 1_000);
    const traces = [TRACE, 'e'.repeat(32)];
    let now = 0;
    let next = 0;
    let peak = 0;
    for (let step = 0; step < 100_000; step++) {
      // expect() only on a difference: a hundred thousand of them would dominate the run time.
      const same = (actual: unknown, expected: unknown, what: string) => {
        if (actual !== expected) expect(actual, `${what} at step ${step}`).toBe(expected);
      };
      // First mostly arrivals, to fill the store past its bound; then mostly pairs completing.
      const arrivals = step < 40_000 ? 0.75 : 0.3;
      now += rnd() < 0.02 ? 7 : 0;
      const roll = rnd();
      // Ids from a window of recent ones, so lookups hit, miss and collide.
      const id = idOf(Math.max(0, next - Math.floor(rnd() * maxPending * 1.6)));
      const traceId = traces[rnd() < 0.95 ? 0 : 1] as string;
      if (roll < arrivals) {
        next++;
        const fresh = idOf(next);
        const a = store.put(fresh, entry(`v${step}`, traceId), now);
        same(a?.name, reference.put(fresh, entry(`v${step}`, traceId), now)?.name, 'evicted');
      } else if (roll < arrivals + 0.03) {
        const a = store.put(id, entry(`r${step}`, traceId), now);
        same(a?.name, reference.put(id, entry(`r${step}`, traceId), now)?.name, 'evicted on replace');
      } else if (roll < arrivals + 0.1) {
        same(store.get(traceId, id)?.name, reference.get(traceId, id)?.name, 'get');
      } else if (roll < 0.99) {
        same(store.get(traceId, id)?.name, reference.get(traceId, id)?.name, 'get');
        same(store.take(traceId, id)?.name, reference.take(traceId, id)?.name, 'take');
      } else {
        same(store.expire(now), reference.expire(now), 'expired');
      }
      same(store.size, reference.entries.size, 'size');
      peak = Math.max(peak, store.size);
    }
    expect(peak).toBe(maxPending);
    expect(names(store.values())).toEqual(names(reference.entries.values()));
  });

  it('compacts the holes left by calls paired behind an old one that still waits', () => {
    const store = createPairingStore<Entry>({ maxPending: 10, waitMs: 1_000 });
    store.put('0'.repeat(16), entry('old'), 0);
    for (let i = 1; i <= 20_000; i++) {
      const id = i.toString(16).padStart(16, '0');
      store.put(id, entry(`v${i}`), 1);
      expect(store.take(TRACE, id)?.name).toBe(`v${i}`);
    }
    expect(store.size).toBe(1);
    expect(names(store.values())).toEqual(['old']);
    expect(store.get(TRACE, '0'.repeat(16))?.name).toBe('old');
    expect(store.expire(1_000)).toBe(1);
    expect(store.size).toBe(0);
  });
});
