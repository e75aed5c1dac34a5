/**
 * Worker configuration from environment variables, parsed once at init with zod: a missing or bad variable
 * fails the cold start with one message naming every bad variable (never its value).
 */
import * as z from './zod.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The variables a worker's schema reads, each as the string an environment holds: the type of an environment
 * built in code (the local stack), so a misspelled variable does not compile.
 */
export type EnvironmentOf<Schema extends z.core.$ZodObject> = { [Key in keyof z.input<Schema>]?: string };

/** The AWS SDK's own variables the local stack sets: the region and the stand-ins' endpoints. */
export interface AwsSdkEnvironment {
  AWS_REGION?: string;
  AWS_ENDPOINT_URL_S3?: string;
  AWS_ENDPOINT_URL_SQS?: string;
  AWS_ENDPOINT_URL_DYNAMODB?: string;
  AWS_ENDPOINT_URL_SECRETS_MANAGER?: string;
  AWS_ENDPOINT_URL_SCHEDULER?: string;
}

/** Parses `env` with `schema`; throws `ConfigError` naming each bad variable. */
export function parseEnv<T>(schema: z.core.$ZodType<T>, env: Record<string, string | undefined>): T {
  const result = z.safeParse(schema, env);
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
