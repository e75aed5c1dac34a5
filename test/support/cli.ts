/** Integration-test support: the `atlas-ops` command run as a user runs it, in processes of its own. */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../local/atlas-simulator/index.ts';
import { type RecordingProxy, startRecordingProxy } from './recording-proxy.ts';
import { resetSimulator } from './simulator.ts';

export const CLI = fileURLToPath(new URL('../../cli/atlas-ops.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `atlas-ops …args` with `env` in `cwd`, and resolves with its exit code and output: a non-zero exit is
 * not an error here. Of this process's environment only PATH goes along; Powertools logs errors only, unless
 * `env` says otherwise.
 */
export async function atlasOps(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'ERROR', ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export interface RunningLocalStack {
  /** The folder it runs in (its `.atlas-ops/` state is there). */
  cwd: string;
  /** Interrupts it, as Ctrl-C does, and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * `npm start` as a user runs it: `atlas-ops start` in a new folder under the system temp dir, quiet
 * Powertools, resolved once its first inventory is printed. `onLine` sees every line of its output until then.
 */
export async function startLocalStackProcess(
  options: { onLine?: (line: string) => void } = {},
): Promise<RunningLocalStack> {
  const cwd = await mkdtemp(join(tmpdir(), 'atlas-ops-start-'));
  const start = spawn(process.execPath, [CLI, 'start', '--every', '3600', '--out', join(cwd, 'out')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'ERROR', POWERTOOLS_METRICS_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: start.stdout });
  for await (const line of lines) {
    options.onLine?.(line);
    if (line.startsWith('Next inventory')) break;
  }
  return {
    cwd,
    async stop() {
      start.kill('SIGINT');
      await once(start, 'exit');
    },
  };
}

/** The simulator a CLI test runs against, behind a proxy that records what the CLI sent. */
export interface CliAtlas {
  sim: RunningSimulator;
  proxy: RecordingProxy;
  /** The CLI's environment: the simulator's service account, its base URL the proxy's. */
  env: Record<string, string>;
  /** A temporary folder for the test's files. */
  dir: string;
}

/**
 * Registers the file's hooks — a demo simulator behind a recording proxy for all its tests, reset (and the
 * recording cleared) before each — and returns them, for tests that run `atlas-ops` against Atlas.
 */
export function useCliAtlas(name: string): () => CliAtlas {
  let atlas: CliAtlas | undefined;
  beforeAll(async () => {
    const sim = await startSimulator({ port: 0, seed: 'demo' });
    const proxy = await startRecordingProxy(sim.url);
    atlas = {
      sim,
      proxy,
      env: {
        MONGODB_ATLAS_CLIENT_ID: sim.clientId,
        MONGODB_ATLAS_CLIENT_SECRET: sim.clientSecret,
        MONGODB_ATLAS_BASE_URL: proxy.url,
      },
      dir: await mkdtemp(join(tmpdir(), `atlas-ops-${name}-`)),
    };
  });
  afterAll(async () => {
    await atlas?.proxy.close();
    await atlas?.sim.close();
  });
  beforeEach(async () => {
    if (!atlas) return;
    await resetSimulator(atlas.sim);
    atlas.proxy.clear();
  });
  return () => {
    if (!atlas) throw new Error('useCliAtlas: the simulator is not started yet');
    return atlas;
  };
}
