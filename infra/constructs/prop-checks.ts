import { type Duration, Token } from 'aws-cdk-lib';
import { ipOrCidr } from '../../shared/atlas/validation.ts';
import * as zm from '../../shared/config/zod.ts';

/**
 * Lambda environment variables share a 4 KB budget: a JSON setting (rules, sender policies) gets half of it
 * at most, and a bigger one belongs in a file or a parameter, not an environment variable.
 */
export const MAX_JSON_SETTING_BYTES = 2048;

/**
 * The checks a construct runs on its props, each throwing one error that names the construct, the prop and
 * the rule it breaks (`ProvisioningWorker: batchSize must be an integer from 1 to 10, got 11`).
 */
export function propChecks(construct: string) {
  const fail = (message: string): never => {
    throw new Error(`${construct}: ${message}`);
  };
  return {
    fail,
    /** `value`, an integer from `min` to `max` known at synth time. */
    integer(name: string, value: number, min: number, max: number): number {
      if (Token.isUnresolved(value)) fail(`${name} must be a number known at synth time`);
      if (!Number.isInteger(value) || value < min || value > max) {
        fail(`${name} must be an integer from ${min} to ${max}, got ${value}`);
      }
      return value;
    },
    /** `value`, a duration from `min` to `max` (said in words when it is not). */
    duration(name: string, value: Duration, min: Duration, max: Duration): Duration {
      if (value.toMilliseconds() < min.toMilliseconds() || value.toMilliseconds() > max.toMilliseconds()) {
        fail(
          `${name} must be from ${min.toHumanString()} to ${max.toHumanString()}, got ${value.toHumanString()}`,
        );
      }
      return value;
    },
    /** `values`, IP addresses and CIDR blocks as the workers check them at cold start (`ipOrCidr`). */
    addresses(name: string, values: readonly string[] = []): string[] {
      for (const value of values) {
        if (!zm.safeParse(ipOrCidr, value).success) {
          fail(`${name} must hold IP addresses and CIDR blocks, got ${JSON.stringify(value)}`);
        }
      }
      return [...values];
    },
    /** `value` as the JSON of an environment variable, within the budget; `undefined` when not given. */
    jsonSetting(name: string, value: unknown): string | undefined {
      if (value === undefined) return undefined;
      const json = JSON.stringify(value);
      const bytes = Buffer.byteLength(json);
      if (bytes > MAX_JSON_SETTING_BYTES) {
        fail(`${name} take ${bytes} bytes of JSON; at most ${MAX_JSON_SETTING_BYTES} fit in the environment`);
      }
      return json;
    },
  };
}
