/**
 * X-Ray tracing in a function's bundle: with tracing on, the X-Ray SDK (with its own cls-hooked) keeps the
 * current segment, and what X-Ray receives must be the invocation's subsegments, nested as the code nests
 * them. Here a traced handler runs as on AWS Lambda (the SDK's Lambda mode, a trace header per invocation),
 * bundled with the Lambda settings (./traced-lambda.ts), and the subsegments it sends to a local UDP "daemon"
 * must put each AWS SDK and HTTP call under the step that made it, while two steps run at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTraceHeader, startTracedLambda, type TracedLambda } from './traced-lambda.ts';

describe('X-Ray tracing in a bundle', () => {
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
  async function traces() {
    const invocations = [newTraceHeader(), newTraceHeader()];
    await lambda.invoke(invocations.map((invocation) => invocation.header));
    return invocations.map(({ root, parent }) => {
      const latest = new Map(lambda.received.filter((s) => s.trace_id === root).map((s) => [s.id, s]));
      const nameOf = (id?: string) =>
        id === parent ? 'Lambda' : (latest.get(id ?? '')?.name ?? `unknown ${id}`);
      return [...latest.values()].map((s) => `${s.name} <- ${nameOf(s.parent_id)}`).sort();
    });
  }

  it('sends every invocation its subsegments, each call under the step that made it', async () => {
    // Act
    const received = await traces();

    // Assert
    const expected = [
      '## index.handler <- Lambda',
      '127.0.0.1 <- atlas',
      'SQS <- queue',
      'atlas <- ## index.handler',
      'queue <- ## index.handler',
    ];
    expect(received).toEqual([expected, expected]);
  });
});
