/**
 * `npm run bench -- NAME… [--sizes …]`: runs one benchmark (or all of them) and prints one JSON line per
 * result (the inventory prints one per size). Benchmarks measure; tests assert. Nothing here runs in
 * `npm test`.
 */
import { parseArgs } from 'node:util';
import { benchClient } from './client.ts';
import { benchColdStart } from './coldstart.ts';
import { benchColdStartFloor } from './coldstart-floor.ts';
import { benchInventory } from './inventory.ts';
import { benchProvisioning } from './provisioning.ts';
import { benchWebhooks } from './webhooks.ts';

/** Every option any benchmark takes, with the benchmark it belongs to. */
interface BenchOptions {
  /** inventory: `PROJECTSxCLUSTERS[,…]`, one run per size. */
  readonly sizes?: string;
}
const OPTION_OWNERS: Record<keyof BenchOptions, string> = { sizes: 'inventory' };

type Benchmark = (
  options: BenchOptions,
) => Promise<Record<string, unknown>> | AsyncIterable<Record<string, unknown>>;

const benchmarks: Record<string, Benchmark> = {
  client: benchClient,
  coldstart: benchColdStart,
  'coldstart-floor': benchColdStartFloor,
  inventory: benchInventory,
  provisioning: benchProvisioning,
  webhooks: benchWebhooks,
};

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let parsed: { values: BenchOptions; positionals: string[] };
try {
  parsed = parseArgs({ options: { sizes: { type: 'string' } }, allowPositionals: true });
} catch (error) {
  fail(`${(error as Error).message}\nUsage: npm run bench -- [NAME…] [--sizes PxC,…]`);
}
const wanted = parsed.positionals;
const options: BenchOptions = parsed.values;
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  fail(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
}
const names = wanted.length > 0 ? wanted : Object.keys(benchmarks);
for (const [option, owner] of Object.entries(OPTION_OWNERS)) {
  if (options[option as keyof BenchOptions] !== undefined && !names.includes(owner)) {
    fail(`--${option} applies to the ${owner} benchmark only`);
  }
}
for (const name of names) {
  let result: ReturnType<Benchmark> | undefined;
  try {
    result = benchmarks[name]?.(options);
  } catch (error) {
    fail(`${name}: ${(error as Error).message}`);
  }
  if (result === undefined) continue;
  if (Symbol.asyncIterator in result) {
    for await (const item of result)
      process.stdout.write(`${JSON.stringify({ benchmark: name, ...item })}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ benchmark: name, ...(await result) })}\n`);
  }
}
