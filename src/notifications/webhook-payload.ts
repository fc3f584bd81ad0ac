import type { IntegrationStatus } from '../../db/index.ts';
import type { Tier } from '../config/index.ts';
import type { NotificationMessage } from './message.ts';

/**
 * Ecotone's generic webhook body (`Content-Type: application/json`). The shape is versioned:
 * fields are only added within version 1; absent values are `null`, never missing.
 *
 * @example
 * {
 *   "version": 1, "id": "pay:1717243200000:healthy:down:ops", "kind": "problem",
 *   "integration": { "id": "pay", "name": "Payments", "tier": "critical",
 *     "participant": { "id": "psp", "name": "PSP" }, "source": "storefront", "target": "psp-api" },
 *   "status": "down", "previousStatus": "healthy", "at": "2024-06-01T12:00:00.000Z",
 *   "reason": "3 consecutive failures (timeout)", "runbook": null, "durationMs": null, "link": null
 * }
 */
export interface WebhookPayload {
  version: 1;
  /** Stable per (transition, channel): the same message delivered twice has the same id. */
  id: string;
  /** `problem` when the integration enters or changes problem status, `resolved` when it leaves it. */
  kind: 'problem' | 'resolved';
  integration: {
    id: string;
    name: string;
    tier: Tier;
    /** The participant on the other side of the integration. */
    participant: { id: string; name: string };
    /** Source and target system ids. */
    source: string;
    target: string;
  };
  status: IntegrationStatus;
  previousStatus: IntegrationStatus;
  /** When the status changed, ISO 8601 UTC. */
  at: string;
  reason: string;
  runbook: string | null;
  /** On `resolved`: milliseconds spent in `previousStatus`, when known. */
  durationMs: number | null;
  /** The integration's page in Ecotone, when a UI base URL is configured. */
  link: string | null;
}

/** Renders a message as {@link WebhookPayload}. */
export function webhookPayload(message: NotificationMessage): WebhookPayload {
  const { integration } = message;
  return {
    version: 1,
    id: message.id,
    kind: message.kind,
    integration: {
      id: integration.id,
      name: integration.name,
      tier: integration.tier,
      participant: { id: integration.participant.id, name: integration.participant.name },
      source: integration.sourceSystemId,
      target: integration.targetSystemId,
    },
    status: message.status,
    previousStatus: message.previousStatus,
    at: new Date(message.at).toISOString(),
    reason: message.reason,
    runbook: integration.runbook ?? null,
    durationMs: message.durationMs ?? null,
    link: message.link ?? null,
  };
}
