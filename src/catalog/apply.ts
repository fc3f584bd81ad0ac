import type { ApplyResult, Store } from '../../db/index.ts';
import { CATALOG_KINDS } from '../../db/index.ts';
import type { EcosystemConfig } from '../config/index.ts';
import { catalogSnapshot } from './snapshot.ts';

/**
 * Applies a config's catalog to the store like `kubectl apply`: new entries are created, changed
 * ones updated, missing ones retired (their history kept), returning ones restored.
 */
export function applyCatalog(
  store: Store,
  config: EcosystemConfig,
  options: { source: string; now?: number },
): Promise<ApplyResult> {
  return store.applyCatalog(catalogSnapshot(config), {
    source: options.source,
    now: options.now ?? Date.now(),
  });
}

/** One line per kind that changed, e.g. `integrations: 2 created, 1 retired`; empty when nothing did. */
export function describeApply(result: ApplyResult): string[] {
  const lines: string[] = [];
  for (const kind of CATALOG_KINDS) {
    const c = result.changes[kind];
    const parts = [
      [c.created.length, 'created'],
      [c.updated.length, 'updated'],
      [c.restored.length, 'restored'],
      [c.retired.length, 'retired'],
    ]
      .filter(([n]) => (n as number) > 0)
      .map(([n, word]) => `${n} ${word}`);
    if (parts.length > 0) lines.push(`${kind}: ${parts.join(', ')}`);
  }
  if (result.valueModelChanged) lines.push('valueModel: updated');
  return lines;
}
