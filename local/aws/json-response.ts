/** How the hand-written AWS stand-ins answer: a JSON body of the protocol's content type, with a request id. */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** `application/json` for restJson1 services (Scheduler), `application/x-amz-json-1.1` for awsJson1_1 ones. */
export function sendJson(res: ServerResponse, status: number, body: unknown, contentType: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}
