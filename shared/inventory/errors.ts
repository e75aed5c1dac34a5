/**
 * Errors of the inventory logic. Every one is an `InventoryError`, so the handler that runs the inventory can
 * map the family in one place (a bad configuration stops the run before any Atlas call is made).
 */

/** Base of every error the inventory logic throws. */
export class InventoryError extends Error {
  override name = 'InventoryError';
}

/**
 * The inventory configuration (finding rules, …) is invalid. The message names every bad rule id or
 * parameter, so whoever edits the configuration can fix it without reading code.
 */
export class InventoryConfigError extends InventoryError {
  override name = 'InventoryConfigError';
  /** One line per problem, e.g. `rule "cluster-paused": unknown param "colour" (allowed: enabled, severity)`. */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = [message]) {
    super(message);
    this.problems = problems;
  }
}

/** Nothing could be read (every project failed, or the scope could not be listed): there is no snapshot. */
export class InventoryFailedError extends InventoryError {
  override name = 'InventoryFailedError';
}
