/**
 * The function bundles carry shared/lambda/cls-hooked-context.cjs in place of cls-hooked, the store the X-Ray SDK
 * keeps the current segment in. What that must not change is what X-Ray receives: here a traced handler runs
 * as on AWS Lambda (the SDK's Lambda mode, a trace header per invocation), bundled once with the Lambda
 * settings and once with the real cls-hooked (bench/traced-handler.ts), and the subsegments both send to a
 * local UDP "daemon" must nest the same way: each AWS SDK and HTTP call under the step that made it, while two
 * steps run at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ContextStore,
  newTraceHeader,
  startTracedLambda,
  type TracedLambda,
} from '../../../bench/traced-handler.ts';

describe('X-Ray tracing in a bundle, on cls-hooked or AsyncLocalStorage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-xray-'));
  let lambda: TracedLambda;

  beforeAll(async () => {
    lambda = await startTracedLambda(dir);
  });

  afterAll(async () => {
    await lambda.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Two invocations; per invocation, each subsegment X-Ray received as `name <- parent's name`. */
  async function traces(store: ContextStore) {
    const invocations = [newTraceHeader(), newTraceHeader()];
    await lambda.invoke(
      store,
      invocations.map((invocation) => invocation.header),
    );
    return invocations.map(({ root, parent }) => {
      const latest = new Map(lambda.received.filter((s) => s.trace_id === root).map((s) => [s.id, s]));
      const nameOf = (id?: string) =>
        id === parent ? 'Lambda' : (latest.get(id ?? '')?.name ?? `unknown ${id}`);
      return [...latest.values()].map((s) => `${s.name} <- ${nameOf(s.parent_id)}`).sort();
    });
  }

  it('nests every call under the step that made it, with cls-hooked as without', async () => {
    // Act
    const withClsHooked = await traces('cls-hooked');
    const withStandIn = await traces('AsyncLocalStorage');

    // Assert
    const expected = [
      '## index.handler <- Lambda',
      '127.0.0.1 <- atlas',
      'SQS <- queue',
      'atlas <- ## index.handler',
      'queue <- ## index.handler',
    ];
    expect(withClsHooked).toEqual([expected, expected]);
    expect(withStandIn).toEqual([expected, expected]);
  });
});
