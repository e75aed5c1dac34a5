/**
 * Atlas's rate limiting: a token bucket per endpoint set and scope (project, organization, user). Each
 * request takes a token; the bucket refills `refillRate` tokens every `refillSeconds`, up to `capacity`.
 */
import { SimError } from './errors.ts';
import type { EndpointSet } from './routes.ts';

export interface BucketLimit {
  capacity: number;
  refillRate: number;
  refillSeconds: number;
}

type Scope = 'GROUP' | 'ORGANIZATION' | 'USER';

/** Defaults from the Atlas docs ("last updated April 10, 2026"). */
export const DEFAULT_LIMITS: Record<EndpointSet, BucketLimit & { scope: Scope }> = {
  clusters: { scope: 'GROUP', capacity: 10_000, refillRate: 5_000, refillSeconds: 60 },
  'clusters-user': { scope: 'USER', capacity: 300, refillRate: 100, refillSeconds: 60 },
  'projects-user': { scope: 'USER', capacity: 1_200, refillRate: 500, refillSeconds: 60 },
  projects: { scope: 'GROUP', capacity: 1_200, refillRate: 500, refillSeconds: 60 },
  'organizations-user': { scope: 'USER', capacity: 300, refillRate: 100, refillSeconds: 60 },
  organizations: { scope: 'ORGANIZATION', capacity: 500, refillRate: 250, refillSeconds: 60 },
  'cloud-users-group': { scope: 'GROUP', capacity: 1_200, refillRate: 500, refillSeconds: 60 },
  'cloud-users-org': { scope: 'ORGANIZATION', capacity: 500, refillRate: 250, refillSeconds: 60 },
  'network-peering': { scope: 'GROUP', capacity: 2_000, refillRate: 1_000, refillSeconds: 60 },
  'online-archive': { scope: 'GROUP', capacity: 1_200, refillRate: 500, refillSeconds: 60 },
  'project-access-list': { scope: 'GROUP', capacity: 1_200, refillRate: 500, refillSeconds: 60 },
  'service-accounts-org': { scope: 'ORGANIZATION', capacity: 500, refillRate: 250, refillSeconds: 60 },
  'global-clusters': { scope: 'GROUP', capacity: 1_200, refillRate: 500, refillSeconds: 60 },
  'database-users': { scope: 'GROUP', capacity: 10_000, refillRate: 5_000, refillSeconds: 60 },
  // Assumed: the docs' table names no set for Cloud Backup; a project-scoped bucket like the others.
  'cloud-backup': { scope: 'GROUP', capacity: 1_200, refillRate: 500, refillSeconds: 60 },
};

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #override: BucketLimit | undefined;

  /** `override` replaces every set's numbers (tests use tiny ones). */
  constructor(override?: BucketLimit) {
    this.#override = override;
  }

  reset(): void {
    this.#buckets.clear();
  }

  /**
   * Takes one token for this request, or throws Atlas's 429 with `Retry-After`. Returns the headers every
   * response carries (`RateLimit-Limit`, `RateLimit-Remaining`).
   */
  take(
    set: EndpointSet,
    scopeIds: { groupId?: string | undefined; orgId?: string | undefined; userId: string },
    apiPath: string,
    now: number,
  ): Record<string, string> {
    const defaults = DEFAULT_LIMITS[set];
    const limit = this.#override ?? defaults;
    const scopeId =
      defaults.scope === 'GROUP'
        ? scopeIds.groupId
        : defaults.scope === 'ORGANIZATION'
          ? scopeIds.orgId
          : undefined;
    const key = `${set}|${defaults.scope}|${scopeId ?? scopeIds.userId}`;
    const bucket = this.#buckets.get(key) ?? { tokens: limit.capacity, updatedAt: now };
    const perMs = limit.refillRate / (limit.refillSeconds * 1000);
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      throw new SimError(
        429,
        'RATE_LIMITED_TOKEN_BUCKET',
        `Rate limit exceeded for ${apiPath}. Please retry after ${retryAfter} seconds. Request capacity: ${limit.capacity}. Refill rate: ${limit.refillRate} per ${limit.refillSeconds} seconds.`,
        {
          parameters: [apiPath, retryAfter, limit.capacity, limit.refillRate, limit.refillSeconds],
          headers: {
            'Retry-After': String(retryAfter),
            'RateLimit-Limit': String(limit.capacity),
            'RateLimit-Remaining': '0',
          },
        },
      );
    }
    bucket.tokens -= 1;
    return {
      'RateLimit-Limit': String(limit.capacity),
      'RateLimit-Remaining': String(Math.floor(bucket.tokens)),
    };
  }
}
