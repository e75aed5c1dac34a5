/**
 * The inventory against the simulator (`large:2000x10`, 50 ms latency per call, in a process of its own).
 * The job is bundled with esbuild and run with the Lambda's V8 flags, as deployed, so its peak RSS is the
 * function's and not the TypeScript loader's. Compares Atlas calls with the minimum and wall time with the
 * ideal for the concurrency.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { INVENTORY_V8_FLAGS } from '../functions/inventory/runtime.ts';

const PROJECTS = 2000;
const CLUSTERS_PER_PROJECT = 10;
const LATENCY_MS = 50;
const CONCURRENCY = 16;
const CLI = fileURLToPath(new URL('../cli/atlas-ops.ts', import.meta.url));
const JOB = fileURLToPath(new URL('./inventory-job.ts', import.meta.url));

export async function benchInventory(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-ops-bench-bundle-'));
  const bundle = join(dir, 'inventory-job.mjs');
  await build({
    entryPoints: [JOB],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile: bundle,
    logLevel: 'error',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  const simulator = spawn(
    process.execPath,
    [
      CLI,
      'simulator',
      '--port',
      '0',
      '--seed',
      `large:${PROJECTS}x${CLUSTERS_PER_PROJECT}`,
      '--latency-ms',
      String(LATENCY_MS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const [line] = (await once(createInterface({ input: simulator.stdout }), 'line')) as [string];
    const sim = JSON.parse(line) as { url: string; clientId: string; clientSecret: string };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        ...INVENTORY_V8_FLAGS.split(' '),
        bundle,
        sim.url,
        sim.clientId,
        sim.clientSecret,
        String(CONCURRENCY),
      ],
      { maxBuffer: 1024 * 1024 },
    );
    const run = JSON.parse(stdout) as { atlasCalls: number; wallMs: number };
    // Two list calls per project (clusters, flex clusters) when each fits one page, plus the project pages:
    // only a short page ends a list, so a list that fills its last page exactly needs one empty page more.
    const minimalCalls = Math.floor(PROJECTS / 500) + 1 + 2 * PROJECTS;
    const idealMs = Math.ceil(run.atlasCalls / CONCURRENCY) * LATENCY_MS;
    return {
      ...run,
      minimalCalls,
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      idealMs,
      wallOverIdeal: Number((run.wallMs / idealMs).toFixed(3)),
      v8Flags: INVENTORY_V8_FLAGS,
    };
  } finally {
    simulator.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}
