import type { CompiledRule, MatchSide } from './match.ts';
import type { RequestOutcome } from './outcome.ts';

/**
 * What became of the first side of a call while it waits for the other:
 * - `counted`: it matched an integration and was counted; the other side is the same call;
 * - `edge`: a client span with `peer.service` that matched nothing, already reported as an edge;
 * - `deferred`: a client span that only a `calleeService` rule could match, waiting for its callee;
 * - `waiting`: it matched nothing; the pair may still match or form an edge.
 */
export type PendingState = 'counted' | 'edge' | 'deferred' | 'waiting';

/** The first side of a call, kept (without its attributes) until the other side arrives. */
export interface PendingCall {
  /** Arrival time plus the store's waitMs, Unix ms; set by the store. */
  expiresAt: number;
  traceId: string;
  side: MatchSide;
  spanId: string;
  /** The emitting resource's service.name. */
  service: string | undefined;
  state: PendingState;
  /** For `counted`: the integration counted. */
  integrationId: string | undefined;
  /** For `deferred`: the rules that could match once the callee is known. */
  candidates: readonly CompiledRule[] | undefined;
  startTimeMs: number;
  endTimeMs: number;
  outcome: RequestOutcome;
}

export interface PairingStoreOptions {
  /** Most entries held; at the bound, the oldest is evicted to make room. */
  maxPending: number;
  /** How long an entry waits for its other side, in ms. */
  waitMs: number;
}

/**
 * A map bounded in size whose entries leave in the order they came: evicted oldest first when
 * full, expired from the oldest while their `expiresAt` has passed.
 */
export interface ExpiringMap<T extends { expiresAt: number }> {
  readonly size: number;
  get(key: string): T | undefined;
  /** Removes the entry under `key` and returns it. */
  take(key: string): T | undefined;
  /**
   * Holds `value` under `key` until its `expiresAt` (replacing any entry under that key, which
   * then counts as new). When the map is full, the oldest entry is evicted first and returned.
   */
  put(key: string, value: T): T | undefined;
  /**
   * Removes entries from the oldest while their `expiresAt` is not after `now`, handing each to
   * `onExpired`; returns how many. It stops at the first entry still due: an entry with a later
   * `expiresAt` holds back younger ones that would be due (never beyond their own bound).
   */
  expire(now: number, onExpired?: (value: T) => void): number;
  /** Every entry, oldest first. */
  values(): IterableIterator<T>;
}

interface Slot<T> {
  key: string;
  value: T;
  /** False once taken out, replaced or evicted: the queue skips it. */
  live: boolean;
}

/**
 * A Map for lookups beside a queue of arrivals for age order. A Map alone keeps insertion order,
 * but finding its oldest entry after many deletions walks over every deleted slot, which made
 * eviction cost grow with the churn; the queue keeps it O(1) amortised. Entries taken out early
 * stay in the queue marked dead, skipped when reached and compacted away once the queue holds
 * twice the bound.
 * @example
 * const ended = createExpiringMap<{ expiresAt: number }>(10_000);
 * ended.put(key, { expiresAt: now + timeoutMs });
 */
export function createExpiringMap<T extends { expiresAt: number }>(maxEntries: number): ExpiringMap<T> {
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new RangeError('expected a bound of at least 1 entry');
  const entries = new Map<string, Slot<T>>();
  let queue: Slot<T>[] = [];
  let head = 0;
  const compactAt = 2 * Math.max(maxEntries, 1_024);
  // The last key looked up and its slot: the processor looks a key up, then takes or puts it,
  // and this saves the second hash lookup on a large map. Kept exact by remove and put.
  let memoKey: string | undefined;
  let memoSlot: Slot<T> | undefined;

  function find(key: string): Slot<T> | undefined {
    if (key !== memoKey) {
      memoKey = key;
      memoSlot = entries.get(key);
    }
    return memoSlot;
  }

  /** Drops dead slots at the head; returns the oldest live one. */
  function oldest(): Slot<T> | undefined {
    while (head < queue.length) {
      const slot = queue[head] as Slot<T>;
      if (slot.live) return slot;
      head++;
    }
    return undefined;
  }

  function remove(slot: Slot<T>): T {
    slot.live = false;
    entries.delete(slot.key);
    if (slot === memoSlot) memoSlot = undefined;
    return slot.value;
  }

  return {
    get size() {
      return entries.size;
    },
    get(key) {
      return find(key)?.value;
    },
    take(key) {
      const slot = find(key);
      return slot === undefined ? undefined : remove(slot);
    },
    put(key, value) {
      const previous = find(key);
      if (previous !== undefined) remove(previous);
      let evicted: T | undefined;
      if (entries.size >= maxEntries) {
        const slot = oldest();
        if (slot !== undefined) evicted = remove(slot);
      }
      const slot: Slot<T> = { key, value, live: true };
      entries.set(key, slot);
      memoKey = key;
      memoSlot = slot;
      queue.push(slot);
      if (queue.length - head >= compactAt || (head >= 1_024 && head * 2 >= queue.length)) {
        queue = queue.slice(head).filter((s) => s.live);
        head = 0;
      }
      return evicted;
    },
    expire(now, onExpired) {
      let count = 0;
      for (let slot = oldest(); slot !== undefined && slot.value.expiresAt <= now; slot = oldest()) {
        head++;
        const value = remove(slot);
        onExpired?.(value);
        count++;
      }
      return count;
    },
    *values() {
      for (const slot of entries.values()) yield slot.value;
    },
  };
}

/**
 * Bounded, expiring store of calls waiting for their other side, oldest first. Both sides of one
 * call share a key: the trace id and the client (or producer) span's id, which is the server (or
 * consumer) span's parent span id.
 */
export interface PairingStore<T extends { expiresAt: number; traceId: string }> {
  readonly size: number;
  /** The entry of the call (`traceId`, `clientSpanId`). */
  get(traceId: string, clientSpanId: string): T | undefined;
  /** Removes the entry of the call and returns it. */
  take(traceId: string, clientSpanId: string): T | undefined;
  /**
   * Holds `value` for the call (`value.traceId`, `clientSpanId`) until `now + waitMs`, replacing
   * any entry under that span id. When the store is full, the oldest entry is evicted first and
   * returned.
   */
  put(clientSpanId: string, value: T, now: number): T | undefined;
  /**
   * Removes the entries whose wait has run out by `now`, oldest first, and hands each to
   * `onExpired`; returns how many. Entries expire in arrival order: should the clock step back,
   * a later entry waits until the earlier ones have gone.
   */
  expire(now: number, onExpired?: (value: T) => void): number;
  /** Every entry, oldest first. */
  values(): IterableIterator<T>;
}

/** Random per process, so that span ids colliding in the table cannot be worked out in advance. */
const SEED = (Math.random() * 0x1_0000_0000) | 0;

/** The bucket of a span id (as two 32-bit halves) in a table of `mask + 1` buckets. */
function bucketOf(hi: number, lo: number, mask: number): number {
  let h = Math.imul(lo ^ SEED, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ hi, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & mask;
}

let parsedHi = 0;
let parsedLo = 0;

/**
 * Sets parsedHi and parsedLo from a span id: its value when it is 16 hex digits (as decoders
 * guarantee), else two independent 32-bit hashes of its characters.
 */
function parseSpanId(id: string): void {
  if (id.length === 16) {
    let hi = 0;
    let lo = 0;
    let bad = 0;
    for (let i = 0; i < 16; i++) {
      const c = id.charCodeAt(i);
      let d = c - 48;
      if (d > 9) d = (c | 32) - 87;
      bad |= d & ~15;
      if (i < 8) hi = (hi << 4) | (d & 15);
      else lo = (lo << 4) | (d & 15);
    }
    if (bad === 0) {
      parsedHi = hi;
      parsedLo = lo;
      return;
    }
  }
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  parsedHi = a;
  parsedLo = b;
}

/**
 * An open-addressing table from span id to the entry's place in an arrival queue. Span ids are
 * 64 random bits, so they are kept as two 32-bit numbers in one typed array (hi, lo, place + 1;
 * 0 marks an empty bucket), probed linearly and kept at most half full; removal shifts the
 * following buckets back, so there are no tombstones. A lookup that finds nothing touches one
 * cache line, where a Map of 100,000 string keys misses the cache three times: that made the
 * Map most of the processor's time. The queue holds the entries oldest first; entries taken out
 * early leave holes, skipped at the head and compacted away.
 *
 * Indexed by span id alone, the trace id compared on lookup: two waiting calls of different
 * traces sharing a span id (a chance of 2⁻⁶⁴ per pair) count as one key, the later replacing
 * the earlier. With one waitMs for every entry, arrival order is expiry order: eviction and
 * expiry both take from the oldest end.
 * @example
 * const store = createPairingStore<PendingCall>({ maxPending: 100_000, waitMs: 10_000 });
 * store.put(span.spanId, call, now);
 * store.take(serverSpan.traceId, serverSpan.parentSpanId); // the same call
 */
export function createPairingStore<T extends { expiresAt: number; traceId: string }>(
  options: PairingStoreOptions,
): PairingStore<T> {
  const { maxPending, waitMs } = options;
  if (!Number.isInteger(maxPending) || maxPending < 1)
    throw new RangeError('pairing.maxPending: expected an integer of at least 1');
  if (!Number.isFinite(waitMs) || waitMs < 0) throw new RangeError('pairing.waitMs: expected ms ≥ 0');

  let mask = 1_023;
  let table = new Int32Array((mask + 1) * 3);
  /** The queue, oldest first from `head`: entries (undefined once gone) and their id halves. */
  let queue: (T | undefined)[] = [];
  let queueHi: number[] = [];
  let queueLo: number[] = [];
  let head = 0;
  let live = 0;
  // The last id looked up, its halves and bucket (-1: absent, `memoEmpty` the free bucket its
  // probe ended on): get then take or put costs one probe. Any change to the table clears it.
  let memoId: string | undefined;
  let memoHi = 0;
  let memoLo = 0;
  let memoBucket = -1;
  let memoEmpty = -1;

  /** The bucket holding (hi, lo), or -1 with memoEmpty set to where the probe stopped. */
  function probe(hi: number, lo: number): number {
    let b = bucketOf(hi, lo, mask);
    for (;;) {
      const o = b * 3;
      if (table[o + 2] === 0) {
        memoEmpty = b;
        return -1;
      }
      if (table[o] === hi && table[o + 1] === lo) return b;
      b = (b + 1) & mask;
    }
  }

  function find(id: string): number {
    if (id !== memoId) {
      parseSpanId(id);
      memoId = id;
      memoHi = parsedHi;
      memoLo = parsedLo;
      memoBucket = probe(memoHi, memoLo);
    }
    return memoBucket;
  }

  function place(b: number): number {
    return (table[b * 3 + 2] as number) - 1;
  }

  /** Empties bucket `b`, shifting back the entries after it that probed past it. */
  function clearBucket(b: number): void {
    memoId = undefined;
    let hole = b;
    let j = b;
    for (;;) {
      j = (j + 1) & mask;
      const o = j * 3;
      if (table[o + 2] === 0) break;
      const home = bucketOf(table[o] as number, table[o + 1] as number, mask);
      // Move j into the hole unless its home lies cyclically in (hole, j].
      if (hole <= j ? home <= hole || home > j : home <= hole && home > j) {
        const h = hole * 3;
        table[h] = table[o] as number;
        table[h + 1] = table[o + 1] as number;
        table[h + 2] = table[o + 2] as number;
        hole = j;
      }
    }
    table[hole * 3 + 2] = 0;
  }

  function removeAt(b: number): T {
    const at = place(b);
    const value = queue[at] as T;
    queue[at] = undefined;
    live--;
    clearBucket(b);
    return value;
  }

  function insert(hi: number, lo: number, at: number): void {
    let b = bucketOf(hi, lo, mask);
    while (table[b * 3 + 2] !== 0) b = (b + 1) & mask;
    const o = b * 3;
    table[o] = hi;
    table[o + 1] = lo;
    table[o + 2] = at + 1;
  }

  /** Rebuilds table and queue with only live entries, the table `buckets` large. */
  function rebuild(buckets: number): void {
    memoId = undefined;
    mask = buckets - 1;
    table = new Int32Array(buckets * 3);
    const values: (T | undefined)[] = [];
    const his: number[] = [];
    const los: number[] = [];
    for (let i = head; i < queue.length; i++) {
      if (queue[i] === undefined) continue;
      insert(queueHi[i] as number, queueLo[i] as number, values.length);
      values.push(queue[i]);
      his.push(queueHi[i] as number);
      los.push(queueLo[i] as number);
    }
    queue = values;
    queueHi = his;
    queueLo = los;
    head = 0;
  }

  /** Drops the queue's consumed head, renumbering the places in the table in one pass. */
  function dropHead(): void {
    queue = queue.slice(head);
    queueHi = queueHi.slice(head);
    queueLo = queueLo.slice(head);
    for (let o = 2; o < table.length; o += 3) if (table[o] !== 0) table[o] = (table[o] as number) - head;
    head = 0;
  }

  /** Removes the oldest entry and returns it; undefined when empty. */
  function removeOldest(): T | undefined {
    while (head < queue.length && queue[head] === undefined) head++;
    if (head >= queue.length) return undefined;
    const b = probe(queueHi[head] as number, queueLo[head] as number);
    head++;
    return removeAt(b);
  }

  return {
    get size() {
      return live;
    },
    get(traceId, clientSpanId) {
      const b = find(clientSpanId);
      if (b < 0) return undefined;
      const value = queue[place(b)];
      return value?.traceId === traceId ? value : undefined;
    },
    take(traceId, clientSpanId) {
      const b = find(clientSpanId);
      if (b < 0 || queue[place(b)]?.traceId !== traceId) return undefined;
      return removeAt(b);
    },
    put(clientSpanId, value, now) {
      value.expiresAt = now + waitMs;
      const b = find(clientSpanId);
      const hi = memoHi;
      const lo = memoLo;
      if (b >= 0) {
        // The same span id waiting already: the newcomer replaces it in its bucket.
        queue[place(b)] = undefined;
        table[b * 3 + 2] = queue.length + 1;
      } else if ((live + 1) * 2 > mask + 1) {
        rebuild((mask + 1) * 2);
        insert(hi, lo, queue.length);
        live++;
      } else {
        const o = memoEmpty * 3;
        table[o] = hi;
        table[o + 1] = lo;
        table[o + 2] = queue.length + 1;
        live++;
      }
      queue.push(value);
      queueHi.push(hi);
      queueLo.push(lo);
      memoId = undefined;
      const evicted = live > maxPending ? removeOldest() : undefined;
      if (queue.length - head > 2 * maxPending + 1_024) rebuild(mask + 1);
      else if (head > 1_024 && head * 2 > queue.length) dropHead();
      return evicted;
    },
    expire(now, onExpired) {
      let count = 0;
      for (;;) {
        while (head < queue.length && queue[head] === undefined) head++;
        const oldest = queue[head];
        if (oldest === undefined || oldest.expiresAt > now) break;
        const value = removeOldest() as T;
        onExpired?.(value);
        count++;
      }
      return count;
    },
    *values() {
      for (let i = head; i < queue.length; i++) {
        const value = queue[i];
        if (value !== undefined) yield value;
      }
    },
  };
}
