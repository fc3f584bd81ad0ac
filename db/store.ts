/**
 * The storage boundary. Everything outside `db/` talks to a {@link Store}; only the factory in
 * `db/index.ts` knows which backend sits behind it. Methods are async so a networked backend
 * (Postgres) can implement the same interface. Times are Unix milliseconds.
 */

export const CATALOG_KINDS = ['participants', 'systems', 'integrations', 'workflows', 'datasets'] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];

interface EntryInput {
  id: string;
  name: string;
  owner?: string | undefined;
  /** The entry as validated, kept whole. */
  spec: unknown;
}

export interface ParticipantInput extends EntryInput {
  role: string;
  country: string;
  industry?: string | undefined;
  stage: string;
}
export interface SystemInput extends EntryInput {
  participantId: string;
  kind: string;
}
export interface IntegrationInput extends EntryInput {
  sourceSystemId: string;
  targetSystemId: string;
  kind: string;
  tier: string;
  channel?: string | undefined;
}
export type WorkflowInput = EntryInput;
export interface DatasetInput extends EntryInput {
  systemId: string;
}
export interface ValueModelInput {
  currency: string;
  costPerManualHandoff: number;
  savingsPerStandardIntegration: number;
  yearlyEcosystemCost: number;
}

/** A whole catalog, as `apply` receives it. */
export interface CatalogSnapshot {
  participants: ParticipantInput[];
  systems: SystemInput[];
  integrations: IntegrationInput[];
  workflows: WorkflowInput[];
  datasets: DatasetInput[];
  valueModel: ValueModelInput;
}

interface RowMeta {
  id: string;
  name: string;
  owner: string | null;
  spec: unknown;
  createdAt: number;
  updatedAt: number;
  /** When the entry left the catalog; null while it is in it. */
  retiredAt: number | null;
}

export interface ParticipantRow extends RowMeta {
  role: string;
  country: string;
  industry: string | null;
  stage: string;
}
export interface SystemRow extends RowMeta {
  participantId: string;
  kind: string;
}
export interface IntegrationRow extends RowMeta {
  sourceSystemId: string;
  targetSystemId: string;
  kind: string;
  tier: string;
  channel: string | null;
}
export type WorkflowRow = RowMeta;
export interface DatasetRow extends RowMeta {
  systemId: string;
}

export interface CatalogRows {
  participants: ParticipantRow;
  systems: SystemRow;
  integrations: IntegrationRow;
  workflows: WorkflowRow;
  datasets: DatasetRow;
}

/** Filters each kind's list accepts; every one is an exact match. */
export interface CatalogFilters {
  participants: { role?: string; stage?: string; country?: string };
  systems: { participant?: string; kind?: string };
  integrations: {
    tier?: string;
    kind?: string;
    from?: string;
    to?: string;
    participant?: string;
    channel?: string;
  };
  workflows: Record<string, never>;
  datasets: { system?: string };
}

export interface ListQuery<K extends CatalogKind> {
  filter?: CatalogFilters[K];
  /** Include entries that left the catalog (default false). */
  includeRetired?: boolean;
  limit: number;
  offset?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface KindChanges {
  created: string[];
  updated: string[];
  retired: string[];
  restored: string[];
  unchanged: number;
}

export interface ApplyResult {
  /** Whether anything changed; an identical second apply returns false. */
  changed: boolean;
  /** Revision number recorded for a change, null when nothing changed. */
  revision: number | null;
  changes: Record<CatalogKind, KindChanges>;
  valueModelChanged: boolean;
}

export interface CatalogStats {
  participants: { role: string; stage: string; count: number }[];
  systems: number;
  integrations: { tier: string; count: number }[];
  countries: number;
}

/** One active integration with the labels Prometheus joins on. */
export interface IntegrationLabels {
  integration: string;
  tier: string;
  kind: string;
  sourceSystem: string;
  targetSystem: string;
  sourceParticipant: string;
  targetParticipant: string;
  sourceRole: string;
  targetRole: string;
}

export interface JobRun {
  job: string;
  startedAt: number;
  durationMs: number;
  outcome: 'success' | 'failure';
  error?: string | undefined;
}

export const INTEGRATION_STATUSES = ['unknown', 'healthy', 'degraded', 'down'] as const;
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];

/** One probe run as stored (the body is never stored). */
export interface ProbeRunRecord {
  integrationId: string;
  startedAt: number;
  durationMs: number;
  success: boolean;
  /** One of collector/probes FAILURE_CLASSES when the run failed. */
  failureClass?: string | undefined;
  reason?: string | undefined;
  statusCode?: number | undefined;
  tlsExpiresAt?: number | undefined;
  /** Phase timings in ms (dns, connect, tls, firstByte, total). */
  phases?: Record<string, number> | undefined;
}

/** The hysteresis state of one integration, kept so a restart resumes where it was. */
export interface StatusState {
  integrationId: string;
  status: IntegrationStatus;
  /** When the current status began. */
  since: number;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Consecutive successful runs slower than the SLO latency target. */
  consecutiveSlow: number;
  lastResultAt: number | null;
  lastSuccessAt: number | null;
  lastFailureClass: string | null;
}

export interface StatusTransition {
  integrationId: string;
  at: number;
  from: IntegrationStatus;
  to: IntegrationStatus;
  /** Why, e.g. "3 consecutive failures (timeout)"; safe to show. */
  reason: string;
}

export interface StoredStatusTransition extends StatusTransition {
  id: number;
}

/** A notification to deliver, written in the same transaction as the transition that caused it. */
export interface OutboxEntry {
  /** Unique per (transition, channel): a replayed write cannot enqueue it twice. */
  key: string;
  channelId: string;
  integrationId: string;
  /** The request body to send, already rendered for the channel. */
  payload: unknown;
  createdAt: number;
}

export interface StoredOutboxEntry extends OutboxEntry {
  id: number;
  attempts: number;
  nextAttemptAt: number;
  deliveredAt: number | null;
  abandonedAt: number | null;
  lastError: string | null;
}

/** Everything one flush of the prober writes, in one transaction. */
export interface ProbeBatch {
  runs: ProbeRunRecord[];
  /** New hysteresis state of every integration with a run in this batch. */
  states: StatusState[];
  transitions: StatusTransition[];
  notifications: OutboxEntry[];
}

export const ROLLUP_RESOLUTIONS = ['minute', 'hour', 'day'] as const;
export type RollupResolution = (typeof ROLLUP_RESOLUTIONS)[number];

/** Availability of one integration over a window, from rollups. */
export interface AvailabilityRow {
  integrationId: string;
  runs: number;
  successes: number;
}

/** Result kinds that retention prunes, each with its own window in settings. */
export const PRUNABLE_KINDS = [
  'jobRuns',
  'probeResults',
  'probeRollupsMinute',
  'probeRollupsHour',
  'probeRollupsDay',
  'statusEvents',
  'notifications',
  'events',
  'requestMinutes',
  'workflowMinutes',
  'discoveredEdges',
] as const;
export type PrunableKind = (typeof PRUNABLE_KINDS)[number];

export interface StoreHealth {
  ok: boolean;
  detail?: string;
}

export interface Store {
  /** Upserts the catalog in one transaction; entries missing from it are retired, never deleted. */
  applyCatalog(snapshot: CatalogSnapshot, options: { source: string; now: number }): Promise<ApplyResult>;
  list<K extends CatalogKind>(kind: K, query: ListQuery<K>): Promise<Page<CatalogRows[K]>>;
  get<K extends CatalogKind>(kind: K, id: string): Promise<CatalogRows[K] | undefined>;
  getValueModel(): Promise<ValueModelInput | undefined>;
  /** The latest catalog revision (0 before the first apply); it changes whenever the catalog does. */
  catalogRevision(): Promise<number>;
  /** Counts of the entries in the catalog (retired ones excluded), for the catalog gauges. */
  catalogStats(): Promise<CatalogStats>;
  /** Labels of every integration in the catalog (retired ones excluded). */
  integrationLabels(): Promise<IntegrationLabels[]>;
  recordJobRun(run: JobRun): Promise<void>;
  /** When the job's last successful run finished (Unix ms), if it ever succeeded. */
  lastJobSuccess(job: string): Promise<number | undefined>;
  listJobRuns(query: { job?: string; limit: number }): Promise<JobRun[]>;
  /**
   * Writes a prober flush atomically: raw runs, the minute/hour/day UTC rollups they add to
   * (count, failures by class, duration histogram over ROLLUP_DURATION_BUCKETS_SECONDS), the new
   * status states, the transitions and the notifications they enqueue. A notification whose key is
   * already stored is skipped; new ones start with 0 attempts, due at their `createdAt`. Runs and
   * transitions carry no key, so a replayed batch adds them (and its rollup counts) again.
   */
  recordProbeBatch(batch: ProbeBatch): Promise<void>;
  /** Stored status of every integration that has one. */
  listStatusStates(): Promise<StatusState[]>;
  /** Latest raw runs of one integration, newest first. */
  listProbeRuns(query: { integrationId: string; limit: number }): Promise<ProbeRunRecord[]>;
  /** Status transitions, newest first, optionally of one integration. */
  listStatusTransitions(query: { integrationId?: string; limit: number }): Promise<StoredStatusTransition[]>;
  /**
   * Runs and successes per integration over `[from, to)`, summed from the rollups of the given
   * resolution (buckets that start inside the range).
   */
  availability(query: { resolution: RollupResolution; from: number; to: number }): Promise<AvailabilityRow[]>;
  /**
   * Notifications due for delivery (not delivered, not abandoned, nextAttemptAt <= now), oldest
   * (by createdAt, then id) first. Only the oldest pending one of each (channel, integration) is
   * ever due, so a channel hears one integration's notifications in the order they were made,
   * across retries and restarts.
   */
  dueNotifications(query: { now: number; limit: number }): Promise<StoredOutboxEntry[]>;
  /**
   * Records a delivery attempt (attempts + 1): delivered, retry at `retryAt`, or abandoned. Does
   * nothing for an unknown id or a notification already delivered or abandoned.
   */
  markNotification(
    id: number,
    outcome:
      | { delivered: number }
      | { retryAt: number; error: string }
      | { abandonedAt: number; error: string },
  ): Promise<void>;
  /**
   * Deletes up to `limit` rows of `kind` older than `before` (a row exactly at `before` stays);
   * returns how many went. Rollups age by bucket start, notifications by createdAt, and only
   * delivered or abandoned notifications are ever pruned.
   */
  prune(kind: PrunableKind, before: number, limit: number): Promise<number>;
  /** Whether the store answers and has every migration applied. */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
