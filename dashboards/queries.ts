import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';

/** One PromQL expression of one panel. */
export interface PanelQuery {
  dashboard: string;
  panelId: number;
  panel: string;
  refId: string;
  expr: string;
  instant: boolean;
}

/** Every target expression of every panel of a dashboard, in panel order. */
export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  const queries: PanelQuery[] = [];
  for (const panel of (dashboard.panels ?? []) as Panel[]) {
    for (const target of panel.targets ?? []) {
      const t = target as { expr?: string; refId?: string; instant?: boolean };
      if (t.expr === undefined) continue;
      queries.push({
        dashboard: dashboard.uid ?? '',
        panelId: panel.id ?? 0,
        panel: panel.title ?? '',
        refId: t.refId ?? '',
        expr: t.expr,
        instant: t.instant === true,
      });
    }
  }
  return queries;
}

/** What Grafana puts in place of its variables when every multi-value variable is "All". */
export interface VariableValues {
  /** `$__rate_interval` (default `1m`). */
  rateInterval?: string;
  /** `$__range` (default `1h`). */
  range?: string;
}

/**
 * An expression as Grafana sends it with every template variable at "All" (`.*`), so it can be run
 * against Prometheus directly.
 *
 * @example
 * substituteVariables('rate(x{tier=~"$tier"}[$__rate_interval])') // 'rate(x{tier=~".*"}[1m])'
 */
export function substituteVariables(expr: string, values: VariableValues = {}): string {
  return expr
    .replaceAll('$__rate_interval', values.rateInterval ?? '1m')
    .replaceAll('$__range', values.range ?? '1h')
    .replace(/\$\{?(\w+)\}?/g, '.*');
}
