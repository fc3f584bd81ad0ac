/**
 * The storage boundary. Everything outside `db/` talks to a {@link Store}; only the factory in
 * `db/index.ts` knows which backend sits behind it. Methods are async so a networked backend
 * (Postgres) can implement the same interface. Times are Unix milliseconds.
 */

import type { KpiMethods } from './kpi.ts';
import type { QualityMethods } from './quality.ts';

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
  /** `file`: from ecosystem.yaml; `api`: created through the API, never retired by an apply. */
  origin: 'file' | 'api';
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
  'qualityResults',
  'kpiSnapshots',
] as const;
export type PrunableKind = (typeof PRUNABLE_KINDS)[number];

/** One business event as stored; `hash` is its content hash (see collector/events). */
export interface EventRecord {
  id: string;
  type: string;
  time: number;
  source?: string | undefined;
  participant?: string | undefined;
  integration?: string | undefined;
  channel?: string | undefined;
  customer?: string | undefined;
  user?: string | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
  /** The reference not found in the catalog, e.g. `participant:acme`, when kept unattributed. */
  unattributed?: string | undefined;
  hash: string;
  data: Record<string, unknown>;
}

export const REQUEST_OUTCOMES = ['success', 'client_error', 'server_error', 'error'] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/** Calls of one integration in one UTC minute, or what one request adds to them. */
export interface RequestMinute {
  integrationId: string;
  minute: number;
  requests: Record<RequestOutcome, number>;
  durationSumSeconds: number;
  /** Calls per ROLLUP_DURATION_BUCKETS_SECONDS bound plus +Inf, not cumulative. */
  durationBuckets: number[];
}

/** Workflow runs of one workflow in one UTC minute, or what one request adds to them. */
export interface WorkflowMinute {
  workflowId: string;
  minute: number;
  started: number;
  completed: number;
  failed: number;
  abandoned: number;
  durationSumSeconds: number;
  durationBuckets: number[];
}

/** Calls between two services that matched no integration, as one request adds them. */
export interface EdgeDelta {
  caller: string;
  callee: string;
  callerSystem?: string | undefined;
  calleeSystem?: string | undefined;
  calls: number;
  errors: number;
  firstSeen: number;
  lastSeen: number;
}

export const EDGE_STATUSES = ['open', 'adopted', 'ignored'] as const;
export type EdgeStatus = (typeof EDGE_STATUSES)[number];

export interface DiscoveredEdge {
  id: string;
  callerService: string;
  calleeService: string;
  callerSystemId: string | null;
  calleeSystemId: string | null;
  firstSeen: number;
  lastSeen: number;
  calls: number;
  errors: number;
  status: EdgeStatus;
  /** The integration an adopted edge became. */
  integrationId: string | null;
}

/**
 * Everything one acknowledged ingest request writes. A request is written whole or not at all;
 * several requests may share one transaction (one disk sync), each in its own savepoint.
 */
export interface IngestWrite {
  receivedAt: number;
  events?: EventRecord[];
  requests?: RequestMinute[];
  workflows?: WorkflowMinute[];
  edges?: EdgeDelta[];
}

export type IngestWriteResult =
  | { ok: true; inserted: number; duplicates: number }
  /** An event id already stored with different content: nothing of the request was written. */
  | { ok: false; conflicts: { index: number; id: string }[] };

export const TOKEN_SCOPES = ['ingest', 'read', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface ApiToken {
  /** Public id, safe to show and log (e.g. `tok_3f9a…`). */
  id: string;
  name: string;
  scopes: TokenScope[];
  /** A bound token may only send events of this participant. */
  participantId: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface StoreHealth {
  ok: boolean;
  detail?: string;
}

export interface Store extends QualityMethods, KpiMethods {
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
  /**
   * Commits ingest requests in one transaction, each in its own savepoint, and answers one result
   * per request in order. An event whose id is stored with the same hash is a duplicate (counted,
   * not written); with another hash it is a conflict, and that request writes nothing. Request and
   * workflow minutes add to their rows; edges add to their (caller, callee) row.
   */
  recordIngest(writes: IngestWrite[]): Promise<IngestWriteResult[]>;
  /** Per-minute call counts in `[from, to)`, optionally of one integration, oldest first. */
  listRequestMinutes(query: { integrationId?: string; from: number; to: number }): Promise<RequestMinute[]>;
  /** Per-minute workflow run counts in `[from, to)`, optionally of one workflow, oldest first. */
  listWorkflowMinutes(query: { workflowId?: string; from: number; to: number }): Promise<WorkflowMinute[]>;
  /** Discovered edges, most recently seen first. */
  listDiscoveredEdges(query: {
    status?: EdgeStatus;
    limit: number;
    offset?: number;
  }): Promise<Page<DiscoveredEdge>>;
  getDiscoveredEdge(id: string): Promise<DiscoveredEdge | undefined>;
  /** How many discovered edges are open (neither adopted nor ignored), for the gauge. */
  countDiscoveredEdges(): Promise<number>;
  /**
   * Adopts an open edge into the catalog in one transaction: creates the integration with origin
   * `api` (an apply from the file never retires it), marks the edge adopted, records a catalog
   * revision. Fails with a message when the edge is not open or the integration id is taken.
   */
  adoptDiscoveredEdge(
    edgeId: string,
    integration: IntegrationInput,
    options: { now: number },
  ): Promise<{ ok: true; revision: number } | { ok: false; reason: 'not-found' | 'not-open' | 'id-taken' }>;
  /** Marks an open edge ignored (or an ignored one open again); false when it is not found. */
  setDiscoveredEdgeStatus(edgeId: string, status: 'open' | 'ignored'): Promise<boolean>;
  /** Stores a token's hash; the token itself is never stored. */
  createApiToken(token: ApiToken & { hash: string }): Promise<void>;
  /** The token with this hash, if it exists and is not revoked. */
  findApiToken(hash: string): Promise<ApiToken | undefined>;
  listApiTokens(): Promise<ApiToken[]>;
  /** Revokes by id or name; returns how many tokens were revoked. */
  revokeApiToken(idOrName: string, now: number): Promise<number>;
  /** Whether the store answers and has every migration applied. */
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
