import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  bars,
  CHECK_MAPPINGS,
  dashboard,
  datasourceVariable,
  higherIsBetter,
  higherIsWorse,
  labelVariable,
  NEUTRAL,
  stat,
  table,
  timeseries,
} from './kit.ts';

const DATASET = 'system=~"$system", dataset=~"$dataset"';

/** Data quality (data owners): freshness, volume, completeness, duplicates, consistency, schema drift. */
export function dataQuality(): Dashboard {
  return dashboard({
    uid: 'ecotone-data-quality',
    title: 'Ecotone / Data quality',
    description:
      'Whether the data the integrations move can be trusted: freshness, rows, completeness, duplicates, consistency with reference datasets, schema changes and the status of every check.',
    tags: ['data'],
    variables: [
      datasourceVariable(),
      labelVariable(
        'system',
        'System',
        'label_values(ecotone_quality_check_status, system)',
        'System that holds the data.',
      ),
      labelVariable(
        'dataset',
        'Dataset',
        'label_values(ecotone_quality_check_status{system=~"$system"}, dataset)',
        'Datasets of the selected systems.',
      ),
    ],
    rows: [
      {
        title: 'Checks',
        panels: [
          stat({
            title: 'Checks failing',
            description: 'Checks whose last run failed (status 2) or could not read the source (status 3).',
            unit: 'short',
            queries: [{ expr: `count(ecotone_quality_check_status{${DATASET}} >= 2) or vector(0)` }],
            thresholds: higherIsWorse(1, 1),
          }),
          stat({
            title: 'Checks warning',
            description: 'Checks whose last run passed the fail threshold but not the warn threshold.',
            unit: 'short',
            queries: [{ expr: `count(ecotone_quality_check_status{${DATASET}} == 1) or vector(0)` }],
            thresholds: higherIsWorse(1, 5),
          }),
          stat({
            title: 'Checks passing',
            description: 'Share of checks whose last run passed.',
            unit: 'percentunit',
            queries: [
              {
                expr: `count(ecotone_quality_check_status{${DATASET}} == 0) / count(ecotone_quality_check_status{${DATASET}})`,
              },
            ],
            thresholds: higherIsBetter(0.8, 0.95),
          }),
          stat({
            title: 'Schema changes (24h)',
            description:
              'Runs that found a dataset\u2019s columns added, removed or retyped in the last 24 hours.',
            unit: 'short',
            queries: [{ expr: `sum(increase(ecotone_dataset_schema_changes_total{${DATASET}}[24h]))` }],
            thresholds: higherIsWorse(1, 3),
          }),
          table({
            title: 'Check status',
            description: 'The last outcome of every check of every dataset: pass, warn, fail or error.',
            unit: 'short',
            queries: [{ expr: `ecotone_quality_check_status{${DATASET}}` }],
            mappings: CHECK_MAPPINGS,
            width: 24,
          }),
        ],
      },
      {
        title: 'Freshness and volume',
        panels: [
          timeseries({
            title: 'Freshness',
            description: 'Age of the newest record of each dataset; it grows between runs as the data ages.',
            unit: 's',
            queries: [{ expr: `ecotone_dataset_freshness_seconds{${DATASET}}`, legend: '{{dataset}}' }],
            thresholds: higherIsWorse(300, 900),
          }),
          timeseries({
            title: 'Rows',
            description: 'Rows counted by each dataset\u2019s last run.',
            unit: 'short',
            queries: [{ expr: `ecotone_dataset_rows{${DATASET}}`, legend: '{{dataset}}' }],
            thresholds: NEUTRAL,
          }),
        ],
      },
      {
        title: 'Content',
        panels: [
          bars({
            title: 'Completeness',
            description:
              'Share of rows whose column is present, per dataset and column with a missing check.',
            unit: 'percentunit',
            queries: [
              { expr: `ecotone_dataset_completeness_ratio{${DATASET}}`, legend: '{{dataset}}.{{column}}' },
            ],
            thresholds: higherIsBetter(0.95, 0.99),
            min: 0,
            max: 1,
          }),
          bars({
            title: 'Duplicates',
            description: 'Share of rows that repeat a key, per dataset.',
            unit: 'percentunit',
            queries: [{ expr: `ecotone_dataset_duplicate_ratio{${DATASET}}`, legend: '{{dataset}}' }],
            thresholds: higherIsWorse(0.001, 0.01),
            min: 0,
          }),
          timeseries({
            title: 'Consistency delta',
            description:
              'Relative difference between a dataset and its reference (0 = equal): counts, sums or key sets on one side only.',
            unit: 'percentunit',
            queries: [
              {
                expr: `ecotone_dataset_consistency_delta_ratio{${DATASET}}`,
                legend: '{{dataset}} vs {{reference}}',
              },
            ],
            thresholds: higherIsWorse(0.01, 0.05),
            width: 24,
          }),
        ],
      },
    ],
  });
}
