/**
 * Token-bucket rate limiting per key (here: per API token). A key starts with a full bucket of
 * `burst` and regains `ratePerSecond` per second.
 */
export interface RateLimiter {
  /** Takes one from the key's bucket: 0 when allowed, else the seconds until one is available. */
  take(key: string): number;
}

export function createRateLimiter(options: {
  ratePerSecond: number;
  burst: number;
  /** Most keys tracked; the least recently used go first (default 100000). */
  maxKeys?: number;
  now?: () => number;
}): RateLimiter {
  const { ratePerSecond, burst } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const at = now();
      let bucket = buckets.get(key);
      if (bucket) {
        buckets.delete(key);
        bucket.tokens = Math.min(burst, bucket.tokens + ((at - bucket.at) / 1000) * ratePerSecond);
        bucket.at = at;
      } else {
        if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
        bucket = { tokens: burst, at };
      }
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return (1 - bucket.tokens) / ratePerSecond;
    },
  };
}
