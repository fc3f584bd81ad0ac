import { type PlannedAttributes, type PlannedSpan, span } from './plan.ts';
import { HOST } from './services.ts';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The part of an HTTP call an instrumented callee records. */
export interface ServerSide {
  service: string;
  /** `http.route`, e.g. `/v1/orders/{orderId}`. */
  route: string;
  /** Spans the callee makes while serving, placed inside the call by their own times. */
  children?: PlannedSpan[];
}

export interface HttpCallInit {
  caller: string;
  method: string;
  /** `url.full`; `server.address` and `server.port` are read from it. */
  url: string;
  status: number;
  startMs: number;
  durationMs: number;
  /** The integration the client span stands for (see {@link PlannedSpan.integration}). */
  integration?: string;
  /** `peer.service`, set only where the caller's instrumentation names its remote service. */
  peerService?: string;
  /** Set when the callee is instrumented too: its server span becomes the client span's child. */
  server?: ServerSide;
  /** More attributes of the client span. */
  attributes?: PlannedAttributes;
}

function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * An HTTP client span as the semantic conventions describe it (`http.request.method`,
 * `url.full`, `server.address`, `server.port`, `http.response.status_code`, `error.type` when it
 * failed; status ERROR for 4xx and 5xx), with the callee's server span as its child when the
 * callee is instrumented (status ERROR for 5xx only, as on a server 4xx is the caller's fault).
 */
export function httpCall(init: HttpCallInit): PlannedSpan {
  const url = new URL(init.url);
  const failed = init.status >= 400;
  const children: PlannedSpan[] = [];
  if (init.server !== undefined) {
    const inset = Math.min(2, init.durationMs / 4);
    children.push(
      httpServer({
        service: init.server.service,
        method: init.method,
        route: init.server.route,
        host: url.hostname,
        port: portOf(url),
        path: url.pathname,
        scheme: url.protocol.slice(0, -1),
        status: init.status,
        startMs: init.startMs + inset,
        durationMs: init.durationMs - 2 * inset,
        children: init.server.children ?? [],
      }),
    );
  }
  return span({
    service: init.caller,
    name: init.method,
    kind: 'client',
    startMs: init.startMs,
    durationMs: init.durationMs,
    attributes: {
      'http.request.method': init.method,
      'url.full': init.url,
      'server.address': url.hostname,
      'server.port': portOf(url),
      'http.response.status_code': init.status,
      ...(failed ? { 'error.type': String(init.status) } : {}),
      ...(init.peerService !== undefined ? { 'peer.service': init.peerService } : {}),
      ...init.attributes,
    },
    ...(failed ? { error: REASONS[init.status] ?? `HTTP ${init.status}` } : {}),
    ...(init.integration !== undefined ? { integration: init.integration } : {}),
    children,
  });
}

export interface HttpServerInit {
  service: string;
  method: string;
  route: string;
  /** Host the request was addressed to (default: the public API host). */
  host?: string;
  port?: number;
  /** `url.path` (default: the route with its parameters filled in). */
  path?: string;
  scheme?: string;
  status: number;
  startMs: number;
  durationMs: number;
  /** Set for the server span of a caller that sends no traces (see {@link PlannedSpan.integration}). */
  integration?: string;
  children?: PlannedSpan[];
}

/** An HTTP server span named `METHOD route`, as instrumented frameworks name them. */
export function httpServer(init: HttpServerInit): PlannedSpan {
  const path = init.path ?? init.route.replace(/\{[^}]+\}/g, '4711');
  return span({
    service: init.service,
    name: `${init.method} ${init.route}`,
    kind: 'server',
    startMs: init.startMs,
    durationMs: init.durationMs,
    attributes: {
      'http.request.method': init.method,
      'http.route': init.route,
      'url.path': path,
      'url.scheme': init.scheme ?? 'https',
      'server.address': init.host ?? HOST.publicApi,
      'server.port': init.port ?? 443,
      'http.response.status_code': init.status,
      ...(init.status >= 500 ? { 'error.type': String(init.status) } : {}),
    },
    ...(init.status >= 500 ? { error: REASONS[init.status] ?? `HTTP ${init.status}` } : {}),
    ...(init.integration !== undefined ? { integration: init.integration } : {}),
    children: init.children ?? [],
  });
}

/** Attributes shared by the spans of one Kafka topic operation. */
function kafka(topic: string, operation: 'send' | 'receive' | 'process'): PlannedAttributes {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': operation,
    'messaging.operation.name': operation === 'process' ? 'process' : operation === 'send' ? 'send' : 'poll',
    'messaging.destination.name': topic,
    'server.address': HOST.kafka,
    'server.port': 9092,
  };
}

/** A PRODUCER span publishing one message to `topic`; its context travels in the message headers. */
export function publish(init: {
  service: string;
  topic: string;
  startMs: number;
  durationMs: number;
  integration?: string;
  /** Spans of consumers that process the message: children of this span, as propagated. */
  consumers?: PlannedSpan[];
}): PlannedSpan {
  return span({
    service: init.service,
    name: `send ${init.topic}`,
    kind: 'producer',
    startMs: init.startMs,
    durationMs: init.durationMs,
    attributes: kafka(init.topic, 'send'),
    ...(init.integration !== undefined ? { integration: init.integration } : {}),
    children: init.consumers ?? [],
  });
}

/** A CONSUMER span processing one message of `topic`, the child of the span that published it. */
export function consume(init: {
  service: string;
  topic: string;
  group: string;
  startMs: number;
  durationMs: number;
  error?: string;
  children?: PlannedSpan[];
}): PlannedSpan {
  return span({
    service: init.service,
    name: `process ${init.topic}`,
    kind: 'consumer',
    startMs: init.startMs,
    durationMs: init.durationMs,
    attributes: { ...kafka(init.topic, 'process'), 'messaging.consumer.group.name': init.group },
    ...(init.error !== undefined ? { error: init.error } : {}),
    children: init.children ?? [],
  });
}

/** A CLIENT span polling a batch of messages from `topic` (the `receive` operation). */
export function receive(init: {
  service: string;
  topic: string;
  group: string;
  messages: number;
  startMs: number;
  durationMs: number;
  integration?: string;
}): PlannedSpan {
  return span({
    service: init.service,
    name: `poll ${init.topic}`,
    kind: 'client',
    startMs: init.startMs,
    durationMs: init.durationMs,
    attributes: {
      ...kafka(init.topic, 'receive'),
      'messaging.consumer.group.name': init.group,
      'messaging.batch.message_count': init.messages,
    },
    ...(init.integration !== undefined ? { integration: init.integration } : {}),
  });
}

/** A PostgreSQL CLIENT span: a call to a database no integration declares, so it matches none. */
export function sql(init: {
  service: string;
  operation: string;
  table: string;
  startMs: number;
  durationMs: number;
}): PlannedSpan {
  return span({
    service: init.service,
    name: `${init.operation} ${init.table}`,
    kind: 'client',
    startMs: init.startMs,
    durationMs: init.durationMs,
    attributes: {
      'db.system.name': 'postgresql',
      'db.operation.name': init.operation,
      'db.collection.name': init.table,
      'db.namespace': 'orders',
      'server.address': HOST.ordersDb,
      'server.port': 5432,
    },
  });
}

/** An INTERNAL span: a job or a step inside one process. */
export function internal(init: {
  service: string;
  name: string;
  startMs: number;
  durationMs: number;
  attributes?: PlannedAttributes;
  error?: string;
  children?: PlannedSpan[];
}): PlannedSpan {
  return span({ ...init, kind: 'internal' });
}
