import type { IntegrationStatus } from '../../db/index.ts';
import type { Tier } from '../config/index.ts';

/** Statuses that make an incident; `healthy` ends one, `unknown` neither starts nor ends one. */
export const PROBLEM_STATUSES = ['down', 'degraded'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const isProblem = (status: IntegrationStatus): status is ProblemStatus =>
  (PROBLEM_STATUSES as readonly string[]).includes(status);

/** The integration a notification is about, as the catalog describes it. */
export interface NotificationSubject {
  id: string;
  name: string;
  tier: Tier;
  /** The participant on the other side of the integration (usually the partner or vendor). */
  participant: { id: string; name: string };
  sourceSystemId: string;
  targetSystemId: string;
  runbook?: string | undefined;
}

/** What one notification says, before it is rendered for a channel type. */
export interface NotificationMessage {
  /** The outbox key: stable across retries and replays, so receivers can drop duplicates. */
  id: string;
  kind: 'problem' | 'resolved';
  integration: NotificationSubject;
  status: IntegrationStatus;
  previousStatus: IntegrationStatus;
  /** When the status changed (Unix ms). */
  at: number;
  /** Why the status changed; safe to show. */
  reason: string;
  /** On `resolved`: how long the integration was in `previousStatus` (ms), when known. */
  durationMs?: number | undefined;
  /** The integration's page in Ecotone's UI, when a base URL is configured. */
  link?: string | undefined;
}
