/**
 * The HTTP transport: one keep-alive undici Agent per process, so every client in a Lambda container (and
 * every call of a run) reuses warm TLS connections to Atlas.
 */
import { Agent, type Dispatcher } from './undici.ts';

/** Socket-level limits. The per-call deadline (see deadline.ts) bounds the whole call on top of these. */
export interface TransportOptions {
  /** Time allowed to open a TCP/TLS connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** Time allowed between sending the request and receiving all response headers. Default 60 s. */
  headersTimeoutMs?: number;
  /** Time allowed between two chunks of the response body. Default 60 s. */
  bodyTimeoutMs?: number;
  /** How long an idle connection is kept open. Default 30 s. */
  keepAliveTimeoutMs?: number;
  /** Connections per origin. Default 32. */
  connections?: number;
}

/** A keep-alive dispatcher with our timeouts; prefer `sharedDispatcher()` unless you need other limits. */
export function createAtlasDispatcher(options: TransportOptions = {}): Dispatcher {
  return new Agent({
    connectTimeout: options.connectTimeoutMs ?? 10_000,
    headersTimeout: options.headersTimeoutMs ?? 60_000,
    bodyTimeout: options.bodyTimeoutMs ?? 60_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    connections: options.connections ?? 32,
  });
}

let shared: Dispatcher | undefined;

/** The process-wide dispatcher, created on first use and kept for the life of the process (or container). */
export function sharedDispatcher(): Dispatcher {
  shared ??= createAtlasDispatcher();
  return shared;
}
