/**
 * Worker configuration from environment variables, parsed once at init with zod: a missing or bad variable
 * fails the cold start with one message naming every bad variable (never its value).
 */
import type { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `env` with `schema`; throws `ConfigError` naming each bad variable. */
export function parseEnv<T>(schema: z.ZodType<T>, env: Record<string, string | undefined>): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.map(String).join('.') || '(environment)'}: ${issue.message}`,
  );
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

/** A comma-separated list (`a,b,c`), blanks dropped. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
