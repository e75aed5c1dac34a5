/**
 * The notifier's credentials: one JSON secret in Secrets Manager, one entry per source it talks to.
 *
 * ```json
 * { "jira": { "email": "bot@example.com", "apiToken": "…" },
 *   "github": { "token": "github_pat_…" },
 *   "zendesk": { "email": "bot@example.com", "apiToken": "…" },
 *   "servicenow": { "signingSecret": "whsec_…" },
 *   "standard": { "signingSecret": "whsec_…" } }
 * ```
 * Every other source is a Standard Webhooks callback with its own `signingSecret`. A malformed secret gives
 * one error naming the field at fault, never a value.
 */
import * as z from '../config/zod.ts';
import { NotifierSecretError } from './errors.ts';

const text = z.string('must be a string').check(z.minLength(1, 'must not be empty'));
const emailToken = z.object({ email: text, apiToken: text });
const callback = z.object({
  signingSecret: text.check(z.regex(/^whsec_[A-Za-z0-9+/]+=*$/, 'must be whsec_ followed by base64')),
});

export interface NotifierSecrets {
  jira?: { email: string; apiToken: string };
  github?: { token: string };
  zendesk?: { email: string; apiToken: string };
  /** Standard Webhooks signing secrets of the callback sources (servicenow, standard, …). */
  callbacks: Record<string, { signingSecret: string }>;
}

/** Parses the secret's text; throws `NotifierSecretError` naming the field at fault. */
export function parseNotifierSecrets(raw: string, label: string): NotifierSecrets {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new NotifierSecretError(`${label} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NotifierSecretError(`${label} must be a JSON object`);
  }
  const secrets: NotifierSecrets = { callbacks: {} };
  for (const [source, entry] of Object.entries(value as Record<string, unknown>)) {
    const schema = source === 'github' ? z.object({ token: text }) : source in KNOWN ? emailToken : callback;
    const parsed = schema.safeParse(entry);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (i) => `${[source, ...i.path.map(String)].join('.')} ${i.message}`,
      );
      throw new NotifierSecretError(`${label}: ${problems.join('; ')}`);
    }
    if (source === 'jira' || source === 'zendesk')
      secrets[source] = parsed.data as { email: string; apiToken: string };
    else if (source === 'github') secrets.github = parsed.data as { token: string };
    else secrets.callbacks[source] = parsed.data as { signingSecret: string };
  }
  return secrets;
}

/** The sources with email + API token credentials. */
const KNOWN: Record<string, true> = { jira: true, zendesk: true };

/** Where the notifier gets its credentials (a cached Secrets Manager secret in AWS). */
export interface NotifierSecretSource {
  get(): Promise<NotifierSecrets>;
  /** Reads the secret again (after a 401: it may have been rotated). */
  refresh(): Promise<NotifierSecrets>;
}
