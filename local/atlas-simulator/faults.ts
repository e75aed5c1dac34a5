/**
 * Faults for tests and demos, scripted through `/__sim/faults`, plus a random fault rate and added latency.
 *
 * A script matches calls by path (and method) and applies one action:
 * - `status` (default): the next `count` calls answer an Atlas error with `status` (and `errorCode`, `detail`,
 *   `retryAfter` when given);
 * - `reset` / `stall`: the next `count` calls have their connection reset, or are held (`stallMs`, or until
 *   the client gives up) before being answered normally;
 * - `unlisted`: the next POST of a project IP access list succeeds and stores its new entries, but its answer
 *   and the next `count` reads of that project's access list do not show them yet: the eventual consistency
 *   the Terraform provider meets with concurrent writers (its `createEntry` polls until the entry shows);
 * - `no-results`, `ignore-page-num`, `no-next-link`: the next `count` list answers (GET, unless `method`
 *   says otherwise) are broken pages: no `results` array; always page 1 whatever `pageNum` asks; or full
 *   pages without a `next` link.
 */
import { z } from 'zod';

/** Actions that decide a call before it reaches a handler. */
export const TRANSPORT_ACTIONS = ['status', 'reset', 'stall'] as const;
/** Actions that change one list answer (see `paginate`). */
export const PAGE_ACTIONS = ['no-results', 'ignore-page-num', 'no-next-link'] as const;
/** Actions a handler takes itself, when its operation has the behaviour. */
export const HANDLER_ACTIONS = ['unlisted'] as const;

export type PageAction = (typeof PAGE_ACTIONS)[number];
export type HandlerAction = (typeof HANDLER_ACTIONS)[number];

export const faultScriptSchema = z.object({
  /** Path prefix (`/api/atlas/v2/groups`) or, between slashes, a regular expression. */
  path: z.string().min(1),
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .optional(),
  /** How many matching calls this fault applies to (`unlisted`: how many reads do not show the entries). */
  count: z.number().int().min(1).max(100_000).default(1),
  action: z.enum([...TRANSPORT_ACTIONS, ...PAGE_ACTIONS, ...HANDLER_ACTIONS]).default('status'),
  /** With `status`: the HTTP status to answer (e.g. 429, 500, 503). */
  status: z.number().int().min(400).max(599).default(503),
  errorCode: z.string().optional(),
  /** With `status`: the error's `detail` (default: a generic text for the status). */
  detail: z.string().optional(),
  /** With a 429 or 503: the `Retry-After` seconds to send. */
  retryAfter: z.number().int().min(0).optional(),
  /** With `stall`: how long to hold the request before answering normally (absent: until the client gives up). */
  stallMs: z.number().int().min(0).optional(),
});

export type FaultScript = z.infer<typeof faultScriptSchema>;

interface ActiveFault extends FaultScript {
  remaining: number;
  matcher: (path: string) => boolean;
}

function matcherFor(path: string): (path: string) => boolean {
  if (path.length > 2 && path.startsWith('/') && path.endsWith('/') && !path.startsWith('/api')) {
    const pattern = new RegExp(path.slice(1, -1));
    return (p) => pattern.test(p);
  }
  return (p) => p.startsWith(path);
}

/** The method a script applies to when it names none: page faults break GET lists, `unlisted` a POST. */
function defaultMethod(action: FaultScript['action']): string | undefined {
  if ((PAGE_ACTIONS as readonly string[]).includes(action)) return 'GET';
  if (action === 'unlisted') return 'POST';
  return undefined;
}

export class FaultInjector {
  #scripts: ActiveFault[] = [];

  add(script: FaultScript): void {
    this.#scripts.push({ ...script, remaining: script.count, matcher: matcherFor(script.path) });
  }

  clear(): void {
    this.#scripts = [];
  }

  /**
   * The first pending script with one of `actions` that matches this call, used once: a script counts down
   * per call, except `unlisted`, which one POST uses up whole (its `count` is the reads it hides from).
   */
  take(method: string, path: string, actions: readonly string[]): FaultScript | undefined {
    const script = this.#scripts.find((s) => {
      const wanted = s.method ?? defaultMethod(s.action);
      return (
        s.remaining > 0 &&
        actions.includes(s.action) &&
        (wanted === undefined || wanted === method) &&
        s.matcher(path)
      );
    });
    if (!script) return undefined;
    script.remaining = script.action === 'unlisted' ? 0 : script.remaining - 1;
    if (script.remaining === 0) this.#scripts = this.#scripts.filter((s) => s !== script);
    return script;
  }

  pending(): {
    path: string;
    method?: string | undefined;
    remaining: number;
    action: string;
    status: number;
  }[] {
    return this.#scripts.map((s) => ({
      path: s.path,
      method: s.method,
      remaining: s.remaining,
      action: s.action,
      status: s.status,
    }));
  }
}

/** One line of the request log (no headers, so no credentials). */
export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  /** The query string (`?itemsPerPage=500&…`), for calls that reached a resource. */
  query?: string;
  status: number;
  /** Resolved API version, when the call reached a resource. */
  version?: string;
  /** Client id or public key of the caller. */
  principal?: string;
  fault?: string;
}
