/**
 * The inventory job alone, for the benchmark to bundle (as the function is bundled) and run in a process of its
 * own: reads the simulator's URL and credentials from argv, prints the run's figures as one JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AtlasClient, createAtlasDispatcher } from '../shared/atlas/index.ts';
import { FileSnapshotStore } from '../shared/inventory/adapters/snapshot-store.ts';
import { parseFindingRules } from '../shared/inventory/findings.ts';
import { runInventory } from '../shared/inventory/run.ts';

const [url = '', clientId = '', clientSecret = '', concurrencyText = '16'] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const dir = await mkdtemp(join(tmpdir(), 'atlas-ops-bench-'));
const dispatcher = createAtlasDispatcher({ connections: concurrency });
try {
  const atlas = new AtlasClient({
    credentials: { clientId, clientSecret },
    baseUrl: url,
    dispatcher,
    logger: { debug() {}, warn() {} },
  });
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const { snapshot } = await runInventory({
    atlas,
    store: new FileSnapshotStore({ dir }),
    concurrency,
    rules: parseFindingRules({}),
  });
  const cpu = process.cpuUsage(cpuAtStart);
  process.stdout.write(
    `${JSON.stringify({
      projects: snapshot.projects.length,
      clusters: snapshot.clusters.length,
      atlasCalls: snapshot.stats.atlasCalls,
      retries: snapshot.stats.retries,
      wallMs: Math.round(performance.now() - started),
      // The job's own CPU time (user + system), to tell its processing from the network and the simulator.
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    })}\n`,
  );
} finally {
  await dispatcher.close();
  await rm(dir, { recursive: true, force: true });
}
