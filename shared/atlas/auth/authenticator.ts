/** What the client needs from an authentication scheme; one implementation per kind Atlas accepts. */
export interface Authenticator {
  readonly kind: 'service-account' | 'api-key';
  /** The `Authorization` header for this request, or `undefined` when none can be made yet (Digest, before its first challenge). */
  authorization(request: {
    method: string;
    path: string;
    signal?: AbortSignal | undefined;
  }): Promise<string | undefined>;
  /**
   * Learns from a 401 on an API call. Returns true when repeating the request with fresh credentials may
   * succeed (a new token, a new Digest nonce); false when the credentials themselves were refused.
   */
  onUnauthorized(wwwAuthenticate: string | undefined, usedAuthorization: string | undefined): boolean;
  /** Ends the session where the scheme has one (revokes a service account's token); a no-op otherwise. */
  revoke(signal?: AbortSignal): Promise<void>;
}
