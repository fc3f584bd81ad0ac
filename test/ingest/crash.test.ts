import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { serve, tempDir } from '../helpers.ts';
import { INGEST_CATALOG } from './fixture.ts';

const ROUNDS = 4;
const SENDERS = 4;
const BATCH = 200;

/**
 * Crash safety: event batches are sent while the server is killed with SIGKILL at a random point,
 * then it is restarted and sent more (retrying some batches whose answer was lost). Every event
 * acknowledged with a 2xx must be stored, exactly once; nothing unacknowledged may appear twice.
 */
describe('ingest under SIGKILL', () => {
  it('keeps every acknowledged event exactly once across kills and restarts', {
    timeout: 120_000,
  }, async () => {
    const { dir, remove } = await tempDir();
    const db = join(dir, 'ecotone.db');
    const file = join(dir, 'ecosystem.yaml');
    await writeFile(
      file,
      `${INGEST_CATALOG}\nsettings:\n  auth: { enabled: false }\n  probes: { enabled: false }\n  log: { level: info }\n`,
    );
    const acknowledged = new Set<string>();
    const unanswered: string[][] = [];
    let interrupted = 0;
    let next = 0;
    const batchOf = (ids: string[]) =>
      JSON.stringify({
        events: ids.map((id) => ({
          id,
          type: 'transaction',
          participant: 'psp',
          integration: 'checkout-payment',
          data: { amount: 10, currency: 'EUR', customer: `c-${id}` },
        })),
      });

    try {
      for (let round = 0; round < ROUNDS; round++) {
        const started = serve(['-c', file, '--port', '0', '--db', db]);
        const url = await started.url;
        let killed = false;
        const send = async () => {
          while (!killed) {
            // Retry a batch whose answer a kill swallowed, or send a new one.
            const ids =
              unanswered.pop() ??
              Array.from({ length: BATCH }, () => `evt-${round}-${(next++).toString(36)}`);
            try {
              const res = await fetch(`${url}/v1/events`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: batchOf(ids),
              });
              if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
              const body = (await res.json()) as { received: number };
              expect(body.received).toBe(ids.length);
              for (const id of ids) acknowledged.add(id);
            } catch (error) {
              if (!killed) throw error;
              interrupted += 1;
              unanswered.push(ids);
              return;
            }
          }
        };
        const senders = Array.from({ length: SENDERS }, send);
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 600));
        killed = true;
        started.child.kill('SIGKILL');
        expect((await started.exit).signal).toBe('SIGKILL');
        await Promise.all(senders);
      }
      expect(acknowledged.size).toBeGreaterThan(0);
      // The kills landed while batches were in flight, not between them.
      expect(interrupted).toBeGreaterThan(0);

      const raw = new Database(db, { readonly: true });
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = raw.prepare('SELECT id, count(*) AS n FROM events GROUP BY id').all() as {
          id: string;
          n: number;
        }[];
        const stored = new Map(rows.map((r) => [r.id, r.n]));
        const missing = [...acknowledged].filter((id) => !stored.has(id));
        expect(missing).toEqual([]);
        expect(rows.every((r) => r.n === 1)).toBe(true);
        // Whatever is stored was sent; unanswered batches may or may not have been committed.
        const sent = new Set([...acknowledged, ...unanswered.flat()]);
        expect(rows.filter((r) => !sent.has(r.id))).toEqual([]);
      } finally {
        raw.close();
      }
    } finally {
      await remove();
    }
  });
});
