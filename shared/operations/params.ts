/** Params schemas of operation types, built from the client's own. */
import * as z from 'zod';

/**
 * The client's params schema, rejecting unknown top-level keys. The client's schemas strip them (its callers
 * are typed code), but a message is outside input: a misspelt optional field (`orgMembershipStatus` for
 * `orgMembershipStatuses`) must be reported, not silently dropped. Nested request bodies are already strict.
 */
export function strictParams<P>(schema: z.ZodType<P>): z.ZodType<P> {
  if (!(schema instanceof z.ZodObject)) throw new TypeError('strictParams needs an object schema');
  // `strict()` changes only how unknown keys are treated, so the output type is still P.
  return schema.strict() as unknown as z.ZodType<P>;
}
