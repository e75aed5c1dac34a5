/**
 * Params schemas of operation types, built from the client's own. zod's core is imported by name: reading
 * `z.core` as a value would bring every locale into the bundle.
 */
import { $ZodObject, type $ZodType, clone, util } from 'zod/v4/core';
import * as z from '../config/zod.ts';

/**
 * The client's params schema, rejecting unknown top-level keys. The client's schemas strip them (its callers
 * are typed code), but a message is outside input: a misspelt optional field (`orgMembershipStatus` for
 * `orgMembershipStatuses`) must be reported, not silently dropped. Nested request bodies are already strict.
 */
export function strictParams<P>(schema: $ZodType<P>): $ZodType<P> {
  if (!(schema instanceof $ZodObject)) throw new TypeError('strictParams needs an object schema');
  // The same object with `never` for unknown keys (what `z.strictObject` builds), its checks kept. That
  // changes only how unknown keys are treated, so the output type is still P.
  const strict = clone(schema, util.mergeDefs(schema._zod.def, { catchall: z.never() }));
  return strict as unknown as $ZodType<P>;
}
