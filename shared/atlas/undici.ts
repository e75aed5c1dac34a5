/**
 * The parts of undici the workers use — the keep-alive `Agent`, `request()` on a dispatcher and the error
 * classes — imported from undici's own modules rather than its root, which loads every dispatcher, mock,
 * cache store, fetch and WebSocket (about 720 KB of a bundle, a third of a cold start). The root export
 * adds its request API (`request`, `stream`, `pipeline`, `upgrade`, `connect`) to every dispatcher; this
 * module adds `request`, the only one the workers call, the same way, before anyone can use a dispatcher.
 */
import type * as Undici from 'undici';
import request from 'undici/lib/api/api-request.js';
import errorsModule from 'undici/lib/core/errors.js';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import DispatcherClass from 'undici/lib/dispatcher/dispatcher.js';

Object.assign(DispatcherClass.prototype, { request });

/**
 * undici's `Agent` (a pool of keep-alive connections per origin), always HTTP/1.1: undici 8 offers h2 over
 * TLS unless told not to (undici/lib/core/connect.js, `allowH2` defaults to true). HTTP/1.1 is what every
 * test speaks (the simulator and the local stand-ins serve plain HTTP), so it is what runs in Lambda too; the
 * pool's several connections per origin do what h2 multiplexing would.
 */
export class Agent extends AgentClass {
  constructor(options: Undici.Agent.Options = {}) {
    super({ ...options, allowH2: false });
  }
}
/** undici's error classes (`errors.UndiciError` and its subclasses). */
export const errors = errorsModule;
export type Dispatcher = Undici.Dispatcher;
