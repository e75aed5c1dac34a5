/**
 * The inventory against the simulator (`large:PxC`, 50 ms latency per call, in a process of its own), once
 * per size: `--sizes 500x10,2000x10,8000x10` (projects x clusters per project; default 2000x10).
 * The job is bundled as the function is (build/lambda-bundle.ts) and run with the Lambda's V8
 * flags, so its peak RSS is the function's and not the TypeScript loader's. Compares Atlas calls with the
 * minimum and wall time with the ideal for the concurrency.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleLambda } from '../build/lambda-bundle.ts';
import { inventoryWorker } from '../functions/inventory/worker.ts';

/** The inventory function's V8 flags, as deployed (its manifest's `nodeOptions`). */
const INVENTORY_V8_FLAGS = inventoryWorker.nodeOptions;

import { largeSeed } from '../local/atlas-simulator/seeds/large.ts';

/** The most projects the simulator's `large:PxC` seed argument takes; beyond it the same seed goes as a file. */
const MAX_LARGE_SEED_PROJECTS = 5_000;
/** The size run when `--sizes` is not given. */
const DEFAULT_SIZES = '2000x10';
const LATENCY_MS = 50;
const CONCURRENCY = 16;
const CLI = fileURLToPath(new URL('../cli/atlas-ops.ts', import.meta.url));
const JOB = fileURLToPath(new URL('./inventory-job.ts', import.meta.url));

export interface InventorySize {
  readonly projects: number;
  readonly clustersPerProject: number;
}

/** `500x10,2000x10` → sizes; throws on anything else (the simulator's `large:PxC` seed takes the same form). */
export function parseInventorySizes(text: string): InventorySize[] {
  return text.split(',').map((item) => {
    const match = /^([1-9][0-9]*)x([0-9]+)$/.exec(item.trim());
    if (!match) throw new Error(`--sizes: expected PROJECTSxCLUSTERS[,…] (e.g. 500x10), got "${item}"`);
    return { projects: Number(match[1]), clustersPerProject: Number(match[2]) };
  });
}

/**
 * One result per size, each as soon as it is measured; the sizes run one after the other. A bad `--sizes`
 * throws here, before anything runs.
 */
export function benchInventory(options: { readonly sizes?: string }): AsyncIterable<Record<string, unknown>> {
  const sizes = parseInventorySizes(options.sizes ?? DEFAULT_SIZES);
  return (async function* () {
    for (const size of sizes) yield await benchInventorySize(size);
  })();
}

async function benchInventorySize({
  projects,
  clustersPerProject,
}: InventorySize): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'atlas-ops-bench-bundle-'));
  // Bundled as the function is (build/lambda-bundle.ts), so its peak RSS is the deployed code's.
  const { file: bundle } = await bundleLambda(JOB, dir);
  let seed = `large:${projects}x${clustersPerProject}`;
  if (projects > MAX_LARGE_SEED_PROJECTS) {
    seed = join(dir, 'seed.json');
    await writeFile(seed, JSON.stringify(largeSeed(projects, clustersPerProject)));
  }
  const simulator = spawn(
    process.execPath,
    [CLI, 'simulator', '--port', '0', '--seed', seed, '--latency-ms', String(LATENCY_MS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const exited = once(simulator, 'exit').then(([code]) => {
      throw new Error(`the simulator exited (${code}) before it was ready`);
    });
    const [line] = (await Promise.race([
      once(createInterface({ input: simulator.stdout }), 'line'),
      exited,
    ])) as [string];
    exited.catch(() => {}); // once ready, its exit (killed below) is expected
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
    const simulatorCpuMs = await cpuMsOf(simulator.pid);
    // Two list calls per project (clusters, flex clusters) when each fits one page, plus the project pages:
    // only a short page ends a list, so a list that fills its last page exactly needs one empty page more.
    const minimalCalls = Math.floor(projects / 500) + 1 + 2 * projects;
    const idealMs = Math.ceil(run.atlasCalls / CONCURRENCY) * LATENCY_MS;
    return {
      size: `${projects}x${clustersPerProject}`,
      ...run,
      minimalCalls,
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      ...(simulatorCpuMs === undefined ? {} : { simulatorCpuMs }),
      idealMs,
      wallOverIdeal: Number((run.wallMs / idealMs).toFixed(3)),
      v8Flags: INVENTORY_V8_FLAGS,
    };
  } finally {
    simulator.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * CPU time (user + system) a process has used so far, from /proc (Linux; undefined elsewhere): the
 * simulator's, so its own serving cost can be told from the inventory's. Assumes the usual 100 ticks/s.
 */
async function cpuMsOf(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime (fields 14, 15 of stat)
  } catch {
    return undefined;
  }
}
