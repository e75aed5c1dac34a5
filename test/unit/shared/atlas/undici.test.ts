import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { Agent as UndiciAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, type Dispatcher } from '../../../../shared/atlas/undici.ts';

/**
 * The application protocols a TLS ClientHello offers (its ALPN extension, RFC 7301), read from the first
 * bytes a client sends: record header, handshake header, version, random, session id, cipher suites,
 * compression methods, then the extensions.
 */
function offeredProtocols(hello: Buffer): string[] {
  let at = 5 + 4 + 2 + 32;
  at += 1 + hello.readUInt8(at);
  at += 2 + hello.readUInt16BE(at);
  at += 1 + hello.readUInt8(at);
  const end = at + 2 + hello.readUInt16BE(at);
  at += 2;
  while (at < end) {
    const type = hello.readUInt16BE(at);
    const length = hello.readUInt16BE(at + 2);
    if (type === 0x0010) {
      const protocols: string[] = [];
      for (let p = at + 6; p < at + 4 + length; p += 1 + hello.readUInt8(p)) {
        protocols.push(hello.toString('latin1', p + 1, p + 1 + hello.readUInt8(p)));
      }
      return protocols;
    }
    at += 4 + length;
  }
  return [];
}

/** What `agent` offers when it opens a TLS connection: a TCP server that reads the ClientHello and hangs up. */
async function protocolsOfferedBy(agent: Dispatcher): Promise<string[]> {
  const server = createServer();
  const hello = new Promise<Buffer>((resolve) => {
    server.once('connection', (socket: Socket) => {
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk);
        socket.destroy();
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const call = agent.request({ origin: `https://127.0.0.1:${port}`, path: '/', method: 'GET' });
    await expect(call).rejects.toThrow();
    return offeredProtocols(await hello);
  } finally {
    server.close();
  }
}

describe('Agent', () => {
  const agents: Dispatcher[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.close()));
  });

  it('offers HTTP/1.1 alone over TLS, which the function bundles can speak, where undici offers h2 too', async () => {
    // Prepare
    const ours = new Agent({ connectTimeout: 5_000 });
    const undicis = new UndiciAgent({ connectTimeout: 5_000 });
    agents.push(ours, undicis);

    // Act
    const offered = await protocolsOfferedBy(ours);
    const undiciOffers = await protocolsOfferedBy(undicis);

    // Assert
    expect(offered).toEqual(['http/1.1']);
    expect(undiciOffers).toEqual(['http/1.1', 'h2']);
  });
});
