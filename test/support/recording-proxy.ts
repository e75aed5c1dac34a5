/**
 * Integration-test support: a loopback HTTP proxy that records every request it forwards — method, path and
 * body — so a test can check exactly what a client sent (the simulator's own request log has no bodies).
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The path as sent, query included, percent-encoding kept. */
  url: string;
  /** The path, decoded, without the query. */
  path: string;
  body: string;
  /** The request's `Content-Type` (Atlas's versioned media type, for a body). */
  contentType?: string;
}

export interface RecordingProxy {
  /** Point the client here instead of at `target`. */
  url: string;
  requests: RecordedRequest[];
  /** Forgets what was recorded. */
  clear(): void;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) that forwards everything to `target` (`http://127.0.0.1:PORT`). */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = incoming.url ?? '/';
      requests.push({
        method: incoming.method ?? 'GET',
        url,
        path: decodeURIComponent(url.split('?')[0] ?? ''),
        body: body.toString('utf8'),
        ...(incoming.headers['content-type'] ? { contentType: incoming.headers['content-type'] } : {}),
      });
      const forwarded = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: url,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => {
        outgoing.writeHead(502);
        outgoing.end();
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    clear: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
