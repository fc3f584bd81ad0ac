import type { Random } from '../random.ts';

/** The JSON a simulated health endpoint answers, e.g. `{ "status": "ok" }`. */
export type HealthBody = Readonly<Record<string, string>>;

/**
 * How an endpoint answers one request (HTTP), connection (TCP) or query (DNS), after `delayMs`.
 * Each server maps it onto its protocol: a `reply` is the HTTP status and JSON body, an accepted
 * TCP connection (closed at once when `status` is 5xx) or a DNS answer (SERVFAIL when 5xx); a
 * `reset` is a TCP reset for HTTP and TCP, and no answer at all for DNS.
 */
export type Answer =
  | { kind: 'reply'; status: number; body: HealthBody; delayMs: number }
  | { kind: 'reset'; delayMs: number };

/** A PEM certificate and key for a TLS listener. */
export interface Certificate {
  cert: string;
  key: string;
  /** When the certificate expires (Unix ms, whole seconds). */
  expiresAt: number;
}

/**
 * What a simulated endpoint does. `answer` is per request; `isListening` and `certificate` act on
 * the endpoint's whole listener (every endpoint sharing its port), so an endpoint that uses them
 * gets a listener of its own.
 */
export interface Behaviour {
  /** Short name for the endpoint table, e.g. "flapping". */
  name: string;
  /** One line for a reader: what the endpoint does. */
  summary: string;
  /** Decides the answer to one request at `now` (Unix ms). */
  answer(now: number): Answer;
  /** Whether the listener accepts connections at `now` (Unix ms); absent means always. */
  isListening?(now: number): boolean;
  /** Certificate a TLS listener presents; required on an https listener. */
  certificate?: Certificate;
}

/** What the simulator hands each behaviour when it creates it. */
export interface BehaviourTools {
  /** Uniform in [0, 1), seeded per endpoint so endpoints do not share a sequence. */
  random: Random;
  /** The simulator's clock (Unix ms), for things fixed at start such as certificate dates. */
  now: () => number;
}

/** Creates one endpoint's behaviour; async for behaviours with set-up work (certificates). */
export type BehaviourFactory = (tools: BehaviourTools) => Behaviour | Promise<Behaviour>;

/** The body of an endpoint that is fine. */
export const OK_BODY: HealthBody = Object.freeze({ status: 'ok' });
