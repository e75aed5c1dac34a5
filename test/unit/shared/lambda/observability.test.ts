/**
 * The kit's observability: X-Ray tracing through the Powertools Tracer when tracing is on, and neither the
 * Tracer nor its middleware when the function is deployed without tracing (POWERTOOLS_TRACE_ENABLED=false).
 * Which one a process gets is settled when the module loads, as in Lambda, so each case loads it afresh.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

async function observabilityWith(traceEnabled: string | undefined) {
  vi.resetModules();
  vi.stubEnv('POWERTOOLS_TRACE_ENABLED', traceEnabled);
  const module = await import('../../../../shared/lambda/observability.ts');
  const tools = module.createObservability();
  return { module, tools, middlewares: module.observability(tools) };
}

describe('observability', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([undefined, 'true'])('traces with X-Ray when POWERTOOLS_TRACE_ENABLED is %s', async (value) => {
    // Act
    const { tools, middlewares } = await observabilityWith(value);

    // Assert: the Tracer's middleware first (the invocation's segment), then the logger's and the metrics'.
    expect(tools.tracing).toBeDefined();
    expect(middlewares).toHaveLength(3);
    expect(middlewares[0]).toBe(tools.tracing?.middleware);
  });

  it.each(['false', 'FALSE'])('does not trace when POWERTOOLS_TRACE_ENABLED is %s', async (value) => {
    // Prepare
    const client = { send: async () => ({}) };

    // Act
    const { module, tools, middlewares } = await observabilityWith(value);
    const { tracedBy } = await import('../../../../shared/lambda/base-kit.ts');

    // Assert: no Tracer, no segment middleware, SDK clients left as they are.
    expect(module.tracingEnabled()).toBe(false);
    expect(tools.tracing).toBeUndefined();
    expect(middlewares).toHaveLength(2);
    expect(tracedBy(tools)(client)).toBe(client);
  });
});
