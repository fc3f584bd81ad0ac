/** Windows over which the SLI (error ratio) is recorded: every window a burn-rate alert reads. */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

export type SliWindow = (typeof SLI_WINDOWS)[number];

/** One window pair of a multi-window multi-burn-rate alert. */
export interface BurnRateAlert {
  /** `page` wakes someone up; `ticket` is for working hours. */
  kind: 'page' | 'ticket';
  /** Share of the SLO window's error budget spent over the long window when the alert fires. */
  budgetSpent: number;
  long: SliWindow;
  short: SliWindow;
}

/**
 * The SRE workbook's recommended parameters ("Alerting on SLOs", table 5-8: page at 2% of the
 * budget in 1h and 5% in 6h, ticket at 10% in 3d, each with a short window of 1/12 of the long
 * one), plus Sloth's second ticket pair (10% in 1d, short window 2h). For a 30-day SLO window the
 * burn rates are 14.4, 6, 3 and 1.
 */
export const BURN_RATE_ALERTS: readonly BurnRateAlert[] = [
  { kind: 'page', budgetSpent: 0.02, long: '1h', short: '5m' },
  { kind: 'page', budgetSpent: 0.05, long: '6h', short: '30m' },
  { kind: 'ticket', budgetSpent: 0.1, long: '1d', short: '2h' },
  { kind: 'ticket', budgetSpent: 0.1, long: '3d', short: '6h' },
];

const MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds in a window like `5m`, `6h` or `3d`. */
export function windowMs(window: string): number {
  const match = /^(\d+)([mhd])$/.exec(window);
  if (!match) throw new RangeError(`window: expected a number and m, h or d, found "${window}"`);
  return Number(match[1]) * (MS[match[2] as string] as number);
}

/**
 * The burn rate at which `alert` fires for an SLO window of `sloWindowMs`: the budget share it
 * spends times the SLO window over the long window (14.4 for 2% in 1h of 30 days).
 */
export function burnRateFactor(alert: BurnRateAlert, sloWindowMs: number): number {
  return Number(((alert.budgetSpent * sloWindowMs) / windowMs(alert.long)).toPrecision(6));
}

export type Tier = 'critical' | 'high' | 'medium' | 'low';

/**
 * Severity of each alert by the integration's tier, and how long an integration stays down before
 * the down alert fires. Pages of critical and high integrations are `critical`; everything of a
 * low integration waits for working hours.
 */
export const TIER_POLICY: Readonly<
  Record<Tier, { page: string; ticket: string; down: { severity: string; for: string } }>
> = {
  critical: { page: 'critical', ticket: 'warning', down: { severity: 'critical', for: '1m' } },
  high: { page: 'critical', ticket: 'warning', down: { severity: 'critical', for: '3m' } },
  medium: { page: 'warning', ticket: 'info', down: { severity: 'warning', for: '5m' } },
  low: { page: 'info', ticket: 'info', down: { severity: 'info', for: '15m' } },
};
