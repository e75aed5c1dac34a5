/** A delivery as the verifiers see it: the headers and the exact bytes of the body, before any parsing. */

export interface WebhookRequest {
  /** Header names in lower case (as API Gateway's payload v2 gives them); repeated headers joined by `,`. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body, decoded from base64 first when the event says it is encoded. */
  readonly body: Buffer;
}

/** The header's value, trimmed; undefined when absent or empty. `name` must be lower case. */
export function headerOf(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
