import { PanelBuilder as BarGaugePanel } from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  BarGaugeDisplayMode,
  BigValueGraphMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  StackingConfigBuilder,
  StackingMode,
  VizLegendOptionsBuilder,
  VizOrientation,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  MappingType,
  type Panel,
  QueryVariableBuilder,
  RowBuilder,
  type RowPanel,
  type Threshold,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type ValueMapping,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';

/** Every panel and variable queries the Prometheus chosen in the `datasource` variable. */
export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

/** Tag on every Ecotone dashboard; the dashboards link to each other through it. */
export const TAG = 'ecotone';

/** One PromQL target of a panel. */
export interface Query {
  expr: string;
  /** Legend template, e.g. `{{integration}}`. */
  legend?: string;
  /** Instant query (tables, stats of the current value). */
  instant?: boolean;
}

/** What every panel helper takes. */
export interface PanelOptions {
  title: string;
  /** What the panel shows and how to read it; required, shown as the panel's info tooltip. */
  description: string;
  /** Grafana unit id, e.g. `percentunit`, `s`, `reqps`, `short`, `currencyEUR`. */
  unit: string;
  queries: Query[];
  /** Width in grid columns of 24 (default 12). */
  width?: number;
  /** Height in grid rows (default 8). */
  height?: number;
  /** Threshold steps, lowest first; the first one's value is `null` (the base colour). */
  thresholds?: Threshold[];
  mappings?: ValueMapping[];
  min?: number;
  max?: number;
  decimals?: number;
}

/** A row of panels. */
export interface Row {
  title: string;
  panels: cog.Builder<Panel>[];
}

/** Green base, then amber and red at the given values: for things where more is worse. */
export function higherIsWorse(amber: number, red: number): Threshold[] {
  return [
    { value: null, color: 'green' },
    { value: amber, color: 'orange' },
    { value: red, color: 'red' },
  ];
}

/** Red base, then amber and green at the given values: for things where more is better. */
export function higherIsBetter(amber: number, green: number): Threshold[] {
  return [
    { value: null, color: 'red' },
    { value: amber, color: 'orange' },
    { value: green, color: 'green' },
  ];
}

/** A neutral single colour, for counts that are neither good nor bad. */
export const NEUTRAL: Threshold[] = [{ value: null, color: 'blue' }];

/** Value mappings for an enum gauge: value → [text, colour]. */
export function enumMappings(values: Record<number, [string, string]>): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: Object.fromEntries(
        Object.entries(values).map(([value, [text, color]], index) => [value, { text, color, index }]),
      ),
    },
  ];
}

/** `ecotone_integration_status`: 0 healthy, 1 degraded, 2 down, 3 unknown. */
export const STATUS_MAPPINGS = enumMappings({
  0: ['healthy', 'green'],
  1: ['degraded', 'orange'],
  2: ['down', 'red'],
  3: ['unknown', 'gray'],
});

/** `ecotone_quality_check_status`: 0 pass, 1 warn, 2 fail, 3 error. */
export const CHECK_MAPPINGS = enumMappings({
  0: ['pass', 'green'],
  1: ['warn', 'orange'],
  2: ['fail', 'red'],
  3: ['error', 'purple'],
});

function target(query: Query, format?: PromQueryFormat): DataqueryBuilder {
  const builder = new DataqueryBuilder().expr(query.expr).datasource(DATASOURCE);
  if (query.legend !== undefined) builder.legendFormat(query.legend);
  if (query.instant) builder.instant();
  else builder.range();
  if (format) builder.format(format);
  return builder;
}

interface CommonBuilder<T> {
  title(title: string): T;
  description(description: string): T;
  datasource(datasource: typeof DATASOURCE): T;
  unit(unit: string): T;
  span(width: number): T;
  height(height: number): T;
  withTarget(target: cog.Builder<cog.Dataquery>): T;
  thresholds(
    thresholds: cog.Builder<import('@grafana/grafana-foundation-sdk/dashboard').ThresholdsConfig>,
  ): T;
  mappings(mappings: ValueMapping[]): T;
  min(min: number): T;
  max(max: number): T;
  decimals(decimals: number): T;
}

function common<T extends CommonBuilder<T>>(builder: T, options: PanelOptions, format?: PromQueryFormat): T {
  builder
    .title(options.title)
    .description(options.description)
    .datasource(DATASOURCE)
    .unit(options.unit)
    .span(options.width ?? 12)
    .height(options.height ?? 8)
    .thresholds(
      new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(options.thresholds ?? NEUTRAL),
    );
  for (const query of options.queries) builder.withTarget(target(query, format));
  if (options.mappings) builder.mappings(options.mappings);
  if (options.min !== undefined) builder.min(options.min);
  if (options.max !== undefined) builder.max(options.max);
  if (options.decimals !== undefined) builder.decimals(options.decimals);
  return builder;
}

/** A time series panel with a table legend (last, max) below it. */
export function timeseries(options: PanelOptions & { stacked?: boolean }): TimeseriesPanel {
  const panel = common(new TimeseriesPanel(), options)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    )
    .fillOpacity(options.stacked ? 60 : 10)
    .lineWidth(1);
  if (options.stacked) panel.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
  return panel;
}

/** A single big number (the last value), coloured by thresholds, with a sparkline. */
export function stat(options: PanelOptions): StatPanel {
  return common(new StatPanel(), { width: 6, height: 5, ...options })
    .graphMode(BigValueGraphMode.Area)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

/** A table of the current values (instant queries), one row per series, labels as columns. */
export function table(options: PanelOptions): TablePanel {
  const instant = { ...options, queries: options.queries.map((q) => ({ ...q, instant: true })) };
  return common(new TablePanel(), instant, PromQueryFormat.Table).filterable(true);
}

/** Horizontal bars of the current values, one per series, coloured by thresholds. */
export function bars(options: PanelOptions): BarGaugePanel {
  const instant = { ...options, queries: options.queries.map((q) => ({ ...q, instant: true })) };
  return common(new BarGaugePanel(), instant)
    .displayMode(BarGaugeDisplayMode.Gradient)
    .orientation(VizOrientation.Horizontal)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

/** One coloured band per series over time, for enum gauges: shows since when each state holds. */
export function timeline(options: PanelOptions): StateTimelinePanel {
  return common(new StateTimelinePanel(), options).mergeValues(true).rowHeight(0.8);
}

/** The `datasource` variable every panel queries through. */
export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource')
    .label('Prometheus')
    .type('prometheus')
    .description('The Prometheus that scrapes Ecotone.');
}

/**
 * A multi-value variable of a label's values (`label_values(METRIC, LABEL)`), "All" by default.
 * "All" is the regex `.*`, so selectors use `=~"$name"` and also match series without the label.
 */
export function labelVariable(
  name: string,
  label: string,
  query: string,
  description: string,
): QueryVariableBuilder {
  return new QueryVariableBuilder(name)
    .label(label)
    .description(description)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: 'All', value: '$__all' });
}

export interface DashboardOptions {
  /** Stable uid: links, provisioning and bookmarks depend on it; never change it. */
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: cog.Builder<import('@grafana/grafana-foundation-sdk/dashboard').VariableModel>[];
  rows: Row[];
  /** Default time range (default 6 hours). */
  from?: string;
}

/**
 * A dashboard with Ecotone's defaults (browser time zone, shared crosshair, 1 minute refresh,
 * links to the other Ecotone dashboards), rows in order, and panel ids and query refIds numbered
 * in order, so the generated JSON is stable from one build to the next.
 */
export function dashboard(options: DashboardOptions): Dashboard {
  const builder = new DashboardBuilder(options.title)
    .uid(options.uid)
    .description(options.description)
    .tags([TAG, ...options.tags])
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: options.from ?? 'now-6h', to: 'now' })
    .readonly()
    .link(
      new DashboardLinkBuilder('Ecotone')
        .type(DashboardLinkType.Dashboards)
        .tags([TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    );
  for (const variable of options.variables) builder.withVariable(variable);
  for (const row of options.rows) {
    builder.withRow(new RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(panel);
  }
  return numberPanels(builder.build());
}

function numberPanels(built: Dashboard): Dashboard {
  let id = 0;
  for (const panel of (built.panels ?? []) as (Panel | RowPanel)[]) {
    panel.id = ++id;
    if (panel.type === 'row') {
      (panel as RowPanel).datasource = DATASOURCE;
      continue;
    }
    const targets = (panel as Panel).targets ?? [];
    targets.forEach((t, i) => {
      (t as { refId?: string }).refId = String.fromCharCode(65 + i);
    });
  }
  return built;
}
