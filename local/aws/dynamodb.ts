/**
 * The DynamoDB stand-in: dynalite (reference/local-aws.md), in memory, in process, on 127.0.0.1 only.
 * Tables are ACTIVE at once (the `*Ms: 0` options). It has no TTL and no transactions.
 */
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface DynamoStandIn {
  /** e.g. `http://127.0.0.1:40123`: pass it to `createLocalDynamoClients`. */
  endpoint: string;
  close(): Promise<void>;
}

/** Starts dynalite on a free loopback port with an empty in-memory database. */
export async function startDynamoStandIn(): Promise<DynamoStandIn> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
