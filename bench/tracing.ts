/**
 * What X-Ray tracing costs an invocation, with the bundles' cls-hooked stand-in and with the real cls-hooked
 * (bench/traced-handler.ts: one AWS SDK call and one HTTP call per invocation, traced as the workers trace, in
 * X-Ray's Lambda mode, against local stand-ins). Each runs in a fresh process; prints CPU and wall time per
 * invocation, the median of five processes each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats.ts';
import { type ContextStore, newTraceHeader, startTracedLambda } from './traced-handler.ts';

const INVOCATIONS = 300;
const WARM_UP = 30;
const PROCESSES = 5;

/** The median of `values` to two decimals. */
function medianMs(values: number[]): number {
  return Number(median(values).toFixed(2));
}

export async function benchTracing(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-tracing-'));
  const lambda = await startTracedLambda(dir);
  try {
    const runs: Record<ContextStore, { cpuMs: number[]; wallMs: number[] }> = {
      AsyncLocalStorage: { cpuMs: [], wallMs: [] },
      'cls-hooked': { cpuMs: [], wallMs: [] },
    };
    // Alternated, so that both see the same machine load.
    for (let round = 0; round < PROCESSES; round += 1) {
      for (const store of Object.keys(runs) as ContextStore[]) {
        const headers = Array.from({ length: WARM_UP + INVOCATIONS }, () => newTraceHeader().header);
        const { cpuMs, wallMs } = await lambda.invoke(store, headers, WARM_UP);
        runs[store].cpuMs.push(cpuMs);
        runs[store].wallMs.push(wallMs);
      }
    }
    return {
      invocations: INVOCATIONS,
      cpuMsPerInvocation: medianMs(runs.AsyncLocalStorage.cpuMs),
      wallMsPerInvocation: medianMs(runs.AsyncLocalStorage.wallMs),
      clsHookedCpuMsPerInvocation: medianMs(runs['cls-hooked'].cpuMs),
      clsHookedWallMsPerInvocation: medianMs(runs['cls-hooked'].wallMs),
    };
  } finally {
    await lambda.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
