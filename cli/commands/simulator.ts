/**
 * `atlas-ops simulator`: runs the Atlas Administration API simulator on 127.0.0.1 until SIGINT/SIGTERM.
 * Prints exactly one JSON line on stdout (url, orgId and both kinds of credentials) so scripts can read it.
 */
import { SeedError, startSimulator } from '../../local/atlas-simulator/index.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';

const USAGE = `Usage: atlas-ops simulator [--port N] [--seed demo|large:PxC|FILE] [--latency-ms N] [--fault-rate R]
                           [--token-ttl SECONDS] [--rate-limit CAPACITY/REFILL/SECONDS]
                           [--enforce-api-access-list]

Runs the MongoDB Atlas Administration API v2 simulator on 127.0.0.1 until Ctrl-C or SIGTERM, and prints
one JSON line on stdout: its url, orgId and local-only credentials (a service account and an API key).

Options:
  --port N                    listen on port N (default 0: a free port, named in the JSON line)
  --seed demo|large:PxC|FILE  what it holds: demo (the default: three projects, ten clusters and a flex
                              cluster), large:PxC (P projects of C clusters each, e.g. large:50x20), or
                              FILE, a JSON file shaped like the simulator's state
  --latency-ms N              wait N milliseconds (0 to 60000) before every answer
  --fault-rate R              answer this share (0 to 1) of API calls with a 500 or a 503
  --token-ttl SECONDS         access tokens expire after SECONDS (1 to 86400; default 3600)
  --rate-limit CAPACITY/REFILL/SECONDS
                              every endpoint set's token bucket: CAPACITY calls, refilled by REFILL every
                              SECONDS (e.g. 5/1/10 to meet 429s quickly)
  --enforce-api-access-list   answer 403 to callers whose address is missing from the service account's
                              API access list
  -h, --help                  show this help`;

function number(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${value}"\n${USAGE}`);
  }
  return parsed;
}

function rateLimit(value: string | undefined) {
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)\/(\d+)$/.exec(value);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1 || Number(match[3]) < 1) {
    throw new UsageError(`--rate-limit must look like CAPACITY/REFILL/SECONDS, e.g. 10/5/60, got "${value}"`);
  }
  return { capacity: Number(match[1]), refillRate: Number(match[2]), refillSeconds: Number(match[3]) };
}

export const simulatorCommand: Command = {
  async run(args) {
    const parsed = parseCommandArgs(args, USAGE, {
      port: { type: 'string' },
      seed: { type: 'string' },
      'latency-ms': { type: 'string' },
      'fault-rate': { type: 'string' },
      'token-ttl': { type: 'string' },
      'enforce-api-access-list': { type: 'boolean' },
      'rate-limit': { type: 'string' },
    });
    if (!parsed) return 0;
    const { values } = parsed;
    const str = (name: 'port' | 'seed' | 'latency-ms' | 'fault-rate' | 'token-ttl' | 'rate-limit') =>
      values[name];
    const port = number('port', str('port'), 0, 65_535);
    const latencyMs = number('latency-ms', str('latency-ms'), 0, 60_000);
    const faultRate = number('fault-rate', str('fault-rate'), 0, 1);
    const tokenTtlSeconds = number('token-ttl', str('token-ttl'), 1, 86_400);
    const limits = rateLimit(str('rate-limit'));
    let simulator: Awaited<ReturnType<typeof startSimulator>>;
    try {
      simulator = await startSimulator({
        seed: str('seed') ?? 'demo',
        ...(port === undefined ? {} : { port }),
        ...(latencyMs === undefined ? {} : { latencyMs }),
        ...(faultRate === undefined ? {} : { faultRate }),
        ...(tokenTtlSeconds === undefined ? {} : { tokenTtlSeconds }),
        ...(limits ? { rateLimit: limits } : {}),
        enforceApiAccessList: values['enforce-api-access-list'] === true,
      });
    } catch (error) {
      if (error instanceof SeedError) throw new UsageError(error.message);
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
        throw new Error(`port ${port} is already in use`);
      throw error;
    }
    const { url, orgId, clientId, clientSecret, publicKey, privateKey } = simulator;
    process.stdout.write(
      `${JSON.stringify({ url, orgId, clientId, clientSecret, publicKey, privateKey })}\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await simulator.close();
    return 0;
  },
};
