/**
 * Errors of the webhook intake. Every one is a `WebhookError`. Messages name the source, rule or field at
 * fault and never carry a secret, a signature or a delivery's body.
 */

/** Base of every error the webhook layer throws. */
export class WebhookError extends Error {
  override name = 'WebhookError';
}

/**
 * The intake's configuration cannot be used: a rule that is not valid JMESPath, an unknown source or field
 * in the rule overrides. Thrown at cold start, so a bad rule set refuses to start.
 */
export class WebhookConfigError extends WebhookError {
  override name = 'WebhookConfigError';
}

/**
 * The webhook secret could not be read, or does not hold what it should (not JSON, an unknown source, a
 * value of the wrong shape). The message names the source and field, never a value.
 */
export class WebhookSecretError extends WebhookError {
  override name = 'WebhookSecretError';
}
