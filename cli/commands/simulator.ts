/**
 * `atlas-ops simulator`: runs the Atlas Administration API simulator on 127.0.0.1 until SIGINT/SIGTERM.
 * Prints exactly one JSON line on stdout (url, orgId and both kinds of credentials) so scripts can read it.
 */
import { SeedError, startSimulator } from '../../local/atlas-simulator/index.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';

const USAGE = `Usage: atlas-ops simulator [--port N] [--seed demo|large:PxC|FILE] [--latency-ms N] [--fault-rate R]
                          [--token-ttl SECONDS] [--enforce-api-access-list] [--rate-limit CAPACITY/REFILL/SECONDS]`;

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
