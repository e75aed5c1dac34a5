/**
 * API versions as Atlas resolves them: a client names an API release date in `Accept`
 * (`application/vnd.atlas.YYYY-MM-DD+json`) and gets the newest version of the resource dated at or before
 * it. No version, a malformed one or a date before the resource's first version: 406. A version past its
 * sunset: 410. A deprecated version answers with `Deprecation` and `Sunset` headers.
 */
import { SimError } from './errors.ts';

export interface ResourceVersion {
  /** Release date of this version. */
  date: string;
  /** When it stops working (it is deprecated from the moment it has one). */
  sunset?: string;
  /** When it was deprecated; defaults to the date of the next version. */
  deprecated?: string;
}

export interface ResolvedVersion {
  date: string;
  headers: Record<string, string>;
}

const VERSIONED = /^application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json$/;

/** The API release date a media-type list asks for, or undefined. */
export function requestedVersion(accept: string | undefined): string | undefined {
  for (const part of (accept ?? '').split(',')) {
    const type = part.split(';')[0]?.trim().toLowerCase() ?? '';
    const match = VERSIONED.exec(type);
    if (match?.[1] && !Number.isNaN(Date.parse(`${match[1]}T00:00:00Z`))) return match[1];
  }
  return undefined;
}

/** Resolves `accept` against a resource's versions (oldest first) at time `now`. */
export function resolveVersion(
  accept: string | undefined,
  versions: readonly ResourceVersion[],
  now: number,
): ResolvedVersion {
  const requested = requestedVersion(accept);
  const supported = versions.map((v) => v.date).join(', ');
  if (!requested) {
    throw new SimError(
      406,
      'INVALID_VERSION_DATE',
      `Accept header must name an API version (application/vnd.atlas.YYYY-MM-DD+json). Supported: ${supported}.`,
      { parameters: [accept ?? ''] },
    );
  }
  const candidates = versions.filter((v) => v.date <= requested);
  const chosen = candidates.at(-1);
  if (!chosen) {
    throw new SimError(
      406,
      'INVALID_VERSION_DATE',
      `API version ${requested} is earlier than the first version of this resource. Supported: ${supported}.`,
      { parameters: [requested] },
    );
  }
  const headers: Record<string, string> = {};
  if (chosen.sunset) {
    if (Date.parse(`${chosen.sunset}T00:00:00Z`) <= now) {
      throw new SimError(
        410,
        'VERSION_GONE',
        `API version ${chosen.date} of this resource was sunset on ${chosen.sunset}.`,
        {
          parameters: [chosen.date, chosen.sunset],
        },
      );
    }
    const next = versions[versions.indexOf(chosen) + 1];
    const deprecatedOn = chosen.deprecated ?? next?.date ?? chosen.date;
    headers.Deprecation = new Date(`${deprecatedOn}T00:00:00Z`).toUTCString();
    headers.Sunset = new Date(`${chosen.sunset}T00:00:00Z`).toUTCString();
  }
  return { date: chosen.date, headers };
}

/** The versioned content type of a response. */
export function versionedContentType(date: string): string {
  return `application/vnd.atlas.${date}+json`;
}
